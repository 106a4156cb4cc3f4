"""`flask` commands for operators."""
import sys

import click
from flask import Flask
from flask.cli import AppGroup

from .auth.accounts import AccountError, create_user, set_active
from .models import Role
from .payments import service
from .seed import seed_demo_menu

users_cli = AppGroup("users", help="Cashier and admin accounts.")


def _read_password() -> str:
    """Prompt on a terminal; read the first line of stdin in scripts."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\n")


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.CASHIER.value, show_default=True)
def create_user_command(username, role):
    """Create an account; the password is asked for (or read from stdin)."""
    try:
        user = create_user(username, _read_password(), Role(role))
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created {user.role} {user.username}.")


@users_cli.command("disable")
@click.argument("username")
def disable_user_command(username):
    """Stop an account from logging in (its history stays)."""
    try:
        user = set_active(username, False)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Disabled {user.username}.")

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
    app.cli.add_command(users_cli)
