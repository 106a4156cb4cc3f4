"""Checks on input that no view should have to repeat.

What the database cannot hold is refused before it reaches a query: a NUL character
(PostgreSQL cannot store or even compare text holding one), a lone UTF-16 surrogate
(it cannot be encoded as UTF-8), an integer beyond the id and amount columns' range.
JSON nested deeper than any request needs is refused before it is parsed (the
parser is recursive), so no request can exhaust the stack. Each refusal is a 400
(or a 404 for an id in a URL, or a form error for a form field), never a 500.
"""

import json
import re

from flask import Flask, Request, abort, current_app, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

# PostgreSQL's `integer`, the type of every id and amount column.
DATABASE_INTEGER = range(-(2**31), 2**31)
MAX_JSON_DEPTH = 32  # a partner's metadata is a small object; nothing sent needs more
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_JSON_BRACKET = re.compile(r"[\[\]{}]")
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def database_integer(value) -> int:
    """`value` as an int that an integer column can hold; ValueError otherwise."""
    number = int(value)
    if number not in DATABASE_INTEGER:
        raise ValueError(f"{number} is outside the database's integer range")
    return number


class DatabaseIntegerConverter(IntegerConverter):
    """`<int:...>` in every route: a number no integer column can hold does not match
    (a 404), instead of reaching the database as a query it cannot run."""

    def __init__(self, map, fixed_digits=0, min=None, max=DATABASE_INTEGER.stop - 1, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)


class RefusedJson(ValueError):
    """JSON that parses but that the app will not take."""


class MalformedJson(BadRequest):
    """A 400 whose JSON error code (see webapp/errors.py) is `malformed_json`."""

    name = "Malformed JSON"


def json_depth(text: str) -> int:
    """How deeply arrays and objects nest in `text`, without parsing it."""
    depth = deepest = 0
    for bracket in _JSON_BRACKET.findall(_JSON_STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _strings_in(value):
    """Every string in a parsed JSON value, keys included (iteratively: no recursion)."""
    pending = [value]
    while pending:
        current = pending.pop()
        if isinstance(current, str):
            yield current
        elif isinstance(current, dict):
            pending.extend(current.keys())
            pending.extend(current.values())
        elif isinstance(current, list):
            pending.extend(current)


def parse_json(data: str | bytes):
    """`json.loads`, refusing (RefusedJson) what the app cannot safely take."""
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    if json_depth(text) > MAX_JSON_DEPTH:
        raise RefusedJson(f"the JSON is nested deeper than {MAX_JSON_DEPTH} levels")
    value = json.loads(text)
    for string in _strings_in(value):
        if found := _UNSTORABLE.search(string):
            what = "a NUL character" if found.group() == "\x00" else "a lone UTF-16 surrogate"
            raise RefusedJson(f"a JSON string holds {what}")
    return value


class StrictJSONProvider(DefaultJSONProvider):
    """The app's JSON: request bodies are parsed with `parse_json`. (Flask parses the
    session cookie with it too, but only after checking its signature: what the app
    wrote itself, which always passes.)"""

    def loads(self, s: str | bytes, **kwargs):
        return parse_json(s)


class GuardedRequest(Request):
    """Refused or invalid JSON is a 400 that says why, in the route's error shape."""

    def on_json_loading_failed(self, e: ValueError | None):
        if e is None:  # not declared as JSON: 415, as Flask answers
            return super().on_json_loading_failed(e)
        reason = str(e) if isinstance(e, RefusedJson) else "the request body is not valid JSON"
        raise MalformedJson(reason) from e


def takes_upload(view):
    """Mark a view that receives a file: its requests may be MAX_UPLOAD_LENGTH long
    instead of MAX_CONTENT_LENGTH."""
    view.takes_upload = True
    return view


def allow_uploads():
    """Raise the body limit for views marked `takes_upload`, before anything reads the body."""
    if getattr(current_app.view_functions.get(request.endpoint or ""), "takes_upload", False):
        request.max_content_length = current_app.config["MAX_UPLOAD_LENGTH"]


class UnstorableInput(BadRequest):
    """A 400: a NUL character in the URL, in its `part` ("path" or "query"). `parameter`
    is the query parameter holding it, or the route's path argument (None when the NUL
    is elsewhere in the path), so that a blueprint can answer in its own terms (the partner
    API: a 422 naming the parameter, a 404 for a path argument)."""

    def __init__(self, part: str, parameter: str | None):
        where = f"the {part} parameter {parameter!r}" if parameter is not None else f"the {part}"
        super().__init__(f"{where} holds a NUL character")
        self.part, self.parameter = part, parameter


def _path_argument_holding_nul() -> str | None:
    for name, value in (request.view_args or {}).items():
        if isinstance(value, str) and "\x00" in value:
            return name
    return None


def reject_unstorable_input():
    """No legitimate input holds a NUL character: refuse it with a 400 before it
    reaches a query. A JSON body is parsed here, so refused JSON is a 400 on every
    route, whatever the view does with it."""
    if "\x00" in request.path:
        raise UnstorableInput("path", _path_argument_holding_nul())
    for name, value in request.args.items(multi=True):
        if "\x00" in value:
            raise UnstorableInput("query", name)
    if not request.environ.get("CONTENT_TYPE"):  # neither a form nor JSON (most GETs): nothing more to read
        return
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for values in request.form.listvalues():
            if any("\x00" in value for value in values):
                abort(400)
    elif request.is_json and request.get_data():  # some clients declare JSON on a GET without a body
        request.get_json()


def init_app(app: Flask) -> None:
    """Call before any route is added: the converter applies to rules added after it."""
    app.url_map.converters["int"] = DatabaseIntegerConverter
    app.json = StrictJSONProvider(app)
    app.request_class = GuardedRequest
    app.before_request(allow_uploads)
    app.before_request(reject_unstorable_input)
