/* Map explorer glue that has to run in the browser:
 * - keep the address bar in step with the view state (pushState), and report back/forward;
 * - Esc, or a click on empty map (no feature under the pointer), clears the selection;
 * - report the map panel's size (the server frames the selection and places labels for it), and when the map
 *   has first drawn (the charts are mounted then);
 * - a click on a story marker opens that story, whatever plotly's hover found nearer (a belt vertex or
 *   village under it), and no tooltip is left standing after a click or a redraw;
 * - a click on a belt (its route on the map, or its entry in the belt list) draws that route emphasised and
 *   the others faded at once, in the SVG plotly drew, with the widths the server's map style uses (data
 *   attributes of the map panel), and its legend entry likewise; the server's patch then frames, dims and
 *   labels the map, and plotly's redraw of it sets every route's style from the figure again (so nothing
 *   here can leave a wrong style behind); what the map applied sets the legend's classes again
 *   (window.kaihuaBelts.legendBelt, a clientside callback), for selections that are no click too.
 * Nothing here talks to the network. */
(function () {
  "use strict";
  var lastPointClick = 0;
  var down = null;

  function setProps(id, props) {
    if (window.dash_clientside && window.dash_clientside.set_props) {
      window.dash_clientside.set_props(id, props);
    }
  }

  // Every move, into a county, to another or back to the province, is a history entry and a patch of the
  // one figure: no page load. (Until the trace uids became CSS-safe, leaving a county reloaded the page: the
  // old county's "sites:..." traces made plotly's cleanup throw on the invalid selector ".cbsites:...", which
  // aborted the redraw and left that county's shapes standing. tests/unit/dashboard/test_map_figure.py keeps
  // the uids safe; tests/browser/test_province.py drills A -> province -> B in one page.)
  window.kaihuaBelts = {
    pushQuery: function (query) {
      var now = window.location.search || "";
      if ((query || "") !== now) {
        window.history.pushState(null, "", query ? query : window.location.pathname);
      }
      return window.dash_clientside.no_update;
    },
    // what the map applied (a view state) -> its belt emphasised in the legend
    legendBelt: function (applied) {
      legendBelt(applied && typeof applied.belt === "string" ? applied.belt : null);
      return window.dash_clientside.no_update;
    },
  };

  window.addEventListener("popstate", function () {
    setProps("url-pop", { data: window.location.search + "#" + Date.now() });
  });

  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") {
      setProps("clear-signal", { data: Date.now() });
    }
  });

  // "6,1" -> [6, 1] (width px, opacity), from the map panel's data attributes.
  function emphasis(name) {
    var panel = document.getElementById("map-container");
    var parts = ((panel && panel.getAttribute(name)) || "").split(",").map(Number);
    return parts.length === 2 && parts.every(isFinite) ? parts : null;
  }

  // Draw belt `belt` selected now, without waiting for the round trip (see the note at the top).
  function emphasiseBelt(belt) {
    var on = emphasis("data-belt-selected"), off = emphasis("data-belt-other");
    if (!on || !off || typeof belt !== "string") { return; }
    var groups = document.querySelectorAll("#map g.trace.scattergeo");
    for (var g = 0; g < groups.length; g++) {
      var cd = groups[g].__data__;
      var uid = cd && cd[0] && cd[0].trace && cd[0].trace.uid;
      if (typeof uid !== "string" || uid.indexOf("belt-") !== 0) { continue; }
      var style = uid === "belt-" + belt ? on : off;
      groups[g].style.opacity = String(style[1]);
      var lines = groups[g].querySelectorAll("path.js-line");
      for (var i = 0; i < lines.length; i++) { lines[i].style.strokeWidth = style[0] + "px"; }
    }
    legendBelt(belt);
  }

  // The legend's belt entries for `belt` selected (or none): the classes dashboard/map_legend.py item_class
  // gives them, so a legend drawn again by the server agrees.
  function legendBelt(belt) {
    var items = document.querySelectorAll("#map-legend .kb-lg-item[data-belt]");
    for (var k = 0; k < items.length; k++) {
      var mine = typeof belt === "string" && items[k].getAttribute("data-belt") === belt;
      items[k].classList.toggle("kb-selected", mine);
      items[k].classList.toggle("kb-faded", typeof belt === "string" && !mine);
    }
  }

  function beltOfClick(data) {
    var point = data && data.points && data.points[0];
    var custom = point && typeof point.customdata === "string" ? point.customdata : "";
    return custom.indexOf("belt:") === 0 ? custom.slice(5) : null;
  }

  // The belt of a belt-list entry under the event's target (its Dash ID is JSON: {"belt": .., "type": "belt-item"}).
  function beltOfListItem(target) {
    var el = target && target.closest ? target.closest("[id^='{']") : null;
    if (!el) { return null; }
    try {
      var ident = JSON.parse(el.id);
      return ident && ident.type === "belt-item" && typeof ident.belt === "string" ? ident.belt : null;
    } catch (err) {
      return null;
    }
  }

  function unhover(graphDiv) {
    if (graphDiv && window.Plotly && window.Plotly.Fx) { window.Plotly.Fx.unhover(graphDiv); }
  }

  function attach(graphDiv) {
    if (!graphDiv || graphDiv.__kaihuaAttached || !graphDiv.on) { return; }
    graphDiv.__kaihuaAttached = true;
    graphDiv.on("plotly_click", function (data) {
      lastPointClick = Date.now();
      var belt = beltOfClick(data);
      if (belt) { emphasiseBelt(belt); }
      unhover(graphDiv);
    });
    // the map reframes after a click: a tooltip left from before names what is no longer under the pointer
    graphDiv.on("plotly_afterplot", function () { unhover(graphDiv); });
  }

  // The story marker under (x, y), as its customdata ("story:S01"), or null. Markers are drawn last (on top);
  // the nearest centre wins when two are close.
  function storyAt(x, y) {
    var groups = document.querySelectorAll("#map g.trace.scattergeo");
    var best = null, bestGap = Infinity;
    for (var g = 0; g < groups.length; g++) {
      var cd = groups[g].__data__;
      var trace = cd && cd[0] && cd[0].trace;
      if (!trace || trace.uid !== "stories" || !trace.customdata) { continue; }
      var points = groups[g].querySelectorAll("path.point");
      for (var i = 0; i < points.length; i++) {
        var r = points[i].getBoundingClientRect();
        if (r.width <= 0) { continue; }
        var pad = 3;
        if (x < r.left - pad || x > r.right + pad || y < r.top - pad || y > r.bottom + pad) { continue; }
        var d = points[i].__data__;
        var index = d && typeof d.i === "number" ? d.i : i;
        var gap = Math.hypot(x - (r.left + r.width / 2), y - (r.top + r.height / 2));
        if (gap < bestGap && trace.customdata[index]) { bestGap = gap; best = trace.customdata[index]; }
      }
    }
    return best;
  }

  var sizeTimer = null, lastSize = "";
  function reportSize() {
    var el = document.getElementById("map");
    if (!el) { return; }
    var r = el.getBoundingClientRect();
    var w = Math.round(r.width), h = Math.round(r.height);
    if (w < 100 || h < 100 || (w + "x" + h) === lastSize) { return; }
    if (!(window.dash_clientside && window.dash_clientside.set_props)) { return; }
    lastSize = w + "x" + h;
    setProps("map-size", { data: { width: w, height: h } });
  }
  function watchSize() {
    var el = document.getElementById("map");
    if (!el || el.__kaihuaSized || !window.ResizeObserver) { return !!(el && el.__kaihuaSized); }
    el.__kaihuaSized = true;
    new ResizeObserver(function () {
      clearTimeout(sizeTimer);
      sizeTimer = setTimeout(reportSize, 150);
    }).observe(el);
    reportSize();
    return true;
  }

  document.addEventListener("mousedown", function (e) { down = [e.clientX, e.clientY]; }, true);
  document.addEventListener("click", function (e) {
    var belt = beltOfListItem(e.target);
    if (belt) { emphasiseBelt(belt); }
  }, true);
  // Capture phase: seen before plotly's own click handler, which would report whatever its hover found.
  document.addEventListener("click", function (e) {
    var container = document.getElementById("map");
    if (!container || !container.contains(e.target) || e.target.closest(".legend, .modebar, .colorbar")) { return; }
    var moved = down && (Math.abs(down[0] - e.clientX) + Math.abs(down[1] - e.clientY) > 5);
    if (moved) { return; }
    var story = storyAt(e.clientX, e.clientY);
    if (!story) { return; }
    e.stopPropagation();
    lastPointClick = Date.now();
    setProps("map", { clickData: { points: [{ customdata: story }] } });
    unhover(container.querySelector(".js-plotly-plot"));
  }, true);
  document.addEventListener("click", function (e) {
    var container = document.getElementById("map");
    if (!container || !container.contains(e.target)) { return; }
    var plot = container.querySelector(".js-plotly-plot");
    attach(plot);
    if (e.target.closest(".legend, .modebar, .colorbar")) { return; }
    var moved = down && (Math.abs(down[0] - e.clientX) + Math.abs(down[1] - e.clientY) > 5);
    if (moved) { return; }
    // plotly_click fires before this bubbling click when a feature was hit
    setTimeout(function () {
      if (Date.now() - lastPointClick > 250) {
        setProps("clear-signal", { data: Date.now() });
      }
    }, 60);
  });

  // A click on the belt ranking selects that belt: bring the map, which then frames it, into view.
  function attachRanking() {
    var plot = document.querySelector("#charts-ranking .js-plotly-plot");
    if (!plot || plot.__kaihuaAttached || !plot.on) { return !!(plot && plot.__kaihuaAttached); }
    plot.__kaihuaAttached = true;
    plot.on("plotly_click", function () {
      var map = document.getElementById("map");
      if (map) { map.scrollIntoView({ block: "center", behavior: "smooth" }); }
    });
    return true;
  }
  var rankingTimer = setInterval(function () { if (attachRanking()) { clearInterval(rankingTimer); } }, 300);

  // The charts wait for the map's first drawing: drawn at the same time, their ten plots held the map back by
  // about a second. Told once, when the map has drawn its areas, or after CHARTS_AT_LATEST ms in any case (the
  // charts never wait for a map that cannot draw).
  var CHARTS_AT_LATEST = 4000, chartsTold = false, pageStart = Date.now();
  function tellCharts() {
    if (chartsTold || !(window.dash_clientside && window.dash_clientside.set_props)) { return chartsTold; }
    var drawn = document.querySelector("#map .choroplethlocation");
    if (!drawn && Date.now() - pageStart < CHARTS_AT_LATEST) { return false; }
    chartsTold = true;
    setProps("map-drawn", { data: true });
    return true;
  }
  var chartsTimer = setInterval(function () { if (tellCharts()) { clearInterval(chartsTimer); } }, 50);

  // attach early so the first click on a feature is seen too
  var timer = setInterval(function () {
    var plot = document.querySelector("#map .js-plotly-plot");
    if (plot && plot.on) { attach(plot); }
    if (plot && plot.on && watchSize()) { clearInterval(timer); }
  }, 200);
})();
