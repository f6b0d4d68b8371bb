"""``fanzha serve`` (API and console) and ``fanzha demo`` (demo data)."""

from __future__ import annotations

from typing import Annotated

import typer

from fanzha.cli.db_commands import DatabaseUrlOption, open_store
from fanzha.cli.main import FormatOption, app
from fanzha.cli.output import OutputFormat, console, emit
from fanzha.settings import load_settings


@app.command()
def demo(
    database_url: DatabaseUrlOption = None, fmt: FormatOption = OutputFormat.table
) -> None:
    """Load the invented demo data set and the demo admin key (idempotent)."""
    from fanzha.demo import load_demo

    summary = load_demo(open_store(database_url))
    emit(summary, fmt, title="demo data")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    demo: Annotated[
        bool | None, typer.Option("--demo/--no-demo", help="Load the demo data first.")
    ] = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Serve the REST API and the console (upgrades the store first)."""
    import uvicorn

    from fanzha.api.app import create_app
    from fanzha.demo import load_demo

    settings = load_settings(
        overrides={
            "host": host,
            "port": port,
            "demo": demo,
            "database_url": database_url,
        }
    )
    application = create_app(settings)
    if settings.demo:
        key = load_demo(application.state.store)["key"]
        console.print(
            f"demo data loaded; demo admin key: [bold]{key}[/bold]", soft_wrap=True
        )
    url = f"http://{settings.host}:{settings.port}"
    console.print(
        f"fanzha serving at [bold]{url}/[/bold] (API docs at {url}/docs)",
        soft_wrap=True,
    )
    uvicorn.run(
        application,
        host=settings.host,
        port=settings.port,
        log_level=str(settings.log_level).lower(),
    )
