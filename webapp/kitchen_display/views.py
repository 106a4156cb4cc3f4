from collections.abc import Callable
from datetime import datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from .. import clock
from ..extensions import db, never_rate_limited
from ..forms import required
from ..htmx import is_htmx
from ..kitchen import printing, stations, steps, tickets, voids
from ..live import streams
from ..models import Category, KitchenTicket, Order, Station, VoidTicket
from ..staff.permissions import Permission, requires
from ..state import IllegalTransition
from ..timeutil import minutes_since
from . import bp
from .forms import AssignForm, StationForm

POLL_SECONDS = 5
# Minutes waiting at which a ticket turns amber, then red.
LATE_MINUTES = (8, 15)


def actor() -> str:
    return f"kitchen:{current_user.username}"


def age_class(minutes: int) -> str:
    return "age-late" if minutes >= LATE_MINUTES[1] else "age-mid" if minutes >= LATE_MINUTES[0] else "age-new"


def _display_context(station: Station) -> dict:
    now = clock.now()
    shown = tickets.waiting(station)
    cancelled = voids.waiting(station)
    undoable = steps.undoable(station, now)
    minutes = {entry.ticket.id: minutes_since(entry.order.created_at, now) for entry in shown}
    return {
        "station": station,
        "shown": shown,
        "cancelled": cancelled,
        "undoable": undoable,
        "minutes": minutes,
        "age_class": age_class,
        "version": _version(tickets.shown_version(shown), undoable, cancelled, now),
    }


def _display_version(station: Station) -> str:
    """The version `_display_context` gives, without loading what the display shows."""
    now = clock.now()
    return _version(tickets.waiting_version(station.id), steps.undoable(station, now), voids.waiting(station), now)


def _version(waiting: str, undoable: list, cancelled: list, now: datetime) -> str:
    # The bumps it may take back are part of the version (one leaves when its 30 s are
    # over), and the clock's minute: minutes waiting are redrawn once a minute.
    undo = "-".join(str(entry.ticket.id) for entry in undoable)
    batal = "-".join(str(ticket.id) for ticket in cancelled)
    return f"{waiting}.{undo}.{batal}.{int(now.timestamp() // 60)}"


@bp.get("/<int:station_id>")
@never_rate_limited
@requires(Permission.KITCHEN)
def display(station_id):
    station = db.get_or_404(Station, station_id)
    context = _display_context(station)
    if is_htmx():
        if request.args.get("shown") == context["version"]:
            return "", 204
        return render_template("kitchen/_tickets.html", **context)
    return render_template("kitchen/display.html", poll_seconds=POLL_SECONDS, **context)


@bp.get("/<int:station_id>/stream")
@never_rate_limited
@requires(Permission.KITCHEN)
def display_stream(station_id):
    """A station's pushed updates (webapp/live/streams.py): `change` when what the
    display shows changed since the version it opened the stream with; it then
    fetches `display`."""
    db.get_or_404(Station, station_id)

    def version() -> str:
        return _display_version(db.session.get_one(Station, station_id))

    return streams.stream(streams.KITCHEN, streams.WhenChanged(version, request.args.get("shown")))


def _station_ticket(station_id: int, ticket_id: int) -> KitchenTicket:
    ticket = db.get_or_404(KitchenTicket, ticket_id)
    if ticket.station_id != station_id:
        abort(404)
    return ticket


def _answer(station: Station, message: str | None = None, error: str | None = None):
    """After a tap: the station's tickets again (htmx; a refusal is a 409 saying why),
    else a redirect to the display, which shows the message."""
    if is_htmx():
        page = render_template("kitchen/_tickets.html", message=message, error=error, **_display_context(station))
        return page, 409 if error else 200
    if text := error or message:
        flash(text, "error" if error else "info")
    return redirect(url_for("kitchen.display", station_id=station.id), 303)


def _ticket_step(station_id: int, ticket_id: int, step: Callable[[KitchenTicket, str, datetime], bool]):
    """Start or bump one of the station's tickets; then its tickets again."""
    ticket = _station_ticket(station_id, ticket_id)
    step(ticket, actor(), clock.now())
    return _answer(ticket.station)


@bp.post("/<int:station_id>/tickets/<int:ticket_id>/start")
@requires(Permission.KITCHEN)
def start(station_id, ticket_id):
    """Mulai masak: the order is being prepared (the customer's page says so)."""
    return _ticket_step(station_id, ticket_id, steps.start)


@bp.post("/<int:station_id>/tickets/<int:ticket_id>/bump")
@requires(Permission.KITCHEN)
def bump(station_id, ticket_id):
    """Selesai: the station's part is done; the last station's makes the order ready."""
    return _ticket_step(station_id, ticket_id, steps.bump)


@bp.post("/<int:station_id>/tickets/<int:ticket_id>/undo")
@requires(Permission.KITCHEN)
def undo(station_id, ticket_id):
    """Batalkan selesai: a bump made by mistake, taken back within 30 s; the ticket is
    back on the display (and a ready order being prepared again)."""
    ticket = _station_ticket(station_id, ticket_id)
    try:
        steps.undo_bump(ticket, actor(), clock.now())
    except IllegalTransition as exc:
        return _answer(ticket.station, error=str(exc))
    return _answer(ticket.station, _("%(number)s kembali ke daftar.", number=ticket.order.number))


@bp.post("/<int:station_id>/voids/<int:ticket_id>/bump")
@requires(Permission.KITCHEN)
def bump_void(station_id, ticket_id):
    """Sudah dilihat: the station has seen a BATAL ticket; it leaves the display."""
    ticket = db.get_or_404(VoidTicket, ticket_id)
    if ticket.station_id != station_id:
        abort(404)
    voids.bump(ticket, actor(), clock.now())
    return _answer(ticket.station)


@bp.get("/")
@requires(Permission.KITCHEN)
def index():
    return render_template("kitchen/index.html", stations=stations.all_stations())


def unprinted_tickets(order: Order) -> list[KitchenTicket]:
    return printing.unprinted(order.id)


@bp.post("/tickets/<int:ticket_id>/reprint")
@requires(Permission.REPRINT)
def reprint(ticket_id):
    ticket = db.get_or_404(KitchenTicket, ticket_id)
    if printing.reprint(ticket, clock.now()):
        flash(_("Tiket %(station)s dicetak.", station=ticket.station.name), "info")
    else:
        flash(_("Printer %(station)s belum bisa dihubungi: dicoba lagi nanti.", station=ticket.station.name), "error")
    return redirect(url_for("cashier.order_detail", public_id=ticket.order.public_id), 303)


def _station_settings(form: StationForm, station: Station | None = None, status: int = 200):
    categories = list(db.session.scalars(select(Category).order_by(Category.position, Category.id)))
    all_stations = stations.all_stations()
    return (
        render_template(
            "kitchen/stations.html",
            form=form,
            editing=station,
            stations=all_stations,
            categories=categories,
            assigned=stations.assignments(),
        ),
        status,
    )


@bp.get("/stations")
@requires(Permission.SETTINGS)
def station_settings():
    return _station_settings(StationForm(formdata=None))


@bp.route("/stations/new", methods=["POST"])
@bp.route("/stations/<int:station_id>/edit", methods=["GET", "POST"])
@requires(Permission.SETTINGS)
def edit_station(station_id=None):
    station = db.get_or_404(Station, station_id) if station_id else None
    form = StationForm(obj=station)
    if form.validate_on_submit():
        try:
            saved = stations.save_station(station, required(form.name.data), form.printer.data or "")
        except stations.StationError as exc:
            getattr(form, exc.field).errors = [str(exc)]
        else:
            flash(_("Stasiun %(name)s disimpan.", name=saved.name), "info")
            return redirect(url_for("kitchen.station_settings"), 303)
    return _station_settings(form, station, 422 if form.is_submitted() else 200)


@bp.post("/stations/<int:station_id>/delete")
@requires(Permission.SETTINGS)
def remove_station(station_id):
    stations.delete_station(db.get_or_404(Station, station_id))
    flash(_("Stasiun dihapus."), "info")
    return redirect(url_for("kitchen.station_settings"), 303)


@bp.post("/categories/<int:category_id>/station")
@requires(Permission.SETTINGS)
def assign_category(category_id):
    category = db.get_or_404(Category, category_id)
    form = AssignForm()
    form.station.choices = [(0, "-")] + [(s.id, s.name) for s in stations.all_stations()]
    if not form.validate_on_submit():
        flash(_("Pilih stasiun yang ada."), "error")
        return _station_settings(StationForm(formdata=None), status=422)
    station = db.session.get(Station, form.station.data) if form.station.data else None
    stations.assign(category, station)
    flash(_("Kategori %(name)s: stasiun disimpan.", name=category.name), "info")
    return redirect(url_for("kitchen.station_settings"), 303)
