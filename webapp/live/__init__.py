"""Keeping what processes hold in memory true: the change feed (PostgreSQL triggers
that NOTIFY, a listener per process, and the writers' own topics) and the caches it
empties; and the staff screens' streams, which it wakes (`streams`). Domains name what
they write and keep their caches here; this package knows no domain.
"""

from flask import Flask

from ..extensions import db
from . import feed, streams, triggers

# create_all makes the triggers as the migrations do (PostgreSQL only).
triggers.create_with(db.metadata)


def init_app(app: Flask) -> None:
    feed.init_app(app)
    streams.init_app(app)
