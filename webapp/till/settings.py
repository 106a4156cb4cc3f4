"""The tills an admin sets up: each one's name, receipt printer (`host:port`, checked as
a kitchen station's) and paper width. There is always one: "Kasir 1" is made when first
needed."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db, name_taken
from ..models import ReceiptPaper, Till
from ..printing.escpos import PrinterAddressError, printer_address

DEFAULT_NAME = "Kasir 1"


class TillError(ValueError):
    """A till that cannot be saved; the message says why, `field` names the input."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


def default_till() -> Till:
    """The first till, made as "Kasir 1" when there is none yet (of two requests making
    it at once, the second finds the first's)."""
    till = db.session.scalar(select(Till).order_by(Till.id).limit(1))
    if till is None:
        try:
            with db.session.begin_nested():
                till = Till(name=DEFAULT_NAME)
                db.session.add(till)
        except IntegrityError:
            till = db.session.scalars(select(Till).where(Till.name == DEFAULT_NAME)).one()
        db.session.commit()
    return till


def all_tills() -> list[Till]:
    default_till()
    return list(db.session.scalars(select(Till).order_by(Till.id)))


def save_till(till: Till | None, name: str, printer: str, paper: ReceiptPaper) -> Till:
    """A new till (`till` None) or a change to one; raises TillError naming the field."""
    name = " ".join(name.split())
    try:
        printer = printer_address(printer)
    except PrinterAddressError as exc:
        raise TillError(str(exc), "printer") from exc
    if name_taken(Till.name, name, till):
        raise TillError(_("Sudah ada mesin kasir bernama %(name)s.", name=name), "name")
    if till is None:
        till = Till()
        db.session.add(till)
    till.name, till.printer, till.paper = name, printer, paper
    db.session.commit()
    return till
