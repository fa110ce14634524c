/* The order page: the refund form's confirm dialog names the total it is about to refund, in
   the store's currency. Hooks on data-* attributes only (strict CSP); portal.js opens the
   dialog with the form's data-confirm text, which this keeps up to date as amounts are typed.
   An amount it cannot read ("1,5") leaves the dialog out: the server refuses it with a hint. */
(function () {
  "use strict";

  // "12.5" → 1250 cents; null when it is not a plain amount with at most two decimals
  function cents(text) {
    var value = String(text || "").replace(/\s+/g, "");
    if (value === "") return 0;
    var match = /^(\d*)(?:\.(\d{0,2}))?$/.exec(value);
    if (!match || (match[1] === "" && !match[2])) return null;
    return parseInt(match[1] || "0", 10) * 100 + parseInt(((match[2] || "") + "00").slice(0, 2), 10);
  }

  function items(form) {
    var count = 0;
    form.querySelectorAll("input[name$='_quantity']").forEach(function (input) {
      var value = parseInt(input.value.trim(), 10);
      if (/^\d+$/.test(input.value.trim()) && value > 0) count += value;
    });
    return count;
  }

  function refresh(form) {
    var total = 0;
    var readable = true;
    form.querySelectorAll("[data-refund-amount]").forEach(function (input) {
      var amount = cents(input.value);
      if (amount === null) readable = false; else total += amount;
    });
    if (!readable) {
      delete form.dataset.confirm;
      return;
    }
    var returned = items(form);
    var text;
    if (total > 0) {
      var money = new Intl.NumberFormat("en", {
        style: "currency", currency: form.dataset.refundCurrency || "EUR"
      }).format(total / 100);
      text = "Refund " + money + " to the customer" +
        (returned ? " and record " + returned + " item" + (returned === 1 ? "" : "s") + " returned" : "") +
        "? Refunds cannot be undone.";
      form.dataset.confirmTitle = "Refund " + money + "?";
      form.dataset.confirmLabel = "Refund " + money;
    } else {
      text = "Record " + (returned ? returned + " item" + (returned === 1 ? "" : "s") : "this") +
        " returned without a refund? Returns cannot be undone.";
      form.dataset.confirmTitle = "Record the return?";
      form.dataset.confirmLabel = "Record return";
    }
    form.dataset.confirm = text;
  }

  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("[data-refund-form]");
    if (form) refresh(form);
  });
  function init(root) {
    root.querySelectorAll("[data-refund-form]").forEach(refresh);
  }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
