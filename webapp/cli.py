"""`flask` commands for operators."""

import sys
import threading

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from . import clock
from .kitchen.demo import seed_stations
from .menu.demo import seed_demo_menu, seed_demo_options, seed_demo_photos
from .models import Role
from .partners import accounts as partners
from .payments import partner_webhooks, reconcile
from .staff.accounts import AccountError, create_user, set_active, set_password
from .staff.demo import seed_demo_staff
from .tables import cards as table_cards
from .tables import registry as tables
from .tables.demo import seed_demo_tables
from .worker import JOBS, intervals, run_forever, run_job, stop_on_signals

users_cli = AppGroup("users", help="Cashier and admin accounts.")


def _read_password() -> str:
    """Prompt on a terminal; read the first line of stdin in scripts."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\n")


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice([role.value for role in Role]), default=Role.CASHIER.value, show_default=True)
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
    """Stop an account from logging in and end its sessions (its history stays)."""
    try:
        user = set_active(username, False)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Disabled {user.username}.")


@users_cli.command("set-password")
@click.argument("username")
def set_password_command(username):
    """Give an account a new password (asked for, or read from stdin); ends its sessions."""
    try:
        user = set_password(username, _read_password())
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"New password set for {user.username}; their sessions have ended.")


payments_cli = AppGroup("payments", help="Payment maintenance (run from cron).")


@payments_cli.command("sweep")
def sweep_command():
    """Expire overdue pending QRIS payments and reconcile the others with Duitku."""
    counts = reconcile.sweep()
    click.echo(
        f"Pending QRIS payments: {counts['checked']} checked, {counts['paid']} paid, {counts['expired']} expired."
    )


@payments_cli.command("deliver-webhooks")
def deliver_webhooks_command():
    """Retry partner webhooks whose backoff time has come."""
    counts = partner_webhooks.deliver_due()
    click.echo(f"Partner webhooks: {counts['due']} due, {counts['delivered']} delivered, {counts['failed']} failed.")


@click.command("worker")
@click.option("--once", is_flag=True, help="Run every job once now, then exit.")
def worker_command(once):
    """Run the background jobs (payment sweep, partner webhooks) on their schedule until
    SIGTERM; safe to run on several machines at once on PostgreSQL."""
    try:
        intervals(current_app.config["WORKER_INTERVALS"])
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    if once:
        outcomes = [run_job(job, clock.now()) for job in JOBS]
        if "error" in outcomes:
            raise click.ClickException("a job failed (see the log)")
        return
    stop = threading.Event()
    stop_on_signals(stop)
    run_forever(stop)


@click.command("seed-demo")
def seed_demo_command():
    """Load the demo menu, tables and options, and in development an admin and a cashier
    (safe to run again: only missing rows are added)."""
    categories, items = seed_demo_menu()
    click.echo(f"Demo menu: {categories} categories and {items} items added.")
    click.echo(f"Demo tables: {seed_demo_tables()} added.")
    click.echo(f"Kitchen stations: {seed_stations()} categories assigned.")
    click.echo(f"Demo photos: {seed_demo_photos()} added.")
    click.echo(f"Demo options: {seed_demo_options()} option groups added.")
    _echo_demo_logins(seed_demo_staff())


def _echo_demo_logins(logins: list[tuple[str, Role, str | None]] | None) -> None:
    """The new demo logins with their passwords (the only time these are shown)."""
    if logins is None:
        click.echo("Demo logins: none in production (.venv/bin/flask --app wsgi users create makes accounts).")
        return
    login_page = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + "/login"
    made = [(username, role, password) for username, role, password in logins if password]
    if made:
        click.secho("\nDemo logins (development only; the passwords are shown only now):", bold=True)
        for username, role, password in made:
            click.secho(f"  {username} / {password}   ({role.value})", bold=True)
        click.echo(f"Log in at {login_page}\n")
    kept = [username for username, _role, password in logins if not password]
    if kept:
        click.echo(
            f"Demo logins: {' and '.join(kept)} made before; log in at {login_page} "
            "(a new password: .venv/bin/flask --app wsgi users set-password NAME)."
        )


partners_cli = AppGroup("partners", help="Partner POS systems and their store licenses.")


def _partner_command(action):
    """Run a partner action, turning its refusals into a clean CLI error."""
    try:
        return action()
    except partners.PartnerError as exc:
        raise click.ClickException(str(exc)) from exc


@partners_cli.command("create")
@click.argument("name")
@click.option("--webhook-url", default="", help="Where payment events are POSTed.")
def create_partner_command(name, webhook_url):
    """Create a partner; prints its API key and webhook secret (shown only now)."""
    partner, api_key = _partner_command(lambda: partners.create_partner(name, webhook_url))
    click.echo(f"Partner: {partner.name}")
    click.echo(f"API key: {api_key}")
    click.echo(f"Webhook secret: {partner.webhook_secret}")
    click.echo("Store them now: the API key cannot be shown again.")


@partners_cli.command("add-license")
@click.argument("partner_name")
@click.option("--store", required=True, help="The store this license is for.")
@click.option("--counter-pos", is_flag=True, help="This restaurant's own counter POS: may act on web orders.")
def add_license_command(partner_name, store, counter_pos):
    """Add a store license to a partner; prints the license key."""
    license_ = _partner_command(
        lambda: partners.add_license(partners.find_partner(partner_name), store, counter_pos=counter_pos)
    )
    click.echo(license_.key)


@partners_cli.command("counter-pos")
@click.argument("key")
@click.option("--off", is_flag=True, help="Take the mark away again.")
def counter_pos_command(key, off):
    """Mark a license as this restaurant's own counter POS: its partner may then take and
    cancel QRIS payments for web orders (no other partner may)."""
    license_ = _partner_command(lambda: partners.set_counter_pos(key, not off))
    state = "is no longer" if off else "is now"
    click.echo(f"{license_.key} ({license_.store_name}) {state} the counter POS.")


@partners_cli.command("revoke-license")
@click.argument("key")
def revoke_license_command(key):
    """Stop a license from creating payments."""
    license_ = _partner_command(lambda: partners.revoke_license(key))
    click.echo(f"Revoked {license_.key} ({license_.store_name}).")


@partners_cli.command("rotate-key")
@click.argument("partner_name")
def rotate_key_command(partner_name):
    """Issue a new API key; the old one stops working at once."""
    api_key = _partner_command(lambda: partners.rotate_api_key(partners.find_partner(partner_name)))
    click.echo(f"API key: {api_key}")


tables_cli = AppGroup("tables", help="Dining tables and their QR links.")


@tables_cli.command("create")
@click.argument("label")
@click.option("--area", default="", help="Where the table is, e.g. Teras.")
def create_table_command(label, area):
    """Add a table; prints the link its QR carries."""
    try:
        table = tables.save_table(None, label, area)
    except tables.TableError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Table {table.label}: {table_cards.table_link(table)}")


@tables_cli.command("list")
def list_tables_command():
    """Every table: label, area, whether active, and its QR link."""
    for table in tables.all_tables():
        state = "active" if table.active else "inactive"
        click.echo(f"{table.label}\t{table.area or '-'}\t{state}\t{table_cards.table_link(table)}")


def init_app(app: Flask) -> None:
    app.cli.add_command(tables_cli)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(worker_command)
    app.cli.add_command(payments_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(partners_cli)
