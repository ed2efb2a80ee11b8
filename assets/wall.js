/* The wall's tour, run in the browser so that it survives what the server does (restarts, a dropped network):
 * - one timer: every `dwell` seconds the next step is asked for (dcc.Store "wall-step"); the server answers
 *   with the step's view state and panel ("wall-shown"); an answer that does not come is asked for again;
 * - before each step /healthz is read: when the data version or the app's build differs from the page's, the
 *   page reloads on that next step (a new dataset appears without the tour starting over); when the server
 *   cannot be reached the wall keeps showing its step, says so, and tries again;
 * - a touch, click, key or wheel pauses the tour; after `idle` seconds without input it goes on;
 * - the step lives in the URL (?step=K), so a reload resumes and a photo can be reproduced.
 * Nothing here talks to anything but this server. Runs only on the page that has #wall. */
(function () {
  "use strict";
  var TICK_MS = 250;
  var RETRY_MS = 4000; // an unanswered step is asked for again after this long
  var OFFLINE_RETRY_MS = 2000;
  var HEALTH_TIMEOUT_MS = 3000;
  var LOG_MAX = 200;

  var ROOM_POLL_MS = 400; // a presenter's move reaches the wall within this plus one round trip
  var W = {
    cfg: null, step: 1, seq: 0, paused: false, lastInput: 0, stepStart: 0, pending: null, offline: false,
    checking: false, nextCheck: 0, log: [], lastRequest: null, timer: null,
    following: false, followStep: null, followMoved: null, polling: false,
  };
  window.kaihuaWall = W;

  function el(id) { return document.getElementById(id); }
  function noUpdate() { return window.dash_clientside.no_update; }
  function say(zh, en) { return W.cfg && W.cfg.lang === "en" ? en : zh; }
  function setText(id, text) { var e = el(id); if (e && e.textContent !== text) { e.textContent = text; } }

  function writeUrl(step) {
    var params = new URLSearchParams(window.location.search);
    params.set("step", String(step));
    window.history.replaceState(null, "", window.location.pathname + "?" + params.toString());
  }

  // The step request the server answers (and the bookkeeping to know it did).
  function request(step) {
    W.step = step;
    W.stepStart = Date.now();
    W.seq += 1;
    W.pending = { step: step, nonce: W.seq, at: Date.now() };
    W.lastRequest = { step: step, t: performance.now() };
    var panel = el("wall-panel");
    if (panel) { panel.classList.add("kbw-leaving"); }
    writeUrl(step);
    render();
    return { step: step, height: window.innerHeight, nonce: W.seq, map: mapSize() };
  }

  function send(step) {
    if (window.dash_clientside && window.dash_clientside.set_props) {
      window.dash_clientside.set_props("wall-step", { data: request(step) });
    }
  }

  function nextStep() { return (W.step % W.cfg.count) + 1; }

  // The map panel's size: the server frames the selection for it (dashboard.figures.map_frame).
  function mapSize() {
    var box = el("wall-map");
    var r = box ? box.getBoundingClientRect() : null;
    return r && r.width > 0 ? { width: Math.round(r.width), height: Math.round(r.height) } : null;
  }

  // A wall in a room (?room=R) shows the step its presenter shows while the presenter is active (moved within
  // the wall's idle time, by the server's clock); then it goes back to its tour. Short polling of a tiny file.
  function sendBrief(step) {
    W.seq += 1;
    W.pending = { step: W.step, brief: step, nonce: W.seq, at: Date.now() };
    W.lastRequest = { brief: step, t: performance.now() };
    var panel = el("wall-panel");
    if (panel) { panel.classList.add("kbw-leaving"); }
    if (window.dash_clientside && window.dash_clientside.set_props) {
      window.dash_clientside.set_props("wall-step", { data: { step: W.step, brief: step, height: window.innerHeight,
                                                              nonce: W.seq, map: mapSize() } });
    }
  }

  function pollRoom() {
    if (!W.cfg || !W.cfg.room || W.polling) { return; }
    W.polling = true;
    fetch(pathBase() + "rooms/" + encodeURIComponent(W.cfg.room) + ".json", { cache: "no-store" })
      .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
      .then(function (room) {
        var active = room.active && (room.now - room.updated) < W.cfg.idle;
        if (active) {
          if (!W.following || room.step !== W.followStep || room.updated !== W.followMoved) {
            W.following = true;
            W.followStep = room.step;
            W.followMoved = room.updated;
            sendBrief(room.step);
          }
        } else if (W.following) {
          W.following = false;
          W.followStep = null;
          W.pending = null;
          go(nextStep()); // the presenter has gone: back to the tour
        }
      })
      .catch(function () { /* offline: the tour's own checks say so */ })
      .then(function () { W.polling = false; });
  }

  // Read /healthz, then go to `step` (or reload onto it when the page is stale); offline: try again soon.
  function go(step) {
    if (W.checking) { return; }
    W.checking = true;
    var root = el("wall");
    var ctrl = window.AbortController ? new AbortController() : null;
    var timer = setTimeout(function () { if (ctrl) { ctrl.abort(); } }, HEALTH_TIMEOUT_MS);
    fetch(pathBase() + "healthz", { cache: "no-store", signal: ctrl ? ctrl.signal : undefined })
      .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
      .then(function (health) {
        W.offline = false;
        var stale = root && ((health.build && health.build !== root.dataset.build) ||
                             health.data_version !== root.dataset.version);
        if (stale) {
          writeUrl(step);
          window.location.reload();
          return;
        }
        send(step);
      })
      .catch(function () {
        W.offline = true;
        W.nextCheck = Date.now() + OFFLINE_RETRY_MS;
        render();
      })
      .then(function () { clearTimeout(timer); W.checking = false; });
  }

  function pathBase() {
    // /healthz sits at the app's root: the path prefix Dash was configured with (requests_pathname_prefix)
    var cfg = document.getElementById("_dash-config");
    try { return JSON.parse(cfg.textContent).requests_pathname_prefix || "/"; } catch (e) { return "/"; }
  }

  function tick() {
    if (!W.cfg) { return; }
    var now = Date.now();
    if (W.following) {
      if (W.pending && now - W.pending.at > RETRY_MS) { sendBrief(W.followStep); }
      render();
      return;
    }
    if (W.offline) {
      if (now >= W.nextCheck) { go(W.pending ? W.pending.step : nextStep()); }
    } else if (W.pending && now - W.pending.at > RETRY_MS) {
      go(W.pending.step); // the answer was lost (server restarting, network down): ask again
    } else if (W.paused) {
      if (now - W.lastInput >= W.cfg.idle * 1000) { W.paused = false; go(nextStep()); }
    } else if (!W.pending && now - W.stepStart >= W.cfg.dwell * 1000) {
      go(nextStep());
    }
    render();
  }

  function two(n) { return (n < 10 ? "0" : "") + n; }

  function render() {
    if (!W.cfg) { return; }
    var now = Date.now();
    setText("wall-progress", say("第 " + W.step + " / " + W.cfg.count + " 步", "Step " + W.step + " of " + W.cfg.count));
    var left = W.paused ? Math.max(0, W.cfg.idle * 1000 - (now - W.lastInput))
                        : Math.max(0, W.cfg.dwell * 1000 - (now - W.stepStart));
    var whole = (W.paused ? W.cfg.idle : W.cfg.dwell) * 1000;
    var bar = el("wall-countdown");
    if (bar) {
      bar.style.width = (100 * left / whole).toFixed(1) + "%";
      bar.classList.toggle("kbw-paused", W.paused);
    }
    var secs = Math.ceil(left / 1000);
    var status = W.following ? say("跟随讲解 · 房间 " + W.cfg.room, "Following the briefing · room " + W.cfg.room)
      : W.offline ? say("连接中断,正在重试", "Reconnecting…")
      : W.paused ? say("已暂停 · " + secs + " 秒后继续", "Paused · resumes in " + secs + " s")
      : say(secs + " 秒后下一步", "Next in " + secs + " s");
    setText("wall-status", status);
    var root = el("wall");
    if (root) {
      root.dataset.step = String(W.step);
      root.dataset.paused = W.paused ? "1" : "0";
      root.dataset.offline = W.offline ? "1" : "0";
    }
    var d = new Date();
    setText("wall-clock", d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate()) + " " +
            two(d.getHours()) + ":" + two(d.getMinutes()));
  }

  // Called by the clientside callback on the tour's config: starts the timer and asks for the first step.
  W.configure = function (cfg) {
    if (!cfg || !cfg.count) { return noUpdate(); }
    var first = !W.cfg;
    W.cfg = cfg;
    if (first) {
      W.timer = setInterval(tick, TICK_MS);
      if (cfg.room) { setInterval(pollRoom, ROOM_POLL_MS); }
      try { window.sessionStorage.removeItem("kbWallRetried"); } catch (e) { /* storage off: no retry flag */ }
      attachMap();
    }
    return request(Math.min(Math.max(first ? cfg.start : W.step, 1), cfg.count));
  };

  // Called by the clientside callback on the server's answer.
  W.shown = function (shown) {
    if (shown && W.pending && shown.nonce === W.pending.nonce) {
      W.pending = null;
      W.stepStart = Date.now();
      W.log.push({ step: shown.step, belt: shown.belt, brief: shown.brief || null, at: Date.now() });
      if (W.log.length > LOG_MAX) { W.log.splice(0, W.log.length - LOG_MAX); }
      var panel = el("wall-panel");
      if (panel) { panel.classList.remove("kbw-leaving"); }
      render();
    }
    return noUpdate();
  };

  function pause() {
    if (!W.cfg) { return; }
    W.paused = true;
    W.lastInput = Date.now();
    render();
  }
  ["pointerdown", "keydown", "touchstart", "wheel"].forEach(function (kind) {
    document.addEventListener(kind, function () { if (el("wall")) { pause(); } }, { capture: true, passive: true });
  });

  // Exploring: a click on a belt or one of its villages shows that belt (the tour stays paused).
  function attachMap() {
    var tries = setInterval(function () {
      var gd = document.querySelector("#wall-map .js-plotly-plot");
      if (!gd || !gd.on) { return; }
      clearInterval(tries);
      gd.on("plotly_click", function (ev) {
        var point = ev && ev.points && ev.points[0];
        var custom = point && String(point.customdata || "");
        var kind = custom.split(":")[0], id = custom.slice(kind.length + 1);
        // a village, or a village's stream drawn over it (its customdata names the village)
        var belt = kind === "belt" ? id
          : (kind === "village" || kind === "segment") ? (W.cfg.village_belts || {})[id] : null;
        var k = belt ? W.cfg.belts.indexOf(belt) : -1;
        if (k >= 0) { pause(); go(k + 1); }
      });
    }, 200);
  }

  // The server tells the page from the layout request's Referer. Where something strips it, /wall gets the
  // explorer: say which page in a cookie the layout request carries (dashboard/pages), and load again once.
  function checkPage() {
    if (!/\/wall\/?$/.test(window.location.pathname) || el("wall")) { return; }
    if (!el("main-page")) { setTimeout(checkPage, 500); return; }
    if (window.sessionStorage.getItem("kbWallRetried")) { return; }
    window.sessionStorage.setItem("kbWallRetried", "1");
    document.cookie = "kb_page=wall; path=/; max-age=60; SameSite=Strict";
    window.location.reload();
  }
  checkPage();

  var resizeTimer = null;
  window.addEventListener("resize", function () {
    if (!W.cfg) { return; }
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () { send(W.step); }, 300); // charts and map text follow the new size
  });
})();
