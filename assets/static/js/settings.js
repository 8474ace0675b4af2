// settings.js: the author's photo on the settings page, uploaded or
// chosen from the media library with the editor's picker
// (window.lullabyImages, js/editor-images.js). The photo is the hidden
// field author.photoMediaId; choosing one clears author.photoUrl, the
// address of a photo elsewhere that older settings may hold.
(function () {
  "use strict";

  function $(id) { return document.getElementById(id); }
  var images = window.lullabyImages;
  if (!images || !$("author-photo")) return;
  var idInput = $("author.photoMediaId"), urlInput = $("author.photoUrl");
  var img = $("author-photo-img"), empty = $("author-photo-empty"), remove = $("author-photo-remove");
  var status = $("author-photo-status"), file = $("author-photo-file");

  function setStatus(text, state) {
    status.textContent = text || "";
    status.dataset.state = state || "";
    status.hidden = !text;
  }

  function setPhoto(m) {
    idInput.value = m ? m.id : "";
    urlInput.value = "";
    if (m) img.src = "/media/" + m.id + "/w640"; else img.removeAttribute("src");
    img.hidden = !m;
    empty.hidden = !!m;
    remove.hidden = !m;
    var err = $("author-photo-error");
    if (err) { err.hidden = true; err.textContent = ""; }
    $("author-photo").classList.remove("has-error");
  }

  $("author-photo-pick").addEventListener("click", function () {
    images.pick(function (m) {
      setPhoto(m);
      setStatus("Chosen. Save the settings to use it.", "done");
      $("author-photo-pick").focus();
    });
  });
  $("author-photo-upload").addEventListener("click", function () { file.click(); });
  file.addEventListener("change", function () {
    var f = file.files && file.files[0];
    if (!f) return;
    setStatus("Uploading “" + f.name + "”…", "uploading");
    images.upload(f).then(function (r) {
      setPhoto(r.media);
      setStatus("Uploaded. Save the settings to use it.", "done");
    }, function (err) {
      setStatus(err.message, "error");
    }).then(function () { file.value = ""; });
  });
  remove.addEventListener("click", function () {
    setPhoto(null);
    setStatus("Removed. Save the settings to apply this.", "done");
    $("author-photo-upload").focus();
  });
})();
