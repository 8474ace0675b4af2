// editor.js: the post editor's enhancements. The page is a plain form that
// saves and publishes without scripts; this adds
//   - EasyMDE (a Markdown editor with a toolbar) on the body, with no
//     request leaving the site: no Font Awesome, no spell-check
//     dictionaries;
//   - a live preview rendered by the server (POST /admin/preview, the
//     renderer of published posts), so it looks exactly like the post;
//   - the slug following the title until she edits it, the public address
//     and the SEO length hints kept up to date;
//   - autosave of drafts through the admin JSON API (3 s after the last
//     change), which never overwrites another window's save: a version
//     conflict stops autosave and asks her what to keep;
//   - every change kept in localStorage, offered back when the page loads
//     with different text (after an expired session, a conflict, a crash);
//   - the schedule input shown and sent in her own time zone;
//   - the cover, pins and body images (editor-images.js, which this
//     reads through window.lullabyImages), saved with the rest;
//   - the reference list (editor-citations.js, window.lullabyRefs), saved,
//     kept and previewed with the rest; the preview shows the in-text
//     citations and the reference list in the site's style;
//   - what editor-save.js (window.lullabySave) shows about saving:
//     unresolved citations, a published post's pending edit (autosaved
//     here like a draft, through /admin/api/v1/posts/:id/pending, and
//     published by Update), Ctrl/Cmd-S and the warning before leaving
//     with unsaved changes.
// window.lullabyEditor exposes a little of it for the browser tests and
// for editor-preview-site.js ("Preview on site" saves first).
(function () {
  "use strict";

  var form = document.getElementById("editor-form");
  if (!form) return;

  var AUTOSAVE_DELAY = 3000;
  var PREVIEW_DELAY = 400;
  var LOCAL_DELAY = 250;
  var API = "/admin/api/v1/posts";

  function $(id) { return document.getElementById(id); }
  var ds = form.dataset;
  var titleInput = $("title"), slugInput = $("slug"), excerptInput = $("excerpt"), bodyInput = $("body");
  var tagsInput = $("tags"), seoTitleInput = $("seo-title"), seoDescInput = $("seo-description"), canonicalInput = $("canonical-url");
  var versionInput = $("version"), slugAutoInput = $("slug-auto");
  var statusEl = $("save-status"), previewEl = $("preview");
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var images = window.lullabyImages || null;
  var refs = window.lullabyRefs || null;
  var saver = window.lullabySave || null;

  var state = {
    id: ds.postId || "",
    status: ds.status || "new",          // new, draft, scheduled, published, archived, trashed
    version: parseInt(versionInput.value, 10) || 0,
    key: ds.storageKey || "lullaby:draft:new",
    pendingVersion: 0, // a published post's pending edit shown (editor-save.js)
    csrf: csrfMeta ? csrfMeta.content : "",
    slugAuto: slugAutoInput && slugAutoInput.value === "1",
    lastSaved: null,   // JSON of the fields the server has, when known
    saving: null,      // the promise of the save in flight
    again: false,      // another change came while saving
    stopped: "",       // why autosave stopped: "conflict", "session" or ""
    timer: 0,
    retry: 0,          // the next retry delay after a network failure, ms
    leaving: false,
    mde: null
  };

  // ---- the fields ----

  function getBody() { return state.mde ? state.mde.value() : bodyInput.value; }
  function setBody(text) {
    if (state.mde) state.mde.value(text); else bodyInput.value = text;
  }
  function checkedCategories() {
    var out = [];
    form.querySelectorAll('input[name="categoryIds"]').forEach(function (el) { if (el.checked) out.push(el.value); });
    return out;
  }
  function splitTags(s) {
    return s.split(",").map(function (t) { return t.trim().replace(/\s+/g, " "); }).filter(Boolean);
  }
  // fields returns what the form holds, with the admin API's names.
  function fields() {
    var f = {
      title: titleInput.value,
      slug: slugInput.value,
      excerpt: excerptInput.value,
      body: getBody(),
      categoryIds: checkedCategories(),
      tags: splitTags(tagsInput.value),
      seoTitle: seoTitleInput.value,
      seoDescription: seoDescInput.value,
      canonicalUrl: canonicalInput.value
    };
    if (images) {
      var im = images.fields();
      if (im.pins) { f.cover = im.cover; f.pins = im.pins; f.noPinMediaIds = im.noPinMediaIds; }
    }
    if (refs) {
      var r = refs.fields();
      if (r.references) f.references = r.references;
    }
    var cta = ctaFields();
    if (cta) f.callToAction = cta;
    if ($("review-section")) {
      f.reviewerIds = checkedReviewers();
      f.lastReviewed = $("lastReviewed").value;
    }
    return f;
  }
  function checkedReviewers() {
    var out = [];
    form.querySelectorAll('input[name="reviewerIds"]').forEach(function (el) { if (el.checked) out.push(el.value); });
    return out;
  }
  // ctaFields is the post's own call to action (all empty: the site's).
  var CTA_KEYS = ["heading", "text", "buttonLabel", "url"];
  function ctaFields() {
    if (!$("callToAction.heading")) return null;
    var out = {};
    CTA_KEYS.forEach(function (k) { out[k] = $("callToAction." + k).value; });
    return out;
  }
  function applyFields(f) {
    titleInput.value = f.title || "";
    slugInput.value = f.slug || "";
    excerptInput.value = f.excerpt || "";
    setBody(f.body || "");
    var cats = f.categoryIds || [];
    form.querySelectorAll('input[name="categoryIds"]').forEach(function (el) { el.checked = cats.indexOf(el.value) >= 0; });
    tagsInput.value = (f.tags || []).join(", ");
    seoTitleInput.value = f.seoTitle || "";
    seoDescInput.value = f.seoDescription || "";
    canonicalInput.value = f.canonicalUrl || "";
    if (images && f.pins) images.apply(f, f.body || "");
    if (refs && f.references) refs.apply(f.references);
    if (f.callToAction && $("callToAction.heading")) {
      CTA_KEYS.forEach(function (k) { $("callToAction." + k).value = f.callToAction[k] || ""; });
    }
    if (f.reviewerIds && $("review-section")) {
      form.querySelectorAll('input[name="reviewerIds"]').forEach(function (el) { el.checked = f.reviewerIds.indexOf(el.value) >= 0; });
      $("lastReviewed").value = f.lastReviewed || "";
    }
    updateSlugViews();
    updateHints();
  }
  // comparable normalises what a save would change, so that trailing
  // spaces or "\r\n" do not count as edits.
  function comparable(f) {
    return JSON.stringify({
      title: f.title.trim(), slug: f.slug.trim(), excerpt: f.excerpt.trim().replace(/\r\n/g, "\n"),
      body: f.body.replace(/\r\n/g, "\n"), categoryIds: f.categoryIds, tags: f.tags,
      seoTitle: f.seoTitle.trim(), seoDescription: f.seoDescription.trim(), canonicalUrl: f.canonicalUrl.trim(),
      cover: f.cover ? { mediaId: f.cover.mediaId.trim().toLowerCase(), alt: f.cover.mediaId.trim() ? f.cover.alt.trim() : "" } : null,
      pins: (f.pins || []).map(function (p) {
        return { mediaId: p.mediaId.trim().toLowerCase(), title: p.title.trim(), description: p.description.trim().replace(/\r\n/g, "\n"), alt: p.alt.trim(), hidden: !!p.hidden };
      }),
      noPinMediaIds: f.noPinMediaIds || [],
      references: f.references || null,
      callToAction: f.callToAction ? CTA_KEYS.map(function (k) { return (f.callToAction[k] || "").trim().replace(/\r\n/g, "\n"); }) : null,
      reviewerIds: f.reviewerIds || null, lastReviewed: f.lastReviewed || ""
    });
  }

  // ---- save status and banners ----

  function clock(d) { return d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }); }
  function setStatus(text, kind) {
    statusEl.textContent = text;
    statusEl.dataset.state = kind || "";
  }
  function show(id, on) {
    var el = $(id);
    if (el) el.hidden = !on;
    return el;
  }

  var errorTargets = { seoTitle: "seo-title", seoDescription: "seo-description", canonicalUrl: "canonical-url", publishAt: "schedule-at" };
  function setFieldError(name, msg) {
    var err = $(name + "-error");
    var input = $(errorTargets[name] || name);
    if (!err) return false;
    err.textContent = msg || "";
    err.hidden = !msg;
    var field = err.closest(".field, fieldset");
    if (field) field.classList.toggle("has-error", !!msg);
    if (input) {
      if (msg) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
    }
    return true;
  }
  function clearFieldErrors() {
    ["title", "slug", "excerpt", "body", "categoryIds", "tags", "seoTitle", "seoDescription", "canonicalUrl"].forEach(function (n) { setFieldError(n, ""); });
    if (images) images.clearErrors();
    if (refs) refs.clearErrors();
  }

  // ---- talking to the server ----

  // api sends JSON with the session cookie and the CSRF token, and
  // resolves to {status, body}; status 0 means the network failed.
  function api(method, url, payload) {
    var opts = {
      method: method, credentials: "same-origin", redirect: "manual",
      headers: { "Accept": "application/json", "X-CSRF-Token": state.csrf }
    };
    if (payload !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(payload);
    }
    return fetch(url, opts).then(function (res) {
      if (res.type === "opaqueredirect") return { status: 401, body: null };
      return res.text().then(function (text) {
        var body = null;
        try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
        return { status: res.status, body: body };
      });
    }, function () { return { status: 0, body: null }; });
  }

  // refreshToken reads a fresh CSRF token from the editor page: after she
  // logged in again (perhaps in another tab) the old one no longer
  // matches. Resolves to whether the session is valid.
  function refreshToken() {
    var url = state.id ? "/admin/posts/" + state.id : "/admin/posts/new";
    return fetch(url, { credentials: "same-origin", redirect: "manual", headers: { "Accept": "text/html" } })
      .then(function (res) {
        if (res.type === "opaqueredirect" || !res.ok) return false;
        return res.text().then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          var meta = doc.querySelector('meta[name="csrf-token"]');
          if (!meta || !meta.content) return false;
          state.csrf = meta.content;
          if (csrfMeta) csrfMeta.content = meta.content;
          document.querySelectorAll('input[name="_csrf"]').forEach(function (el) { el.value = meta.content; });
          document.body.setAttribute("hx-headers", JSON.stringify({ "X-CSRF-Token": meta.content }));
          return true;
        });
      }, function () { return false; });
  }

  // ---- local copies ----

  function readLocal(key) {
    try {
      var raw = window.localStorage.getItem(key);
      return raw ? JSON.parse(raw) : null;
    } catch (e) { return null; }
  }
  function writeLocal() {
    clearTimeout(state.localTimer);
    try {
      window.localStorage.setItem(state.key, JSON.stringify({
        id: state.id, baseVersion: state.version, savedAt: Date.now(), fields: fields()
      }));
    } catch (e) { /* storage full or disabled: autosave still works */ }
  }
  function writeLocalSoon() {
    clearTimeout(state.localTimer);
    state.localTimer = setTimeout(writeLocal, LOCAL_DELAY);
  }
  function removeLocal(key) {
    try { window.localStorage.removeItem(key || state.key); } catch (e) { /* ignore */ }
  }

  // offerLocal shows the unsaved text this device kept, if it differs from
  // what the page shows.
  function offerLocal() {
    if (state.id) {
      // A new post saved by the form leaves its copy under "new": drop it
      // once this page shows that text.
      var fresh = readLocal("lullaby:draft:new");
      if (fresh && fresh.fields && comparable(fresh.fields) === comparable(fields())) removeLocal("lullaby:draft:new");
    }
    var rec = readLocal(state.key);
    if (!rec || !rec.fields) return;
    var f = rec.fields;
    var empty = !f.title && !f.body && !f.excerpt;
    if (empty || comparable(f) === comparable(fields())) {
      removeLocal();
      return;
    }
    var when = $("restore-when");
    if (when) when.textContent = new Date(rec.savedAt).toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
    show("restore-banner", true);
    $("restore-local").onclick = function () {
      show("restore-banner", false);
      applyFields(f);
      changed();
      titleInput.focus();
    };
    $("discard-local").onclick = function () {
      show("restore-banner", false);
      removeLocal();
      titleInput.focus();
    };
  }

  // ---- autosave ----

  // canAutosave: drafts save themselves; so do a published post's
  // changes, as its pending edit (not public until Update), unless a
  // pending edit is being offered and she has not chosen yet.
  function canAutosave() {
    if (state.stopped) return false;
    if (state.status === "published") return !!saver && !saver.offerOpen();
    return state.status === "new" || state.status === "draft";
  }
  function pendingMode() { return state.status === "published"; }

  function changed() {
    if (images) images.bodyChanged(getBody());
    writeLocalSoon();
    updateHints();
    schedulePreview();
    if (state.stopped) return;
    if (state.lastSaved !== null && comparable(fields()) === state.lastSaved) {
      clearTimeout(state.timer);
      return;
    }
    if (canAutosave()) {
      clearTimeout(state.timer);
      state.timer = setTimeout(autosave, AUTOSAVE_DELAY);
      setStatus("Unsaved changes", "dirty");
    } else if (state.status === "published") {
      setStatus("Unsaved changes — first choose above what to do with your unpublished changes (kept on this device meanwhile)", "dirty");
    } else {
      setStatus("Unsaved changes — press Save (kept on this device meanwhile)", "dirty");
    }
  }

  // autosave saves the fields now if it may; resolves to whether the
  // server has them.
  function autosave() {
    clearTimeout(state.timer);
    if (!canAutosave()) return Promise.resolve(false);
    if (state.saving) {
      state.again = true;
      return state.saving;
    }
    var f = fields();
    var snap = comparable(f);
    if (snap === state.lastSaved) return Promise.resolve(true);
    if (!state.id && !f.title.trim()) {
      setStatus("Add a title to save your draft (your text is kept on this device)", "dirty");
      return Promise.resolve(false);
    }
    setStatus("Saving…", "saving");
    var req;
    var pending = pendingMode();
    if (pending) {
      f.version = state.version;
      f.pendingVersion = state.pendingVersion;
      req = api("PUT", API + "/" + state.id + "/pending", f);
    } else if (state.id) {
      f.version = state.version;
      req = api("PATCH", API + "/" + state.id, f);
    } else {
      if (state.slugAuto) delete f.slug; // the server makes it, unique
      req = api("POST", API, f);
    }
    state.saving = req.then(function (res) { return pending ? savedPending(res, snap) : saved(res, snap); }).then(function (ok) {
      state.saving = null;
      if (state.again) {
        state.again = false;
        if (canAutosave()) state.timer = setTimeout(autosave, 300);
      }
      return ok;
    });
    return state.saving;
  }

  // savedPending handles the answer to an autosave of a published post's
  // fields snap as its pending edit; errors are handled as a draft's.
  function savedPending(res, snap) {
    var pend = res.body && res.body.data;
    if (!(res.status === 200 && pend) && res.status !== 204) return saved(res, snap);
    state.retry = 0;
    setPendingVersion(res.status === 204 ? 0 : pend.version);
    state.lastSaved = snap;
    clearFieldErrors();
    if (saver) {
      saver.unresolved(pend ? pend.unresolvedCitations : []);
      saver.pendingSaved(pend);
    }
    if (comparable(fields()) === snap) removeLocal();
    if (pend) setStatus("Changes saved " + clock(new Date()) + " — not published yet: press Update to publish them", "saved");
    else setStatus("No unpublished changes: the post is as published", "saved");
    return true;
  }
  function setPendingVersion(v) {
    state.pendingVersion = v;
    var input = $("pending-version");
    if (input) input.value = String(v);
  }

  // f0 reports whether the form still shows exactly the fields snap.
  function f0(snap) { return comparable(fields()) === snap; }

  // saved handles the answer to an autosave of the fields snap.
  function saved(res, snap) {
    var post = res.body && res.body.data;
    var problem = res.body || {};
    switch (true) {
    case (res.status === 200 || res.status === 201) && !!post:
      state.retry = 0;
      if (!state.id) created(post);
      state.version = post.version;
      versionInput.value = String(post.version);
      // The server is the authority on the slug (a "-2" when taken).
      if (post.slug && post.slug !== slugInput.value && document.activeElement !== slugInput) {
        slugInput.value = post.slug;
        updateSlugViews();
      }
      state.lastSaved = snap;
      // Works cited in the text join the list on save: show them.
      if (refs && post.references && f0(snap)) {
        refs.apply(post.references);
        state.lastSaved = comparable(fields());
        snap = state.lastSaved;
        schedulePreview();
      }
      clearFieldErrors();
      if (saver) saver.unresolved(post.unresolvedCitations);
      if (comparable(fields()) === snap) removeLocal();
      setStatus("Saved " + clock(new Date()), "saved");
      return true;
    case res.status === 400 || res.status === 413:
      var errs = problem.errors || {};
      var shown = false;
      Object.keys(errs).forEach(function (k) { shown = setFieldError(k, errs[k]) || shown; });
      setStatus("Not saved — " + (shown ? "please check the marked fields" : (problem.detail || "the text is not valid")) + " (kept on this device)", "error");
      return false;
    case res.status === 401:
      sessionExpired();
      return false;
    case res.status === 403:
      // Most likely a new session (she logged in again): fetch its token
      // and try once more.
      return refreshToken().then(function (ok) {
        if (!ok) { sessionExpired(); return false; }
        if (state.tokenRetried) { setStatus("Not saved — " + (problem.detail || "not allowed"), "error"); return false; }
        state.tokenRetried = true;
        state.saving = null;
        return autosave().then(function (r) { state.tokenRetried = false; return r; });
      });
    case res.status === 409 && !!(problem.errors && problem.errors.slug):
      setFieldError("slug", "Another post already uses this address. Change it a little, for example by adding -2.");
      setStatus("Not saved — the address (slug) is taken (kept on this device)", "error");
      return false;
    case res.status === 409:
      conflict();
      return false;
    case res.status === 0 || res.status >= 500:
      state.retry = Math.min(state.retry ? state.retry * 2 : 5000, 60000);
      setStatus(res.status === 0 ? "Offline — kept on this device" : "Could not save just now — kept on this device; trying again soon", "offline");
      clearTimeout(state.timer);
      state.timer = setTimeout(autosave, state.retry);
      return false;
    default:
      setStatus("Not saved — " + (problem.detail || "error " + res.status) + " (kept on this device)", "error");
      return false;
    }
  }

  // created switches the page from "new" to the post the first autosave
  // made: its URL, the form's action, the local copy's key.
  function created(post) {
    var oldKey = state.key;
    state.id = post.id;
    state.status = "draft";
    state.key = "lullaby:draft:" + post.id;
    removeLocal(oldKey);
    ds.postId = post.id;
    ds.status = "draft";
    ds.storageKey = state.key;
    form.action = "/admin/posts/" + post.id;
    if (window.history && history.replaceState) history.replaceState(null, "", "/admin/posts/" + post.id);
    var badge = $("status-badge");
    if (badge) { badge.textContent = "Draft"; badge.className = "badge badge-draft"; badge.dataset.status = "draft"; }
    var st = $("status-text");
    if (st) st.textContent = "Draft";
    var heading = $("editor-heading");
    if (heading && heading.firstChild && heading.firstChild.nodeType === 3) heading.firstChild.nodeValue = "Edit post ";
    show("trash", true);
    var login = $("session-login");
    if (login) login.href = "/admin/login?next=" + encodeURIComponent("/admin/posts/" + post.id);
  }

  function sessionExpired() {
    state.stopped = "session";
    clearTimeout(state.timer);
    writeLocal();
    show("session-banner", true);
    setStatus("Not saved — your session expired (your text is kept on this device)", "error");
  }

  function conflict() {
    state.stopped = "conflict";
    clearTimeout(state.timer);
    writeLocal();
    show("conflict-banner", true);
    setStatus("Not saved — this post changed in another window", "error");
  }

  // keepMine saves her fields over the latest version, because she said
  // so: read the current version number, then save with it.
  function keepMine() {
    var btn = $("conflict-keep");
    btn.disabled = true;
    setStatus("Saving your version…", "saving");
    return api("GET", API + "/" + state.id).then(function (res) {
      var post = res.body && res.body.data;
      if (res.status === 401) { sessionExpired(); return false; }
      if (!post) { setStatus("Could not read the latest version — try again", "error"); return false; }
      state.version = post.version;
      versionInput.value = String(post.version);
      if (!pendingMode()) return true;
      // Her changes replace whatever pending edit is stored now.
      return api("GET", API + "/" + state.id + "/pending").then(function (pr) {
        if (pr.status !== 200 && pr.status !== 404) { setStatus("Could not read the latest version — try again", "error"); return false; }
        setPendingVersion(pr.status === 200 && pr.body && pr.body.data ? pr.body.data.version : 0);
        return true;
      });
    }).then(function (ready) {
      if (!ready) return false;
      state.stopped = "";
      state.lastSaved = null;
      show("conflict-banner", false);
      return autosave();
    }).then(function (ok) { btn.disabled = false; return ok; });
  }

  // ---- slug, public address, hints ----

  var TRANSLIT = { "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "ł": "l", "ı": "i", "&": " and ", "@": " at " };
  // slugify mirrors cms.Slugify closely enough for a live hint; the
  // server has the last word.
  function slugify(s) {
    var out = s.trim().toLowerCase().replace(/["'’‘]/g, "");
    out = out.replace(/[ßæœøđðþłı&@]/g, function (c) { return TRANSLIT[c]; });
    out = out.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
    out = out.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
    if (out.length > 120) out = out.slice(0, 120).replace(/-+$/, "");
    return out;
  }
  function updateSlugViews() {
    form.querySelectorAll(".slug-text").forEach(function (el) { el.textContent = slugInput.value.trim(); });
  }
  function countHint(input, hintEl) {
    if (!input || !hintEl) return;
    var rec = parseInt(input.dataset.recommended, 10);
    var n = Array.from(input.value).length;
    var over = n > rec;
    hintEl.textContent = n + "/" + rec + " characters" + (over ? " — search results may cut it short" : "");
    hintEl.classList.toggle("is-over", over);
  }
  function updateHints() {
    countHint(seoTitleInput, $("seo-title-count"));
    countHint(seoDescInput, $("seo-description-count"));
    seoTitleInput.placeholder = titleInput.value;
  }

  // ---- live preview ----

  var preview = { timer: 0, seq: 0, body: null, html: "" };
  // previewKey is what the preview depends on: the text and the list.
  function previewKey(text) {
    return text + "\u0000" + (refs ? (refs.fields().references || []).join(",") : "");
  }
  // render asks the server to render text (with the reference list);
  // resolves to the HTML, or null.
  function render(text) {
    var key = previewKey(text);
    if (key === preview.body) return Promise.resolve(preview.html);
    var seq = ++preview.seq;
    var params = new URLSearchParams({ body: text });
    if (refs) (refs.fields().references || []).forEach(function (id) { params.append("references", id); });
    return fetch("/admin/preview", {
      method: "POST", credentials: "same-origin", redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8", "Accept": "text/html", "X-CSRF-Token": state.csrf },
      body: params
    }).then(function (res) {
      if (res.type === "opaqueredirect" || res.status === 401) { sessionExpired(); return null; }
      if (!res.ok) return null;
      var words = res.headers.get("X-Word-Count");
      if (saver) saver.fromHeader(res.headers.get("X-Unresolved-Citations"));
      return res.text().then(function (html) {
        if (seq !== preview.seq) return null; // a newer one is on its way
        preview.body = key;
        preview.html = html;
        var wc = $("word-count");
        if (wc && words !== null) wc.textContent = words;
        return html;
      });
    }, function () { return null; });
  }
  function schedulePreview() {
    clearTimeout(preview.timer);
    preview.timer = setTimeout(updatePreview, PREVIEW_DELAY);
  }
  function updatePreview() {
    if (!previewEl) return;
    var text = getBody();
    if (previewKey(text) === preview.body) return;
    previewEl.dataset.state = "loading";
    render(text).then(function (html) {
      if (html === null) { previewEl.dataset.state = "error"; return; }
      // The HTML comes from cms.RenderMarkdown, which sanitises it.
      previewEl.innerHTML = html;
      previewEl.dataset.state = "ready";
    });
  }

  // ---- the Markdown editor ----

  function icon(svgPath, label) {
    if (svgPath) {
      return '<span class="tb-icon" aria-hidden="true"><svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">' + svgPath + "</svg></span>";
    }
    return '<span class="tb-icon" aria-hidden="true">' + label + "</span>";
  }

  function insertFootnote(editor) {
    var cm = editor.codemirror;
    var text = cm.getValue();
    var n = 1;
    while (text.indexOf("[^" + n + "]") >= 0) n++;
    var mark = "[^" + n + "]";
    cm.replaceSelection(mark);
    var last = cm.lastLine();
    var end = { line: last, ch: cm.getLine(last).length };
    var sep = /\n\s*$/.test(text) || text === "" ? "\n" : "\n\n";
    cm.replaceRange(sep + mark + ": ", end);
    var newLast = cm.lastLine();
    cm.setCursor({ line: newLast, ch: cm.getLine(newLast).length });
    cm.focus();
  }

  function setupEditor() {
    if (typeof window.EasyMDE !== "function" || !bodyInput) return;
    var E = window.EasyMDE;
    state.mde = new E({
      element: bodyInput,
      autoDownloadFontAwesome: false, // no icons from a CDN: ours are inline
      spellChecker: false,            // it would download dictionaries
      nativeSpellcheck: true,         // the browser's own, offline
      forceSync: true,
      status: false,
      minHeight: "22rem",
      placeholder: "Start writing…",
      previewClass: ["editor-preview", "prose"],
      previewRender: function (text, el) {
        render(text).then(function (html) { if (html !== null) el.innerHTML = html; });
        return previewKey(text) === preview.body ? preview.html : null;
      },
      promptURLs: true,
      promptTexts: { link: "Address of the link (https://…):", image: "Address of the image (https://…):" },
      sideBySideFullscreen: false,
      toolbar: [
        { name: "bold", action: E.toggleBold, title: "Bold", icon: icon("", "<b>B</b>") },
        { name: "italic", action: E.toggleItalic, title: "Italic", icon: icon("", "<i>I</i>") },
        { name: "heading-2", action: E.toggleHeading2, title: "Heading", icon: icon("", "H2") },
        { name: "heading-3", action: E.toggleHeading3, title: "Subheading", icon: icon("", "H3") },
        "|",
        { name: "quote", action: E.toggleBlockquote, title: "Quote", icon: icon('<path d="M7 7h4v4H8c0 2 1 3 3 3v2c-3 0-5-2-5-5V7zm8 0h4v4h-3c0 2 1 3 3 3v2c-3 0-5-2-5-5V7z"/>') },
        { name: "unordered-list", action: E.toggleUnorderedList, title: "Bulleted list", icon: icon('<line x1="9" y1="6" x2="20" y2="6"/><line x1="9" y1="12" x2="20" y2="12"/><line x1="9" y1="18" x2="20" y2="18"/><circle cx="4.5" cy="6" r="1"/><circle cx="4.5" cy="12" r="1"/><circle cx="4.5" cy="18" r="1"/>') },
        { name: "ordered-list", action: E.toggleOrderedList, title: "Numbered list", icon: icon("", "1.") },
        "|",
        { name: "link", action: E.drawLink, title: "Link", icon: icon('<path d="M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1"/><path d="M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1"/>') },
        { name: "image", action: E.drawImage, title: "Image", icon: icon('<rect x="3" y="4" width="18" height="16" rx="2"/><circle cx="9" cy="10" r="2"/><path d="M21 16l-5-5-9 9"/>') },
        { name: "footnote", action: insertFootnote, title: "Footnote (for a citation)", icon: icon("", "[^1]") },
        { name: "horizontal-rule", action: E.drawHorizontalRule, title: "Divider line", icon: icon('<line x1="3" y1="12" x2="21" y2="12"/>') },
        "|",
        { name: "preview", action: E.togglePreview, title: "Preview in place", noDisable: true, icon: icon('<path d="M2 12s3.5-7 10-7 10 7 10 7-3.5 7-10 7S2 12 2 12z"/><circle cx="12" cy="12" r="3"/>') },
        "|",
        { name: "undo", action: E.undo, title: "Undo", noDisable: true, icon: icon('<path d="M9 14L4 9l5-5"/><path d="M4 9h10a6 6 0 0 1 0 12h-3"/>') },
        { name: "redo", action: E.redo, title: "Redo", noDisable: true, icon: icon('<path d="M15 14l5-5-5-5"/><path d="M20 9H10a6 6 0 0 0 0 12h3"/>') }
      ]
    });
    var cm = state.mde.codemirror;
    // Tab leaves the editor (no keyboard trap); Ctrl-] and Ctrl-[ indent.
    var keys = Object.assign({}, cm.getOption("extraKeys") || {});
    keys.Tab = false;
    keys["Shift-Tab"] = false;
    cm.setOption("extraKeys", keys);
    var input = cm.getInputField();
    input.setAttribute("aria-labelledby", "body-label");
    input.setAttribute("aria-describedby", "body-hint body-error");
    cm.on("change", changed);
    if (images) images.attachEditor(cm);
    if (refs) refs.attachEditor(cm);
    // The toolbar: one tab stop, arrow keys move between buttons.
    var bar = state.mde.gui && state.mde.gui.toolbar;
    if (bar) {
      bar.setAttribute("aria-label", "Formatting");
      bar.setAttribute("aria-controls", "body");
      var buttons = Array.prototype.slice.call(bar.querySelectorAll("button"));
      buttons.forEach(function (b, i) {
        b.tabIndex = i === 0 ? 0 : -1;
        b.type = "button";
      });
      bar.addEventListener("keydown", function (e) {
        var i = buttons.indexOf(document.activeElement);
        if (i < 0) return;
        var next = -1;
        if (e.key === "ArrowRight") next = (i + 1) % buttons.length;
        if (e.key === "ArrowLeft") next = (i - 1 + buttons.length) % buttons.length;
        if (e.key === "Home") next = 0;
        if (e.key === "End") next = buttons.length - 1;
        if (next < 0) return;
        e.preventDefault();
        buttons[i].tabIndex = -1;
        buttons[next].tabIndex = 0;
        buttons[next].focus();
      });
    }
    var field = bodyInput.closest(".field");
    if (field && field.classList.contains("has-error")) cm.getWrapperElement().setAttribute("aria-invalid", "true");
  }

  // ---- scheduling in her time zone ----

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function localValue(d) {
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" + pad(d.getHours()) + ":" + pad(d.getMinutes());
  }
  function setupSchedule() {
    var at = $("schedule-at"), tz = $("tz-offset"), hint = $("schedule-tz");
    if (!at || !tz) return;
    var utc = at.dataset.utc;
    // The server shows stored times in UTC; show them in her zone, unless
    // the value is her own input sent back (it has an offset then).
    if (utc && !tz.value) {
      var d = new Date(utc);
      if (!isNaN(d)) at.value = localValue(d);
    }
    var zone = "";
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { zone = ""; }
    if (hint) hint.textContent = "Date and time in your time zone" + (zone ? " (" + zone + ")" : "") + ".";
    at.min = localValue(new Date());
  }
  function fillOffset() {
    var at = $("schedule-at"), tz = $("tz-offset");
    if (!at || !tz) return;
    if (!at.value) { tz.value = ""; return; }
    var d = new Date(at.value); // a date-time without a zone is local
    tz.value = isNaN(d) ? "" : String(d.getTimezoneOffset());
  }

  // ---- wiring ----

  function onFieldInput(e) {
    var t = e.target;
    if (t === titleInput && state.slugAuto) {
      slugInput.value = slugify(titleInput.value);
      updateSlugViews();
    }
    if (t === slugInput) {
      state.slugAuto = false;
      if (slugAutoInput) slugAutoInput.value = "0";
      updateSlugViews();
      setFieldError("slug", "");
    }
    if (t.closest && t.closest("#editor-form") && t.name && t.name !== "publishAt" && t.name !== "tzOffset" && t.name !== "_csrf" && t.type !== "checkbox") {
      changed();
    }
  }

  function onSubmit(e) {
    fillOffset();
    if (state.mde) state.mde.codemirror.save();
    // "Preview" posts the form to a new tab: this page stays.
    if (e.submitter && e.submitter.id === "preview-button") return;
    clearTimeout(state.timer);
    if (state.mde) state.mde.codemirror.save();
    if (state.saving) {
      // Let the autosave in flight finish, so the form carries its version.
      e.preventDefault();
      var submitter = e.submitter;
      state.saving.then(function () {
        versionInput.value = String(state.version);
        if (form.requestSubmit) form.requestSubmit(submitter); else form.submit();
      });
      return;
    }
    state.leaving = true;
    if (e.submitter && e.submitter.id === "pending-discard") {
      removeLocal(); // she threw these changes away
      return;
    }
    writeLocal(); // if this post fails on the way, the text is still here
  }

  // saveNow saves without publishing (Ctrl/Cmd-S): a draft's or a
  // published post's pending edit by autosave now, any other post with
  // its Save button.
  function saveNow() {
    clearTimeout(state.timer);
    if (state.status === "published" && saver && saver.offerOpen()) {
      setStatus("Choose above what to do with your unpublished changes first (your text is kept on this device)", "dirty");
      return;
    }
    if (canAutosave()) {
      if (state.lastSaved !== null && comparable(fields()) === state.lastSaved && !state.saving) {
        setStatus("Nothing new to save", "saved");
        return;
      }
      autosave();
      return;
    }
    var btn = $("save-draft");
    if (btn && !state.stopped) {
      if (form.requestSubmit) form.requestSubmit(btn); else btn.click();
    }
  }

  // dirty reports whether the page holds changes the server does not have.
  function dirty() {
    if (state.leaving) return false;
    if (state.saving) return true;
    if (state.lastSaved === null) {
      var f = fields();
      return !!(f.title.trim() || f.body.trim() || f.excerpt.trim());
    }
    return comparable(fields()) !== state.lastSaved;
  }

  function init() {
    if (images) images.init({ changed: changed });
    if (refs) refs.init({ changed: changed });
    var pv = $("pending-version");
    if (pv) state.pendingVersion = parseInt(pv.value, 10) || 0;
    if (saver) saver.init({ saveNow: saveNow, dirty: dirty, leaving: function () { state.leaving = true; } });
    setupEditor();
    setupSchedule();
    updateHints();
    updateSlugViews();
    // What the page shows is what the server has, unless it came back
    // with errors (her input, not saved).
    if (!$("form-problem") && state.id) state.lastSaved = comparable(fields());
    if (previewEl && previewEl.innerHTML.trim() !== "") {
      preview.body = previewKey(getBody());
      preview.html = previewEl.innerHTML;
    }
    offerLocal();
    var problem = $("form-problem");
    if (problem) problem.focus();

    form.addEventListener("input", onFieldInput);
    form.addEventListener("change", function (e) {
      var n = e.target.name || "";
      if (n === "reviewerIds" && e.target.checked && !$("lastReviewed").value) {
        // Naming a reviewer dates the review today, until she says otherwise.
        var d = new Date();
        $("lastReviewed").value = d.getFullYear() + "-" + ("0" + (d.getMonth() + 1)).slice(-2) + "-" + ("0" + d.getDate()).slice(-2);
      }
      if (n === "categoryIds" || n === "pinnable" || n === "reviewerIds" || n === "lastReviewed" || /^pins\[\d+\]\.hidden$/.test(n)) changed();
    });
    form.addEventListener("submit", onSubmit);
    $("conflict-reload").addEventListener("click", function () {
      writeLocal();
      state.leaving = true;
      window.location.reload();
    });
    $("conflict-keep").addEventListener("click", keepMine);
    $("session-retry").addEventListener("click", function () {
      refreshToken().then(function (ok) {
        if (!ok) {
          setStatus("Still logged out — log in again first (your text is kept on this device)", "error");
          return;
        }
        state.stopped = "";
        show("session-banner", false);
        if (canAutosave()) autosave();
        else setStatus("Logged in again — press Save to save your changes", "dirty");
      });
    });
    window.addEventListener("online", function () { if (canAutosave() && state.retry) autosave(); });
    window.addEventListener("pagehide", function () {
      if (state.lastSaved === null || comparable(fields()) !== state.lastSaved) writeLocal();
    });

    window.lullabyEditor = {
      get mde() { return state.mde; },
      get state() { return state; },
      getBody: getBody,
      setBody: function (text) { setBody(text); changed(); },
      save: autosave,
      canAutosave: canAutosave,
      dirty: dirty,
      slugify: slugify
    };
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
