"""``fanzha db`` (schema migrations) and ``fanzha keys`` (API keys)."""

from __future__ import annotations

from typing import Annotated

import typer

from fanzha.cli.main import FormatOption, app
from fanzha.cli.output import OutputFormat, console, emit
from fanzha.settings import load_settings
from fanzha.storage import ROLES, Store

db_app = typer.Typer(
    help="Create and upgrade the store's schema.", no_args_is_help=True
)
keys_app = typer.Typer(help="Create, list and revoke API keys.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(keys_app, name="keys")

DatabaseUrlOption = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        help="Store URL; overrides FANZHA_DATABASE_URL (default: SQLite in data_dir).",
        show_default=False,
    ),
]


def open_store(database_url: str | None, upgrade: bool = False) -> Store:
    """Open the store named by ``--database-url`` or the settings."""
    settings = load_settings(overrides={"database_url": database_url})
    store = Store(settings.resolved_database_url)
    if upgrade:
        store.upgrade()
    return store


@db_app.command("upgrade")
def db_upgrade(
    database_url: DatabaseUrlOption = None,
    revision: Annotated[str, typer.Option(help="Target revision.")] = "head",
) -> None:
    """Apply the schema migrations (safe to run again)."""
    store = open_store(database_url)
    store.upgrade(revision)
    console.print(f"store at revision {store.status()['revision']} ({store.backend})")


@db_app.command("current")
def db_current(
    database_url: DatabaseUrlOption = None, fmt: FormatOption = OutputFormat.table
) -> None:
    """Show the store's revision and whether it is up to date."""
    emit(open_store(database_url).status(), fmt, title="store")


@db_app.command("downgrade")
def db_downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision; base empties it.")],
    database_url: DatabaseUrlOption = None,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask first.")] = False,
) -> None:
    """Revert migrations down to REVISION (``base`` drops every table)."""
    if not yes:
        typer.confirm(
            f"downgrade the store to {revision}? data may be lost", abort=True
        )
    store = open_store(database_url)
    store.downgrade(revision)
    console.print(f"store at revision {store.status()['revision']}")


@keys_app.command("create")
def keys_create(
    name: Annotated[str, typer.Argument(help="Who or what uses the key.")],
    role: Annotated[str, typer.Option(help=f"One of: {', '.join(ROLES)}.")] = "viewer",
    database_url: DatabaseUrlOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Create an API key and print it once (only its hash is stored)."""
    store = open_store(database_url, upgrade=True)
    record, key = store.create_api_key(name, role, actor="cli")
    emit({**record, "key": key}, fmt, title="API key (shown once: keep it safe)")


@keys_app.command("list")
def keys_list(
    database_url: DatabaseUrlOption = None, fmt: FormatOption = OutputFormat.table
) -> None:
    """List API keys: name, role, prefix and dates (never the key)."""
    emit(open_store(database_url, upgrade=True).list_api_keys(), fmt, title="API keys")


@keys_app.command("revoke")
def keys_revoke(
    name: Annotated[str, typer.Argument(help="Name of the key to revoke.")],
    database_url: DatabaseUrlOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Revoke an API key; requests with it fail from now on."""
    emit(
        open_store(database_url, upgrade=True).revoke_api_key(name, actor="cli"),
        fmt,
        title="revoked",
    )
