"""The drawer page of a till (open, pay in and out, count and close) and a shift's X or Z
report. Each form validates (the page again with its errors, 422), asks
`shifts.drawer`, and lands back on the page (or, after the close, on the Z report).

Closing takes the version of the shift the page showed: "Periksa selisih" shows
expected, counted and the difference without closing; "Tutup shift" closes, after a
manager's approval when the difference is past the limit (an approval given within it
is checked and kept too). Cash that moved since the
page was shown was not counted: the close is refused and the page shows the new
figures.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from .. import clock, labels
from ..access import actor
from ..billing.receipts import PAPERS, paper_size
from ..extensions import db
from ..formatting import rupiah
from ..forms import required
from ..models import CashKind, Shift, ShiftStatus, Till
from ..shifts import drawer, reports
from ..shifts.drawer import DENOMINATIONS, DrawerError, NoOpenShift, Reckoning
from ..staff.permissions import Permission, requires
from ..till import tills
from . import bp
from .forms import CashMoveForm, CloseShiftForm, OpenShiftForm


@bp.context_processor
def helpers() -> dict:
    return {"labels": labels}


def find_drawer(till_id: str) -> Till:
    """A counter till (a waiter's phone has no drawer)."""
    till = tills.find_till(till_id)
    if till is None or tills.is_phone(till):
        abort(404)
    return till


def find_shift(shift_id: str) -> Shift:
    return db.one_or_404(select(Shift).where(Shift.public_id == shift_id))


@bp.get("")
@requires(Permission.TAKE_CASH)
def start():
    """The drawer of the till this device works at, else the first."""
    till = drawer.device_till() or tills.counter_tills()[0]
    return redirect(url_for("shift_views.drawer_page", till_id=till.public_id), 303)


def close_form_for(shift: Shift) -> CloseShiftForm:
    """A blank close form at the shift's version."""
    form = CloseShiftForm(formdata=None)
    form.version.data = str(shift.version)
    return form


def render_drawer(
    till: Till,
    status: int = 200,
    *,
    open_form: OpenShiftForm | None = None,
    move_form: CashMoveForm | None = None,
    close_form: CloseShiftForm | None = None,
    reckoning: Reckoning | None = None,
    error: str | None = None,
):
    shift = drawer.open_shift_of(till)
    return render_template(
        "shift_views/drawer.html",
        till=till,
        tills=tills.counter_tills(),
        shift=shift,
        report=reports.shift_report(shift) if shift else None,
        open_form=open_form or OpenShiftForm(formdata=None),
        move_form=move_form or CashMoveForm(formdata=None),
        close_form=(close_form or close_form_for(shift)) if shift else None,
        reckoning=reckoning,
        limit=drawer.difference_limit(),
        recent=reports.recent_shifts(till),
        error=error,
    ), status


def back_to(till: Till):
    return redirect(url_for("shift_views.drawer_page", till_id=till.public_id), 303)


@bp.get("/<till_id>")
@requires(Permission.TAKE_CASH)
def drawer_page(till_id):
    till = find_drawer(till_id)
    tills.remember_device_till(till)  # this device's board takes cash into this drawer
    return render_drawer(till)


def field_error(form, exc: DrawerError) -> bool:
    """Put the refusal on its field, if the form has it."""
    if exc.field is not None and exc.field in form:
        form[exc.field].errors = [*form[exc.field].errors, str(exc)]
        return True
    return False


@bp.post("/<till_id>/open")
@requires(Permission.TAKE_CASH)
def open_shift(till_id):
    till = find_drawer(till_id)
    form = OpenShiftForm()
    if not form.validate():
        return render_drawer(till, 422, open_form=form)
    opening_float = required(form.opening_float.data)
    try:
        drawer.open_shift(till, opening_float, actor())
    except DrawerError as exc:
        if field_error(form, exc):
            return render_drawer(till, 422, open_form=form)
        flash(str(exc), "error")  # opened meanwhile on another device: the page shows it
        return back_to(till)
    tills.remember_device_till(till)
    flash(
        _("Shift %(till)s dibuka dengan uang awal %(amount)s.", till=till.name, amount=rupiah(opening_float)), "success"
    )
    return back_to(till)


@bp.post("/<till_id>/cash")
@requires(Permission.TAKE_CASH)
def move_cash(till_id):
    till = find_drawer(till_id)
    form = CashMoveForm()
    if not form.validate():
        return render_drawer(till, 422, move_form=form)
    amount, reason = required(form.amount.data), required(form.reason.data)
    try:
        drawer.pay_in_or_out(till, form.cash_kind(), amount, reason, actor())
    except NoOpenShift as exc:
        return render_drawer(till, 409, error=str(exc))
    except DrawerError as exc:
        if not field_error(form, exc):
            form.amount.errors = [str(exc)]
        return render_drawer(till, 422, move_form=form)
    if form.cash_kind() == CashKind.PAY_IN:
        flash(_("Uang masuk %(amount)s: %(reason)s.", amount=rupiah(amount), reason=reason), "success")
    else:
        flash(_("Uang keluar %(amount)s: %(reason)s.", amount=rupiah(amount), reason=reason), "success")
    return back_to(till)


@bp.post("/shifts/<shift_id>/close")
@requires(Permission.TAKE_CASH)
def close_shift(shift_id):
    shift = find_shift(shift_id)
    till = db.session.get_one(Till, shift.till_id)
    if shift.status != ShiftStatus.OPEN:
        flash(_("Shift ini sudah ditutup."), "error")
        return redirect(url_for("shift_views.report", shift_id=shift.public_id), 303)
    form = CloseShiftForm()
    if not form.validate():
        return render_drawer(till, 422, close_form=form)
    try:
        count = form.count()
    except DrawerError as exc:
        field_error(form, exc)
        return render_drawer(till, 422, close_form=form)
    reckoning = drawer.reckon(shift, count)
    if form.seen_version() != shift.version:
        form.version.data = str(shift.version)
        error = _("Ada uang masuk atau keluar sejak laci dihitung: periksa hitungannya lagi.")
        return render_drawer(till, 409, close_form=form, reckoning=reckoning, error=error)
    if request.form.get("step") != "close":
        return render_drawer(till, close_form=form, reckoning=reckoning)
    if reckoning.needs_approval and not approval_complete(form):
        return render_drawer(till, 422, close_form=form, reckoning=reckoning)
    # Needed past the limit; recorded whenever a manager gives it.
    approver = form.approved_by(clock.now(), "") if form.approval_given() else ""
    if approver is None:
        return render_drawer(till, 422, close_form=form, reckoning=reckoning)
    try:
        drawer.close_shift(
            shift, count, actor(), seen_version=form.seen_version(), note=form.note.data or "", approver=approver
        )
    except DrawerError as exc:
        if not field_error(form, exc):
            return render_drawer(till, 409, close_form=close_form_for(shift), error=str(exc))
        return render_drawer(till, 422, close_form=form, reckoning=reckoning)
    flash(_("Shift %(till)s ditutup.", till=till.name), "success")
    return redirect(url_for("shift_views.report", shift_id=shift.public_id), 303)


def approval_complete(form: CloseShiftForm) -> bool:
    """A difference past the limit needs a note, a manager and their PIN: each missing
    one is said on its field."""
    missing = {
        form.note: _("Tulis catatan: kenapa uang di laci berbeda."),
        form.approver: _("Pilih manajer yang menyetujui."),
        form.pin: _("Manajer mengetik PIN-nya di sini."),
    }
    complete = True
    for field, message in missing.items():
        if not field.data:
            field.errors = [*field.errors, message]
            complete = False
    return complete


@bp.get("/shifts/<shift_id>")
@requires(Permission.TAKE_CASH)
def report(shift_id):
    """The shift's X report (open) or Z report (closed), on the paper asked for."""
    shift = find_shift(shift_id)
    till = db.session.get_one(Till, shift.till_id)
    return render_template(
        "shift_views/report.html",
        till=till,
        report=reports.shift_report(shift),
        denominations=DENOMINATIONS,
        paper=paper_size(request.args.get("paper")),
        papers=PAPERS,
        now=clock.now(),
    )
