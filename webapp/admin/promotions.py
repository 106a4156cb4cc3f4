"""The promotions page (Menu > Promo): each promotion, its value, days and hours, what
it covers; made and changed here (Permission.PROMOTIONS: the owner and managers). The
server applies them itself (webapp/discounts/promotions.py)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from .. import clock
from ..access import actor
from ..discounts import promotions
from ..extensions import db
from ..forms import required
from ..menu.listing import menu_categories
from ..models import DiscountKind, Promotion
from ..staff.permissions import Permission, requires
from . import bp
from .discount_forms import PromotionForm, days_text, parse_time, time_text


@bp.app_template_global()
def promotion_window(promotion: Promotion) -> str:
    """ "Senin, Jumat · 15.00-17.00"."""
    return f"{days_text(promotion.days)} · {time_text(promotion.starts_at)}-{time_text(promotion.ends_at)}"


def _page(form: PromotionForm, editing: Promotion | None = None, status: int = 200):
    now = clock.now()
    listed = promotions.all_promotions()
    running = {promotion.id for promotion in listed if promotion.active and promotions.in_window(promotion, now)}
    return render_template(
        "admin/promotions.html", form=form, editing=editing, promotions=listed, running=running
    ), status


@bp.get("/promotions")
@requires(Permission.PROMOTIONS)
def promotions_page():
    return _page(PromotionForm.showing(None, menu_categories()))


@bp.route("/promotions/new", methods=["POST"])
@bp.route("/promotions/<int:promotion_id>/edit", methods=["GET", "POST"])
@requires(Permission.PROMOTIONS)
def edit_promotion(promotion_id=None):
    promotion = db.get_or_404(Promotion, promotion_id) if promotion_id else None
    categories = menu_categories()
    form = PromotionForm(categories=categories)
    if not form.is_submitted():
        return _page(PromotionForm.showing(promotion, categories), promotion)
    if not form.validate():
        return _page(form, promotion, 422)
    change = promotions.PromotionChange(
        name=required(form.name.data),
        kind=DiscountKind(form.kind.data),
        value=form.discount().value,
        days=form.bits(),
        starts_at=parse_time(form.starts.data or ""),
        ends_at=parse_time(form.ends.data or ""),
        active=bool(form.active.data),
        item_ids=list(form.items.data or ()),
        category_ids=list(form.categories.data or ()),
    )
    saved = promotions.save_promotion(promotion, change, actor())
    flash(_("Promo %(name)s disimpan.", name=saved.name), "info")
    return redirect(url_for("admin.promotions_page"), 303)
