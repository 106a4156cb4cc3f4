"""The Duitku client the app talks to, built from the DUITKU_* settings (which point at
the built-in sandbox when it is mounted: see duitku_sandbox.init_app)."""

from flask import Flask, current_app

from .duitku import DuitkuClient


def init_app(app: Flask) -> None:
    config = app.config
    app.extensions["duitku"] = DuitkuClient(
        base_url=config["DUITKU_BASE_URL"],
        merchant_code=config["DUITKU_MERCHANT_CODE"],
        api_key=config["DUITKU_API_KEY"],
        connect_timeout=config["DUITKU_CONNECT_TIMEOUT"],
        read_timeout=config["DUITKU_READ_TIMEOUT"],
    )


def client() -> DuitkuClient:
    return current_app.extensions["duitku"]
