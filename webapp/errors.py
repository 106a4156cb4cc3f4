"""Error pages in the app's look, and JSON errors under /api/.

Every client error is answered with a page (or JSON) that says what went wrong; an
unexpected error is logged and shown as a friendly 500, never a traceback.
"""
from flask import Flask, current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

MESSAGES = {
    400: ("Permintaan tidak valid", "Ada yang salah dengan permintaan ini. Silakan coba lagi."),
    404: ("Halaman tidak ditemukan", "Halaman atau pesanan yang Anda cari tidak ada."),
    405: ("Tidak diizinkan", "Cara membuka halaman ini tidak didukung."),
    413: ("Terlalu besar", "Data yang dikirim terlalu besar."),
    500: ("Terjadi kesalahan", "Maaf, ada gangguan di sisi kami. Pesanan Anda tidak hilang; coba lagi sebentar."),
}


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def render_error(status: int, title: str, message: str, code: str):
    if _wants_json():
        return jsonify(error={"code": code, "message": message, "field": None}), status
    return render_template("errors/error.html", status=status, title=title, message=message), status


def handle_http_error(exc: HTTPException):
    status = exc.code or 500
    title, message = MESSAGES.get(status, (exc.name, exc.description))
    code = exc.name.lower().replace(" ", "_")
    return render_error(status, title, message, code)


def handle_csrf_error(exc: CSRFError):
    return render_error(
        400,
        "Formulir kedaluwarsa",
        "Halaman ini sudah terlalu lama terbuka atau cookie diblokir. Muat ulang halaman lalu coba lagi.",
        "csrf_failed",
    )


def handle_unexpected(exc: Exception):
    current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
    return handle_http_error(InternalServerError())


def register(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)  # HTTPExceptions go above
