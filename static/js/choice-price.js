// The running price of a choice panel: the item's price plus the price differences of
// the options ticked. Only a preview: the server prices the order itself.
(function () {
  "use strict";
  function rupiah(amount) {
    return "Rp" + String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }
  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("form.choice-form");
    if (!form) return;
    var total = Number(form.dataset.basePrice);
    form.querySelectorAll("input[data-price-diff]:checked").forEach(function (input) {
      total += Number(input.dataset.priceDiff);
    });
    var output = form.querySelector(".choice-price");
    if (output) output.textContent = rupiah(total);
  });
})();
