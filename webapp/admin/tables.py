"""Admin pages for dining tables: the list, adding and editing, a new QR code for a
table, the A4 sheet of QR cards, and each table's QR as PNG or SVG."""

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..extensions import db
from ..forms import required
from ..models import DiningTable
from ..staff.permissions import Permission, requires
from ..tables import cards, registry
from . import bp
from .forms import TableForm


def _to_tables():
    return redirect(url_for("admin.tables"), 303)


@bp.get("/tables")
@requires(Permission.MANAGE_TABLES)
def tables():
    return render_template("admin/tables.html", tables=registry.all_tables(), form=TableForm(formdata=None))


@bp.route("/tables/new", methods=["POST"])
@bp.route("/tables/<int:table_id>/edit", methods=["GET", "POST"])
@requires(Permission.MANAGE_TABLES)
def edit_table(table_id=None):
    table = db.get_or_404(DiningTable, table_id) if table_id else None
    form = TableForm(obj=table)
    if form.validate_on_submit():
        try:
            registry.save_table(
                table,
                required(form.label.data),
                form.area.data or "",
                active=form.active.data if table else True,  # a new table takes orders
                position=form.position.data,
            )
        except registry.TableError as exc:
            getattr(form, exc.field or "label").errors.append(str(exc))
        else:
            flash(_("Meja %(label)s disimpan.", label=form.label.data), "info")
            return _to_tables()
    status = 422 if form.is_submitted() else 200
    if table is None:  # the form on the list page
        return render_template("admin/tables.html", tables=registry.all_tables(), form=form), status
    return render_template("admin/table_form.html", form=form, table=table), status


@bp.post("/tables/<int:table_id>/rotate")
@requires(Permission.MANAGE_TABLES)
def rotate_table_token(table_id):
    """A new QR code: the table's old sticker stops working."""
    table = registry.rotate_token(db.get_or_404(DiningTable, table_id))
    flash(_("Meja %(label)s punya kode QR baru: cetak dan ganti stikernya.", label=table.label), "info")
    return _to_tables()


@bp.get("/tables/print")
@requires(Permission.MANAGE_TABLES)
def print_tables():
    """An A4 sheet of QR cards for every active table (the browser prints it)."""
    return render_template("admin/table_cards.html", cards=cards.cards(registry.all_tables(active_only=True)))


@bp.get("/tables/<int:table_id>/qr.<any(png, svg):kind>")
@requires(Permission.MANAGE_TABLES)
def table_qr(table_id, kind):
    """One table's QR for a sticker printer, named after the table."""
    table = db.get_or_404(DiningTable, table_id)
    image = cards.qr_file(table, kind)
    name = "".join(c if c.isascii() and c.isalnum() else "-" for c in table.label)
    response = Response(image.data, mimetype=image.mimetype)
    response.headers["Content-Disposition"] = f'inline; filename="meja-{name}.{kind}"'
    response.cache_control.no_store = True  # the token can change; never keep an old one
    return response
