from datetime import date

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from .. import clock
from ..access import actor
from ..extensions import db
from ..forms import required
from ..menu.editing import MenuError, delete_category, delete_item, move, save_category, save_item
from ..menu.listing import menu_categories
from ..menu.photos import PhotoError, remove_photo, set_photo
from ..models import Category, MenuItem
from ..request_guards import database_integer, takes_upload
from ..staff.permissions import Permission, requires
from ..timeutil import jakarta_date
from . import bp
from .breakdown import breakdown_rows, day_breakdown
from .forms import CategoryForm, ItemForm, PhotoForm
from .report import bill_report, daily_report, orders_by_type, report_csv
from .transactions import transactions_csv


def _category_choices() -> list[tuple[int, str]]:
    return [(c.id, c.name) for c in db.session.scalars(select(Category).order_by(Category.position, Category.id))]


def _to_menu():
    return redirect(url_for("admin.menu"), 303)


def _form_error(form, exc: MenuError) -> None:
    target = getattr(form, exc.field) if exc.field and hasattr(form, exc.field) else None
    if target is not None:
        target.errors.append(str(exc))
    else:
        flash(str(exc), "error")


@bp.get("/menu")
@requires(Permission.MANAGE_MENU)
def menu():
    return render_template("admin/menu.html", categories=menu_categories(), category_form=CategoryForm(formdata=None))


def _save_or_show(form, save, saved_message: str, template: str, back=_to_menu, **context):
    """Validate and save; on success `back` (to the menu), else the form with its errors."""
    if form.validate_on_submit():
        try:
            save()
        except MenuError as exc:
            _form_error(form, exc)
        else:
            flash(saved_message, "info")
            return back()
    return render_template(template, form=form, **context), 422 if form.is_submitted() else 200


@bp.route("/categories/new", methods=["POST"])
@bp.route("/categories/<int:category_id>/edit", methods=["GET", "POST"])
@requires(Permission.MANAGE_MENU)
def edit_category(category_id=None):
    category = db.get_or_404(Category, category_id) if category_id else None
    form = CategoryForm(obj=category)
    return _save_or_show(
        form,
        lambda: save_category(category, required(form.name.data), form.name_en.data or "", actor()),
        _("Kategori %(name)s disimpan.", name=form.name.data),
        "admin/category_form.html",
        category=category,
    )


@bp.post("/categories/<int:category_id>/delete")
@requires(Permission.MANAGE_MENU)
def remove_category(category_id):
    category = db.get_or_404(Category, category_id)
    try:
        delete_category(category, actor())
    except MenuError as exc:
        flash(str(exc), "error")
        return _to_menu()
    flash(_("Kategori dihapus."), "info")
    return _to_menu()


@bp.route("/items/new", methods=["GET", "POST"])
@bp.route("/items/<int:item_id>/edit", methods=["GET", "POST"])
@requires(Permission.MANAGE_MENU)
def edit_item(item_id=None):
    item = db.get_or_404(MenuItem, item_id) if item_id else None
    form = ItemForm(obj=item)
    form.category_id.choices = _category_choices()
    preselected = request.args.get("category", type=database_integer)
    if item is None and request.method == "GET" and preselected is not None:
        form.category_id.data = preselected
    return _save_or_show(
        form,
        lambda: save_item(
            item,
            category_id=form.category_id.data,
            name=required(form.name.data),
            description=form.description.data or "",
            price=required(form.price.data),
            available=form.available.data,
            name_en=form.name_en.data or "",
            description_en=form.description_en.data or "",
            actor=actor(),
        ),
        _("%(name)s disimpan.", name=form.name.data),
        "admin/item_form.html",
        item=item,
        photo_form=PhotoForm(formdata=None),
    )


@bp.post("/items/<int:item_id>/photo")
@takes_upload
@requires(Permission.MANAGE_MENU)
def upload_photo(item_id):
    item = db.get_or_404(MenuItem, item_id)
    photo_form = PhotoForm()
    if photo_form.validate_on_submit():
        try:
            set_photo(item, photo_form.photo.data.stream)
        except PhotoError as exc:
            photo_form.photo.errors.append(str(exc))
        else:
            flash(_("Foto %(name)s disimpan.", name=item.name), "info")
            return redirect(url_for("admin.edit_item", item_id=item.id), 303)
    form = ItemForm(obj=item)
    form.category_id.choices = _category_choices()
    return render_template("admin/item_form.html", form=form, item=item, photo_form=photo_form), 422


@bp.post("/items/<int:item_id>/photo/delete")
@requires(Permission.MANAGE_MENU)
def delete_photo(item_id):
    item = db.get_or_404(MenuItem, item_id)
    remove_photo(item)
    flash(_("Foto %(name)s dihapus.", name=item.name), "info")
    return redirect(url_for("admin.edit_item", item_id=item.id), 303)


@bp.post("/items/<int:item_id>/delete")
@requires(Permission.MANAGE_MENU)
def remove_item(item_id):
    item = db.get_or_404(MenuItem, item_id)
    name = item.name
    delete_item(item, actor())
    flash(_("%(name)s dihapus. Pesanan lama tetap utuh.", name=name), "info")
    return _to_menu()


@bp.post("/<any(categories, items):kind>/<int:row_id>/move")
@requires(Permission.MANAGE_MENU)
def move_row(kind, row_id):
    model: type[Category | MenuItem] = Category if kind == "categories" else MenuItem
    row = db.get_or_404(model, row_id)
    move(row, -1 if request.form.get("direction") == "up" else 1)
    return _to_menu()


def _report_day() -> tuple[date, str | None]:
    raw = request.args.get("day", "")
    if not raw:
        return jakarta_date(clock.now()), None
    try:
        return date.fromisoformat(raw), None
    except ValueError:
        return jakarta_date(clock.now()), _("Tanggal %(day)s tidak dikenal; menampilkan hari ini.", day=raw)


@bp.get("/report")
@requires(Permission.REPORTS)
def report():
    day, error = _report_day()
    bill = bill_report(day, day).totals
    return render_template(
        "admin/report.html",
        report=daily_report(day),
        by_type=orders_by_type(day),
        bill=bill,
        day_tallies=day_breakdown(day),
        error=error,
    ), 400 if error else 200


@bp.get("/report.csv")
@requires(Permission.REPORTS)
def report_download():
    day, error = _report_day()
    if error:
        return render_template(
            "admin/report.html", report=daily_report(day), by_type=orders_by_type(day), error=error
        ), 400
    more = breakdown_rows(day_breakdown(day))
    return _csv(report_csv(daily_report(day), orders_by_type(day), more), f"warung-{day.isoformat()}.csv")


@bp.get("/report/transactions.csv")
@requires(Permission.REPORTS)
def transactions_download():
    """Every payment and refund of the day, one line each (admin/transactions.py)."""
    day, error = _report_day()
    if error:
        return render_template(
            "admin/report.html", report=daily_report(day), by_type=orders_by_type(day), error=error
        ), 400
    return _csv(transactions_csv(day), f"warung-transactions-{day.isoformat()}.csv")


def _csv(text: str, filename: str) -> Response:
    return Response(text, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{filename}"'})
