// editor-save.js: what the editor shows about saving (views/editor_save.html).
//   - Unresolved citations: keys the body cites that are not in the
//     reference library. A draft saves with them; the warning under the
//     body and the "Unresolved citations" note list them, from the live
//     preview (X-Unresolved-Citations) and from every save's answer.
// editor.js calls it through window.lullabySave.
(function () {
  "use strict";

  function $(id) { return document.getElementById(id); }

  var last = null; // the keys shown, joined

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

  function init() {
    var list = $("unresolved-list");
    if (list) {
      last = Array.prototype.map.call(list.querySelectorAll("code"), function (c) { return c.textContent.replace(/^@/, ""); }).join(" ");
    }
  }

  window.lullabySave = {
    init: init,
    unresolved: unresolved,
    fromHeader: fromHeader
  };
})();
