"""Run the CLI with ``python -m fanzha``."""

from fanzha.cli.main import main

main()
