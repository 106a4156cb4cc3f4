"""Form fields on a 360 x 800 phone and a tablet (issue 24, item 16): every field a
person types into or picks from (password, number, select, textarea, file, date) has
the text fields' full width and height, not a small native box beside them."""

import pytest
from playwright.sync_api import expect

from tests import factories as make
from tests.browser.pages import SMALL_PHONE, TABLETS, log_in_as_admin
from tests.db_helpers import end_transaction
from webapp.models import Role

SIZES = {"phone-360x800": SMALL_PHONE, **TABLETS}

# Each labelled field of the page's forms: its type, width and height, and those of the
# page's first text field (what the others must match: the forms are equally wide).
FIELDS = """() => [...document.querySelectorAll('.field')].map(field => {
  const control = field.querySelector('input:not([type=checkbox], [type=radio], [type=hidden]), select, textarea');
  if (!control) return null;
  const box = control.getBoundingClientRect();
  const text = document.querySelector('.field input[type=text], .field input:not([type])');
  const reference = text.getBoundingClientRect();
  return {field: control.id, type: control.type, width: Math.round(box.width), height: Math.round(box.height),
          textWidth: Math.round(reference.width), textHeight: Math.round(reference.height)};
}).filter(Boolean)"""


def assert_fields_like_text_fields(page, name: str, expected_types: set[str]) -> None:
    fields = page.evaluate(FIELDS)
    assert expected_types <= {field["type"] for field in fields}, (name, fields)
    for field in fields:
        assert field["width"] == field["textWidth"], (name, field)
        assert field["height"] >= field["textHeight"] >= 44, (name, field)


@pytest.fixture
def admin_forms(app, menu):
    """An admin, an item with option groups; the ids of Nasi Goreng and of a group."""
    make.staff_user("bos", role=Role.ADMIN)
    groups = make.menu_options(menu)
    ids = {"item": menu["Nasi Goreng"].id, "group": groups["Tambahan"].id, "option": groups["Tambahan"].options[0].id}
    end_transaction()
    return ids


@pytest.mark.parametrize("size", SIZES)
def test_every_field_is_as_wide_and_tall_as_the_text_fields(browser, server, admin_forms, size, tmp_path):
    context = browser.new_context(viewport=SIZES[size], locale="id-ID", base_url=server)
    page = context.new_page()
    page.goto("/login")
    assert_fields_like_text_fields(page, "login", {"text", "password"})
    page.screenshot(path=str(tmp_path / f"login-{size}.png"))  # to look at: pytest --basetemp
    log_in_as_admin(page, "bos", make.STAFF_PASSWORD)
    forms = {
        "new item": ("/admin/items/new", {"select-one", "text", "textarea"}),  # price: typed as rupiah (text)
        "item with its photo": (f"/admin/items/{admin_forms['item']}/edit", {"text", "file"}),
        "option group": (f"/admin/options/groups/{admin_forms['group']}/edit", {"number"}),
        "option": (f"/admin/options/{admin_forms['option']}/edit", {"text"}),  # its price difference: rupiah
    }
    for name, (path, types) in forms.items():
        page.goto(path)
        expect(page.locator("h1")).to_be_visible()
        assert_fields_like_text_fields(page, name, types)
        page.screenshot(path=str(tmp_path / f"{name.replace(' ', '-')}-{size}.png"), full_page=True)
    context.close()
