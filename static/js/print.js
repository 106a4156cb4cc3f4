// A "Cetak" button (the receipt's, the table QR cards'): shown only where JavaScript runs, it opens the print dialog.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
});
