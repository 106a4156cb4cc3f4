"""The customer display's pages (no login: each checks the device's pairing token, in
its own cookie) and the cashier's pairing page.

The display never reads who is logged in: a staff session on the same device changes
nothing it shows or may do. Its poll (`live`) answers 204 while nothing changed, from
one query, and is never rate limited; a display whose pairing was revoked meanwhile is
sent the "not paired" panel and stops polling. Code attempts are rate limited, per
address and over all addresses.
"""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .. import clock
from ..extensions import db, limiter, never_rate_limited
from ..forms import required
from ..htmx import HTMX_STOP_POLLING, is_htmx
from ..live import streams
from ..models import Till
from ..payments import qr
from ..staff.permissions import Permission, requires
from ..till import display, pairing, tills
from . import bp
from .forms import PairingForm

COOKIE_NAME = "warung_display"
COOKIE_DAYS = 400  # browsers keep a cookie at most this long
PAIRING_ATTEMPTS = "pairing"


def device_token() -> str | None:
    return request.cookies.get(COOKIE_NAME)


def _paired(response, token: str):
    """The response, setting the device's token: sent back to the display's pages only,
    never to another site's request, never to scripts."""
    response.set_cookie(
        COOKIE_NAME,
        token,
        max_age=COOKIE_DAYS * 86400,
        path=bp.url_prefix or "/",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Strict",
    )
    return response


def refusal(facts: display.DisplayFacts | None) -> int | None:
    """404 when there is no such till, 403 when this device is not its display."""
    if facts is None:
        return 404
    return None if pairing.holds_pairing(facts.token_digest, device_token()) else 403


def not_paired(status: int):
    """The friendly page of a device that is not (or no longer) this till's display."""
    return render_template("till_display/not_paired.html"), status


@bp.route("", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_DISPLAY_PAIRING"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["RATELIMIT_DISPLAY_PAIRING_ALL"], methods=["POST"], key_func=lambda: PAIRING_ATTEMPTS
)
@requires(Permission.PUBLIC)
def enter():
    """Where a display device types the till's code; paired, it goes to its display."""
    code = request.args.get("code", "")
    form = PairingForm(data={"code": code} if pairing.looks_like_code(code) else None)
    if form.validate_on_submit():
        try:
            till, token = pairing.pair(required(form.code.data), clock.now())
        except pairing.PairingError as exc:
            form.code.errors = [str(exc)]
        else:
            return _paired(redirect(url_for("till_display.screen", till=till.public_id), 303), token)
    status = 422 if form.is_submitted() else 200
    return render_template("till_display/enter.html", form=form, paired=pairing.paired_till(device_token())), status


@bp.get("/<till>")
@requires(Permission.PUBLIC)
def screen(till):
    found = tills.find_till(till)
    if found is None:
        return not_paired(404)
    if not pairing.holds_pairing(found.display_token, device_token()):
        return not_paired(403)
    view = display.display_view(found, clock.now())
    return render_template("till_display/display.html", view=view, poll_seconds=display.POLL_SECONDS)


@bp.get("/<till>/live")
@never_rate_limited
@requires(Permission.PUBLIC)
def live(till):
    """The polled panel: 204 while nothing changed since `seen` (one query); the
    "not paired" panel, and no more polling, once the pairing was revoked."""
    now = clock.now()
    facts = display.display_facts(till)
    refused = refusal(facts)
    if refused or facts is None:  # (no facts is refused, 404: said again for the type checker)
        if is_htmx():
            return render_template("till_display/_not_paired.html"), HTMX_STOP_POLLING
        return not_paired(refused or 404)
    seen = request.args.get("seen")
    if is_htmx() and seen == facts.version(now) and not facts.reconcile_due(now):
        return "", 204
    db.session.commit()  # out of the read without a transaction: a reconciliation writes in one
    found = tills.find_till(till)
    if found is None:  # deleted since the query above
        return not_paired(404)
    view = display.display_view(found, now)
    if is_htmx() and seen == view.version:
        return "", 204
    return render_template("till_display/_screen.html", view=view, poll_seconds=display.POLL_SECONDS)


@bp.get("/<till>/stream")
@never_rate_limited
@requires(Permission.PUBLIC)
def stream(till):
    """The display's pushed updates (webapp/live/streams.py), for a device paired with
    this till only; an event says nothing but that something may have changed, and the
    display then fetches `live`, which shows this till's order alone."""
    if refused := refusal(display.display_facts(till)):
        return not_paired(refused)
    return streams.stream(streams.TILL)


# The cashier's side ---------------------------------------------------------------


def _till_or_404(public_id: str) -> Till:
    found = tills.find_till(public_id)
    if found is None:
        abort(404)
    return found


@bp.get("/<till>/pair")
@requires(Permission.TAKE_CASH)
def pair(till):
    """Hubungkan layar pelanggan: the code to type on the display device, and where."""
    found = _till_or_404(till)
    now = clock.now()
    code = pairing.code_in_force(found, now)
    address_qr = None
    if code:  # the address with the code filled in: the device's camera opens it
        address_qr = qr.inline_svg(
            url_for("till_display.enter", code=code, _external=True), _("Kode QR alamat layar pelanggan")
        )
    return render_template(
        "till_display/pair.html",
        till=found,
        code=code,
        seconds_left=pairing.seconds_left(found, now),
        address=url_for("till_display.enter", _external=True),
        address_qr=address_qr,
    )


@bp.post("/<till>/pair")
@requires(Permission.TAKE_CASH)
def new_code(till):
    found = _till_or_404(till)
    pairing.new_code(found, clock.now())
    return redirect(url_for("till_display.pair", till=found.public_id), 303)


@bp.post("/<till>/revoke")
@requires(Permission.TAKE_CASH)
def revoke(till):
    found = _till_or_404(till)
    if pairing.revoke(found, clock.now()):
        flash(_("Layar pelanggan %(till)s diputus. Hubungkan lagi dengan kode baru.", till=found.name), "info")
    return redirect(url_for("till_display.pair", till=found.public_id), 303)
