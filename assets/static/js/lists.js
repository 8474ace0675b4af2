// lists.js: the lists screen. Drag and drop reordering of each list with
// SortableJS (the order is saved with the list's "Save" button, like the
// dates), and the entries' dates shown and read in her time zone. The
// up/down buttons and UTC dates do the same without scripts.
(function () {
  "use strict";

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function localValue(d) {
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" + pad(d.getHours()) + ":" + pad(d.getMinutes());
  }

  // Stored times come in UTC (data-utc); show them in her zone.
  function localTimes(form) {
    form.querySelectorAll("input.local-time").forEach(function (input) {
      var utc = input.dataset.utc;
      if (!utc) return;
      var d = new Date(utc);
      if (!isNaN(d)) input.value = localValue(d);
    });
    var zone = "";
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { zone = ""; }
    var hint = form.querySelector(".time-hint");
    if (hint) hint.textContent = "Dates and times in your time zone" + (zone ? " (" + zone + ")" : "") + ".";
  }

  // Before sending, give each date its zone's offset at that date.
  function fillOffsets(form) {
    form.querySelectorAll("input.local-time").forEach(function (input) {
      var tz = input.nextElementSibling;
      if (!tz || !tz.classList.contains("local-tz")) return;
      if (!input.value) { tz.value = ""; return; }
      var d = new Date(input.value); // a date-time without a zone is local
      tz.value = isNaN(d) ? "" : String(d.getTimezoneOffset());
    });
  }

  // After a drag, the arrows of the first and last posts change.
  function renumber(list) {
    var items = list.querySelectorAll("li.list-entry");
    items.forEach(function (li, i) {
      var up = li.querySelector(".move-up"), down = li.querySelector(".move-down");
      if (up) up.disabled = i === 0;
      if (down) down.disabled = i === items.length - 1;
    });
  }

  function init() {
    document.querySelectorAll("form.list-entries-form").forEach(function (form) {
      localTimes(form);
      var dirty = false;
      var status = form.querySelector(".list-status");
      function changed() {
        dirty = true;
        if (status) status.textContent = "Unsaved changes: press “Save order and dates”.";
      }
      form.addEventListener("input", changed);
      // The "Add" buttons of the search results submit this form too.
      form.addEventListener("submit", function () {
        dirty = false;
        fillOffsets(form);
      });
      window.addEventListener("beforeunload", function (e) {
        if (dirty) { e.preventDefault(); e.returnValue = ""; }
      });
      var list = form.querySelector("ol.list-entries[data-sortable]");
      if (!list || !window.Sortable) return;
      window.Sortable.create(list, {
        handle: ".drag-handle",
        draggable: "li.list-entry",
        animation: 150,
        // Mouse and touch events rather than native drag and drop: the
        // same in every browser, and scriptable in browser tests.
        forceFallback: true,
        onEnd: function (e) {
          if (e.oldIndex === e.newIndex) return;
          renumber(list);
          changed();
        },
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
