"""`flask` commands for operators."""
import click
from flask import Flask

from .seed import seed_demo_menu


@click.command("seed-demo")
def seed_demo_command():
    """Load the demo menu (safe to run again: only missing rows are added)."""
    categories, items = seed_demo_menu()
    click.echo(f"Demo menu: {categories} categories and {items} items added.")


def register(app: Flask) -> None:
    app.cli.add_command(seed_demo_command)
