// The item choice panel (templates/shop/_choice_panel.html): its running price, the
// quantity's - and + buttons, and, on the menu, where it opens and closes. Without this
// script the panel is a page (shop/choice.html) with the number field alone, a link back
// to the menu, and the browser's autofocus on the first thing to fix.
(function () {
  "use strict";
  function rupiah(amount) {
    return "Rp" + String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }
  // The number field is the quantity; anything else in it counts as one, as on the server.
  function quantityOf(input) {
    var value = Number(input.value);
    return Number.isInteger(value) && value >= Number(input.min) && value <= Number(input.max) ? value : 1;
  }
  // The price of what is chosen: the item's price plus the ticked options' differences,
  // times the quantity. Only a preview: the server prices the order itself.
  function update(form) {
    var each = Number(form.dataset.basePrice);
    form.querySelectorAll("input[data-price-diff]:checked").forEach(function (input) {
      each += Number(input.dataset.priceDiff);
    });
    var field = form.querySelector("input[name=quantity]");
    var quantity = quantityOf(field);
    form.querySelector(".choice-price").textContent = rupiah(each * quantity);
    form.querySelectorAll("[data-qty-step]").forEach(function (button) {
      button.disabled = button.dataset.qtyStep < 0 ? quantity <= Number(field.min) : quantity >= Number(field.max);
    });
  }
  function changed(event) {
    var form = event.target.closest && event.target.closest("form.choice-form");
    if (form) update(form);
  }
  document.addEventListener("input", changed);
  document.addEventListener("change", changed);

  // A panel in the page (the menu's first load, a swap): its - and + come out.
  document.addEventListener("htmx:load", function (event) {
    event.detail.elt.querySelectorAll("form.choice-form").forEach(function (form) {
      form.querySelectorAll("[data-qty-step]").forEach(function (button) {
        button.hidden = false;
      });
      update(form);
    });
  });

  // Opened on the menu: the panel comes up under the sticky bars (scroll-margin-top) if
  // its end is off screen, and its heading takes the focus. After a refused choice htmx
  // has focused the first error instead (its autofocus), and scrolled it into view.
  document.addEventListener("htmx:afterSettle", function (event) {
    var slot = event.target;
    var panel = slot.classList && slot.classList.contains("choice-slot") && slot.querySelector(".choice-panel");
    if (!panel || panel.querySelector("[autofocus]")) return;
    if (panel.getBoundingClientRect().bottom > window.innerHeight) panel.scrollIntoView({ block: "start" });
    panel.querySelector("h2").focus({ preventScroll: true });
  });

  // Closed, by its close button or by adding the item (the answer empties the slot
  // out of band): the panel was tall, and the customer had scrolled down it. Bring the
  // item back under the bars rather than leave the menu further down, and give the
  // focus back to its Pilih button.
  function closed(slot) {
    var item = slot.closest(".item");
    if (!item) return;
    var nav = document.querySelector(".category-chips");
    var barsBottom = nav ? nav.getBoundingClientRect().bottom : 0;
    if (item.getBoundingClientRect().top < barsBottom) item.scrollIntoView({ block: "start" });
    var opener = item.querySelector("a[hx-get]");
    if (opener) opener.focus({ preventScroll: true });
  }
  document.addEventListener("htmx:oobAfterSwap", function (event) {
    var slot = event.target;
    if (slot.classList.contains("choice-slot") && !slot.children.length) closed(slot);
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-qty-step]");
    if (button) {
      var field = button.form.querySelector("input[name=quantity]");
      if (button.dataset.qtyStep > 0) field.stepUp();
      else field.stepDown();
      update(button.form);
      return;
    }
    var close = event.target.closest && event.target.closest("[data-choice-close]");
    var slot = close && close.closest(".choice-slot");
    if (!slot) return;  // the panel is a page of its own: the link goes back to the menu
    event.preventDefault();
    slot.replaceChildren();
    closed(slot);
  });
})();
