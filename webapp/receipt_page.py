"""The receipt page, shared by the customer's and the cashier's routes."""

from flask import abort, render_template, request

from .billing.receipts import PAPERS, Receipt, paper_size


def render_receipt(found: Receipt | None, back_url: str, endpoint: str, back_label: str):
    """The receipt on the paper asked for (`?paper=58|80|a4`); 404 while not paid."""
    if found is None:
        abort(404)
    return render_template(
        "receipt.html",
        receipt=found,
        paper=paper_size(request.args.get("paper")),
        papers=PAPERS,
        back_url=back_url,
        back_label=back_label,
        receipt_endpoint=endpoint,
    )
