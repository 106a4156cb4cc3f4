"""The signed-cookie session, read only when a request uses it.

Flask opens the session of every request before the view runs: it builds a signing
serializer, checks the cookie's signature and parses its JSON. Most requests never
look at it (the order poll, Duitku callbacks, the partner API), so here the session
is a `LazySession` that reads the cookie the first time any of its contents is read
or written. A request that never uses it sends no cookie and no `Vary: Cookie`, and
leaves the browser's cookie as it was; one that does behaves as Flask's own. (So a
permanent session, which this app does not use, would be refreshed only by requests
that use it.) The signing serializer is built once per secret key, not per request.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import Flask, Request, Response
from flask.globals import request_ctx
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature, URLSafeTimedSerializer


class LazySession(SecureCookieSession):
    """A session whose contents are read from the cookie when first used."""

    def __init__(self, read: Callable[[], dict]):
        super().__init__()
        self._read: Callable[[], dict] | None = read

    @property
    def unread(self) -> bool:
        """Nothing has used the session yet (so nothing can have changed it)."""
        return self._read is not None

    def _load(self) -> None:
        read, self._read = self._read, None
        if read is not None:
            dict.update(self, read())  # as opened: neither modified nor accessed


def _loading_first(name: str):
    method = getattr(SecureCookieSession, name)

    @wraps(method)
    def loading(self, *args, **kwargs):
        self._load()
        return method(self, *args, **kwargs)

    return loading


# Every way to read or write the mapping (`bool()` uses __len__; `permanent`, get).
for _name in (
    "__contains__",
    "__delitem__",
    "__eq__",
    "__getitem__",
    "__ior__",
    "__iter__",
    "__len__",
    "__ne__",
    "__or__",
    "__repr__",
    "__reversed__",
    "__ror__",
    "__setitem__",
    "clear",
    "copy",
    "get",
    "items",
    "keys",
    "pop",
    "popitem",
    "setdefault",
    "update",
    "values",
):
    setattr(LazySession, _name, _loading_first(_name))


class LazySessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, opened as `LazySession`s."""

    def __init__(self):
        self._serializer: tuple[tuple, URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        cached = self._serializer
        if cached is None or cached[0] != keys:
            cached = (keys, super().get_signing_serializer(app))
            self._serializer = cached  # one tuple: threads see the old pair or the new one
        return cached[1]

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        max_age = int(app.permanent_session_lifetime.total_seconds())
        name = self.get_cookie_name(app)

        def read() -> dict:
            value = request.cookies.get(name) if request.environ.get("HTTP_COOKIE") else None
            if not value:
                return {}
            try:
                return serializer.loads(value, max_age=max_age)
            except BadSignature:
                return {}

        return LazySession(read)

    def save_session(self, app: Flask, session, response: Response) -> None:
        if isinstance(session, LazySession) and session.unread:
            return  # never used: unchanged, so the browser keeps its cookie
        super().save_session(app, session, response)


def session_unread() -> bool:
    """Whether this request has not used its session (the request context's own,
    looked at without opening it, as Flask's after-request step does)."""
    current = request_ctx._session  # the one Flask saves (the `session` proxy would mark it used)
    return isinstance(current, LazySession) and current.unread


def init_app(app: Flask) -> None:
    app.session_interface = LazySessionInterface()
