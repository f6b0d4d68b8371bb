"""Guard rails: the reference pages match the code they describe."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from fanzha.cli.reference import cli_markdown

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_cli_reference_is_up_to_date():
    assert (DOCS / "cli.md").read_text("utf-8") == cli_markdown(), (
        "docs/cli.md is stale: run scripts/gen-docs"
    )


def test_every_command_has_help_text():
    from fanzha.cli.main import _load_command_modules, app

    _load_command_modules()
    missing = []

    def walk(command, path):
        for name, sub in getattr(command, "commands", {}).items():
            if not (sub.help or "").strip():
                missing.append(f"{path} {name}")
            walk(sub, f"{path} {name}")

    walk(typer.main.get_command(app), "fanzha")
    assert missing == []


def test_every_docs_page_the_readme_names_exists():
    readme = (DOCS.parent / "README.md").read_text("utf-8")
    named = set(re.findall(r"docs/([\w-]+\.md)", readme))
    assert "settings.md" in named
    assert sorted(n for n in named if not (DOCS / n).is_file()) == []
