// import.js: the Import and export screen. While a WordPress import job
// is checking or importing, it polls the job's status every second and
// shows the posts saved so far; when the job moves on (dry run finished,
// import finished or failed), it reloads the page, which shows the report.
// The upload form says "Uploading…" while a large file goes up. Without
// scripts, reloading the page shows the same.
(function () {
  "use strict";

  function poll(job) {
    var url = job.dataset.status, id = job.dataset.job, phase = job.dataset.phase;
    var saved = document.getElementById("import-saved");
    var bar = document.getElementById("import-progress");
    var last = document.getElementById("import-last");

    function tick() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (res) { return res.ok ? res.json() : null; })
        .then(function (body) {
          var j = body && body.data;
          if (!j || j.id !== id || j.phase !== phase) {
            window.location.reload();
            return;
          }
          if (saved) saved.textContent = j.saved;
          if (bar && j.expected) { bar.max = j.expected; bar.value = j.saved; }
          if (last && j.last) last.textContent = j.last;
          window.setTimeout(tick, 1000);
        })
        .catch(function () { window.setTimeout(tick, 3000); });
    }
    window.setTimeout(tick, 500);
  }

  function init() {
    var job = document.getElementById("import-job");
    if (job && (job.dataset.phase === "checking" || job.dataset.phase === "importing")) poll(job);

    var form = document.getElementById("import-upload");
    var status = document.getElementById("import-upload-status");
    if (form && status) {
      form.addEventListener("submit", function () {
        status.hidden = false;
        var button = form.querySelector("button[type=submit]");
        if (button) window.setTimeout(function () { button.disabled = true; }, 0);
      });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
