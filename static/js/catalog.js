/* Catalog pages: bulk selection on the product list, variant rows on the product form.
   Hooks on data-* attributes only (strict CSP); re-armed after every htmx swap. */
(function () {
  "use strict";

  // --- product list: bulk bar -------------------------------------------------------------------
  function bulkForm() { return document.querySelector("[data-bulk-form]"); }

  function refreshBulk() {
    var form = bulkForm();
    if (!form) return;
    var items = document.querySelectorAll("[data-bulk-item]");
    var checked = document.querySelectorAll("[data-bulk-item]:checked").length;
    var all = form.querySelector("[data-bulk-all]");
    var count = form.querySelector("[data-bulk-count]");
    var page = document.querySelector("[data-bulk-page]");
    if (page) page.checked = items.length > 0 && checked === items.length;
    if (count) {
      if (all && all.checked) count.textContent = "All matching products selected";
      else if (checked) count.textContent = checked + " selected";
      else count.textContent = "Select products to edit them together";
    }
    form.classList.toggle("has-selection", checked > 0 || (all && all.checked));
    var action = form.querySelector("[data-bulk-action]");
    var value = action ? action.value : "";
    form.querySelectorAll("[data-bulk-option]").forEach(function (option) {
      var actions = option.dataset.bulkOption.split(" ");
      option.hidden = actions.indexOf(value) === -1;
    });
    var submit = form.querySelector("[data-bulk-submit]");
    if (submit) submit.textContent = value === "adjust_price" ? "Preview" : "Apply";
    // archiving ticked products asks here; a change to all matching is confirmed by the server,
    // which names how many products it will change
    if (value === "archive" && checked && !(all && all.checked)) {
      form.dataset.confirm = "Archive " + checked + " product" + (checked === 1 ? "" : "s") +
        "? They leave your storefront until you set them active again.";
      form.dataset.confirmTitle = "Archive products";
      form.dataset.confirmLabel = "Archive";
    } else {
      delete form.dataset.confirm;
    }
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches("[data-bulk-page]")) {
      document.querySelectorAll("[data-bulk-item]").forEach(function (box) { box.checked = target.checked; });
    }
    if (target.matches("[data-bulk-page], [data-bulk-item], [data-bulk-all], [data-bulk-action]")) refreshBulk();
  });

  // --- product form: variant rows ---------------------------------------------------------------
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-formset-add]");
    if (!button) return;
    var prefix = button.dataset.formsetAdd;
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = document.getElementById(prefix + "-empty-row");
    var rows = document.querySelector("[data-formset-rows='" + prefix + "']");
    if (!total || !template || !rows) return;
    var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    var kept = rows.querySelectorAll("[data-variant-row]:not(.is-removed)").length;
    var limit = document.querySelector("[data-formset-limit='" + prefix + "']");
    if (max && kept >= parseInt(max.value, 10)) {
      if (limit) limit.hidden = false;  // the product holds as many variants as it may
      return;
    }
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var row = rows.lastElementChild;
    var first = row && row.querySelector("input:not([type=hidden])");
    if (first) first.focus();
    syncOptionLabels();
    var form = button.closest("form");
    if (form) form.dispatchEvent(new Event("change", { bubbles: true }));
  });

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box.matches("[data-variant-row] input[name$='-DELETE']")) {
      box.closest("[data-variant-row]").classList.toggle("is-removed", box.checked);
    }
  });

  function syncOptionLabels() {
    [1, 2].forEach(function (n) {
      var name = document.getElementById("id_option" + n + "_name");
      if (!name) return;
      var text = name.value.trim() || ("Option " + n);
      document.querySelectorAll("[data-option-label='" + n + "']").forEach(function (label) {
        label.firstChild.textContent = text + " ";
      });
    });
  }
  document.addEventListener("input", function (event) {
    if (event.target.matches("#id_option1_name, #id_option2_name")) syncOptionLabels();
  });

  // a page that comes back with errors moves focus to their summary, so it is read out first
  function focusErrors() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary && !document.querySelector("[autofocus]")) summary.focus();
  }

  document.addEventListener("DOMContentLoaded", refreshBulk);
  document.addEventListener("DOMContentLoaded", focusErrors);
  document.addEventListener("htmx:load", refreshBulk);
})();
