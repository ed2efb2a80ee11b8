"""The map explorer as staff use it: click belts and villages, search, deep links, layers, back."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.mapdriver import (
    click_at,
    empty_point,
    layout_prop,
    open_page,
    point_of,
    state_settles,
    trace_prop,
    view_state,
    village_point,
    wait_idle,
)


def test_click_belt_on_map_selects_it(page, live_server, dataset):
    open_page(page, live_server.url + "/")
    click_at(page, *point_of(page, "belt-B05", 3))
    wait_idle(page)
    assert state_settles(page, lambda st: st.get("belt") == "B05").get("belt") == "B05"
    belt = dataset.belts().set_index("belt_id").loc["B05"]
    panel = page.locator("#detail-panel")
    expect(panel.locator("h3")).to_contain_text(belt["name"])
    assert belt.theme in panel.inner_text()
    members = dataset.belt_villages().query("belt_id == 'B05'")
    assert panel.locator(".kb-links li").count() == len(members)
    # the belt stands out, the others fade, its villages stay bright and the map zooms in
    assert trace_prop(page, "belt-B05", "line.width") > trace_prop(page, "belt-B01", "line.width")
    assert trace_prop(page, "belt-B01", "opacity") < 1
    assert len(trace_prop(page, "villages", "selectedpoints")) == len(members)
    lon = layout_prop(page, "geo.lonaxis.range")  # framed on the belt: far less ground than the county's ~1.1°
    assert lon[1] - lon[0] < 0.5
    crumbs = page.locator("#breadcrumb").inner_text()
    assert crumbs.startswith("开化县") and belt["name"] in crumbs


def test_click_belt_in_list_then_village_then_breadcrumb_back(page, live_server, dataset):
    open_page(page, live_server.url + "/")
    page.locator("#detail-panel li.kb-belt-item").nth(1).click()  # B02, 红高粱酒香带
    wait_idle(page)
    assert state_settles(page, lambda st: st.get("belt") == "B02").get("belt") == "B02"
    code = dataset.belt_villages().query("belt_id == 'B02'").sort_values("seq").village_code.iloc[2]
    click_at(page, *village_point(page, code))
    wait_idle(page)
    assert state_settles(page, lambda st: st.get("village") == code).get("village") == code
    card = page.locator("#detail-panel")
    assert code in card.inner_text()
    assert "河长" in card.inner_text() and "村书记" in card.inner_text()
    assert "330824218" in view_state(page)["township"]
    page.locator("#breadcrumb button", has_text="红高粱酒香带").click()
    wait_idle(page)
    state = state_settles(page, lambda st: "village" not in st)
    assert state.get("belt") == "B02" and "village" not in state


def test_escape_and_empty_click_clear_the_selection(page, live_server):
    open_page(page, live_server.url + "/?belt=B07")
    assert page.locator("#detail-panel h3").inner_text().startswith("红色记忆传承带")
    page.keyboard.press("Escape")
    wait_idle(page)
    assert "belt" not in state_settles(page, lambda st: "belt" not in st)
    assert "21条示范带" in page.locator("#detail-panel h3").inner_text()
    # A township on the county's edge: its frame, widened to the panel's shape, shows ground outside the county.
    open_page(page, live_server.url + "/?township=330824107")
    click_at(page, *empty_point(page))  # outside the county: nothing under the pointer
    wait_idle(page)
    assert state_settles(page, lambda st: st == {}) == {}


def test_search_by_part_of_a_name_jumps_to_the_hit(page, live_server):
    open_page(page, live_server.url + "/")
    page.locator("#search").click()
    page.locator(".dash-dropdown-content input.dash-dropdown-search").fill("东坑")
    # the village itself (a story told there, "以孝治村 · 东坑口村", is found too)
    option = page.locator(".dash-dropdown-content [role=option]", has_text="东坑口村 · 杨林镇")
    option.wait_for(timeout=10000)
    option.click()
    wait_idle(page)
    assert state_settles(page, lambda st: "village" in st).get("village") == "330824107208"
    assert "东坑口村" in page.locator("#detail-panel h3").inner_text()


def test_deep_link_restores_the_view(page, live_server, dataset):
    url = live_server.url + "/?belt=B03&layers=villages,county,belts,ponds&measure=pillar:ecology&year=2016"
    open_page(page, url)
    assert page.locator("#detail-panel h3").inner_text().startswith("古田山绿色屏障带")
    assert trace_prop(page, "ponds", "visible") is True
    assert trace_prop(page, "rivers-main", "visible") is False
    assert trace_prop(page, "villages", "showscale") is True
    assert "生态" in str(trace_prop(page, "villages", "colorbar.title.text"))
    assert page.locator("#measure").inner_text().strip().startswith("生态")
    assert page.locator("#year .rc-slider-handle, #year [role=slider]").first.get_attribute("aria-valuenow") == "2016"
    assert len(trace_prop(page, "villages", "selectedpoints")) == len(
        dataset.belt_villages().query("belt_id == 'B03'"))


def test_unknown_parts_of_a_link_are_reported_not_trusted(page, live_server):
    open_page(page, live_server.url + "/?belt=B99&village=<script>x</script>")
    note = page.locator("#problems")
    assert note.is_visible() and "B99" in note.inner_text()
    assert page.evaluate("() => window.__xss === undefined")
    assert "21条示范带" in page.locator("#detail-panel h3").inner_text()


def test_layer_switches_show_and_hide_traces(page, live_server):
    open_page(page, live_server.url + "/")
    assert trace_prop(page, "ponds", "visible") is False
    page.locator("#layer-switches label", has_text="山塘").click()
    wait_idle(page)
    assert "layers" in state_settles(page, lambda st: "layers" in st)
    assert trace_prop(page, "ponds", "visible") is True
    legend = page.locator("#map-legend")
    expect(legend.locator("li", has_text="山塘")).to_have_count(1)  # the legend matches what is drawn
    expect(legend.locator("li[data-belt]")).to_have_count(21)
    page.locator("#layer-switches label", has_text="示范带").click()
    wait_idle(page)
    assert trace_prop(page, "belt-B01", "visible") is False
    expect(legend.locator("li[data-belt]")).to_have_count(0)
    expect(legend.locator(".kb-lg-title", has_text="示范带")).to_have_count(0)
    expect(legend.locator("li", has_text="县界")).to_have_count(1)


def test_the_legend_is_the_pages_own_and_follows_a_clicked_belt(page, live_server, dataset):
    open_page(page, live_server.url + "/")
    assert page.locator("#map .legend").count() == 0  # plotly draws none: its redraw cost every click
    legend = page.locator("#map-legend")
    names = dataset.belts().sort_values("belt_id").name.tolist()
    expect(legend.locator("li[data-belt]")).to_have_text(names)
    expect(legend.locator(".kb-faded, .kb-selected")).to_have_count(0)
    click_at(page, *point_of(page, "belt-B05", 3))
    expect(legend.locator("li.kb-selected")).to_have_attribute("data-belt", "B05")
    expect(legend.locator("li.kb-faded")).to_have_count(20)
    wait_idle(page)
    assert state_settles(page, lambda st: st.get("belt") == "B05").get("belt") == "B05"
    expect(legend.locator("li.kb-selected")).to_have_attribute("data-belt", "B05")  # the server's answer agrees
    page.keyboard.press("Escape")
    expect(legend.locator(".kb-faded, .kb-selected")).to_have_count(0)
    page.go_back()  # a selection that is no click (the address, back and forward) is emphasised too
    expect(legend.locator("li.kb-selected")).to_have_attribute("data-belt", "B05")
    page.locator("#language label", has_text="English").click()
    expect(legend.locator("li.kb-selected")).to_have_attribute("data-belt", "B05")
    expect(legend.locator("li[data-belt='B05']")).not_to_have_text(names[4])
    expect(legend.locator(".kb-lg-title")).to_contain_text("Belts")
    expect(legend.locator("li.kb-faded")).to_have_count(20)


def test_a_linked_belt_is_emphasised_in_the_legend(page, live_server):
    open_page(page, live_server.url + "/?belt=B07")
    expect(page.locator("#map-legend li.kb-selected")).to_have_attribute("data-belt", "B07")
    expect(page.locator("#map-legend li.kb-faded")).to_have_count(20)


def test_back_button_steps_back_through_selections(page, live_server):
    open_page(page, live_server.url + "/")
    page.locator("#detail-panel li.kb-belt-item").nth(4).click()
    wait_idle(page)
    page.locator("#detail-panel .kb-links button").first.click()
    wait_idle(page)
    assert "village" in state_settles(page, lambda st: "village" in st)
    page.go_back()
    wait_idle(page)
    state = state_settles(page, lambda st: "village" not in st)
    assert state.get("belt") == "B05" and "village" not in state
    assert page.locator("#detail-panel h3").inner_text().startswith("清水鱼富民带")
    page.go_back()
    wait_idle(page)
    assert state_settles(page, lambda st: st == {}) == {}


def test_language_switch_relabels_the_app(page, live_server):
    open_page(page, live_server.url + "/")
    page.locator("#language label", has_text="English").click()
    wait_idle(page)
    state_settles(page, lambda st: st.get("lang") == "en")
    page.wait_for_function("() => document.querySelector('h1').textContent.includes('Kaihua')")
    wait_idle(page)
    assert "demonstration belts" in page.locator("h1").inner_text().lower()
    assert "Layers" in page.locator(".kb-controls").inner_text()
    towns = trace_prop(page, "township-labels", "text")  # the labels that fit: romanised, none in Chinese
    assert towns and not any("\u4e00" <= ch <= "\u9fff" for ch in "".join(towns))
    assert "five revitalisations" in page.locator("#charts-section h2").inner_text()
    assert "Belts" in page.locator(".kb-key-figures").inner_text()
    assert view_state(page)["lang"] == "en"
