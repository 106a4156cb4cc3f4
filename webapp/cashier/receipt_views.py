"""The cashier's copy of a paid order's receipt, to print or show."""

from flask import url_for
from flask_babel import gettext as _

from ..billing.receipts import receipt_for
from ..receipt_page import render_receipt
from ..staff.permissions import Permission, requires
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
