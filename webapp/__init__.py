"""Warung: order-and-pay web app for Indonesian eateries."""
import os
from pathlib import Path

from flask import Flask

from . import caching, cli, errors, formatting, i18n, production, request_guards, security
from .ops import logging as request_logging
from .config import Config
from .extensions import csrf, db, login_manager, migrate
from .payments import changes, gateway

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: type | dict | None = None) -> Flask:
    """Build the app. `config` is a config class or a mapping of overrides."""
    app = Flask(
        __name__,
        static_folder=str(PROJECT_ROOT / "static"),
        template_folder=str(PROJECT_ROOT / "templates"),
        instance_path=os.environ.get("WARUNG_INSTANCE_DIR", str(PROJECT_ROOT / "instance")),
    )
    app.config.from_object(Config)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    production.apply(app)
    Path(app.instance_path).mkdir(exist_ok=True)
    request_logging.init_app(app)
    request_guards.register(app)  # before any route: it bounds <int:...> in URLs

    register_extensions(app)
    gateway.init_app(app)
    changes.init_app(app)
    caching.install(app, "poll_cache")
    caching.install(app, "menu_cache")
    register_blueprints(app)
    formatting.register(app)
    errors.register(app)
    cli.register(app)
    return app


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    # Batch mode lets later migrations alter SQLite tables.
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    i18n.init_app(app)
    security.init_app(app)


def register_blueprints(app: Flask) -> None:
    from .admin import bp as admin_bp
    from .api import bp as api_bp
    from .auth import bp as auth_bp
    from .cashier import bp as cashier_bp
    from .ops.health import bp as health_bp
    from .orders import bp as orders_bp
    from .webhooks import bp as webhooks_bp

    for blueprint in (orders_bp, webhooks_bp, api_bp, auth_bp, cashier_bp, admin_bp, health_bp):
        app.register_blueprint(blueprint)
