// editor-preview-site.js: "Preview on site". It saves the post first (as
// autosave does: a draft, or a published post's pending edit), mints a
// preview token through the admin API (POST
// /admin/api/v1/posts/:id/preview-token, with the session cookie and the
// CSRF token) and opens her website's preview page, the Preview URL of
// the settings with the token filled in, in a new tab: her website reads
// the post with the token from the public API. The tab is opened at the
// click, so that pop-up blockers let it through, and has no way back to
// this page (opener cut). A post that does not autosave (scheduled,
// archived) is previewed as last saved, and she is told when the page
// holds newer changes. Without a Preview URL in the settings the button
// says where to set one. The button is hidden until this script is
// ready, so that a click is never lost.
(function () {
  "use strict";

  var btn = document.getElementById("preview-site");
  if (!btn) return;
  var note = document.getElementById("preview-site-note");
  var unset = document.getElementById("preview-site-unset");

  function say(text, link) {
    unset.hidden = true;
    note.textContent = text || "";
    if (link) {
      var a = document.createElement("a");
      a.href = link;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      a.textContent = "Open the preview";
      note.appendChild(document.createTextNode(" "));
      note.appendChild(a);
    }
    note.hidden = !text;
  }

  // saveFirst saves what the page holds when the post autosaves, and
  // resolves to "saved", "unsaved" (a post that does not autosave, with
  // changes) or "failed".
  function saveFirst(ed, tries) {
    if (!ed.canAutosave()) return Promise.resolve(ed.dirty() ? "unsaved" : "saved");
    return ed.save().then(function (ok) {
      if (!ok) return "failed";
      if (ed.dirty() && tries > 0) return saveFirst(ed, tries - 1);
      return "saved";
    });
  }

  function mint(ed) {
    return fetch("/admin/api/v1/posts/" + encodeURIComponent(ed.state.id) + "/preview-token", {
      method: "POST", credentials: "same-origin", redirect: "manual",
      headers: { "Accept": "application/json", "X-CSRF-Token": ed.state.csrf }
    }).then(function (res) {
      return res.json().then(function (body) { return { status: res.status, body: body }; }, function () { return { status: res.status, body: null }; });
    });
  }

  btn.addEventListener("click", function () {
    if (btn.dataset.configured !== "1") {
      note.hidden = true;
      unset.hidden = false;
      return;
    }
    var ed = window.lullabyEditor;
    if (!ed) return;
    var tab = window.open("", "_blank");
    if (tab) {
      tab.opener = null;
      try { tab.document.title = "Opening the preview…"; } catch (e) { /* not ours to title */ }
    }
    function fail(text) {
      if (tab) tab.close();
      say(text);
    }
    btn.disabled = true;
    say("Saving and opening the preview…");
    saveFirst(ed, 2).then(function (saved) {
      if (!ed.state.id) return fail("Add a title first: a post is saved before it can be previewed.");
      if (saved === "failed") return fail("The post could not be saved, so the preview would not show your changes: see the messages above, then try again.");
      return mint(ed).then(function (r) {
        var t = r.body && r.body.data;
        if (r.status !== 200 || !t) {
          return fail((r.body && (r.body.detail || r.body.title)) || "The preview could not be opened; try again.");
        }
        if (!t.url) {
          if (tab) tab.close();
          note.hidden = true;
          unset.hidden = false;
          return;
        }
        var until = new Date(t.expiresAt);
        var msg = (saved === "unsaved" ? "The preview shows the post as last saved: your newer changes are not in it until you save them. " : "") +
          "The preview link works until " + until.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) + ".";
        if (tab) {
          tab.location.href = t.url;
          say(msg);
        } else {
          say(msg, t.url); // a blocked pop-up: a link she can follow
        }
      });
    }).catch(function () {
      fail("The preview could not be opened; check the connection and try again.");
    }).then(function () { btn.disabled = false; });
  });
  // Shown once it works (the page shows no button without scripts).
  btn.hidden = false;
})();
