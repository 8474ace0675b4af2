// reviewers.js: each reviewer form's photo, chosen from the media library
// with the editor's picker (window.lullabyImages, js/editor-images.js)
// into the form's hidden photoMediaId field.
(function () {
  "use strict";

  var images = window.lullabyImages;
  if (!images) return;
  document.querySelectorAll(".reviewer-photo").forEach(function (group) {
    var id = group.querySelector("[data-photo-id]"), img = group.querySelector("[data-photo-img]");
    var pick = group.querySelector("[data-photo-pick]"), remove = group.querySelector("[data-photo-remove]");
    function set(m) {
      id.value = m ? m.id : "";
      if (m) img.src = "/media/" + m.id + "/w640"; else img.removeAttribute("src");
      img.hidden = !m;
      remove.hidden = !m;
    }
    pick.addEventListener("click", function () {
      images.pick(function (m) { set(m); pick.focus(); });
    });
    remove.addEventListener("click", function () { set(null); pick.focus(); });
  });
})();
