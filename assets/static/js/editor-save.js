// editor-save.js: what the editor shows about saving (views/editor_save.html).
//   - Unresolved citations: keys the body cites that are not in the
//     reference library. A draft saves with them; the warning under the
//     body and the "Unresolved citations" note list them, from the live
//     preview (X-Unresolved-Citations) and from every save's answer.
//   - A published post's pending edit: editor.js autosaves its changes
//     there; this shows that they are saved but not published, and the
//     "Discard changes" button. While a stored pending edit is offered
//     ("Continue editing" / "Discard them") autosave waits for her choice.
//   - Ctrl/Cmd-S saves without publishing: a draft, or a published post's
//     pending edit (editor.js's saveNow).
//   - Leaving the page (a link, closing the tab, reloading) while it holds
//     changes the server does not have asks first (beforeunload); the
//     device copy is written all the same.
// editor.js calls it through window.lullabySave.
(function () {
  "use strict";

  function $(id) { return document.getElementById(id); }

  var last = null; // the unresolved keys shown, joined
  var hooks = { saveNow: function () {}, dirty: function () { return false; }, leaving: function () {} };

  // unresolved shows keys (an array of citation keys, maybe empty).
  function unresolved(keys) {
    keys = (keys || []).filter(Boolean);
    var joined = keys.join(" ");
    if (joined === last) return;
    last = joined;
    var warn = $("body-warning"), note = $("unresolved-note");
    if (warn) {
      var k = $("body-warning-keys");
      if (k) k.textContent = keys.map(function (x) { return "@" + x; }).join(", ");
      warn.hidden = keys.length === 0;
    }
    if (note) {
      var list = $("unresolved-list");
      if (list) {
        list.textContent = "";
        keys.forEach(function (x) {
          var li = document.createElement("li");
          var code = document.createElement("code");
          code.textContent = "@" + x;
          li.appendChild(code);
          list.appendChild(li);
        });
      }
      note.hidden = keys.length === 0;
    }
  }

  // fromHeader reads the preview's X-Unresolved-Citations header.
  function fromHeader(value) {
    if (value === null || value === undefined) return;
    unresolved(value.split(/\s+/));
  }

  // offerOpen reports whether a stored pending edit is offered and she
  // has not chosen yet.
  function offerOpen() {
    var b = $("pending-banner");
    return !!b && !b.hidden;
  }

  // pendingSaved shows the pending edit just saved (null: there is none).
  function pendingSaved(pend) {
    var meta = $("pending-meta"), discard = $("pending-discard"), when = $("pending-saved");
    if (when && pend) when.textContent = new Date(pend.savedAt).toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
    if (meta) meta.hidden = !pend;
    if (discard) discard.hidden = !pend;
  }

  function onKey(e) {
    if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return;
    if (e.key !== "s" && e.key !== "S") return;
    e.preventDefault(); // not the browser's "Save page as"
    hooks.saveNow();
  }

  function onBeforeUnload(e) {
    if (!hooks.dirty()) return;
    e.preventDefault();
    e.returnValue = ""; // older browsers need a value to ask
    return "";
  }

  function init(h) {
    if (h) {
      Object.keys(h).forEach(function (k) { hooks[k] = h[k]; });
    }
    var list = $("unresolved-list");
    if (list) {
      last = Array.prototype.map.call(list.querySelectorAll("code"), function (c) { return c.textContent.replace(/^@/, ""); }).join(" ");
    }
    window.addEventListener("keydown", onKey, true);
    window.addEventListener("beforeunload", onBeforeUnload);
    var banner = $("pending-banner");
    if (banner) banner.focus();
    var offerDiscard = $("pending-discard-offer");
    if (offerDiscard) offerDiscard.addEventListener("click", function () { hooks.leaving(); });
    var restore = $("pending-restore");
    if (restore) restore.addEventListener("click", function () { hooks.leaving(); });
    var cont = $("pending-continue");
    if (cont) cont.addEventListener("click", function () { hooks.leaving(); });
  }

  window.lullabySave = {
    init: init,
    unresolved: unresolved,
    fromHeader: fromHeader,
    offerOpen: offerOpen,
    pendingSaved: pendingSaved
  };
})();
