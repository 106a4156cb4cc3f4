"""The receipt page, shared by the customer's and the cashier's routes."""

from flask import abort, render_template, request

from .billing.receipts import PAPERS, paper_size, receipt_for
from .models import Order


def render_receipt(order: Order, back_url: str, endpoint: str):
    """The receipt on the paper asked for (`?paper=58|80|a4`); 404 while the order is unpaid."""
    found = receipt_for(order)
    if found is None:
        abort(404)
    return render_template(
        "receipt.html",
        receipt=found,
        paper=paper_size(request.args.get("paper")),
        papers=PAPERS,
        back_url=back_url,
        receipt_endpoint=endpoint,
    )
