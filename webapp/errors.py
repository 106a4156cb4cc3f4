"""Error pages in the app's look, and JSON errors under /api/.

Every client error is answered with a page (or JSON) that says what went wrong; an
unexpected error is logged and shown as a friendly 500, never a traceback.
"""

from flask import Flask, current_app, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from .extensions import db, login_manager
from .merchant.profile import use_default_shop

MESSAGES = {
    400: (_l("Permintaan tidak valid"), _l("Ada yang salah dengan permintaan ini. Silakan coba lagi.")),
    403: (_l("Tidak boleh"), _l("Akun Anda tidak boleh membuka halaman ini.")),
    404: (_l("Halaman tidak ditemukan"), _l("Halaman atau pesanan yang Anda cari tidak ada.")),
    405: (_l("Tidak diizinkan"), _l("Cara membuka halaman ini tidak didukung.")),
    413: (_l("Terlalu besar"), _l("Data yang dikirim terlalu besar.")),
    429: (_l("Terlalu banyak permintaan"), _l("Tunggu sebentar, lalu coba lagi.")),
    503: (_l("Sedang ramai"), _l("Semua sambungan sedang dipakai. Pesanan Anda tidak hilang; coba lagi sebentar.")),
    500: (
        _l("Terjadi kesalahan"),
        _l("Maaf, ada gangguan di sisi kami. Pesanan Anda tidak hilang; coba lagi sebentar."),
    ),
}


def json_error(status: int, code: str, message: str, field: str | None = None, headers: dict | None = None):
    """The one JSON error body: {"error": {"code", "message", "field"}}, as a response."""
    return jsonify(error={"code": code, "message": message, "field": field}), status, headers or {}


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def render_error(status: int, title: str, message: str, code: str):
    if _wants_json():
        return json_error(status, code, message)
    return render_template("errors/error.html", status=status, title=title, message=message), status


def handle_http_error(exc: HTTPException):
    """Pages speak the customer's language; the JSON API speaks English to developers."""
    status = exc.code or 500
    code = exc.name.lower().replace(" ", "_")
    if _wants_json():
        return render_error(status, exc.name, exc.description or exc.name, code)
    title, message = (str(text) for text in MESSAGES.get(status, (exc.name, exc.description)))
    return render_error(status, title, message, code)


def handle_csrf_error(exc: CSRFError):
    return render_error(
        400,
        _("Formulir kedaluwarsa"),
        _("Halaman ini sudah terlalu lama terbuka atau cookie diblokir. Muat ulang halaman lalu coba lagi."),
        "csrf_failed",
    )


def handle_unexpected(exc: Exception):
    current_app.logger.error("unhandled error on %s %s", request.method, request.path, exc_info=exc)
    _undo_what_failed()
    return handle_http_error(InternalServerError())


# Seconds a client is told to wait when every database connection is taken.
BUSY_RETRY_AFTER = 5


def handle_busy(exc: PoolTimeout):
    """Every pooled connection stayed taken for DB_POOL_TIMEOUT: a burst beyond what
    the pool serves. A 503 with Retry-After, which Duitku and partners retry, not a 500."""
    current_app.logger.warning("no database connection for %s %s: %s", request.method, request.path, exc)
    _undo_what_failed()
    response = current_app.make_response(handle_http_error(ServiceUnavailable()))
    response.headers["Retry-After"] = str(BUSY_RETRY_AFTER)
    return response


def _undo_what_failed() -> None:
    """Whatever the failed request half-did is undone before anything else runs (the
    error page itself reads the session): a retried callback then starts clean. The
    page's header reads nothing more, the database may be what failed: the shop's
    name is the default, and a staff member not yet read (the login check is often
    what failed) is shown the page as a visitor."""
    db.session.rollback()
    use_default_shop()
    if "_login_user" not in g:  # Flask-Login's own cache of the request's user
        g._login_user = login_manager.anonymous_user()


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(PoolTimeout, handle_busy)
    app.register_error_handler(Exception, handle_unexpected)  # HTTPExceptions go above
