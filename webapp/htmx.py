"""What the blueprints share about htmx requests."""

from flask import request

# htmx stops a polling trigger when answered with this status.
HTMX_STOP_POLLING = 286


def is_htmx() -> bool:
    """Whether htmx sent this request (it then gets a fragment, not a page)."""
    return request.headers.get("HX-Request") == "true"
