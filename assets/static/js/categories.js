// categories.js: drag-and-drop reordering of the categories page, with
// SortableJS. The up/down buttons do the same without scripts.
(function () {
  "use strict";
  function init() {
    var list = document.getElementById("category-list");
    if (!list || !window.Sortable || !list.dataset.reorder) return;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    list.after(status);
    window.Sortable.create(list, {
      handle: ".drag-handle",
      animation: 150,
      onEnd: function (e) {
        if (e.oldIndex === e.newIndex) return;
        var body = new URLSearchParams();
        list.querySelectorAll("li[data-id]").forEach(function (li) { body.append("ids", li.dataset.id); });
        fetch(list.dataset.reorder, {
          method: "POST",
          headers: { "X-CSRF-Token": window.lullaby.csrf(), "Accept": "application/json" },
          body: body,
          credentials: "same-origin",
        }).then(function (res) {
          if (!res.ok) throw new Error("status " + res.status);
          status.textContent = "Saved the new order.";
          window.location.reload();
        }).catch(function () {
          status.textContent = "The new order could not be saved; reloading.";
          window.location.reload();
        });
      },
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
