"""Loading of built-in and third-party plugins.

A plugin is a module that registers detectors, evaluators or trainers when it is
imported (see ``fanzha.registry``). Built-in plugins are listed here; others are
found through the ``fanzha.plugins`` entry-point group.
"""

from __future__ import annotations

import importlib
import logging
from importlib.metadata import entry_points

logger = logging.getLogger(__name__)

DEFAULT_PLUGINS: tuple[str, ...] = (
    "fanzha.detectors.text.lexicon_detector",
    "fanzha.links.plugin",
    "fanzha.detectors.text.model_detector",
    "fanzha.detectors.text.training",
    "fanzha.detectors.calls.simbox_detector",
    "fanzha.detectors.calls.robocall_detector",
    "fanzha.detectors.calls.number_risk_detector",
    "fanzha.detectors.calls.number_training",
    "fanzha.calls.sim_eval",
    "fanzha.detectors.graph.mule_detector",
    "fanzha.graph.money_eval",
    "fanzha.graph.console_pages",
)

_loaded = False


def load_plugins() -> None:
    """Import every built-in plugin and every installed third-party one, once."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    for module in DEFAULT_PLUGINS:
        importlib.import_module(module)
    for entry in entry_points(group="fanzha.plugins"):
        logger.info("plugin loaded name=%s", entry.name)
        entry.load()
