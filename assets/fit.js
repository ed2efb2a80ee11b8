/* Plots on the wall and the briefing follow their boxes. plotly's `responsive` only listens to the window;
 * a box also changes size when the page fills in (a notice, the facts, the presenter's notes), and a plot
 * sized before that would overflow its box. Each .kbw-map and .kbw-scores box is observed, and its plot
 * resized to it. */
(function () {
  "use strict";
  if (!window.ResizeObserver) { return; }
  var seen = new WeakSet();
  function fit(box) {
    var gd = box.querySelector(".js-plotly-plot");
    if (gd && gd._fullLayout && window.Plotly && window.Plotly.Plots) { window.Plotly.Plots.resize(gd); }
  }
  function attach() {
    var boxes = document.querySelectorAll(".kbw-map, .kbw-scores");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      if (seen.has(box)) { continue; }
      seen.add(box);
      new ResizeObserver(function (entries) { entries.forEach(function (e) { fit(e.target); }); }).observe(box);
    }
  }
  // and a plot drawn before its box settled (its size is the one it had then) is fitted on the next check
  function check() {
    attach();
    var boxes = document.querySelectorAll(".kbw-map, .kbw-scores");
    for (var i = 0; i < boxes.length; i++) {
      var gd = boxes[i].querySelector(".js-plotly-plot");
      if (gd && (gd.scrollHeight > boxes[i].clientHeight + 1 || gd.scrollWidth > boxes[i].clientWidth + 1)) {
        fit(boxes[i]);
      }
    }
  }
  setInterval(check, 300);
})();
