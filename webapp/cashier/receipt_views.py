"""The cashier's copy of a paid order's receipt, to print or show; and, for an order
paid at a till with a printer, its receipt printed there again."""

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _

from .. import clock
from ..billing.receipts import receipt_for
from ..receipt_page import render_receipt
from ..staff.permissions import Permission, requires
from ..till import printing
from . import bp
from .views import find_order


@bp.get("/orders/<public_id>/receipt")
@requires(Permission.BOARD)
def receipt(public_id):
    return render_receipt(
        receipt_for(find_order(public_id)),
        url_for("cashier.order_detail", public_id=public_id),
        "cashier.receipt",
        _("Kembali ke pesanan"),
    )


@bp.post("/orders/<public_id>/receipt/print")
@requires(Permission.REPRINT)
def print_receipt(public_id):
    """Print the receipt on its till's printer now: the first time if the printer was
    off (with the drawer kick for cash), or a copy."""
    order = find_order(public_id)
    job = printing.receipt_print(order.id)
    if job is None:
        abort(404)
    if printing.reprint(job, clock.now()):
        flash(_("Struk %(number)s dicetak.", number=order.number), "info")
    else:
        flash(_("Printer %(till)s belum bisa dihubungi: dicoba lagi nanti.", till=job.till.name), "error")
    return redirect(url_for("cashier.order_detail", public_id=public_id), 303)
