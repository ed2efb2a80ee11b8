/* Export links of class kb-export-job (map PNG/PDF, county and belt dossiers) run as export jobs:
 * POST /export/jobs/<the link's export path and query>, then poll the job's status and show its progress in
 * a box of its own (#export-job, outside Dash's tree), and fetch the file when it is ready. The texts come
 * from the server in the page's language (dashboard/i18n.py); this file holds none. A link still works as a
 * plain download without this script. */
(function () {
  "use strict";
  var POLL_MS = 400;
  var current = null; // the job this page follows (a newer click replaces it)

  function box() {
    var el = document.getElementById("export-job");
    if (el) return el;
    el = document.createElement("div");
    el.id = "export-job";
    el.className = "kb-export-job-box";
    el.setAttribute("role", "status");
    el.setAttribute("aria-live", "polite");
    el.innerHTML = '<span class="kb-export-job-text"></span>' +
      '<progress class="kb-export-job-progress" max="100" value="0"></progress>' +
      '<a class="kb-export-job-file" hidden></a>' +
      '<button type="button" class="kb-export-job-close" aria-label="close">×</button>';
    el.querySelector(".kb-export-job-close").addEventListener("click", function () {
      current = null;
      el.hidden = true;
    });
    document.body.appendChild(el);
    return el;
  }

  function show(state) {
    var el = box();
    el.hidden = false;
    el.dataset.status = state.status || "failed";
    el.querySelector(".kb-export-job-text").textContent = state.message || state.error || "";
    var bar = el.querySelector(".kb-export-job-progress");
    bar.value = state.progress || 0;
    bar.hidden = state.status === "failed";
    var link = el.querySelector(".kb-export-job-file");
    if (state.status === "done") {
      link.href = state.file_url;
      link.setAttribute("download", state.name || "");
      link.textContent = state.save || "";
      link.hidden = false;
    } else {
      link.hidden = true;
      link.removeAttribute("href");
    }
    return link;
  }

  function follow(jobId, statusUrl) {
    if (current !== jobId) return;
    fetch(statusUrl, {credentials: "same-origin", cache: "no-store"})
      .then(function (resp) { return resp.json(); })
      .then(function (state) {
        if (current !== jobId) return;
        var link = show(state);
        if (state.status === "done") {
          current = null;
          link.click(); // the file arrives as a download; the link stays for a second copy
        } else if (state.status !== "failed") {
          window.setTimeout(function () { follow(jobId, statusUrl); }, POLL_MS);
        } else {
          current = null;
        }
      })
      .catch(function () {
        if (current === jobId) window.setTimeout(function () { follow(jobId, statusUrl); }, POLL_MS * 5);
      });
  }

  function start(href) {
    var url = new URL(href, window.location.href);
    var at = url.pathname.indexOf("/export/");
    if (at < 0) return false;
    var jobPath = url.pathname.slice(0, at) + "/export/jobs/" + url.pathname.slice(at + "/export/".length);
    current = "starting";
    show({status: "queued", progress: 0, message: "…"});
    fetch(jobPath + url.search, {method: "POST", credentials: "same-origin", headers: {"X-Kaihua-Export": "1"}})
      .then(function (resp) { return resp.json(); })
      .then(function (state) {
        if (!state.id) { current = null; show({status: "failed", message: state.message, error: state.error}); return; }
        current = state.id;
        show(state);
        follow(state.id, state.status_url);
      })
      .catch(function () { current = null; show({status: "failed", message: "export failed / 导出失败"}); });
    return true;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.kb-export-job");
    if (!link || !link.getAttribute("href") || event.button !== 0 || event.ctrlKey || event.metaKey) return;
    if (start(link.href)) event.preventDefault();
  }, true);
})();
