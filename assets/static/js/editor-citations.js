// editor-citations.js: the editor's references. The list (hidden
// "references" inputs, one per reference, in order) is part of the form;
// this adds picking from the library (a search dialog over the admin
// API), remove, reorder (SortableJS, and ↑/↓ buttons), and "Cite here" /
// "Insert citation", which put [@key] at the Markdown editor's cursor.
// editor.js reads and restores the list through window.lullabyRefs, so
// autosave, the local copy and the preview carry it like every field.
// The citation checks' hints beside the list (POST /citations/check) are
// asked again a moment after the text or the list changes. A reference
// that needs attention (retracted, a dead link …) carries its health
// badge, as the server renders it, also once added from the library.
(function () {
  "use strict";

  var API = "/admin/api/v1/citations";

  function $(id) { return document.getElementById(id); }

  var onChange = function () {};
  var cm = null;         // the CodeMirror of the body, once attached
  var known = {};        // id -> {key, html}: what the list can show
  var picker = { cb: null, timer: 0, seq: 0, q: "" };

  function items() { return Array.prototype.slice.call(document.querySelectorAll("#refs > .ref-item")); }
  function style() { var s = $("refs-section"); return (s && s.dataset.style) || "apa"; }

  function formattedHTML(c) { return style() === "ama" ? c.ama.html : c.apa.html; }

  function status(text, state) {
    var el = $("refs-status");
    if (!el) return;
    el.textContent = text || "";
    el.dataset.state = state || "";
    el.hidden = !text;
  }

  // newTabLinks opens a reference's DOI or URL link in a new tab, so that
  // following it never leaves the editor.
  function newTabLinks(root) {
    root.querySelectorAll(".ref-text a[href]").forEach(function (a) { a.target = "_blank"; a.rel = "noopener"; });
  }

  function updateEmpty() {
    var ol = $("refs");
    if (ol) newTabLinks(ol);
    var empty = $("refs-empty");
    if (empty) empty.hidden = items().length > 0;
    var list = items();
    list.forEach(function (li, i) {
      var up = li.querySelector(".ref-up"), down = li.querySelector(".ref-down");
      if (up) up.disabled = i === 0;
      if (down) down.disabled = i === list.length - 1;
    });
  }

  // makeItem builds a list item from the template for reference id.
  function makeItem(id) {
    var tpl = $("ref-template");
    var li = tpl.content.firstElementChild.cloneNode(true);
    fillItem(li, id);
    return li;
  }

  function fillItem(li, id) {
    var k = known[id];
    li.dataset.id = id;
    li.dataset.key = k ? k.key : "";
    li.querySelector('input[name="references"]').value = id;
    var text = li.querySelector(".ref-text");
    // The HTML comes from cms's formatter, which escapes every field.
    if (k) text.innerHTML = k.html; else text.textContent = "Loading…";
    newTabLinks(li);
    var key = li.querySelector(".key");
    if (key) key.textContent = k ? "@" + k.key : "";
    var missing = li.querySelector(".badge-missing");
    if (missing) missing.remove();
    showHealth(li, k);
    li.querySelectorAll(".visually-hidden").forEach(function (el) { el.textContent = k ? " @" + k.key : ""; });
    var cite = li.querySelector(".ref-cite");
    if (cite) cite.hidden = !k;
    var up = li.querySelector(".ref-up"), down = li.querySelector(".ref-down");
    if (up) up.setAttribute("aria-label", "Move @" + (k ? k.key : "") + " up");
    if (down) down.setAttribute("aria-label", "Move @" + (k ? k.key : "") + " down");
  }

  // showHealth puts the reference's health badge (status and notice as
  // text, links to the notice and the archived copy) in li's meta line,
  // as the server renders it, when the reference needs attention.
  function showHealth(li, k) {
    var meta = li.querySelector(".ref-meta");
    var old = meta && meta.querySelector(".health");
    if (old) old.remove();
    if (!meta || !k) return;
    if (k.healthNode) { // as the server rendered it
      meta.appendChild(k.healthNode.cloneNode(true));
      return;
    }
    var h = k.health;
    if (!h || h.status === "ok") return;
    var wrap = document.createElement("span");
    wrap.className = "health";
    wrap.dataset.health = h.status;
    var badge = document.createElement("span");
    badge.className = "badge badge-health badge-health-" + h.status;
    badge.textContent = h.label;
    wrap.appendChild(badge);
    if (h.notice) {
      var notice = document.createElement("span");
      notice.className = "health-notice";
      notice.textContent = h.notice;
      wrap.appendChild(document.createTextNode(" "));
      wrap.appendChild(notice);
    }
    [[h.noticeUrl, "Read the notice"], [h.archiveUrl, "Archived copy"]].forEach(function (l) {
      if (!l[0] || !/^https?:\/\//.test(l[0])) return;
      var a = document.createElement("a");
      a.className = "health-link";
      a.href = l[0];
      a.target = "_blank";
      a.rel = "noopener";
      a.textContent = l[1];
      wrap.appendChild(document.createTextNode(" "));
      wrap.appendChild(a);
    });
    meta.appendChild(document.createTextNode(" "));
    meta.appendChild(wrap);
  }

  // fetchMissing loads what the list does not know yet (a list restored
  // from this device, references the server added on save).
  function fetchMissing() {
    items().forEach(function (li) {
      var id = li.dataset.id;
      if (known[id]) return;
      fetch(API + "/" + encodeURIComponent(id), { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (res) { return res.ok ? res.json() : null; })
        .then(function (body) {
          var c = body && body.data;
          if (c) known[c.id] = { key: c.key, html: formattedHTML(c), health: c.health || null };
          items().forEach(function (el) {
            if (el.dataset.id !== id) return;
            if (c) fillItem(el, id); else el.querySelector(".ref-text").textContent = "(not in the library any more)";
          });
        }, function () { /* offline: the id stays in the list */ });
    });
  }

  function ids() { return items().map(function (li) { return li.dataset.id; }); }

  // ---- the citation checks ----

  var CHECK_DELAY = 700; // ms after the last change
  var check = { timer: 0, seq: 0, last: null };

  function bodyText() {
    if (cm) return cm.getValue();
    var ta = $("body");
    return ta ? ta.value : "";
  }

  function scheduleCheck() {
    clearTimeout(check.timer);
    check.timer = setTimeout(runCheck, CHECK_DELAY);
  }

  function runCheck() {
    if (!$("refs-hints")) return;
    var payload = JSON.stringify({ body: bodyText(), references: ids() });
    if (payload === check.last) return;
    var seq = ++check.seq;
    var meta = document.querySelector('meta[name="csrf-token"]');
    fetch(API + "/check", {
      method: "POST", credentials: "same-origin", body: payload,
      headers: { "Accept": "application/json", "Content-Type": "application/json", "X-CSRF-Token": meta ? meta.content : "" }
    })
      .then(function (res) { return res.ok ? res.json() : null; })
      .then(function (res) {
        if (seq !== check.seq || !res) return; // a newer one is on its way, or it failed: keep what is shown
        check.last = payload;
        showHints(res.data || []);
      }, function () { /* offline: the hints stay as they were */ });
  }

  function showHints(hints) {
    var box = $("refs-hints"), ul = $("refs-hints-list");
    ul.innerHTML = "";
    hints.forEach(function (h) {
      var li = document.createElement("li");
      li.className = "ref-hint";
      li.dataset.code = h.code;
      li.textContent = h.message;
      ul.appendChild(li);
    });
    box.hidden = hints.length === 0;
  }

  function add(c) {
    known[c.id] = { key: c.key, html: formattedHTML(c), health: c.health || null };
    if (ids().indexOf(c.id) >= 0) {
      status("@" + c.key + " is already in the list.", "done");
      return false;
    }
    $("refs").appendChild(makeItem(c.id));
    updateEmpty();
    status("Added @" + c.key + ".", "done");
    onChange();
    return true;
  }

  // insert puts [@key] at the body's cursor (or the end of the textarea
  // without the Markdown editor).
  function insert(key) {
    var mark = "[@" + key + "]";
    if (cm) {
      var sel = cm.getSelection();
      var cur = cm.getCursor("from");
      var before = cm.getLine(cur.line).slice(0, cur.ch);
      var space = before && !/\s$/.test(before) && !sel ? " " : "";
      cm.replaceSelection(space + mark);
      cm.focus();
      return;
    }
    var ta = $("body");
    if (!ta) return;
    var at = ta.selectionStart != null ? ta.selectionStart : ta.value.length;
    ta.value = ta.value.slice(0, at) + mark + ta.value.slice(ta.selectionEnd != null ? ta.selectionEnd : at);
    ta.dispatchEvent(new Event("input", { bubbles: true }));
    ta.focus();
  }

  function move(li, by) {
    var list = items();
    var i = list.indexOf(li), j = i + by;
    if (j < 0 || j >= list.length) return;
    if (by < 0) li.parentNode.insertBefore(li, list[j]); else li.parentNode.insertBefore(list[j], li);
    updateEmpty();
    onChange();
    var btn = li.querySelector(by < 0 ? ".ref-up" : ".ref-down");
    if (btn && !btn.disabled) btn.focus(); else li.querySelector(".ref-cite").focus();
  }

  // ---- the picker ----

  function pickerLoad() {
    var list = $("ref-picker-list"), st = $("ref-picker-status");
    var seq = ++picker.seq;
    st.textContent = "Loading…";
    fetch(API + (picker.q ? "?q=" + encodeURIComponent(picker.q) : ""), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (res) { return res.ok ? res.json() : Promise.reject(res.status); })
      .then(function (body) {
        if (seq !== picker.seq) return;
        list.innerHTML = "";
        var inList = ids();
        (body.data || []).forEach(function (c) {
          var li = document.createElement("li");
          var b = document.createElement("button");
          b.type = "button";
          b.className = "picker-ref";
          b.dataset.key = c.key;
          var text = document.createElement("span");
          text.className = "citation-text";
          // Plain text: the HTML form's DOI link would be a link inside a button.
          text.textContent = style() === "ama" ? c.ama.text : c.apa.text;
          var key = document.createElement("code");
          key.className = "key";
          key.textContent = "@" + c.key + (inList.indexOf(c.id) >= 0 ? " · in the list" : "");
          b.append(text, key);
          b.setAttribute("aria-label", "Choose @" + c.key + ": " + (c.apa.text || c.key));
          b.addEventListener("click", function () {
            var cb = picker.cb;
            pickerClose();
            if (cb) cb(c);
          });
          li.appendChild(b);
          list.appendChild(li);
        });
        st.textContent = list.children.length ? "" : (picker.q ? "No reference matches “" + picker.q + "”." : "The library is empty: add references under References first.");
      }, function () {
        if (seq === picker.seq) st.textContent = "The library could not be loaded. Try again.";
      });
  }

  function pickerOpen(title, cb) {
    var d = $("ref-picker");
    if (!d) return;
    picker.cb = cb;
    picker.q = "";
    $("ref-picker-title").textContent = title;
    $("ref-picker-q").value = "";
    window.lullaby.openDialog(d);
    pickerLoad();
    $("ref-picker-q").focus();
  }

  function pickerClose() {
    var d = $("ref-picker");
    picker.cb = null;
    if (!d) return;
    window.lullaby.closeDialog(d);
  }

  // ---- for editor.js ----

  function fields() { return $("refs") ? { references: ids() } : {}; }

  // apply shows the list ids (a restored local copy, or what the server
  // saved).
  function apply(list) {
    var ol = $("refs");
    if (!ol || !list) return;
    if (list.join(",") === ids().join(",")) return;
    var byID = {};
    items().forEach(function (li) { byID[li.dataset.id] = li; });
    ol.innerHTML = "";
    list.forEach(function (id) { ol.appendChild(byID[id] || makeItem(id)); });
    updateEmpty();
    fetchMissing();
    scheduleCheck();
  }

  function clearErrors() {
    var el = $("references-error");
    if (el) { el.textContent = ""; el.hidden = true; }
  }

  function attachEditor(codemirror) {
    cm = codemirror;
    cm.on("change", scheduleCheck);
  }

  function init(opts) {
    var changed = (opts && opts.changed) || function () {};
    onChange = function () { changed(); scheduleCheck(); };
    var ol = $("refs");
    if (!ol) return;
    var ta = $("body");
    if (ta) ta.addEventListener("input", scheduleCheck);
    items().forEach(function (li) {
      var text = li.querySelector(".ref-text");
      var health = li.querySelector(".ref-meta .health");
      if (li.dataset.key && !li.querySelector(".badge-missing")) {
        known[li.dataset.id] = { key: li.dataset.key, html: text.innerHTML, healthNode: health ? health.cloneNode(true) : null };
      }
    });
    updateEmpty();
    ol.addEventListener("click", function (e) {
      var b = e.target.closest("button");
      if (!b) return;
      var li = b.closest(".ref-item");
      if (b.classList.contains("ref-cite") && li.dataset.key) insert(li.dataset.key);
      if (b.classList.contains("ref-up")) move(li, -1);
      if (b.classList.contains("ref-down")) move(li, 1);
      if (b.classList.contains("ref-remove")) {
        var next = li.nextElementSibling || li.previousElementSibling;
        li.remove();
        updateEmpty();
        status("Removed @" + li.dataset.key + ". A work the text still cites comes back when the post is saved.", "done");
        onChange();
        var f = next ? next.querySelector(".ref-cite") : $("refs-add");
        if (f) f.focus();
      }
    });
    if (window.Sortable) {
      window.Sortable.create(ol, {
        handle: ".drag-handle", animation: 150,
        onEnd: function (e) { if (e.oldIndex !== e.newIndex) { updateEmpty(); onChange(); } }
      });
    }
    $("refs-add").addEventListener("click", function () {
      pickerOpen("Add a reference", function (c) { add(c); $("refs-add").focus(); });
    });
    $("refs-cite").addEventListener("click", function () {
      pickerOpen("Cite a reference here", function (c) { add(c); insert(c.key); });
    });
    $("ref-picker-close").addEventListener("click", pickerClose);
    $("ref-picker-q").addEventListener("input", function (e) {
      clearTimeout(picker.timer);
      picker.timer = setTimeout(function () { picker.q = e.target.value.trim(); pickerLoad(); }, 250);
    });
  }

  window.lullabyRefs = {
    init: init, fields: fields, apply: apply, attachEditor: attachEditor, clearErrors: clearErrors, insert: insert, add: add
  };
})();
