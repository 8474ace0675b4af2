// citations.js: the reference screens' enhancements. The forms work
// without it; this adds
//   - "Add an author" / "Remove" on the author and editor rows (the rows
//     are renumbered so the names stay authors[0].family, authors[1]…);
//   - on the import list, "Save" stores each entry through the admin API
//     in place (with the session's CSRF token), so she can save them one
//     after the other without leaving the page.
(function () {
  "use strict";

  var csrf = window.lullaby.csrf;

  // renumber gives the rows of a name list their form names and ids.
  function renumber(list) {
    var group = list.closest("[data-group]").dataset.group;
    var prefix = list.id.slice(0, list.id.length - group.length - 1);
    Array.prototype.forEach.call(list.querySelectorAll(".name-row"), function (li, i) {
      li.querySelectorAll("input[data-name]").forEach(function (input) {
        var n = input.dataset.name;
        input.name = group + "[" + i + "]." + n;
        input.id = prefix + "-" + group + "-" + i + "-" + n;
        var label = input.parentNode.querySelector("label");
        if (label) label.htmlFor = input.id;
      });
    });
  }

  function addRow(list) {
    var tpl = document.getElementById("name-row-template");
    if (!tpl) return null;
    var li = tpl.content.firstElementChild.cloneNode(true);
    list.appendChild(li);
    renumber(list);
    return li;
  }

  function setupNames(root) {
    root.addEventListener("click", function (e) {
      var add = e.target.closest(".name-add");
      if (add) {
        var list = document.getElementById(add.dataset.target);
        if (!list) return;
        var li = addRow(list);
        if (li) li.querySelector("input").focus();
        return;
      }
      var rm = e.target.closest(".name-remove");
      if (rm) {
        var row = rm.closest(".name-row");
        var l = row.parentNode;
        var next = row.nextElementSibling || row.previousElementSibling;
        row.remove();
        if (!l.querySelector(".name-row")) addRow(l);
        renumber(l);
        var focus = next && next.querySelector ? next.querySelector("input") : null;
        if (focus) focus.focus();
      }
    });
  }

  // formJSON turns a reference form into the admin API's JSON.
  function formJSON(form) {
    var out = { authors: [], editors: [] };
    var fd = new FormData(form);
    var names = { authors: {}, editors: {} };
    fd.forEach(function (v, k) {
      var m = /^(authors|editors)\[(\d+)\]\.(family|given|literal)$/.exec(k);
      if (m) {
        var row = names[m[1]][m[2]] = names[m[1]][m[2]] || {};
        row[m[3]] = String(v).trim();
        return;
      }
      if (k === "_csrf" || k === "action") return;
      if (k === "year" || k === "month" || k === "day") {
        var s = String(v).trim();
        out[k] = s === "" ? 0 : (/^\d+$/.test(s) ? parseInt(s, 10) : s);
        return;
      }
      out[k] = String(v).trim();
    });
    ["authors", "editors"].forEach(function (g) {
      Object.keys(names[g]).sort(function (a, b) { return a - b; }).forEach(function (i) {
        var n = names[g][i];
        if (n.family || n.given || n.literal) out[g].push(n);
      });
    });
    return out;
  }

  function setupImport() {
    var list = document.getElementById("import-list");
    if (!list) return;
    list.addEventListener("submit", function (e) {
      var form = e.target;
      if (!form.classList.contains("import-form")) return;
      if (e.submitter && e.submitter.name === "action") return; // "Open in the full form"
      e.preventDefault();
      var status = form.querySelector(".import-status");
      var btn = form.querySelector(".import-save");
      if (btn) btn.disabled = true;
      status.hidden = false;
      status.dataset.state = "saving";
      status.textContent = "Saving…";
      fetch("/admin/api/v1/citations", {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrf() },
        body: JSON.stringify(formJSON(form))
      }).then(function (res) {
        return res.text().then(function (t) {
          var body = null;
          try { body = t ? JSON.parse(t) : null; } catch (err) { body = null; }
          return { status: res.status, body: body };
        });
      }, function () { return { status: 0, body: null }; }).then(function (r) {
        var c = r.body && r.body.data;
        if (r.status === 201 && c) {
          status.dataset.state = "done";
          status.textContent = "";
          status.appendChild(document.createTextNode("Saved as "));
          var a = document.createElement("a");
          a.href = "/admin/citations/" + c.id;
          a.textContent = "@" + c.key;
          status.appendChild(a);
          status.appendChild(document.createTextNode("."));
          if (btn) btn.remove();
          form.closest(".import-entry").classList.add("is-saved");
          return;
        }
        if (btn) btn.disabled = false;
        status.dataset.state = "error";
        var p = r.body || {};
        var errs = p.errors || {};
        var msgs = Object.keys(errs).map(function (k) { return k + ": " + errs[k]; });
        if (r.status === 401) msgs = ["your session expired: log in again."];
        if (r.status === 403) msgs = ["the page's security token is out of date: reload the page."];
        if (r.status === 0) msgs = ["the connection dropped; try again."];
        status.textContent = "Not saved — " + (msgs.length ? msgs.join(" ") : (p.detail || "error " + r.status + "."));
        var d = form.querySelector("details");
        if (d && Object.keys(errs).length) d.open = true;
      });
    });
  }

  function init() {
    setupNames(document);
    setupImport();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
