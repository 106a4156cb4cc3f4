"""Reading the menu for display.

The menu list is the same for every customer, so its HTML is cached per language and
URL root (see `live`: dropped whenever a category or item changes). Each customer's
CSRF token is put into the cached HTML in place of `CSRF_HOLE`, a random string of
this process that no menu text can contain by chance.
"""

import secrets
from collections.abc import Hashable, Iterable, Mapping
from datetime import datetime
from typing import Protocol

from flask import Flask, current_app, render_template, request
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..live import cache, feed
from ..models import Category, MenuItem, Option, OptionGroup

CSRF_HOLE = f"csrf-{secrets.token_hex(16)}"
MENU_TOPIC = "menu"  # what the PostgreSQL triggers announce for category and item writes
ENGLISH = "en"


def localized(row, field: str = "name") -> str:
    """A menu text (`name`, `description`) of a category, item or order line in the
    page's language: its English text (`<field>_en`) on an English page when one was
    given, else the Indonesian. Also a template filter: `{{ item | localized }}`."""
    if str(get_locale()) == ENGLISH and (english := getattr(row, f"{field}_en")):
        return english
    return getattr(row, field)


def menu_categories() -> list[Category]:
    """Categories in their order, each with its items loaded (two queries in all)."""
    return list(
        db.session.scalars(
            select(Category)
            .options(selectinload(Category.items).selectinload(MenuItem.option_groups))
            .order_by(Category.position, Category.id)
        )
    )


class Promoted(Hashable, Protocol):
    """The promotions in effect (webapp/discounts/promotions.py: Offers): which items they
    cover, at what price. Equal promotions make equal menus (a key of the cache)."""

    def prices(self, items: Iterable[MenuItem]) -> Mapping[int, tuple[int, str]]:
        """Item id -> (its price in the promotion, the promotion's name)."""
        ...


def promoted_prices(categories: list[Category], promoted: Promoted | None) -> Mapping[int, tuple[int, str]]:
    """What the menu shows struck through: item id -> (new price, promotion's name)."""
    return promoted.prices(item for category in categories for item in category.items) if promoted else {}


def menu_list_html(now: datetime, promoted: Promoted | None = None) -> Markup:
    """The menu list with this customer's CSRF token in every add form, and the prices
    of the promotions in effect (`promoted`) beside the menu's, struck through."""

    def render():
        csrf_field = Markup('<input type="hidden" name="csrf_token" value="{}">').format(CSRF_HOLE)
        categories = menu_categories()
        html = render_template(
            "shop/_menu_list.html",
            categories=categories,
            csrf_field=csrf_field,
            promoted=promoted_prices(categories, promoted),
        )
        return html, frozenset({MENU_TOPIC})

    key = (str(get_locale()), request.script_root, promoted)
    html = current_app.extensions["menu_cache"].fetch(key, now, render)
    # The cached list is the menu template's output (escaped by Jinja's autoescape);
    # Markup.replace escapes the token it puts in.
    return Markup(html).replace(CSRF_HOLE, generate_csrf())  # noqa: S704


def init_app(app: Flask) -> None:
    """The `localized` template filter, and the menu list cache, emptied by every write
    to the menu."""
    app.add_template_filter(localized)
    feed.name_writes((Category, MenuItem, OptionGroup, Option), MENU_TOPIC)
    cache.install(app, "menu_cache")
