"""Language choice: Indonesian by default, English one tap away.

The choice is remembered in the session; without one, the browser's Accept-Language
decides between the languages we have. Money and times are always formatted the
Indonesian way (Babel, id_ID), whatever the language.

The catalogs are compiled from the .po files when the app starts, however it was
installed (no build step needed): into the instance folder, again only when a .po
is newer than its compiled copy. A language whose catalog cannot be read is not
offered: the page never claims a language it cannot speak.
"""

import logging
import os
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Blueprint, Flask, current_app, has_request_context, redirect, request, session, url_for
from flask_babel import get_locale

from .extensions import babel
from .redirects import local_path

SESSION_KEY = "lang"
DOMAIN = "messages"
log = logging.getLogger(__name__)
bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    """Session choice, else Accept-Language, else Indonesian (also outside requests:
    cron jobs and background threads)."""
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    chosen = session.get(SESSION_KEY)
    if isinstance(chosen, str) and chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages, default=current_app.config["BABEL_DEFAULT_LOCALE"])


@bp.get("/lang/<code>")
def choose_language(code):
    if code in current_app.config["LANGUAGES"]:
        session[SESSION_KEY] = code
    return redirect(local_path(request.args.get("next")) or url_for("shop.menu"), 303)


def compile_catalog(po_path: Path, mo_path: Path) -> bool:
    """Compile one .po to `mo_path` unless its compiled copy is as new; False if unreadable."""
    try:
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            return True
        with po_path.open("rb") as po:
            catalog = read_po(po)
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        # Written aside, then renamed: workers starting together never read half a file.
        with tempfile.NamedTemporaryFile(dir=mo_path.parent, suffix=".tmp", delete=False) as mo:
            write_mo(mo, catalog, use_fuzzy=True)
        os.replace(mo.name, mo_path)
        return True
    except (OSError, ValueError) as exc:
        log.error("translations: cannot compile %s: %s", po_path, exc)
        return False


def compile_catalogs(source: Path, target: Path) -> set[str]:
    """Compile source/<lang>/LC_MESSAGES/messages.po into the same layout under
    `target`; the languages whose catalog is ready."""
    return {
        po_path.parent.parent.name
        for po_path in sorted(source.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
        if compile_catalog(po_path, target / po_path.relative_to(source).with_suffix(".mo"))
    }


def init_app(app: Flask) -> None:
    """BABEL_TRANSLATION_DIRECTORIES names the .po files (default translations/);
    Flask-Babel is given their compiled copies."""
    source = Path(app.config.get("BABEL_TRANSLATION_DIRECTORIES", Path(app.root_path).parent / "translations"))
    compiled = Path(app.instance_path) / "translations"
    ready = compile_catalogs(source, compiled)
    default = app.config["BABEL_DEFAULT_LOCALE"]  # the message ids' language: needs no catalog
    app.config["LANGUAGES"] = tuple(code for code in app.config["LANGUAGES"] if code == default or code in ready)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(compiled)
    babel.init_app(app, locale_selector=select_locale)
    app.register_blueprint(bp)
    app.jinja_env.globals["current_language"] = lambda: str(get_locale())
