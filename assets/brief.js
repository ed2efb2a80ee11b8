/* The visitors' briefing (/brief): the keys a presenter's clicker sends move through the steps.
 * - → PageDown Space next, ← PageUp back, Home first, End last, a number then Enter jumps;
 * - the step lives in the URL (?step=K), so a link opens that step and a reload stays on it;
 * - the server answers each step ("brief-shown"); an answer that does not come is asked for again;
 * - the presenter's view (?presenter=1): this step's notes, the next step and a timer, from the outline in the
 *   page's config (no round trip);
 * - a presenter in a room (?room=R) closes it when leaving the page, so the room's walls go back to their tour.
 * Runs only on the page that has #brief; talks to nothing but this server. */
(function () {
  "use strict";
  var RETRY_MS = 4000;
  var DIGITS_MS = 2500;
  var NOTES_BUDGET = 90; // characters: what fits the presenter's box in three lines at 16:9, never a scroll box

  var B = { cfg: null, step: 1, seq: 0, pending: null, digits: "", digitsAt: 0, started: 0, stepStart: 0,
            timer: null, log: [] };
  window.kaihuaBrief = B;

  function el(id) { return document.getElementById(id); }
  function setText(id, text) { var e = el(id); if (e && e.textContent !== text) { e.textContent = text; } }
  function label(key) { return (B.cfg && B.cfg.labels && B.cfg.labels[key]) || key; }
  function pathBase() {
    var cfg = document.getElementById("_dash-config");
    try { return JSON.parse(cfg.textContent).requests_pathname_prefix || "/"; } catch (e) { return "/"; }
  }

  function writeUrl(step) {
    var params = new URLSearchParams(window.location.search);
    params.set("step", String(step));
    window.history.replaceState(null, "", window.location.pathname + "?" + params.toString());
  }

  function request(step) {
    B.step = step;
    B.stepStart = Date.now();
    B.seq += 1;
    B.pending = { step: step, nonce: B.seq, at: Date.now() };
    var panel = el("brief-panel");
    if (panel) { panel.classList.add("kbw-leaving"); }
    writeUrl(step);
    render();
    var box = el("brief-map");
    var r = box ? box.getBoundingClientRect() : null;
    var map = r && r.width > 0 ? { width: Math.round(r.width), height: Math.round(r.height) } : null;
    return { step: step, height: window.innerHeight, nonce: B.seq, map: map };
  }

  function go(step) {
    if (!B.cfg) { return; }
    step = Math.min(Math.max(step, 1), B.cfg.count);
    if (window.dash_clientside && window.dash_clientside.set_props) {
      window.dash_clientside.set_props("brief-step", { data: request(step) });
    }
  }

  B.configure = function (cfg) {
    if (!cfg) { return window.dash_clientside.no_update; }
    var first = !B.cfg;
    B.cfg = cfg;
    if (first) { B.started = Date.now(); }
    var root = el("brief");
    if (root) {
      root.setAttribute("lang", cfg.lang === "en" ? "en" : "zh-CN");
      root.dataset.presenter = cfg.presenter ? "1" : "0";
    }
    var presenter = el("brief-presenter");
    if (presenter) { presenter.hidden = !cfg.presenter; }
    setText("brief-room", cfg.room_text || "");
    if (!B.timer) { B.timer = setInterval(tick, 250); }
    return request(first ? cfg.start : B.step);
  };

  B.shown = function (shown) {
    if (shown && B.pending && shown.nonce === B.pending.nonce) {
      B.pending = null;
      var panel = el("brief-panel");
      if (panel) { panel.classList.remove("kbw-leaving"); }
      B.log.push({ step: shown.step, t: performance.now() });
      if (B.log.length > 200) { B.log.shift(); }
    }
    render();
    return window.dash_clientside.no_update;
  };

  function cut(text, budget) { return text.length <= budget ? text : text.slice(0, budget - 1) + "…"; }

  function clock(ms) {
    var s = Math.floor(ms / 1000);
    var m = Math.floor(s / 60);
    return m + ":" + (s % 60 < 10 ? "0" : "") + (s % 60);
  }

  function renderPresenter() {
    var box = el("brief-presenter");
    if (!box || !B.cfg || !B.cfg.presenter) { return; }
    var here = B.cfg.outline[B.step - 1] || {};
    var next = B.cfg.outline[B.step] || null;
    var key = B.step + "|" + (next ? next.id : "");
    if (box.dataset.step !== key) {
      box.dataset.step = key;
      box.textContent = "";
      var notes = document.createElement("p");
      notes.className = "kbb-notes";
      notes.textContent = label("notes") + ": " + cut(here.notes || "—", NOTES_BUDGET);
      var nxt = document.createElement("p");
      nxt.className = "kbb-next";
      nxt.textContent = label("next") + ": " + (next ? next.title : label("end"));
      var timer = document.createElement("p");
      timer.className = "kbb-timer";
      timer.id = "brief-timer";
      var keys = document.createElement("p");
      keys.className = "kbb-keys";
      keys.textContent = label("keys");
      box.appendChild(notes); box.appendChild(nxt); box.appendChild(timer); box.appendChild(keys);
    }
    var now = Date.now();
    setText("brief-timer", label("timer") + " " + clock(now - B.started) + " · " + clock(now - B.stepStart));
  }

  function render() {
    if (!B.cfg) { return; }
    var text = label("step").replace("{k}", B.step).replace("{n}", B.cfg.count) + (B.digits ? " → " + B.digits : "");
    setText("brief-progress", text);
    var d = new Date();
    setText("brief-clock", (d.getHours() < 10 ? "0" : "") + d.getHours() + ":" + (d.getMinutes() < 10 ? "0" : "") +
            d.getMinutes());
    renderPresenter();
  }

  function tick() {
    if (!B.cfg) { return; }
    if (B.pending && Date.now() - B.pending.at > RETRY_MS) { go(B.pending.step); }
    if (B.digits && Date.now() - B.digitsAt > DIGITS_MS) { B.digits = ""; }
    render();
  }

  document.addEventListener("keydown", function (ev) {
    if (!B.cfg || !el("brief") || ev.altKey || ev.ctrlKey || ev.metaKey) { return; }
    var target = ev.target;
    if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA")) { return; }
    var k = ev.key;
    if (/^[0-9]$/.test(k)) {
      B.digits = (B.digits + k).slice(-3);
      B.digitsAt = Date.now();
      render();
      ev.preventDefault();
      return;
    }
    var to = null;
    if (k === "Enter" && B.digits) { to = parseInt(B.digits, 10); B.digits = ""; }
    else if (k === "ArrowRight" || k === "PageDown" || k === " " || k === "Enter") { to = B.step + 1; }
    else if (k === "ArrowLeft" || k === "PageUp" || k === "Backspace") { to = B.step - 1; }
    else if (k === "Home") { to = 1; }
    else if (k === "End") { to = B.cfg.count; }
    else if (k === "Escape") { B.digits = ""; render(); return; }
    if (to === null) { return; }
    ev.preventDefault();
    if (to >= 1 && to <= B.cfg.count && to !== B.step) { go(to); }
  });

  window.addEventListener("pagehide", function () {
    if (B.cfg && B.cfg.room && navigator.sendBeacon) {
      navigator.sendBeacon(pathBase() + "rooms/" + encodeURIComponent(B.cfg.room) + "/close");
    }
  });
})();
