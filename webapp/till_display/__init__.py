"""A till's customer display (/till/display/<till>): a device facing the customer,
paired once with a code shown on the till, that shows what is being rung up, then the
QR to pay and "Lunas" or the change. The display's pages need no login and hold no
staff rights (each checks the device's own pairing token); pairing and revoking are
the cashier's."""

from flask import Blueprint, Flask

bp = Blueprint("till_display", __name__, url_prefix="/till/display")

from . import views  # noqa: E402,F401  (register the routes on bp)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
