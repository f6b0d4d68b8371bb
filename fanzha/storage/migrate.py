"""Schema migrations of the store, run through Alembic without an ``alembic.ini``.

The migration scripts ship inside the package (``fanzha/storage/migrations``), so
``fanzha db upgrade`` works from any folder and from an installed wheel.
"""

from __future__ import annotations

import logging
from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

logger = logging.getLogger(__name__)


def alembic_config(engine: Engine) -> Config:
    """Return an Alembic ``Config`` pointing at the packaged migration scripts."""
    config = Config()
    location = resources.files("fanzha.storage").joinpath("migrations")
    config.set_main_option("script_location", str(location))
    url = engine.url.render_as_string(hide_password=False).replace("%", "%%")
    config.set_main_option("sqlalchemy.url", url)
    return config


def head_revision(engine: Engine) -> str | None:
    """Return the newest revision the packaged scripts know."""
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """Return the revision the database is at, or ``None`` for an empty one."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to ``revision`` (default: the newest)."""
    _run(engine, command.upgrade, revision)
    logger.info("store upgraded revision=%s", current_revision(engine))


def downgrade(engine: Engine, revision: str = "base") -> None:
    """Take the schema back to ``revision`` (default: empty)."""
    _run(engine, command.downgrade, revision)
    logger.info("store downgraded revision=%s", current_revision(engine))


def _run(engine: Engine, step, revision: str) -> None:  # type: ignore[no-untyped-def]
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        step(config, revision)
