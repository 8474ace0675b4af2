// media.js: the media library's drag and drop. Image files dropped on the
// grid (or the upload card) are uploaded one by one through the admin API
// with the session's CSRF token; then the page reloads to show them. The
// upload form does the same without scripts.
(function () {
  "use strict";

  function init() {
    var grid = document.getElementById("media-grid");
    var status = document.getElementById("media-upload-status");
    if (!grid || !status) return;
    var zones = [grid, document.getElementById("media-upload")].filter(Boolean);

    function say(text, state) {
      status.textContent = text;
      status.dataset.state = state || "";
      status.hidden = !text;
    }

    function message(res, body) {
      var p = body || {};
      if (res.status === 401) return "your session expired: log in again.";
      if (res.status === 403) return "the page's security token is out of date: reload the page.";
      return (p.errors && p.errors.file) || p.detail || "error " + res.status + ".";
    }

    function upload(file) {
      if (file.type && file.type.indexOf("image/") !== 0) {
        return Promise.resolve("“" + file.name + "” is not an image: upload a JPEG, PNG, GIF or WebP file.");
      }
      say("Uploading “" + file.name + "”…", "uploading");
      var fd = new FormData();
      fd.append("file", file, file.name);
      return fetch(grid.dataset.upload, {
        method: "POST", credentials: "same-origin",
        headers: { "Accept": "application/json", "X-CSRF-Token": window.lullaby.csrf() }, body: fd
      }).then(function (res) {
        return res.text().then(function (t) {
          var body = null;
          try { body = t ? JSON.parse(t) : null; } catch (e) { body = null; }
          if (res.ok) return "";
          return "“" + file.name + "” was not uploaded: " + message(res, body);
        });
      }, function () { return "“" + file.name + "” was not uploaded: the connection dropped, or the file is too large."; });
    }

    function onDrop(e) {
      var files = Array.prototype.slice.call((e.dataTransfer && e.dataTransfer.files) || []);
      zones.forEach(function (z) { z.classList.remove("is-over"); });
      if (!files.length) return;
      e.preventDefault();
      var errors = [];
      var chain = Promise.resolve();
      files.forEach(function (f) {
        chain = chain.then(function () { return upload(f); }).then(function (err) { if (err) errors.push(err); });
      });
      chain.then(function () {
        if (errors.length) {
          say(errors.join(" "), "error");
          return;
        }
        say("Uploaded. Reloading…", "done");
        window.location.reload();
      });
    }

    zones.forEach(function (z) {
      z.addEventListener("dragover", function (e) {
        if (!e.dataTransfer || Array.prototype.indexOf.call(e.dataTransfer.types || [], "Files") < 0) return;
        e.preventDefault();
        z.classList.add("is-over");
      });
      z.addEventListener("dragleave", function () { z.classList.remove("is-over"); });
      z.addEventListener("drop", onDrop);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
