"""`flask tables create/list`, and the demo seed's tables."""

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import DiningTable


def test_tables_are_created_and_listed_with_their_links(app):
    runner = app.test_cli_runner()
    created = runner.invoke(args=["tables", "create", "Teras 2", "--area", "Teras"])
    assert created.exit_code == 0, created.output
    table = db.session.scalar(select(DiningTable))
    link = f"{app.config['PUBLIC_BASE_URL']}/t/{table.token}"
    assert created.output.strip() == f"Table Teras 2: {link}"
    runner.invoke(args=["tables", "create", "7"])
    listed = runner.invoke(args=["tables", "list"]).output.splitlines()
    assert listed[0].split("\t")[:3] == ["7", "-", "active"]
    assert listed[1] == f"Teras 2\tTeras\tactive\t{link}"


def test_a_taken_label_is_a_clean_cli_error(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["tables", "create", "7"])
    again = runner.invoke(args=["tables", "create", "7"])
    assert again.exit_code != 0 and "Meja 7 sudah ada" in again.output


def test_the_demo_seed_adds_twelve_tables_once(app):
    runner = app.test_cli_runner()
    assert "Demo tables: 12 added." in runner.invoke(args=["seed-demo"]).output
    assert "Demo tables: 0 added." in runner.invoke(args=["seed-demo"]).output
    labels = [table.label for table in db.session.scalars(select(DiningTable).order_by(DiningTable.position))]
    assert len(labels) == 12 and labels[6] == "7" and labels[-1] == "Teras 4"
