"""/healthz: the process answers and its database does. /readyz: also the schema is
migrated to the latest revision, so a new instance only takes traffic when ready."""

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Blueprint, Flask, current_app, jsonify
from sqlalchemy import text

from ..extensions import db

bp = Blueprint("health", __name__)


def _database_ok() -> tuple[bool, str]:
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
        return True, "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "not healthy"
        db.session.rollback()
        return False, type(exc).__name__


@bp.get("/healthz")
def healthz():
    ok, detail = _database_ok()
    return jsonify(status="ok" if ok else "unavailable", database=detail), 200 if ok else 503


@bp.get("/readyz")
def readyz():
    ok, detail = _database_ok()
    migrations = "unknown"
    if ok:
        script = ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())
        with db.engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_heads()
        migrations = "current" if set(current) == set(script.get_heads()) else "pending"
        ok = migrations == "current"
    return jsonify(status="ready" if ok else "not ready", database=detail, migrations=migrations), 200 if ok else 503


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
