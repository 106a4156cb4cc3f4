"""Submitting a page's HTML forms the way a browser without JavaScript does: every
named field of the form, plus the name and value of the button pressed, sent to that
button's `formaction` or else to the form's `action`."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Button:
    label: str  # its aria-label, else its text
    name: str | None
    value: str
    formaction: str | None


@dataclass
class Form:
    action: str
    attrs: dict
    fields: dict[str, str] = field(default_factory=dict)
    buttons: list[Button] = field(default_factory=list)

    def button(self, label: str) -> Button:
        matches = [button for button in self.buttons if button.label == label]
        assert len(matches) == 1, f"{len(matches)} buttons labelled {label!r} in {[b.label for b in self.buttons]}"
        return matches[0]

    def submit(self, client, label: str, **typed: str):
        """Press the button labelled `label` after typing `typed` into fields."""
        button = self.button(label)
        unknown = set(typed) - set(self.fields)
        assert not unknown, f"no such fields: {unknown}"
        data = {**self.fields, **typed}
        if button.name:
            data[button.name] = button.value
        return client.post(button.formaction or self.action, data=data)


def _sent(attrs: dict) -> bool:
    """Whether a browser sends the input: a radio button or checkbox only when checked."""
    return attrs.get("type") not in ("radio", "checkbox") or "checked" in attrs


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._button: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._form = Form(attrs.get("action", ""), attrs)
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag in ("input", "textarea") and attrs.get("name") and _sent(attrs):
            self._form.fields[attrs["name"]] = attrs.get("value", "")
        elif tag == "button" and attrs.get("type", "submit") == "submit" and "disabled" not in attrs:
            self._button = attrs | {"text": ""}

    def handle_data(self, data):
        if self._button is not None:
            self._button["text"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "button" and self._button is not None:
            attrs, self._button = self._button, None
            label = attrs.get("aria-label") or " ".join(attrs["text"].split())
            self._form.buttons.append(Button(label, attrs.get("name"), attrs.get("value", ""), attrs.get("formaction")))


def forms(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def form_with_button(html: str, label: str) -> Form:
    """The one form holding a button labelled `label`."""
    found = [form for form in forms(html) if any(button.label == label for button in form.buttons)]
    assert len(found) == 1, f"{len(found)} forms with a button {label!r}"
    return found[0]
