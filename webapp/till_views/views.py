"""The till's page and the changes to what is being rung up: the item grid (cached per
till and language, as the customer's menu list is), an item's choice panel (the
customer's panel, line_forms), the lines (quantity, note), and where the order is
eaten and for whom.

Every change sends the notes and the place as typed on the page (htmx includes the
lines' and the place's forms), so nothing typed is lost for want of pressing Simpan.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from werkzeug.routing import BuildError

from .. import clock, labels
from ..access import may_open
from ..billing.settings import current_timing
from ..cashier.views import cash_received, quick_amounts
from ..discounts.promotions import offers_now
from ..extensions import db
from ..forms import required
from ..htmx import is_htmx
from ..line_forms import AddLineForm, ChoiceForm, choice_context, read_choice
from ..menu.listing import MENU_TOPIC, localized, menu_categories
from ..menu.options import GENERAL, ChoiceError, choose, default_choice
from ..models import MenuItem, PaymentTiming, Till
from ..orders.cart import Cart, CartError
from ..orders.placing import QRIS_LIMITS
from ..orders.tracking import live_view
from ..payments.duitku import is_qris_amount
from ..shifts import drawer
from ..staff.permissions import Permission, allows, requires
from ..tables.registry import all_tables
from ..till import tills
from ..till.draft_pricing import priced_draft
from ..till.ringing import Place, TillError, change, figures, pays_later_at, read_draft
from . import bp
from .discount_forms import discount_forms
from .forms import PlaceForm, TillCashForm

PAIRING_ENDPOINT = "till_display.pair"  # the customer display's pairing page, when installed


@bp.context_processor
def helpers() -> dict:
    return {"labels": labels, "quick_amounts": quick_amounts}


def find_till(till_id: str) -> Till:
    till = tills.find_till(till_id)
    if till is None:
        abort(404)
    return till


@bp.get("")
@requires(Permission.TAKE_ORDERS)
def start():
    """A waiter's phone is a till of its own; at the counter, the till this browser used
    last, else the only one, else a choice."""
    if not allows(current_user.role, Permission.TAKE_CASH):
        till = tills.phone_till(current_user.username)
    else:
        counter = tills.counter_tills()
        remembered = tills.device_till()
        if remembered is None and len(counter) > 1:
            return redirect(url_for("till.choose"), 303)
        till = remembered or counter[0]
    return redirect(url_for("till.page", till_id=till.public_id), 303)


@bp.get("/choose", endpoint="choose")
@requires(Permission.TAKE_ORDERS)
def choose_till():
    """The counter's tills, when there are several."""
    return render_template("till/choose.html", tills=tills.counter_tills())


def pairing_url(till: Till) -> str | None:
    """The link to pair a customer display with the till, when that page is installed
    (the display is built apart) and the staff member may open it."""
    if PAIRING_ENDPOINT not in current_app.view_functions or not may_open(PAIRING_ENDPOINT):
        return None
    rule = next(current_app.url_map.iter_rules(PAIRING_ENDPOINT))
    for value in (till.public_id, till.id):  # whichever the page takes
        arguments: dict[str, Any] = dict.fromkeys(rule.arguments, value)
        try:
            return url_for(PAIRING_ENDPOINT, **arguments)
        except BuildError:
            continue
    return None


def search_matches(item: MenuItem, query: str) -> bool:
    words = query.casefold()
    return words in item.name.casefold() or words in (item.name_en or "").casefold()


def grid_html(till: Till, query: str) -> Markup:
    """The item grid: the same for every staff member at the till, so it is cached per
    till and language (dropped whenever the menu changes, like the customer's list); a
    search without JavaScript (`query`) shows only the items it finds, the first one
    focused, so Enter adds it. The promotions in effect show their prices beside the
    menu's, struck through (a key of the cache)."""
    offers = offers_now()

    def render(sections, first_hit=None) -> str:
        promoted = offers.prices(item for _category, items in sections for item in items)
        context = {"sections": sections, "first_hit": first_hit, "query": query, "promoted": promoted}
        return render_template("till/_grid.html", till=till, **context)

    categories = menu_categories
    if query:
        sections = [(c, [i for i in c.items if search_matches(i, query)]) for c in categories()]
        sections = [(category, items) for category, items in sections if items]
        hits = [item for _category, items in sections for item in items if item.available]
        return Markup(render(sections, hits[0] if hits else None))  # noqa: S704 - rendered by Jinja, escaped

    def read():
        return render([(category, category.items) for category in categories()]), frozenset({MENU_TOPIC})

    key = ("till", till.public_id, str(get_locale()), request.script_root, offers)
    return Markup(current_app.extensions["menu_cache"].fetch(key, clock.now(), read))  # noqa: S704 - as above


def side_context(till: Till, error: str | None = None, field_error: tuple[str, str] | None = None, **forms) -> dict:
    """What the side column shows: the order being rung up with its figures and payment
    forms (`forms`: those posted, with their errors; `field_error`: a refusal that
    concerns a field of the place), and the order placed last at this till."""
    now = clock.now()
    draft = read_draft(till)
    pricing = priced_draft(draft.store)
    priced = pricing.priced
    tables = all_tables(active_only=True)
    place_form = forms.get("place_form") or PlaceForm.showing(draft.place, tables)
    if field_error is not None:
        field, message = field_error
        place_form[field].errors = [message]
    now_figures = figures(priced, draft.place)
    later_table = pays_later_at(draft.place)
    latest = tills.latest_order(till, now)
    return {
        "till": till,
        "version": draft.version,
        "priced": priced,
        "place": draft.place,
        "table": next((t for t in tables if t.id == draft.place.table_id), None),
        "now_figures": now_figures,
        "later_table": later_table,
        "later_figures": figures(priced, draft.place, later_table) if later_table else None,
        "pay_later": current_timing() == PaymentTiming.PAY_LATER,
        "open_bill": tills.open_bill_at(draft.place.table_id),
        "served_bills": tills.served_bills(current_user.username),
        "takes_cash": may_open("till.pay_cash"),
        "qris_ok": is_qris_amount(now_figures.total),
        "qris_limits": QRIS_LIMITS,
        "left_since": draft.left_since(now),
        "latest": latest,
        "latest_live": live_view(latest, now) if latest else None,
        "latest_cash": cash_received(latest.payments) if latest else None,
        "error": error,
        "place_form": place_form,
        "cash_form": forms.get("cash_form") or TillCashForm(formdata=None, total=now_figures.total),
        **discount_forms(pricing, forms),
    }


@bp.get("/<till_id>")
@requires(Permission.TAKE_ORDERS)
def page(till_id):
    till = find_till(till_id)
    tills.remember_device_till(till)
    return render_page(till, side_context(till))


def drawer_state(till: Till) -> str | None:
    """For the link to the till's cash drawer: "open" or "closed" (its shift), or None
    (a waiter's phone has no drawer; only who takes cash opens it)."""
    if tills.is_phone(till) or not may_open("shift_views.drawer_page"):
        return None
    return "closed" if drawer.open_shift_of(till) is None else "open"


def render_page(till: Till, context: dict, status: int = 200):
    query = " ".join(request.args.get("q", "").split())[:40]
    return (
        render_template(
            "till/till.html",
            grid=grid_html(till, query),
            query=query,
            pair_url=pairing_url(till),
            several=not tills.is_phone(till) and len(tills.counter_tills()) > 1,
            drawer=drawer_state(till),
            **context,
        ),
        status,
    )


def answer(till: Till, status: int = 200, **context):
    """The answer to a change: the side column to htmx; without JavaScript the page,
    redirected to after a change, rendered with what to fix after a refusal."""
    if is_htmx():
        return render_template("till/_side.html", **side_context(till, **context)), status
    if status >= 400:
        return render_page(till, side_context(till, **context), status)
    return redirect(url_for("till.page", till_id=till.public_id), 303)


def typed_notes() -> dict[str, str]:
    """The lines' notes as typed on the page (`note-<line id>`)."""
    return {key.removeprefix("note-"): value for key, value in request.form.items() if key.startswith("note-")}


def posted_place() -> PlaceForm | None:
    """The place as typed on the page, when the request carries it (htmx sends it with
    every change); None when it does not."""
    return PlaceForm(tables=all_tables(active_only=True)) if "order_type" in request.form else None


def make_change(till: Till, edit: Callable[[Cart], None] | None = None, place_form: PlaceForm | None = None):
    """Save the notes (and the place, from its validated form) as typed, then make
    `edit`, in one change of the till; the refusal's message, if refused."""
    notes = typed_notes()

    def edit_all(cart: Cart) -> None:
        cart.set_notes(notes)
        if edit is not None:
            edit(cart)

    try:
        change(till, edit_all, place_form.place() if place_form else None)
    except (CartError, TillError) as exc:
        return str(exc)
    return None


def apply(till: Till, edit: Callable[[Cart], None] | None = None):
    """`make_change` with the place as typed; answer with what the till shows now, or
    with what to fix."""
    place_form = posted_place()
    if place_form is not None and not place_form.validate():
        return answer(till, 422, place_form=place_form)
    error = make_change(till, edit, place_form)
    return answer(till, 422, error=error) if error else answer(till)


def available_item(item_id: int | None) -> MenuItem:
    """The item to add, or CartError saying why it cannot be."""
    item = db.session.get(MenuItem, item_id) if item_id is not None else None
    if item is None:
        raise CartError(_("Menu itu tidak ditemukan."))
    if not item.available:
        raise CartError(_("Maaf, %(name)s sedang habis.", name=localized(item)))
    return item


def needs_choosing(item: MenuItem) -> bool:
    try:
        choose(item, [])
    except ChoiceError:
        return True
    return False


@bp.post("/<till_id>/lines")
@requires(Permission.TAKE_ORDERS)
def add_line(till_id):
    """A tile tapped (or the search's first hit): one of the item, or its choice panel
    when it has options to choose."""
    till = find_till(till_id)
    form = AddLineForm()
    if not form.validate():
        return answer(till, 422, error=next(iter(form.errors.values()))[0])
    try:
        item = available_item(form.item_id.data)
    except CartError as exc:
        return answer(till, 422, error=str(exc))
    if needs_choosing(item):
        return choice_panel(till, item)
    quantity, note = required(form.quantity.data), form.note.data or ""
    return apply(till, lambda cart: cart.add(item.id, quantity, note))


def choice_panel(till: Till, item: MenuItem, form: ChoiceForm | None = None, chosen=None, errors=None, status=200):
    """The item's choice panel: into the till's panel slot (htmx), or a page (a tile
    posted without JavaScript is sent there)."""
    if form is None and not is_htmx() and request.method == "POST":
        return redirect(url_for("till.choice_page", till_id=till.public_id, item_id=item.id), 303)
    if form is None:
        form, chosen = ChoiceForm(formdata=None), default_choice(item)
    context = choice_context(item, form, chosen or set(), errors or {})
    if is_htmx():
        headers = {"HX-Retarget": "#till-choice", "HX-Reswap": "innerHTML"}
        return render_template("till/_choice_panel.html", till=till, **context), status, headers
    return render_template("till/choice.html", till=till, **context), status


@bp.get("/<till_id>/items/<int:item_id>")
@requires(Permission.TAKE_ORDERS)
def choice_page(till_id, item_id):
    till = find_till(till_id)
    try:
        item = available_item(item_id)
    except CartError as exc:
        return answer(till, 422, error=str(exc))
    return choice_panel(till, item)


@bp.post("/<till_id>/items/<int:item_id>")
@requires(Permission.TAKE_ORDERS)
def choose_and_add(till_id, item_id):
    """Add the item with the options chosen, checked rule by rule as for a customer."""
    till = find_till(till_id)
    try:
        item = available_item(item_id)
    except CartError as exc:
        return answer(till, 422, error=str(exc))
    posted = read_choice(item)
    if posted.choice is None:
        return choice_panel(till, item, posted.form, posted.chosen, posted.errors, 422)
    form = posted.form
    quantity, note = required(form.quantity.data), form.note.data or ""
    error = make_change(till, lambda cart: cart.add(item.id, quantity, note, posted.options))
    if error:
        return choice_panel(till, item, form, posted.chosen, {GENERAL: error}, 422)
    if is_htmx():  # the side column, and the panel closed
        html = render_template("till/_choice_added.html", **side_context(till))
        return html, 200, {"HX-Retarget": "#till-side", "HX-Reswap": "outerHTML"}
    return redirect(url_for("till.page", till_id=till.public_id), 303)


@bp.post("/<till_id>/lines/<line_id>/<any(increase, decrease, remove):step>")
@requires(Permission.TAKE_ORDERS)
def change_line(till_id, line_id, step):
    till = find_till(till_id)
    if step == "remove":
        return apply(till, lambda cart: cart.remove(line_id))
    return apply(till, lambda cart: cart.step(line_id, +1 if step == "increase" else -1))


@bp.post("/<till_id>/save")
@requires(Permission.TAKE_ORDERS)
def save(till_id):
    """Simpan: the notes and the place as typed (also sent by htmx when the place changes)."""
    return apply(find_till(till_id))


@bp.post("/<till_id>/clear")
@requires(Permission.TAKE_ORDERS)
def clear(till_id):
    """Kosongkan: start again (where the order is eaten stays as it was)."""
    till = find_till(till_id)
    try:
        change(till, lambda cart: cart.clear(), Place(read_draft(till).place.order_type))
    except TillError as exc:
        return answer(till, 422, error=str(exc))
    return answer(till)
