"""Checks every request passes before any view runs."""
from flask import Flask, abort, request


def reject_nul_bytes():
    """No legitimate input holds a NUL character, and PostgreSQL cannot store or even
    compare text holding one: refuse it with a 400 before it reaches a query."""
    if "\x00" in request.path or any("\x00" in value for value in request.args.values()):
        abort(400)
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for values in request.form.listvalues():
            if any("\x00" in value for value in values):
                abort(400)
    elif request.is_json and _holds_nul(request.get_json(silent=True)):
        abort(400)


def _holds_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


def register(app: Flask) -> None:
    app.before_request(reject_nul_bytes)
