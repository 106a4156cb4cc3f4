"""Settings that depend on running in production (WARUNG_ENV=production)."""
from flask import Flask

from .config import DEFAULT_SECRET_KEY, DEVELOPMENT_BASE_URL


class ConfigurationError(RuntimeError):
    """The app refuses to start: the message says which setting to fix."""


def apply(app: Flask) -> None:
    config = app.config
    production = config["ENVIRONMENT"] == "production"
    if production:
        problems = []
        if not config["SECRET_KEY"] or config["SECRET_KEY"] == DEFAULT_SECRET_KEY or len(config["SECRET_KEY"]) < 32:
            problems.append("SECRET_KEY must be set to a random value of at least 32 characters")
        if not config["PUBLIC_BASE_URL"]:
            problems.append("PUBLIC_BASE_URL must be set (the address customers and Duitku reach)")
        if problems:
            raise ConfigurationError("Refusing to start in production: " + "; ".join(problems) + ".")
        config.update(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True, PREFERRED_URL_SCHEME="https")
    elif not config["PUBLIC_BASE_URL"]:
        config["PUBLIC_BASE_URL"] = DEVELOPMENT_BASE_URL
