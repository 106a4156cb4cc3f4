// Checkout: what the page shows follows the order type chosen. The figures of that
// type only, the payment choice only where it applies (a dine-in order on the table's
// bill is paid later), QRIS only for a total Duitku takes, and the button's total,
// which the form sends back so the order is placed only at the figure shown.
(function () {
  "use strict";
  function chosenType(form) {
    var checked = form.querySelector("input[name=order_type]:checked");
    return checked ? checked.value : null;
  }
  function follow(form) {
    var type = chosenType(form);
    var button = form.querySelector("[data-checkout-button]");
    if (!type || !button || !button.hasAttribute("data-total-" + type)) return;
    document.querySelectorAll("[data-order-type]").forEach(function (block) {
      block.hidden = block.dataset.orderType !== type;
    });
    document.querySelectorAll("[data-show-for]").forEach(function (part) {
      part.hidden = part.dataset.showFor !== type;
    });
    button.textContent = button.getAttribute("data-label-" + type);
    form.querySelector("[data-checkout-total]").value = button.getAttribute("data-total-" + type);
    var qrisTaken = button.getAttribute("data-qris-" + type) === "1";
    var qris = form.querySelector("input[data-qris]");
    var limits = form.querySelector("[data-qris-limits]");
    if (qris) {
      qris.disabled = !qrisTaken;
      qris.closest("label").classList.toggle("choice-unavailable", !qrisTaken);
      if (!qrisTaken && qris.checked) {
        var cash = form.querySelector("input[name=payment_method][value=cash]");
        if (cash) cash.checked = true;
      }
    }
    if (limits) limits.hidden = qrisTaken;
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form.checkout-form");
    if (!form) return;
    follow(form);
    form.addEventListener("change", function (event) {
      if (event.target.name === "order_type") follow(form);
    });
  });
})();
