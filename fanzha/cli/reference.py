"""The CLI reference page, generated from the command tree itself.

``docs/cli.md`` is this module's output; a test keeps the two in step, so every
command and option is documented.
"""

from __future__ import annotations

from typing import Any

import typer.main


def cli_markdown() -> str:
    """Render every ``fanzha`` command, its help and its options as Markdown."""
    from fanzha.cli.main import _load_command_modules, app

    _load_command_modules()
    root = typer.main.get_command(app)
    lines = [
        "# Command line reference",
        "",
        "Generated from the command tree by `scripts/gen-docs`; do not edit by hand.",
        "",
    ]
    _describe(root, "fanzha", lines)
    return "\n".join(lines).rstrip() + "\n"


def _describe(command: Any, path: str, lines: list[str]) -> None:
    subcommands: dict[str, Any] = getattr(command, "commands", None) or {}
    if path != "fanzha":
        lines += [f"## `{path}`", "", (command.help or "").strip(), ""]
        lines += _options(command)
    for name in sorted(subcommands):
        sub = subcommands[name]
        if not getattr(sub, "hidden", False):
            _describe(sub, f"{path} {name}", lines)


def _options(command: Any) -> list[str]:
    rows = []
    for param in command.params:
        if param.name == "help":
            continue
        names = ", ".join(f"`{o}`" for o in param.opts)
        kind = "argument" if param.param_type_name == "argument" else "option"
        text = (getattr(param, "help", None) or "").replace("|", "\\|")
        rows.append(f"| {names} | {kind} | {text} |")
    if not rows:
        return []
    return ["| name | kind | meaning |", "|---|---|---|", *rows, ""]
