/* Map explorer glue that has to run in the browser:
 * - keep the address bar in step with the view state (pushState), and report back/forward;
 * - Esc, or a click on empty map (no feature under the pointer), clears the selection.
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

  function countyOf(query) {
    return new URLSearchParams(query || "").get("county") || "";
  }
  // Province-scale data: moving between counties (or back to the province) loads the page afresh,
  // because plotly leaves the previous county's shapes behind when a choropleth's geometry changes.
  var pageCounty = countyOf(window.location.search);

  // Whether query q leaves the county the page drew (a page drawn without one, the province overview or
  // single-county data, never does).
  function leavesCounty(q) {
    return countyOf(q) !== pageCounty && pageCounty !== "";
  }

  window.kaihuaBelts = {
    pushQuery: function (query) {
      var now = window.location.search || "";
      var target = query ? query : window.location.pathname;
      if ((query || "") === now) { return window.dash_clientside.no_update; }
      if (leavesCounty(query)) {
        window.location.assign(target);
      } else {
        window.history.pushState(null, "", target);
        pageCounty = countyOf(query);
      }
      return window.dash_clientside.no_update;
    },
  };

  window.addEventListener("popstate", function () {
    if (leavesCounty(window.location.search)) {
      window.location.reload();
      return;
    }
    pageCounty = countyOf(window.location.search);
    setProps("url-pop", { data: window.location.search + "#" + Date.now() });
  });

  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") {
      setProps("clear-signal", { data: Date.now() });
    }
  });

  function attach(graphDiv) {
    if (!graphDiv || graphDiv.__kaihuaAttached || !graphDiv.on) { return; }
    graphDiv.__kaihuaAttached = true;
    graphDiv.on("plotly_click", function () { lastPointClick = Date.now(); });
  }

  document.addEventListener("mousedown", function (e) { down = [e.clientX, e.clientY]; }, true);
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

  // attach early so the first click on a feature is seen too
  var timer = setInterval(function () {
    var plot = document.querySelector("#map .js-plotly-plot");
    if (plot && plot.on) { attach(plot); clearInterval(timer); }
  }, 200);
})();
