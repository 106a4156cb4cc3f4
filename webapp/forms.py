"""Form pieces the blueprints share (every form is a Flask-WTF form, with CSRF)."""

from typing import TypeVar

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField

from .request_guards import database_integer

NOT_A_NUMBER = _l("Harus angka.")

T = TypeVar("T")


def required(data: T | None) -> T:
    """The data of a field its form requires (DataRequired, InputRequired), once the form
    has validated. WTForms types every field's data as optional; validation has refused
    a form without it, so None here means the form was never validated."""
    if data is None:
        raise ValueError("a required field has no data: validate the form first")
    return data


def strip(value):
    """A filter: surrounding whitespace off a typed value."""
    return value.strip() if isinstance(value, str) else value


class WholeNumberField(IntegerField):
    """An IntegerField whose "not a number" error speaks to the customer. A number no
    integer column can hold is not a number either: it never reaches a query."""

    def __init__(self, label=None, validators=None, invalid_message=NOT_A_NUMBER, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.invalid_message = invalid_message

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
            if self.data is not None:
                database_integer(self.data)
        except ValueError as exc:
            self.data = None
            raise ValueError(str(self.invalid_message)) from exc
