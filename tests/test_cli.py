from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import Category, MenuItem, OptionGroup


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


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
