// recette team workspace: small conveniences over pages that work without JavaScript.
// No inline script anywhere (CSP script-src 'self'): everything is wired here.
(function () {
  "use strict";

  // htmx requests carry the session's CSRF token in a header.
  document.addEventListener("htmx:configRequest", function (e) {
    var token = document.body && document.body.dataset.csrf;
    if (token) { e.detail.headers["X-CSRF-Token"] = token; }
  });

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  ready(function () {
    setupExecution(document);
  });
  document.addEventListener("htmx:load", function (e) { setupExecution(e.target); });

  // The execution form (#execution-form): drafts kept in localStorage across reloads,
  // keyboard shortcuts, evidence by drag and drop or pasted from the clipboard.
  function setupExecution(root) {
    var form = root.querySelector ? root.querySelector("#execution-form") : null;
    if (!form || form.dataset.ready) { return; }
    form.dataset.ready = "1";
    var key = "recette-draft:" + form.dataset.draftKey;

    // Draft: restore, then save on every change; dropped once the server accepted the save.
    try {
      var saved = JSON.parse(window.localStorage.getItem(key) || "null");
      if (saved && saved.based_on === form.elements["based_on"].value) {
        Object.keys(saved.fields).forEach(function (name) {
          var el = form.elements[name];
          if (el && el.type !== "file" && el.type !== "hidden") { el.value = saved.fields[name]; }
        });
        var note = document.getElementById("draft-restored");
        if (note) { note.hidden = false; }
      }
    } catch (err) { /* no storage: nothing to restore */ }
    function saveDraft() {
      var fields = {};
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.name && el.type !== "file" && el.type !== "hidden" && el.type !== "submit") { fields[el.name] = el.value; }
      });
      try { window.localStorage.setItem(key, JSON.stringify({ based_on: form.elements["based_on"].value, fields: fields })); } catch (err) { /* full or disabled */ }
    }
    form.addEventListener("input", saveDraft);
    form.addEventListener("change", saveDraft);
    var done = document.getElementById("saved-notice");
    if (done && done.dataset.draftKey) {
      try { window.localStorage.removeItem("recette-draft:" + done.dataset.draftKey); } catch (err) { /* ignore */ }
    }

    // Keyboard: Alt+1..6 sets the status of the focused step (or of the test), Alt+N / Alt+P
    // go to the next / previous test, Alt+S saves.
    var codes = ["passed", "failed", "blocked", "in_progress", "not_run", "not_applicable"];
    document.addEventListener("keydown", function (e) {
      if (!e.altKey || e.ctrlKey || e.metaKey) { return; }
      var k = e.key.toLowerCase();
      var n = parseInt(k, 10);
      if (n >= 1 && n <= codes.length) {
        var row = document.activeElement && document.activeElement.closest ? document.activeElement.closest("tr[data-step]") : null;
        var select = row ? row.querySelector("select") : form.elements["status"];
        if (select) { select.value = codes[n - 1]; select.dispatchEvent(new Event("change", { bubbles: true })); e.preventDefault(); }
      } else if (k === "n" || k === "p") {
        var link = document.getElementById(k === "n" ? "next-test" : "previous-test");
        if (link) { e.preventDefault(); link.click(); }
      } else if (k === "s") {
        e.preventDefault();
        var submit = document.getElementById("save");
        if (submit) { submit.click(); }
      }
    });

    // Evidence: dropped or pasted files go into the file input (DataTransfer).
    var input = form.querySelector("input[type=file][name=evidence]");
    var zone = document.getElementById("evidence-drop");
    if (!input || !zone || typeof DataTransfer === "undefined") { return; }
    var list = document.getElementById("evidence-list");
    function addFiles(files) {
      var dt = new DataTransfer();
      Array.prototype.forEach.call(input.files, function (f) { dt.items.add(f); });
      Array.prototype.forEach.call(files, function (f, i) {
        var name = f.name && f.name !== "image.png" ? f.name : "capture-" + Date.now() + "-" + i + ".png";
        dt.items.add(new File([f], name, { type: f.type }));
      });
      input.files = dt.files;
      if (list) {
        list.textContent = "";
        Array.prototype.forEach.call(input.files, function (f) {
          var li = document.createElement("li"); li.textContent = f.name + " (" + f.size + " o)"; list.appendChild(li);
        });
      }
    }
    zone.addEventListener("dragover", function (e) { e.preventDefault(); zone.classList.add("over"); });
    zone.addEventListener("dragleave", function () { zone.classList.remove("over"); });
    zone.addEventListener("drop", function (e) { e.preventDefault(); zone.classList.remove("over"); addFiles(e.dataTransfer.files); });
    document.addEventListener("paste", function (e) {
      var files = e.clipboardData && e.clipboardData.files;
      if (files && files.length) { e.preventDefault(); addFiles(files); }
    });
  }
})();
