"""Exports as a user takes them: the belt dossier from the belt card, the map PNG from the controls.

The files are rendered on the server (kaleido driving Debian's Chromium, offline) and checked as files: a PDF
with the belt's pages and its name in the text, a PNG of the chosen size showing the state on screen.
"""

from __future__ import annotations

import io
import re
import struct
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.mapdriver import open_page, state_settles, view_state, wait_idle

RENDER_TIMEOUT_MS = 120_000  # a cold render starts a Chromium on the server; CI machines are slow


def assert_not_blank(png: bytes) -> None:
    """The picture has ink: many distinct colours and a good share of pixels that are not paper white."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    small = image.resize((image.width // 8, image.height // 8))
    pixels = list(small.getdata())
    assert len(set(pixels)) > 200
    assert sum(1 for p in pixels if p != (255, 255, 255)) > 0.3 * len(pixels)


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def test_belt_dossier_downloads_as_a_pdf_of_the_belt(page, live_server, dataset):
    open_page(page, live_server.url + "/?belt=B05&year=2017")
    belt = dataset.belts().set_index("belt_id").loc["B05"]
    link = page.locator("#detail-panel #dossier-link")
    expect(link).to_be_visible()
    with page.expect_download(timeout=RENDER_TIMEOUT_MS) as info:
        link.click()
    download = info.value
    assert download.failure() is None
    assert unquote(download.suggested_filename) == f"{belt['name']}-示范带档案-2017.pdf"
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 2
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert abs(width - 842) < 2 and abs(height - 595) < 2  # A4 landscape, in points
    text = "".join(p.extract_text() for p in reader.pages)
    # the text layer says what the page shows: 水 and 鱼, not the radicals ⽔ ⻥ that share their glyphs
    assert not re.findall("[\u2e80-\u2fdf]", text)
    assert belt["name"] in text and belt.theme in text
    first_village = dataset.villages().set_index("code").loc[dataset.belt_villages()
                                                             .query("belt_id == 'B05'").sort_values("seq")
                                                             .village_code.iloc[0], "name"]
    assert first_village in text
    codes = dataset.belt_villages().query("belt_id == 'B05'").village_code
    assert all(code in text for code in codes)  # the codes can be copied out of the PDF
    flat = "".join(text.split())
    assert "历年得分" in flat and "分得年历" not in flat  # the text layer reads in order
    assert "公报中的故事" in flat and "公里" in flat  # the belt's story box and the scale bar


def test_map_png_follows_the_selection_and_the_chosen_size(page, live_server, dataset):
    open_page(page, live_server.url + "/")
    page.locator("#detail-panel li.kb-belt-item").nth(2).click()  # B03
    wait_idle(page)
    assert state_settles(page, lambda st: st.get("belt") == "B03").get("belt") == "B03"
    page.locator("#export-size").click()
    page.get_by_role("option", name="A4 300 dpi", exact=True).click()
    wait_idle(page)
    link = page.locator("#export-map-link")
    expect(link).to_have_attribute("href", re.compile(r"size=a4$"))
    href = urlparse(link.get_attribute("href"))
    assert href.path == "/export/map.png"
    assert {k: v[0] for k, v in parse_qs(href.query).items()} == {**view_state(page), "size": "a4"}
    with page.expect_download(timeout=RENDER_TIMEOUT_MS) as info:
        link.click()
    download = info.value
    assert download.failure() is None
    png = Path(download.path()).read_bytes()
    assert _png_size(png) == (3508, 2480)  # A4 landscape at 300 dpi
    assert_not_blank(png)
    csv = page.locator(".kb-export-data-link", has_text="CSV")
    expect(csv).to_have_attribute("href", re.compile(r"/export/data\.csv\?.*belt=B03"))
    resp = page.request.get(live_server.url + csv.get_attribute("href"))
    assert resp.status == 200 and resp.body().startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    pdf_link = page.locator("#export-map-pdf-link")
    expect(pdf_link).to_have_attribute("href", re.compile(r"/export/map\.pdf\?.*belt=B03.*size=a4$"))


def test_a_belt_dossier_tells_its_bulletin_story(live_server, dataset):
    import httpx

    resp = httpx.get(live_server.url + "/export/belt/B02.pdf?year=2018", timeout=RENDER_TIMEOUT_MS / 1000)
    assert resp.status_code == 200
    text = "".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(resp.content)).pages).split())
    story = dataset.layer("stories").set_index("story_id").loc["S01"]
    assert story.title in text and "".join(story.text.split())[:12] in text
    names = dataset.villages().set_index("code").loc[list(dataset.belt_villages().query("belt_id == 'B02'")
                                                          .village_code), "name"]
    assert all(name in text for name in names)


def test_map_pdf_is_one_vector_page_of_the_paper_with_its_furniture(live_server):
    import httpx

    resp = httpx.get(live_server.url + "/export/map.pdf?belt=B05&measure=score&size=a3",
                     timeout=RENDER_TIMEOUT_MS / 1000)
    assert resp.status_code == 200 and resp.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(resp.content))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 1191) < 3 and abs(float(box.height) - 842) < 3  # A3 landscape, in points
    text = "".join(reader.pages[0].extract_text().split())  # pypdf spaces a run of digits from the Chinese
    for words in ("清水鱼富民带", "综合得分", "2018年", "资料来源", "公里", "北", "示意"):
        assert words in text, words
    # vector: no raster image of the map; the only images are the labels' halos (dashboard.exports.print_document),
    # each the size of a label at 300 dpi
    assert all(im.image.width < 1200 and im.image.height < 300 for im in reader.pages[0].images)


def test_the_handout_names_each_map_label_once_in_its_text_layer(live_server, dataset):
    """Labels are drawn with a halo; a PDF's text says each label once (the halo is not text)."""
    import httpx

    resp = httpx.get(live_server.url + "/export/brief.pdf?lang=zh", timeout=RENDER_TIMEOUT_MS / 1000)
    assert resp.status_code == 200 and resp.headers["content-type"] == "application/pdf"
    first = PdfReader(io.BytesIO(resp.content)).pages[0].extract_text()  # the county: every township labelled
    towns = {name: first.count(name) for name in dataset.townships().name}
    assert max(towns.values()) == 1 and sum(towns.values()) >= 10, towns
    belts = {name: first.count(name) for name in dataset.belts().name}
    assert max(belts.values()) <= 2, belts  # its label on the map and its line in the legend


def test_county_dossier_names_every_belt(live_server, dataset):
    import httpx

    resp = httpx.get(live_server.url + "/export/county.pdf?year=2018", timeout=RENDER_TIMEOUT_MS / 1000)
    assert resp.status_code == 200
    reader = PdfReader(io.BytesIO(resp.content))
    assert len(reader.pages) == 2
    text = "".join("".join(p.extract_text() for p in reader.pages).split())
    assert all(name in text for name in dataset.belts().name)
    assert "县域档案" in text and "五大振兴得分" in text


def test_a_small_batch_writes_every_file(tmp_path, dataset, capsys):
    from PIL import Image

    from dashboard.exports.batch import main

    assert main(["batch", "--out", str(tmp_path), "--belts", "B01", "--quiet"]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(["county-dossier-2018-zh.pdf", "B01-dossier-2018-zh.pdf", "B01-map-4k-2018-zh.png",
                            "B01-map-a4-2018-zh.png", "villages-2018.csv", "villages-2018.xlsx",
                            "villages-2018.geojson", "villages-2018.gpkg"])
    assert Image.open(tmp_path / "B01-map-4k-2018-zh.png").size == (3840, 2160)
    assert Image.open(tmp_path / "B01-map-a4-2018-zh.png").size == (3508, 2480)
    assert_not_blank((tmp_path / "B01-map-4k-2018-zh.png").read_bytes())
    assert "8 of 8 files written" in capsys.readouterr().out


def test_an_export_shows_its_progress_then_the_file_arrives(page, live_server, dataset):
    """The print map runs as an export job: a progress box, then the file link and the download (zh)."""
    open_page(page, live_server.url + "/?belt=B04")
    link = page.locator("#export-map-pdf-link")
    expect(link).to_have_attribute("href", re.compile(r"belt=B04"))
    box = page.locator("#export-job")
    with page.expect_download(timeout=RENDER_TIMEOUT_MS) as download_info:
        link.click()
        expect(box.locator("progress")).to_be_visible()
        expect(box.locator(".kb-export-job-text")).to_have_text(re.compile(r"排队等待生成…|正在生成… \d+%"))
    download = download_info.value
    assert download.failure() is None
    name = dataset.belts().set_index("belt_id").name["B04"]
    assert unquote(download.suggested_filename) == f"开化-{name}-a4.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF")
    expect(box.locator(".kb-export-job-text")).to_have_text(f"已生成: 开化-{name}-a4.pdf")
    saved = box.locator("a.kb-export-job-file")
    expect(saved).to_be_visible()
    expect(saved).to_have_text("保存文件")
    expect(saved).to_have_attribute("href", re.compile(r"^/export/jobs/[\w-]{32}/file$"))
    again = page.request.get(live_server.url + saved.get_attribute("href"))  # the page's session
    assert again.status == 200 and again.headers["content-type"] == "application/pdf"
    assert again.body() == Path(download.path()).read_bytes()


def test_an_english_page_follows_its_export_in_english(page, live_server):
    open_page(page, live_server.url + "/?lang=en&belt=B06")
    page.locator("#export-size").click()
    page.get_by_role("option", name="1920×1080", exact=True).click()
    link = page.locator("#export-map-link")
    expect(link).to_have_attribute("href", re.compile(r"size=1080p$"))
    box = page.locator("#export-job")
    with page.expect_download(timeout=RENDER_TIMEOUT_MS) as download_info:
        link.click()
        expect(box.locator(".kb-export-job-text")).to_have_text(re.compile(r"Waiting to render…|Rendering… \d+%"))
    png = Path(download_info.value.path()).read_bytes()
    assert _png_size(png) == (1920, 1080)
    expect(box.locator(".kb-export-job-text")).to_have_text(re.compile(r"^Ready: "))
    expect(box.locator("a.kb-export-job-file")).to_have_text("Save the file")
