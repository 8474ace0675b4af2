// editor-images.js: the images of the post editor, used by editor.js:
//   - the cover image: upload or choose from the library, alt text, remove;
//   - the Pinterest pins: add (upload or choose), title and description
//     with counters, alt text, "hidden", reorder (drag, or the arrow
//     buttons), remove, warnings about the image's size, and a preview of
//     the pin as Pinterest shows it;
//   - the body's images with a "pinnable" box each;
//   - an image dropped or pasted into the Markdown editor is uploaded and
//     inserted at the cursor as ![](/media/<id>/w1024).
// Every field is a named form field, so the plain form carries them;
// editor.js reads them for autosave through window.lullabyImages. The
// Settings page uses its media picker and upload for the author's photo.
(function () {
  "use strict";

  var MEDIA_API = "/admin/api/v1/media";
  var PIN_W = 1000, PIN_H = 1500;
  var PICKER_LIMIT = 24;

  function $(id) { return document.getElementById(id); }
  var csrf = window.lullaby.csrf;

  var onChange = function () {};
  var sizes = {}; // media id -> {width, height}, for warnings and restores

  // ---- talking to the media API ----

  // uploadError turns a failed upload's answer into a sentence for her.
  function uploadError(status, body) {
    var p = body || {};
    var field = p.errors && p.errors.file;
    if (status === 0) return "The upload failed: the connection dropped, or the file is too large for the server.";
    if (status === 401) return "Your session expired: log in again (in a new tab), then try the upload again.";
    if (status === 403) return "The page's security token is out of date: reload the page and try again.";
    if (status === 413) return field || p.detail || "The file is too large.";
    if (field) return field;
    return p.detail || "The upload failed (error " + status + ").";
  }

  // upload sends one file to the media library; resolves to
  // {media, existed} or rejects with an Error whose message is for her.
  function upload(file) {
    if (file.type && file.type.indexOf("image/") !== 0) {
      return Promise.reject(new Error("“" + file.name + "” is not an image: upload a JPEG, PNG, GIF or WebP file."));
    }
    var fd = new FormData();
    fd.append("file", file, file.name || "image");
    return fetch(MEDIA_API, {
      method: "POST", credentials: "same-origin", redirect: "manual",
      headers: { "Accept": "application/json", "X-CSRF-Token": csrf() }, body: fd
    }).then(function (res) {
      if (res.type === "opaqueredirect") throw new Error(uploadError(401, null));
      return res.text().then(function (text) {
        var body = null;
        try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
        if ((res.status === 200 || res.status === 201) && body && body.data) {
          var m = body.data;
          sizes[m.id] = { width: m.width, height: m.height };
          return { media: m, existed: res.status === 200 };
        }
        throw new Error(uploadError(res.status, body));
      });
    }, function () { throw new Error(uploadError(0, null)); });
  }

  function setStatus(el, text, state) {
    if (!el) return;
    el.textContent = text || "";
    el.dataset.state = state || "";
    el.hidden = !text;
  }

  // ---- pin warnings (the same rules as cms.PostImage.PinWarnings) ----

  function pinWarnings(w, h) {
    var out = [];
    if (!w || !h) return out;
    var r = w / h;
    if (r < 0.66 * 0.99 || r > 0.6667 * 1.01) {
      out.push("The image is " + w + "x" + h + ", not 2:3: Pinterest crops it (the pin variant is cut to 1000x1500 from its center).");
    }
    if (w < PIN_W || h < PIN_H) {
      out.push("The image is " + w + "x" + h + ", smaller than 1000x1500: it may look blurry on Pinterest.");
    }
    return out;
  }

  // ---- the media picker ----

  var picker = { dialog: null, cb: null, page: 1, q: "", timer: 0, seq: 0 };

  function pickerLoad(reset) {
    var list = $("media-picker-list"), status = $("media-picker-status"), more = $("media-picker-more");
    if (reset) { picker.page = 1; list.innerHTML = ""; }
    var seq = ++picker.seq;
    status.textContent = "Loading…";
    var url = MEDIA_API + "?limit=" + PICKER_LIMIT + "&page=" + picker.page + (picker.q ? "&q=" + encodeURIComponent(picker.q) : "");
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json", "X-CSRF-Token": csrf() } })
      .then(function (res) { return res.ok ? res.json() : Promise.reject(res.status); })
      .then(function (body) {
        if (seq !== picker.seq) return;
        var items = body.data || [];
        items.forEach(function (m) {
          sizes[m.id] = { width: m.width, height: m.height };
          var li = document.createElement("li");
          var b = document.createElement("button");
          b.type = "button";
          b.className = "picker-item";
          b.dataset.id = m.id;
          var img = document.createElement("img");
          img.src = "/media/" + m.id + "/thumb";
          img.alt = "";
          img.loading = "lazy";
          var name = document.createElement("span");
          name.className = "picker-name";
          name.textContent = m.alt || m.filename;
          var size = document.createElement("span");
          size.className = "picker-size";
          size.textContent = m.width + "×" + m.height;
          b.append(img, name, size);
          b.setAttribute("aria-label", "Choose " + (m.alt || m.filename) + ", " + m.width + " by " + m.height);
          b.addEventListener("click", function () {
            var cb = picker.cb;
            pickerClose();
            if (cb) cb(m);
          });
          li.appendChild(b);
          list.appendChild(li);
        });
        var pg = body.meta && body.meta.pagination;
        more.hidden = !(pg && pg.page < pg.totalPages);
        status.textContent = list.children.length ? "" : (picker.q ? "No image matches “" + picker.q + "”." : "The library is empty: upload an image first.");
      }, function () {
        if (seq === picker.seq) status.textContent = "The library could not be loaded. Try again.";
      });
  }

  function pickerOpen(cb) {
    var d = $("media-picker");
    if (!d) return;
    setupPicker();
    picker.cb = cb;
    picker.q = "";
    $("media-picker-q").value = "";
    window.lullaby.openDialog(d);
    pickerLoad(true);
    $("media-picker-q").focus();
  }

  function pickerClose() {
    var d = $("media-picker");
    picker.cb = null;
    if (!d) return;
    window.lullaby.closeDialog(d);
  }

  function setupPicker() {
    var d = $("media-picker");
    if (!d || picker.dialog) return;
    picker.dialog = d;
    $("media-picker-close").addEventListener("click", pickerClose);
    $("media-picker-q").addEventListener("input", function (e) {
      clearTimeout(picker.timer);
      picker.timer = setTimeout(function () { picker.q = e.target.value.trim(); pickerLoad(true); }, 300);
    });
    $("media-picker-more").addEventListener("click", function () { picker.page++; pickerLoad(false); });
  }

  // ---- the cover ----

  function setCover(m, alt) {
    var id = m ? m.id : "";
    $("cover.mediaId").value = id;
    var img = $("cover-img"), size = $("cover-size");
    $("cover-preview").hidden = !id;
    $("cover-empty").hidden = !!id;
    $("cover-remove").hidden = !id;
    if (id) {
      img.src = "/media/" + id + "/w640";
      var s = sizes[id] || m;
      size.textContent = s && s.width ? s.width + "×" + s.height : "";
      var altInput = $("cover.alt");
      if (alt !== undefined) altInput.value = alt;
      else if (!altInput.value && m.alt) altInput.value = m.alt;
    } else {
      img.removeAttribute("src");
      size.textContent = "";
      $("cover.alt").value = alt || "";
    }
    showError("cover.mediaId", "");
  }

  function setupCover() {
    if (!$("cover-section")) return;
    var file = $("cover-file"), status = $("cover-status");
    $("cover-upload").addEventListener("click", function () { file.click(); });
    file.addEventListener("change", function () {
      var f = file.files && file.files[0];
      if (!f) return;
      setStatus(status, "Uploading “" + f.name + "”…", "uploading");
      upload(f).then(function (r) {
        setCover(r.media);
        setStatus(status, r.existed ? "This image was already in the library: it is the cover now." : "Uploaded: it is the cover now.", "done");
        onChange();
      }, function (err) {
        setStatus(status, err.message, "error");
      }).then(function () { file.value = ""; });
    });
    $("cover-pick").addEventListener("click", function () {
      pickerOpen(function (m) { setCover(m); onChange(); $("cover.alt").focus(); });
    });
    $("cover-remove").addEventListener("click", function () {
      setCover(null);
      setStatus(status, "", "");
      onChange();
      $("cover-upload").focus();
    });
  }

  // ---- the pins ----

  function pinItems() { return Array.prototype.slice.call(document.querySelectorAll("#pins > .pin-item")); }
  function pinField(li, name) { return li.querySelector('[data-pin="' + name + '"]'); }

  // renumber gives every pin's fields the names and ids of its place:
  // pins[0].title, pins[1].title, ...
  function renumber() {
    pinItems().forEach(function (li, i) {
      li.querySelectorAll("[name], [id], [for], [aria-describedby]").forEach(function (el) {
        ["name", "id", "for", "aria-describedby"].forEach(function (attr) {
          var v = el.getAttribute(attr);
          if (v && v.indexOf("pins[") >= 0) el.setAttribute(attr, v.replace(/pins\[\d+\]/g, "pins[" + i + "]"));
        });
      });
      var up = li.querySelector('[data-pin-action="up"]'), down = li.querySelector('[data-pin-action="down"]');
      if (up) up.disabled = i === 0;
      if (down) down.disabled = i === pinItems().length - 1;
    });
    var empty = $("pins-empty");
    if (empty) empty.hidden = pinItems().length > 0;
  }

  function countHint(input) {
    var max = parseInt(input.dataset.max, 10);
    var hint = $(input.id + "-count");
    if (!hint || !max) return;
    var n = Array.from(input.value).length;
    hint.textContent = n + "/" + max + " characters" + (n > max ? " — too long by " + (n - max) : "");
    hint.classList.toggle("is-over", n > max);
  }

  function updatePreview(li) {
    li.querySelector(".pin-card-title").textContent = pinField(li, "title").value;
    li.querySelector(".pin-card-description").textContent = pinField(li, "description").value;
  }

  function showWarnings(li, w, h) {
    var ul = li.querySelector(".pin-warnings");
    ul.innerHTML = "";
    pinWarnings(w, h).forEach(function (text) {
      var item = document.createElement("li");
      item.textContent = text;
      ul.appendChild(item);
    });
    li.querySelector(".pin-size").textContent = w && h ? w + "×" + h : "";
  }

  // addPin appends a pin for media m (with the fields of p, when
  // restoring) and returns its element.
  function addPin(m, p) {
    var tpl = $("pin-template");
    var list = $("pins");
    if (!tpl || !list) return null;
    var li = tpl.content.firstElementChild.cloneNode(true);
    var id = m.id;
    li.dataset.mediaId = id;
    pinField(li, "mediaId").value = id;
    li.querySelector(".pin-thumb").src = "/media/" + id + "/thumb";
    li.querySelector(".pin-card-image").src = "/media/" + id + "/pin";
    p = p || {};
    pinField(li, "title").value = p.title || "";
    pinField(li, "description").value = p.description || "";
    pinField(li, "alt").value = p.alt !== undefined ? p.alt : (m.alt || "");
    pinField(li, "hidden").checked = !!p.hidden;
    var s = sizes[id] || m;
    li.dataset.width = s.width || "";
    li.dataset.height = s.height || "";
    list.appendChild(li);
    renumber();
    showWarnings(li, s.width, s.height);
    countHint(pinField(li, "title"));
    countHint(pinField(li, "description"));
    updatePreview(li);
    return li;
  }

  function movePin(li, by) {
    var items = pinItems();
    var i = items.indexOf(li), j = i + by;
    if (j < 0 || j >= items.length) return;
    if (by < 0) li.parentNode.insertBefore(li, items[j]); else li.parentNode.insertBefore(items[j], li);
    renumber();
    onChange();
    var btn = li.querySelector('[data-pin-action="' + (by < 0 ? "up" : "down") + '"]');
    if (btn && !btn.disabled) btn.focus(); else pinField(li, "title").focus();
  }

  function setupPins() {
    var list = $("pins");
    if (!list) return;
    var file = $("pin-file"), status = $("pins-status");
    pinItems().forEach(function (li) {
      var w = parseInt(li.dataset.width, 10), h = parseInt(li.dataset.height, 10);
      if (w && h) sizes[li.dataset.mediaId] = { width: w, height: h };
    });
    renumber();
    list.addEventListener("input", function (e) {
      var li = e.target.closest(".pin-item");
      if (!li) return;
      if (e.target.dataset.max) countHint(e.target);
      updatePreview(li);
    });
    list.addEventListener("click", function (e) {
      var b = e.target.closest("[data-pin-action]");
      if (!b) return;
      var li = b.closest(".pin-item");
      var act = b.dataset.pinAction;
      if (act === "up") movePin(li, -1);
      if (act === "down") movePin(li, 1);
      if (act === "remove") {
        var next = li.nextElementSibling || li.previousElementSibling;
        li.remove();
        renumber();
        onChange();
        setStatus(status, "Pin removed.", "done");
        if (next) pinField(next, "title").focus(); else $("pin-upload").focus();
      }
    });
    if (window.Sortable) {
      window.Sortable.create(list, {
        handle: ".pin-thumb", animation: 150,
        onEnd: function (e) { if (e.oldIndex !== e.newIndex) { renumber(); onChange(); } }
      });
    }
    $("pin-upload").addEventListener("click", function () { file.click(); });
    file.addEventListener("change", function () {
      var files = Array.prototype.slice.call(file.files || []);
      if (!files.length) return;
      var chain = Promise.resolve();
      files.forEach(function (f) {
        chain = chain.then(function () {
          setStatus(status, "Uploading “" + f.name + "”…", "uploading");
          return upload(f).then(function (r) {
            if (pinItems().some(function (li) { return li.dataset.mediaId === r.media.id; })) {
              setStatus(status, "This image is already a pin of this post.", "error");
              return;
            }
            var li = addPin(r.media);
            onChange();
            var warn = pinWarnings(r.media.width, r.media.height);
            setStatus(status, (r.existed ? "This image was already in the library; added as a pin." : "Uploaded and added as a pin.") +
              (warn.length ? " " + warn.join(" ") : ""), warn.length ? "warning" : "done");
            if (li) pinField(li, "title").focus();
          }, function (err) { setStatus(status, err.message, "error"); });
        });
      });
      chain.then(function () { file.value = ""; });
    });
    $("pin-pick").addEventListener("click", function () {
      pickerOpen(function (m) {
        if (pinItems().some(function (li) { return li.dataset.mediaId === m.id; })) {
          setStatus(status, "This image is already a pin of this post.", "error");
          return;
        }
        var li = addPin(m);
        onChange();
        if (li) pinField(li, "title").focus();
      });
    });
  }

  // ---- the body's images ----

  var MEDIA_RE = /\/media\/([0-9a-fA-F]{24})\//g;
  function bodyIDs(text) {
    var ids = [], m;
    MEDIA_RE.lastIndex = 0;
    while ((m = MEDIA_RE.exec(text)) !== null) {
      var id = m[1].toLowerCase();
      if (ids.indexOf(id) < 0) ids.push(id);
    }
    return ids;
  }
  function listedIDs() {
    return Array.prototype.map.call(document.querySelectorAll("#body-images > .body-image"), function (li) { return li.dataset.mediaId; });
  }
  function noPinIDs() {
    var out = [];
    document.querySelectorAll('#body-images input[name="pinnable"]').forEach(function (el) { if (!el.checked) out.push(el.value); });
    return out;
  }

  // renderBodyImages lists ids, keeping the boxes she unticked (or those
  // in noPin, when given).
  function renderBodyImages(ids, noPin) {
    var list = $("body-images");
    if (!list) return;
    var off = noPin || noPinIDs();
    list.innerHTML = "";
    ids.forEach(function (id) {
      var li = document.createElement("li");
      li.className = "body-image";
      li.dataset.mediaId = id;
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = "bodyImages";
      hidden.value = id;
      var img = document.createElement("img");
      img.src = "/media/" + id + "/thumb";
      img.alt = "";
      img.width = 64;
      img.height = 64;
      img.loading = "lazy";
      var check = document.createElement("div");
      check.className = "check";
      var box = document.createElement("input");
      box.type = "checkbox";
      box.id = "pinnable-" + id;
      box.name = "pinnable";
      box.value = id;
      box.checked = off.indexOf(id) < 0;
      var label = document.createElement("label");
      label.htmlFor = box.id;
      label.textContent = "Pinnable";
      var more = document.createElement("span");
      more.className = "visually-hidden";
      more.textContent = " (image " + id + ")";
      label.appendChild(more);
      check.append(box, label);
      li.append(hidden, img, check);
      list.appendChild(li);
    });
    var empty = $("body-images-empty");
    if (empty) empty.hidden = ids.length > 0;
  }

  function bodyChanged(text) {
    var ids = bodyIDs(text);
    if (ids.join() !== listedIDs().join()) renderBodyImages(ids);
  }

  // ---- drop and paste into the Markdown editor ----

  function imageFiles(list) {
    return Array.prototype.filter.call(list || [], function (f) { return f && f.kind !== "string"; });
  }

  // insertUploads uploads files and puts each at the cursor of cm as
  // Markdown, showing "Uploading…" in its place meanwhile.
  function insertUploads(cm, files) {
    var status = $("body-upload-status");
    var chain = Promise.resolve();
    files.forEach(function (f) {
      var name = f.name || "image";
      var placeholder = "![Uploading " + name.replace(/[\[\]]/g, "") + "…]()";
      // An image gets a paragraph of its own: blank lines around it.
      var start = cm.getCursor("from"), end = cm.getCursor("to");
      var before = cm.getRange({ line: 0, ch: 0 }, start);
      var rest = cm.getRange(end, { line: cm.lastLine(), ch: cm.getLine(cm.lastLine()).length });
      var pre = before === "" || /\n\n$/.test(before) ? "" : (/\n$/.test(before) ? "\n" : "\n\n");
      var post = rest === "" ? "\n" : (/^\n\n/.test(rest) ? "" : (/^\n/.test(rest) ? "\n" : "\n\n"));
      cm.replaceSelection(pre);
      var from = cm.getCursor("from");
      cm.replaceSelection(placeholder);
      var to = cm.getCursor("to");
      cm.replaceRange(post, to);
      cm.setCursor(to);
      var mark = cm.markText(from, to, { className: "cm-uploading" });
      chain = chain.then(function () {
        setStatus(status, "Uploading “" + name + "”…", "uploading");
        return upload(f).then(function (r) {
          var pos = mark.find();
          var md = "![" + (r.media.alt || "").replace(/[\[\]]/g, "") + "](/media/" + r.media.id + "/w1024)";
          if (pos) {
            cm.replaceRange(md, pos.from, pos.to);
            // The cursor inside the brackets: she can type the alt text.
            cm.setCursor({ line: pos.from.line, ch: pos.from.ch + 2 });
          }
          mark.clear();
          setStatus(status, "Uploaded “" + name + "”. Type its alt text between the brackets.", "done");
        }, function (err) {
          var pos = mark.find();
          if (pos) cm.replaceRange("", pos.from, pos.to);
          mark.clear();
          setStatus(status, "“" + name + "” was not uploaded: " + err.message, "error");
        });
      });
    });
    return chain;
  }

  function attachEditor(cm) {
    cm.on("drop", function (cm, e) {
      var files = imageFiles(e.dataTransfer && e.dataTransfer.files);
      if (!files.length) return;
      e.preventDefault();
      var pos = cm.coordsChar({ left: e.clientX, top: e.clientY }, "window");
      cm.setCursor(pos);
      cm.focus();
      insertUploads(cm, files);
    });
    cm.on("paste", function (cm, e) {
      var files = imageFiles(e.clipboardData && e.clipboardData.files);
      if (!files.length) return;
      e.preventDefault();
      insertUploads(cm, files);
    });
  }

  // ---- what editor.js reads and restores ----

  function fields() {
    if (!$("pins")) return {};
    return {
      cover: { mediaId: $("cover.mediaId").value, alt: $("cover.alt").value },
      pins: pinItems().map(function (li) {
        return {
          mediaId: pinField(li, "mediaId").value, title: pinField(li, "title").value,
          description: pinField(li, "description").value, alt: pinField(li, "alt").value,
          hidden: pinField(li, "hidden").checked
        };
      }),
      noPinMediaIds: noPinIDs()
    };
  }

  function apply(f, body) {
    if (!$("pins") || !f) return;
    if (f.cover) {
      if (f.cover.mediaId) setCover({ id: f.cover.mediaId }, f.cover.alt || ""); else setCover(null, "");
    }
    if (f.pins) {
      pinItems().forEach(function (li) { li.remove(); });
      f.pins.forEach(function (p) { addPin({ id: p.mediaId }, p); });
      renumber();
    }
    renderBodyImages(bodyIDs(body || ""), f.noPinMediaIds || []);
  }

  function clearErrors() {
    document.querySelectorAll("#pins-section .field-error, #cover-section .field-error, #body-images-section .field-error").forEach(function (el) {
      el.textContent = "";
      el.hidden = true;
      var field = el.closest(".field");
      if (field) field.classList.remove("has-error");
    });
    document.querySelectorAll('#pins-section [aria-invalid], #cover-section [aria-invalid]').forEach(function (el) { el.removeAttribute("aria-invalid"); });
  }

  function showError(name, msg) {
    var el = $(name + "-error");
    if (!el) return false;
    el.textContent = msg || "";
    el.hidden = !msg;
    return true;
  }

  function init(opts) {
    onChange = (opts && opts.changed) || onChange;
    setupPicker();
    setupCover();
    setupPins();
  }

  window.lullabyImages = {
    init: init, fields: fields, apply: apply, bodyChanged: bodyChanged, attachEditor: attachEditor,
    clearErrors: clearErrors, upload: upload, pinWarnings: pinWarnings,
    // pick opens the media picker (a <dialog id="media-picker">, the
    // "media_picker" template) and calls cb with the media she chooses.
    pick: pickerOpen
  };
})();
