// quiz.js: the quiz screen. htmx does the live "Try it" (views/quiz.html);
// this keeps her unsaved edits safe: a warning before leaving the page
// with changes not saved, and when the session ends during a live preview
// the page stays (htmx would follow the server's redirect to the login
// form) and the result area says what happened; once she has logged in
// again in another tab, saving first fetches the new session's CSRF token.
(function () {
  "use strict";

  function init() {
    var form = document.getElementById("quiz-form");
    if (!form) return;
    var dirty = false, ended = false;
    form.addEventListener("input", function (e) {
      var name = e.target && e.target.name || "";
      if (name.indexOf("try.") !== 0) dirty = true; // the answers are not saved anyway
    });
    form.addEventListener("submit", function (e) {
      if (!ended) { dirty = false; return; }
      // The session ended earlier: take the token of the new one first.
      e.preventDefault();
      var button = e.submitter;
      fetch("/admin/quiz", { credentials: "same-origin", redirect: "manual", headers: { "Accept": "text/html" } })
        .then(function (res) {
          if (res.type === "opaqueredirect" || !res.ok) throw new Error("logged out");
          return res.text();
        })
        .then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          var meta = doc.querySelector("meta[name=csrf-token]");
          if (!meta) throw new Error("no token");
          var token = meta.getAttribute("content");
          form.querySelector("input[name=_csrf]").value = token;
          document.body.setAttribute("hx-headers", JSON.stringify({ "X-CSRF-Token": token }));
          ended = false;
          dirty = false;
          form.requestSubmit(button || undefined);
        })
        .catch(function () {
          window.alert("You are not logged in yet. Log in again in another tab, then save here; your edits are kept.");
        });
    });
    window.addEventListener("beforeunload", function (e) {
      if (dirty) { e.preventDefault(); e.returnValue = ""; }
    });

    document.body.addEventListener("htmx:beforeOnLoad", function (e) {
      var xhr = e.detail && e.detail.xhr;
      if (!xhr || !xhr.getResponseHeader("HX-Redirect")) return;
      e.preventDefault();
      ended = true;
      var box = document.getElementById("quiz-result");
      if (!box) return;
      var p = document.createElement("p");
      p.className = "quiz-outcome quiz-outcome-error";
      p.setAttribute("role", "alert");
      p.appendChild(document.createTextNode("Your session has ended, so “Try it” stopped. Your edits are still here: "));
      var a = document.createElement("a");
      a.href = "/admin/login";
      a.target = "_blank";
      a.rel = "noopener";
      a.textContent = "log in again in a new tab";
      p.appendChild(a);
      p.appendChild(document.createTextNode(", then come back here and save."));
      box.replaceChildren(p);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
