// editor-seo.js: live previews of the post as a search result (title,
// address, description) and as a shared link's card (image, site, title,
// description), from the fields as she types. They follow the public
// API's fallbacks: the SEO title, else the title; the SEO description,
// else the excerpt, else the start of the text; the cover's "social"
// variant as the image.
(function () {
  "use strict";

  function $(id) { return document.getElementById(id); }
  var form = $("editor-form");
  if (!form || !$("seo-previews")) return;
  var TITLE_MAX = 60, DESC_MAX = 160;

  function cut(s, n) {
    s = s.replace(/\s+/g, " ").trim();
    if (s.length <= n) return s;
    var c = s.slice(0, n - 1);
    var sp = c.lastIndexOf(" ");
    if (sp > n * 0.6) c = c.slice(0, sp);
    return c.replace(/[\s.,;:]+$/, "") + "…";
  }
  function value(id) { var el = $(id); return el ? el.value : ""; }
  function firstParagraph() {
    var p = document.querySelector("#preview p");
    return p ? p.textContent : "";
  }
  function host() {
    var site = form.dataset.siteUrl || "";
    try { return site ? new URL(site).host : ""; } catch (e) { return site; }
  }

  function update() {
    var title = value("seo-title").trim() || value("title").trim() || "Untitled post";
    var desc = value("seo-description").trim() || value("excerpt").trim() || firstParagraph();
    var slug = value("slug").trim();
    var h = host();
    $("serp-url").textContent = (h || "your site") + (slug ? " › " + slug : "");
    $("serp-title").textContent = cut(title, TITLE_MAX);
    $("serp-desc").textContent = cut(desc, DESC_MAX);
    $("social-site").textContent = (h || "your site").toUpperCase();
    $("social-title").textContent = cut(title, 90);
    $("social-desc").textContent = cut(desc, 110);
    var cover = value("cover.mediaId"), img = $("social-img");
    var src = cover ? "/media/" + cover + "/social" : "";
    if (img.getAttribute("src") !== src) {
      if (src) img.src = src; else img.removeAttribute("src");
    }
    img.hidden = !src;
    $("social-noimg").hidden = !!src;
  }

  var timer = 0;
  function soon() { clearTimeout(timer); timer = setTimeout(update, 150); }
  form.addEventListener("input", soon);
  form.addEventListener("change", soon);
  // The cover is set by script (a hidden field) and the preview pane's
  // text arrives from the server: watch both.
  var preview = $("preview");
  if (preview) new MutationObserver(soon).observe(preview, { childList: true, subtree: true, characterData: true });
  // The cover's hidden field changes by script (upload, picker,
  // restore): look at it now and then.
  var lastCover = value("cover.mediaId");
  setInterval(function () {
    var c = value("cover.mediaId");
    if (c !== lastCover) { lastCover = c; update(); }
  }, 700);
  update();
})();
