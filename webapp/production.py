"""Settings that depend on running in production (WARUNG_ENV=production), and whether
the built-in Duitku sandbox is used (DUITKU_SANDBOX): in development when no
DUITKU_BASE_URL is set, in production only when the demo setting asks for it."""

from pathlib import Path

from flask import Flask

# The sandbox imports webapp's Duitku protocol modules, so its names are read when the
# app is built, not when this module is imported (either package may be imported first).
import duitku_sandbox

from .config import DEFAULT_SECRET_KEY, DEVELOPMENT_BASE_URL

DEMO_SETTING = "UNSAFE_SANDBOX_PAYMENTS_IN_PRODUCTION"
# `make run` writes the address it serves here, in the instance folder (see the Makefile).
SERVED_ADDRESS_FILE = "served-address"
DUITKU_SETTINGS = ("DUITKU_BASE_URL", "DUITKU_MERCHANT_CODE", "DUITKU_API_KEY")


class ConfigurationError(RuntimeError):
    """The app refuses to start: the message says which setting to fix."""


def init_app(app: Flask) -> None:
    config = app.config
    production = config["ENVIRONMENT"] == "production"
    if production:
        problems = []
        if not config["SECRET_KEY"] or config["SECRET_KEY"] == DEFAULT_SECRET_KEY or len(config["SECRET_KEY"]) < 32:
            problems.append("SECRET_KEY must be set to a random value of at least 32 characters")
        if not config["PUBLIC_BASE_URL"]:
            problems.append("PUBLIC_BASE_URL must be set (the address customers and Duitku reach)")
        problems += duitku_problems(config)
        if problems:
            raise ConfigurationError("Refusing to start in production: " + "; ".join(problems) + ".")
        config.update(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True, PREFERRED_URL_SCHEME="https")
    elif not config["PUBLIC_BASE_URL"]:
        config["PUBLIC_BASE_URL"] = served_address(app.instance_path) or DEVELOPMENT_BASE_URL
    config["DUITKU_SANDBOX"] = not config["DUITKU_BASE_URL"]


def served_address(instance_path: str) -> str:
    """In development, the address `make run` last served: a command run beside it
    (`flask tables list`) then prints links to it, whatever PORT it was given."""
    try:
        return (Path(instance_path) / SERVED_ADDRESS_FILE).read_text().strip()
    except OSError:
        return ""


def duitku_problems(config) -> list[str]:
    """Production takes real money only: the built-in sandbox (whose payer page lets
    anyone press Pay) and its published credentials are refused, unless the demo
    setting asks for the sandbox on purpose."""
    if config[DEMO_SETTING]:
        if config["DUITKU_BASE_URL"]:
            return [f"{DEMO_SETTING} mounts the built-in sandbox: unset it or DUITKU_BASE_URL"]
        return []
    missing = [name for name in DUITKU_SETTINGS if not config[name]]
    if missing:
        return [
            f"{', '.join(missing)} must be set to your Duitku account's (without them the built-in sandbox "
            f"would take orders with no money received; {DEMO_SETTING}=yes allows that for a demo)"
        ]
    problems = []
    base_url = config["DUITKU_BASE_URL"]
    if not base_url.startswith("https://"):
        problems.append("DUITKU_BASE_URL must be an https:// address of Duitku")
    elif base_url.rstrip("/").endswith(duitku_sandbox.SANDBOX_PREFIX):
        problems.append("DUITKU_BASE_URL points at the built-in sandbox, not at Duitku")
    if config["DUITKU_MERCHANT_CODE"] == duitku_sandbox.DEFAULT_MERCHANT_CODE:
        problems.append("DUITKU_MERCHANT_CODE is the built-in sandbox's published code")
    if config["DUITKU_API_KEY"] == duitku_sandbox.DEFAULT_API_KEY:
        problems.append("DUITKU_API_KEY is the built-in sandbox's published key")
    return problems
