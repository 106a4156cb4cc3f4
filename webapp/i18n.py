"""Language choice: Indonesian by default, English one tap away.

The choice is remembered in the session; without one, the browser's Accept-Language
decides between the languages we have. Money and times are always formatted the
Indonesian way (Babel, id_ID), whatever the language.
"""
from flask import Blueprint, Flask, current_app, has_request_context, redirect, request, session, url_for
from flask_babel import get_locale

from .extensions import babel
from .redirects import local_path

SESSION_KEY = "lang"
bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    """Session choice, else Accept-Language, else Indonesian (also outside requests:
    cron jobs and background threads)."""
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    chosen = session.get(SESSION_KEY)
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages, default=current_app.config["BABEL_DEFAULT_LOCALE"])


@bp.get("/lang/<code>")
def choose_language(code):
    if code in current_app.config["LANGUAGES"]:
        session[SESSION_KEY] = code
    return redirect(local_path(request.args.get("next")) or url_for("orders.menu"), 303)


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(app.root_path + "/../translations"))
    app.register_blueprint(bp)
    app.jinja_env.globals["current_language"] = lambda: str(get_locale())
