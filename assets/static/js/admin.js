// admin.js: small enhancements every panel page gets. Everything works
// without it; it only makes pages nicer where scripts run.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Helpers the page scripts share (they load after this one, deferred):
  // the session's CSRF token, read afresh because editor.js renews it, and
  // opening and closing a <dialog>, with a fallback for browsers without
  // showModal.
  window.lullaby = {
    csrf: function () {
      var meta = document.querySelector('meta[name="csrf-token"]');
      return meta ? meta.content : "";
    },
    openDialog: function (d) {
      if (typeof d.showModal === "function") d.showModal(); else d.setAttribute("open", "");
    },
    closeDialog: function (d) {
      if (typeof d.close === "function" && d.open) d.close(); else d.removeAttribute("open");
    }
  };

  // Show every <time datetime="..."> in the reader's own time zone.
  var fmt = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
  function localTimes(root) {
    root.querySelectorAll("time[datetime]").forEach(function (el) {
      if (el.dataset.local) return;
      var d = new Date(el.getAttribute("datetime"));
      if (isNaN(d)) return;
      el.title = el.textContent.trim();
      el.textContent = fmt.format(d);
      el.dataset.local = "1";
    });
  }

  // The collapsing navigation on narrow screens.
  function navToggle() {
    var button = document.querySelector(".nav-toggle");
    var nav = document.getElementById("site-nav");
    if (!button || !nav) return;
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") === "true";
      button.setAttribute("aria-expanded", open ? "false" : "true");
      nav.classList.toggle("open", !open);
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && nav.classList.contains("open")) {
        button.setAttribute("aria-expanded", "false");
        nav.classList.remove("open");
        button.focus();
      }
    });
  }

  // Forms with data-confirm ask first; once confirmed they send
  // confirm=yes, which the server wants before deleting anything for good.
  // Without scripts the server shows a confirmation page instead.
  function confirmations() {
    document.addEventListener("submit", function (e) {
      var form = e.target;
      var question = form.getAttribute && form.getAttribute("data-confirm");
      if (!question) return;
      if (!window.confirm(question)) {
        e.preventDefault();
        return;
      }
      if (!form.querySelector("input[name=confirm]")) {
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = "confirm";
        input.value = "yes";
        form.appendChild(input);
      }
    });
  }

  // After a form came back with errors, start at the first bad field.
  function focusFirstError() {
    var bad = document.querySelector("main [aria-invalid=true]");
    if (bad && !document.querySelector("main [autofocus]")) bad.focus();
  }

  // A button with data-copy="ID" copies the value of the input ID (a
  // secret shown once) to the clipboard, or, where the clipboard cannot
  // be written, selects it for the reader to copy; the element
  // BUTTONID-status says which.
  function copyButtons() {
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      var input = document.getElementById(button.getAttribute("data-copy"));
      var status = document.getElementById(button.id + "-status");
      if (!input || !status) return;
      button.addEventListener("click", function () {
        input.focus();
        input.select();
        var done = function () { status.textContent = "Copied."; };
        var fallback = function () {
          status.textContent = document.execCommand && document.execCommand("copy") ? "Copied." : "Selected: press Ctrl+C (⌘C) to copy.";
        };
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(input.value).then(done, fallback);
        } else {
          fallback();
        }
      });
    });
  }

  function init() {
    localTimes(document);
    copyButtons();
    focusFirstError();
    navToggle();
    confirmations();
    // Content swapped in by htmx gets local times too.
    document.body.addEventListener("htmx:afterSwap", function (e) { localTimes(e.target); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
