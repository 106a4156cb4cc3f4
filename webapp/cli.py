"""`flask` commands for operators."""
import click
from flask import Flask
from flask.cli import AppGroup

from .payments import service
from .seed import seed_demo_menu

payments_cli = AppGroup("payments", help="Payment maintenance (run from cron).")


@payments_cli.command("sweep")
def sweep_command():
    """Expire overdue pending QRIS payments and reconcile the others with Duitku."""
    counts = service.sweep()
    click.echo(f"Pending QRIS payments: {counts['checked']} checked, {counts['paid']} paid, {counts['expired']} expired.")


@click.command("seed-demo")
def seed_demo_command():
    """Load the demo menu (safe to run again: only missing rows are added)."""
    categories, items = seed_demo_menu()
    click.echo(f"Demo menu: {categories} categories and {items} items added.")


def register(app: Flask) -> None:
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(payments_cli)
