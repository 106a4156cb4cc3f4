"""The till through a test client, as a staff member's browser holds it."""

from __future__ import annotations

import re

from tests.http_helpers import HTMX, csrf_token_from, visible_text

VERSION = re.compile(r'id="till-side" class="till-side" data-version="(\d+)"')


class TillBrowser:
    """A staff member's till as their browser holds it: its URL, the CSRF token, and the
    side column the last answer showed (its version and totals)."""

    def __init__(self, client, htmx: bool = True):
        self.client, self.htmx = client, htmx
        opened = client.get("/till")
        assert opened.status_code == 303, opened.status_code
        self.url = opened.location
        page = client.get(self.url)
        assert page.status_code == 200
        self.html = page.get_data(as_text=True)
        self.csrf = csrf_token_from(self.html)

    @property
    def text(self) -> str:
        """What the last page or answer shows, as the staff member reads it."""
        return visible_text(self.html)

    @property
    def version(self) -> str:
        return VERSION.search(self.html).group(1)

    def refresh(self) -> str:
        self.html = self.client.get(self.url).get_data(as_text=True)
        return self.html

    def post(self, path: str, **data):
        response = self.client.post(
            self.url + path, data={"csrf_token": self.csrf, **data}, headers=HTMX if self.htmx else {}
        )
        if response.status_code in (200, 286, 409, 422) and "till-side" in response.get_data(as_text=True):
            self.html = response.get_data(as_text=True)
        return response

    def add(self, item, **data):
        return self.post("/lines", item_id=str(item.id), quantity="1", **data)

    def choose(self, item, options: list[int], quantity: str = "1", note: str = ""):
        return self.post(f"/items/{item.id}", quantity=quantity, note=note, **{f"group-{o}": str(o) for o in options})

    def pay(self, how: str, total: int | None = None, **data):
        shown = total if total is not None else re.search(r'name="shown_total" value="(\d+)"', self.html).group(1)
        return self.post(f"/pay/{how}", version=self.version, shown_total=str(shown), **data)
