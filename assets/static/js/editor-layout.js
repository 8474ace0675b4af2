// editor-layout.js: the editor's layout on small screens and large.
//
//   - The action bar (status, Save, Publish/Update, Preview) is pinned to
//     the bottom of narrow screens by editor-layout.css; this keeps its
//     status line in step with the badge and the save status above the
//     form, which scroll out of sight.
//   - "Preview" posts the form as it is to <form action>/preview, so the
//     preview shows her unsaved text; the form's action changes when the
//     first autosave creates the post.
//   - Every section with data-collapse="name" gets a disclosure button in
//     its heading; whether it is open is remembered on this device, per
//     section. Sections with data-collapsed start closed until she opens
//     them.
(function () {
  "use strict";

  var form = document.getElementById("editor-form");
  if (!form) return;
  function $(id) { return document.getElementById(id); }

  // ---- the action bar's status line ----

  function mirror(from, to) {
    if (!from || !to) return;
    var copy = function () { to.textContent = from.textContent.trim(); };
    copy();
    new MutationObserver(copy).observe(from, { childList: true, characterData: true, subtree: true });
  }
  mirror($("status-badge"), $("action-status"));
  mirror($("save-status"), $("action-saved"));

  // ---- the preview of the unsaved form ----

  var previewBtn = $("preview-button");
  if (previewBtn) {
    previewBtn.addEventListener("click", function () {
      previewBtn.setAttribute("formaction", form.getAttribute("action").replace(/\/$/, "") + "/preview");
    });
  }

  // ---- collapsible sections ----

  var KEY = "lullaby:editor:open:";
  function remembered(name, fallback) {
    try {
      var v = window.localStorage.getItem(KEY + name);
      return v === null ? fallback : v === "1";
    } catch (e) { return fallback; }
  }
  function remember(name, open) {
    try { window.localStorage.setItem(KEY + name, open ? "1" : "0"); } catch (e) { /* private mode */ }
  }

  function collapsible(section) {
    var name = section.dataset.collapse;
    var heading = section.querySelector("h2");
    if (!heading || heading.querySelector("button")) return;
    var body = document.createElement("div");
    body.className = "section-body";
    body.id = "section-" + name;
    while (heading.nextSibling) body.appendChild(heading.nextSibling);
    section.appendChild(body);

    var btn = document.createElement("button");
    btn.type = "button";
    btn.className = "section-toggle";
    btn.setAttribute("aria-controls", body.id);
    while (heading.firstChild) btn.appendChild(heading.firstChild);
    heading.appendChild(btn);

    function set(open) {
      btn.setAttribute("aria-expanded", open ? "true" : "false");
      body.hidden = !open;
      section.classList.toggle("is-collapsed", !open);
    }
    set(remembered(name, !section.hasAttribute("data-collapsed")));
    btn.addEventListener("click", function () {
      var open = btn.getAttribute("aria-expanded") !== "true";
      set(open);
      remember(name, open);
    });
    // A field with an error inside a closed section opens it.
    section.addEventListener("invalid", function () { set(true); }, true);
    if (section.querySelector(".field-error:not([hidden])")) set(true);
    new MutationObserver(function (list) {
      list.forEach(function (m) {
        if (m.target.classList.contains("field-error") && !m.target.hidden) set(true);
      });
    }).observe(body, { attributes: true, attributeFilter: ["hidden"], subtree: true });
  }
  form.querySelectorAll("section[data-collapse]").forEach(collapsible);

  // Expose for the other editor scripts: open a section before focusing
  // something inside it.
  window.lullabyLayout = {
    open: function (name) {
      var s = form.querySelector('section[data-collapse="' + name + '"]');
      var b = s && s.querySelector(".section-toggle");
      if (b && b.getAttribute("aria-expanded") !== "true") b.click();
    }
  };
})();
