"""The receipt page, shared by the customer's and the cashier's routes."""

from flask import abort, render_template, request

from .billing.receipts import (
    PAPERS,
    Receipt,
    fact_rows,
    inclusive_note,
    paper_size,
    payment_rows,
    sum_rows,
)


def render_receipt(found: Receipt | None, back_url: str, endpoint: str, back_label: str):
    """The receipt on the paper asked for (`?paper=58|80|a4`); 404 while not paid."""
    if found is None:
        abort(404)
    return render_template(
        "receipt.html",
        receipt=found,
        facts=fact_rows(found),
        sums=sum_rows(found.bill),
        inclusive_note=inclusive_note(found.bill),
        payments=payment_rows(found),
        paper=paper_size(request.args.get("paper")),
        papers=PAPERS,
        back_url=back_url,
        back_label=back_label,
        receipt_endpoint=endpoint,
    )
