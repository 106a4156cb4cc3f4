"""Which Duitku the app talks to: the configured one, or the built-in sandbox.

With no DUITKU_BASE_URL configured, the sandbox is mounted under SANDBOX_PREFIX and the
app reaches it over real HTTP through PUBLIC_BASE_URL, exactly as it would reach Duitku.
It calls back and returns payers only to PUBLIC_BASE_URL. (Production refuses to start
this way unless UNSAFE_SANDBOX_PAYMENTS_IN_PRODUCTION is set: see `production`.)
"""
from flask import Flask, current_app
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from .duitku import DuitkuClient

SANDBOX_PREFIX = "/_sandbox/duitku"


def init_app(app: Flask) -> None:
    config = app.config
    if not config["DUITKU_BASE_URL"]:
        from ..sandbox import DEFAULT_API_KEY, DEFAULT_MERCHANT_CODE, create_sandbox_app

        sandbox = create_sandbox_app(
            {
                "SANDBOX_DATABASE": f"{app.instance_path}/duitku-sandbox.sqlite3",
                "SANDBOX_MERCHANT_NAME": config["MERCHANT_NAME"],
                "SANDBOX_ALLOWED_BASE_URL": config["PUBLIC_BASE_URL"],
            }
        )
        app.extensions["duitku_sandbox"] = sandbox
        app.wsgi_app = DispatcherMiddleware(app.wsgi_app, {SANDBOX_PREFIX: sandbox})
        config["DUITKU_SANDBOX"] = True
        config["DUITKU_BASE_URL"] = config["PUBLIC_BASE_URL"].rstrip("/") + SANDBOX_PREFIX
        config["DUITKU_MERCHANT_CODE"] = config["DUITKU_MERCHANT_CODE"] or DEFAULT_MERCHANT_CODE
        config["DUITKU_API_KEY"] = config["DUITKU_API_KEY"] or DEFAULT_API_KEY
    config.setdefault("DUITKU_SANDBOX", False)
    app.extensions["duitku"] = DuitkuClient(
        base_url=config["DUITKU_BASE_URL"],
        merchant_code=config["DUITKU_MERCHANT_CODE"],
        api_key=config["DUITKU_API_KEY"],
        connect_timeout=config["DUITKU_CONNECT_TIMEOUT"],
        read_timeout=config["DUITKU_READ_TIMEOUT"],
    )


def client() -> DuitkuClient:
    return current_app.extensions["duitku"]
