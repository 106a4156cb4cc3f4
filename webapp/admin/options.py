"""Admin pages for item options: groups, their options, and which items carry them."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..forms import required
from ..menu import option_editing
from ..menu.editing import MenuError
from ..models import MenuItem, Option, OptionGroup
from ..staff.permissions import Permission, requires
from . import bp
from .forms import ItemOptionGroupsForm, OptionForm, OptionGroupForm
from .views import _form_error, _save_or_show


def _to_options():
    return redirect(url_for("admin.options"), 303)


def _all_groups() -> list[OptionGroup]:
    return list(db.session.scalars(select(OptionGroup).order_by(OptionGroup.position, OptionGroup.id)))


@bp.get("/options")
@requires(Permission.MANAGE_MENU)
def options():
    return render_template("admin/options.html", groups=_all_groups())


@bp.route("/options/groups/new", methods=["GET", "POST"])
@bp.route("/options/groups/<int:group_id>/edit", methods=["GET", "POST"])
@requires(Permission.MANAGE_MENU)
def edit_option_group(group_id=None):
    group = db.get_or_404(OptionGroup, group_id) if group_id else None
    form = OptionGroupForm(obj=group)
    return _save_or_show(
        form,
        lambda: option_editing.save_group(
            group,
            name=required(form.name.data),
            name_en=form.name_en.data or "",
            min_choices=required(form.min_choices.data),
            max_choices=required(form.max_choices.data),
        ),
        _("Grup %(name)s disimpan.", name=form.name.data),
        "admin/option_group_form.html",
        back=_to_options,
        group=group,
    )


@bp.post("/options/groups/<int:group_id>/delete")
@requires(Permission.MANAGE_MENU)
def remove_option_group(group_id):
    option_editing.delete_group(db.get_or_404(OptionGroup, group_id))
    flash(_("Grup pilihan dihapus. Pesanan lama tetap utuh."), "info")
    return _to_options()


@bp.route("/options/groups/<int:group_id>/options/new", methods=["GET", "POST"])
@bp.route("/options/<int:option_id>/edit", methods=["GET", "POST"])
@requires(Permission.MANAGE_MENU)
def edit_option(group_id=None, option_id=None):
    option = db.get_or_404(Option, option_id) if option_id else None
    group = option.group if option else db.get_or_404(OptionGroup, group_id)
    form = OptionForm(obj=option)
    return _save_or_show(
        form,
        lambda: option_editing.save_option(
            option,
            group,
            name=required(form.name.data),
            name_en=form.name_en.data or "",
            price_diff=required(form.price_diff.data),
            available=form.available.data,
        ),
        _("%(name)s disimpan.", name=form.name.data),
        "admin/option_form.html",
        back=_to_options,
        group=group,
        option=option,
    )


@bp.post("/options/<int:option_id>/delete")
@requires(Permission.MANAGE_MENU)
def remove_option(option_id):
    option_editing.delete_option(db.get_or_404(Option, option_id))
    flash(_("Pilihan dihapus. Pesanan lama tetap utuh."), "info")
    return _to_options()


@bp.route("/items/<int:item_id>/options", methods=["GET", "POST"])
@requires(Permission.MANAGE_MENU)
def item_option_groups(item_id):
    item = db.get_or_404(MenuItem, item_id)
    form = ItemOptionGroupsForm(data={"groups": [group.id for group in item.option_groups]})
    form.groups.choices = [(group.id, group.name) for group in _all_groups()]
    if form.validate_on_submit():
        try:
            option_editing.attach_groups(item, form.groups.data or [])
        except MenuError as exc:
            _form_error(form, exc)
        else:
            flash(_("Pilihan %(name)s disimpan.", name=item.name), "info")
            return redirect(url_for("admin.menu"), 303)
    status = 422 if form.is_submitted() else 200
    return render_template("admin/item_options_form.html", form=form, item=item), status
