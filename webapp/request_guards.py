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


def register(app: Flask) -> None:
    app.before_request(reject_nul_bytes)
