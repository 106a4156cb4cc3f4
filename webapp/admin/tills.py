"""The tills page (Pengaturan): each till's name, receipt printer and paper width. The
first till, "Kasir 1", is made when the page is first opened, if the counter has not
made it yet."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..extensions import db
from ..forms import required
from ..models import ReceiptPaper, Till
from ..staff.permissions import Permission, requires
from ..till import settings
from . import bp
from .forms import TillForm


def _tills_page(form: TillForm, till: Till | None = None, status: int = 200):
    return render_template("admin/tills.html", form=form, editing=till, tills=settings.all_tills()), status


@bp.get("/tills")
@requires(Permission.SETTINGS)
def tills():
    return _tills_page(TillForm(formdata=None))


@bp.route("/tills/new", methods=["POST"])
@bp.route("/tills/<int:till_id>/edit", methods=["GET", "POST"])
@requires(Permission.SETTINGS)
def edit_till(till_id=None):
    till = db.get_or_404(Till, till_id) if till_id else None
    form = TillForm(obj=till)
    if form.validate_on_submit():
        try:
            saved = settings.save_till(
                till, required(form.name.data), form.printer.data or "", ReceiptPaper(form.paper.data)
            )
        except settings.TillError as exc:
            getattr(form, exc.field).errors = [str(exc)]
        else:
            flash(_("Mesin kasir %(name)s disimpan.", name=saved.name), "info")
            return redirect(url_for("admin.tills"), 303)
    return _tills_page(form, till, 422 if form.is_submitted() else 200)
