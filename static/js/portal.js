/* Merchant Portal — small behaviours shared by every page. No inline scripts anywhere (CSP):
   everything hooks on data-* attributes, on load and after every htmx swap. */
(function () {
  "use strict";

  // Sidebar menu on narrow screens.
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-sidebar-toggle]");
    var sidebar = document.getElementById("sidebar");
    if (!sidebar) return;
    if (toggle) {
      var open = sidebar.classList.toggle("is-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) { var first = sidebar.querySelector("a, summary"); if (first) first.focus(); }
      return;
    }
    if (sidebar.classList.contains("is-open") && !event.target.closest("#sidebar")) {
      sidebar.classList.remove("is-open");
    }
  });

  // "/" focuses the page's search box (the table search, or the global one).
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      document.querySelectorAll("details[open]").forEach(function (d) { d.removeAttribute("open"); });
      var dropdown = document.getElementById("global-search-dropdown");
      if (dropdown) dropdown.innerHTML = "";
      var sidebar = document.getElementById("sidebar");
      if (sidebar) sidebar.classList.remove("is-open");
    }
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var tag = (document.activeElement && document.activeElement.tagName) || "";
    if (/^(INPUT|TEXTAREA|SELECT)$/.test(tag) || document.activeElement.isContentEditable) return;
    var search = document.querySelector("[data-global-search]") || document.querySelector("[data-table-search]");
    if (search) { event.preventDefault(); search.focus(); search.select(); }
  });

  // Enter in the top bar's search opens the best match for the query as typed now. The results
  // below carry the query they answer (data-query): a list left from an earlier keystroke is
  // never opened — the current query's results are fetched first. With nothing found, the form
  // submits to the full results page as usual.
  function folded(text) { return (text || "").trim().split(/\s+/).join(" "); }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !event.target.matches("[data-global-search]")) return;
    var input = event.target;
    var query = folded(input.value);
    var results = document.querySelector("#global-search-dropdown #search-results");
    if (results && folded(results.dataset.query) === query) {
      var first = results.querySelector("a.search-hit");
      if (!first) return;
      event.preventDefault();
      window.location.assign(first.href);
      return;
    }
    if (!query) return;
    event.preventDefault();
    var form = input.form;
    var url = form.action + "?" + new URLSearchParams({ q: query }).toString();
    fetch(url, { headers: { "HX-Request": "true" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        if (folded(input.value) !== query) return;  // typed on meanwhile: the next Enter decides
        var found = new DOMParser().parseFromString(html, "text/html").querySelector("a.search-hit");
        window.location.assign(found ? found.getAttribute("href") : url);
      })
      .catch(function () { window.location.assign(url); });
  });

  // Close menus (<details>) and the search results when clicking elsewhere.
  document.addEventListener("click", function (event) {
    var dropdown = document.getElementById("global-search-dropdown");
    if (dropdown && !event.target.closest(".global-search")) dropdown.innerHTML = "";
    document.querySelectorAll("details.store-switcher[open], details.user-menu[open]").forEach(function (d) {
      if (!d.contains(event.target)) d.removeAttribute("open");
    });
  });

  // Destructive actions: <form data-confirm="What will be lost"> asks first.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("[data-confirm]") || form.dataset.confirmed === "yes") return;
    var dialog = document.getElementById("confirm-dialog");
    if (!dialog || typeof dialog.showModal !== "function") {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    dialog.querySelector("[data-confirm-title]").textContent = form.dataset.confirmTitle || "Are you sure?";
    dialog.querySelector("[data-confirm-text]").textContent = form.dataset.confirm;
    dialog.querySelector("[data-confirm-button]").textContent = form.dataset.confirmLabel || "Confirm";
    // the button that closes the dialog says what it keeps ("Keep exporting"), where told
    dialog.querySelector("[data-confirm-dismiss]").textContent = form.dataset.confirmDismiss || "Cancel";
    dialog.returnValue = "";
    dialog.onclose = function () {
      if (dialog.returnValue === "confirm") {
        form.dataset.confirmed = "yes";
        if (form.requestSubmit) form.requestSubmit(); else form.submit();
        form.dataset.confirmed = "";
      }
    };
    dialog.showModal();
  }, true);

  // <select data-autosubmit> submits its form on change (with a submit button as fallback).
  // A date input does too, once its typing has paused: a date typed digit by digit changes
  // at every digit of the year, and a half-typed one (badInput) is not a date yet.
  var autosubmitTimers = new WeakMap();
  function submitForm(form) {
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  }
  document.addEventListener("change", function (event) {
    var control = event.target.closest("[data-autosubmit]");
    if (!control || !control.form) return;
    if (control.type !== "date") {
      submitForm(control.form);
      return;
    }
    clearTimeout(autosubmitTimers.get(control.form));
    if (control.validity.badInput) return;
    autosubmitTimers.set(control.form, setTimeout(function () { submitForm(control.form); }, 600));
  });
  // Enter or the Apply button submitted already: no second request when the pause ends
  document.addEventListener("submit", function (event) {
    clearTimeout(autosubmitTimers.get(event.target));
  }, true);

  // Copy buttons: <button data-copy="#selector">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var source = document.querySelector(button.dataset.copy);
    if (!source || !navigator.clipboard) return;
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      button.textContent = "Copied";
    });
  });

  // Toasts: dismissable, fade after a while; htmx responses can add one with HX-Trigger "toast".
  function armToasts(root) {
    root.querySelectorAll("[data-toast]").forEach(function (toast) {
      if (toast.dataset.armed) return;
      toast.dataset.armed = "1";
      setTimeout(function () { toast.remove(); }, 6000);
    });
  }
  document.addEventListener("click", function (event) {
    var close = event.target.closest("[data-toast-close]");
    if (close) close.closest("[data-toast]").remove();
  });
  document.body.addEventListener("toast", function (event) {
    var box = document.getElementById("toasts");
    if (!box || !event.detail) return;
    var toast = document.createElement("div");
    toast.className = "toast toast-" + (event.detail.level || "success");
    toast.setAttribute("data-toast", "");
    var text = document.createElement("span");
    text.textContent = event.detail.message || event.detail.value || "";
    toast.appendChild(text);
    box.appendChild(toast);
    armToasts(box);
  });

  // Unsaved changes: forms with data-unsaved-warning show the save bar and ask before leaving.
  var dirtyForms = new Set();
  function armUnsaved(root) {
    root.querySelectorAll("form[data-unsaved-warning]").forEach(function (form) {
      if (form.dataset.armed) return;
      form.dataset.armed = "1";
      var mark = function () {
        dirtyForms.add(form);
        var bar = form.querySelector(".save-bar");
        if (bar) bar.classList.add("is-dirty");
      };
      form.addEventListener("input", mark);
      form.addEventListener("change", mark);
      form.addEventListener("submit", function () { dirtyForms.delete(form); });
    });
  }
  window.addEventListener("beforeunload", function (event) {
    dirtyForms.forEach(function (form) { if (!document.body.contains(form)) dirtyForms.delete(form); });
    if (dirtyForms.size) { event.preventDefault(); event.returnValue = ""; }
  });

  function init(root) { armToasts(root); armUnsaved(root); }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
