"""The app's notion of "now": the wall clock, or a clock a test injects as CLOCK."""

from datetime import datetime

from flask import current_app


def now() -> datetime:
    return current_app.config["CLOCK"]()
