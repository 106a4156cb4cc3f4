import re

from sqlalchemy import select

from tests.db_helpers import count
from tests.http_helpers import log_in
from webapp.extensions import db
from webapp.models import Category, MenuItem, OptionGroup, User


def test_seed_demo_loads_a_menu_and_is_safe_to_run_twice(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    categories, items = count(Category), count(MenuItem)
    assert categories >= 3 and items >= 12
    names = set(db.session.scalars(select(MenuItem.name)))
    assert {"Nasi Goreng Spesial", "Mie Ayam Bakso", "Es Teh Manis"} <= names

    assert f"Demo photos: {items} added" in first.output
    assert all(db.session.scalars(select(MenuItem.photo_key)))

    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0
    assert "0 categories and 0 items added" in second.output and "Demo photos: 0 added" in second.output
    assert (count(Category), count(MenuItem)) == (categories, items)


def test_seed_demo_keeps_changes_made_since(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["seed-demo"])
    tea = db.session.scalar(select(MenuItem).where(MenuItem.name == "Es Teh Manis"))
    tea.price, tea.available = 6000, False
    db.session.commit()
    runner.invoke(args=["seed-demo"])
    db.session.expire_all()
    assert (tea.price, tea.available) == (6000, False)


def test_seed_demo_adds_option_groups_once(app):
    runner = app.test_cli_runner()
    assert "3 option groups added" in runner.invoke(args=["seed-demo"]).output
    nasi = db.session.scalar(select(MenuItem).where(MenuItem.name == "Nasi Goreng Spesial"))
    assert [(g.name, g.min_choices, g.max_choices) for g in nasi.option_groups] == [
        ("Level pedas", 1, 1),
        ("Tambahan", 0, 3),
    ]
    assert ("Telur", 4000) in [(o.name, o.price_diff) for o in nasi.option_groups[1].options]
    tea = db.session.scalar(select(MenuItem).where(MenuItem.name == "Es Teh Manis"))
    assert [(o.name, o.price_diff) for o in tea.option_groups[0].options] == [("Reguler", 0), ("Jumbo", 3000)]
    assert "0 option groups added" in runner.invoke(args=["seed-demo"]).output
    assert count(OptionGroup) == 3


def test_seed_demo_makes_an_admin_and_a_cashier_in_development_and_shows_their_passwords_once(app, client):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"]).output
    logins = dict(re.findall(r"^  (\w+) / ([a-z0-9-]+)   \(", first, re.MULTILINE))
    assert set(logins) == {"admin", "kasir"}
    assert {user.username: user.role for user in db.session.scalars(select(User))} == {
        "admin": "admin",
        "kasir": "cashier",
    }
    assert logins["admin"] != logins["kasir"] and all(len(password) == 14 for password in logins.values())
    assert f"Log in at {app.config['PUBLIC_BASE_URL']}/login" in first
    assert log_in(client, "kasir", logins["kasir"]).status_code == 303
    again = runner.invoke(args=["seed-demo"]).output
    assert "admin and kasir made before" in again and logins["admin"] not in again and logins["kasir"] not in again
    assert count(User) == 2
