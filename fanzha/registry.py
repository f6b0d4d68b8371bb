"""Registries through which detectors, evaluators and trainers are found.

Built-in pieces register exactly as a third-party plugin would: by calling the
``register_*`` functions at import time from a module listed in
``fanzha.plugins.DEFAULT_PLUGINS`` or published under the ``fanzha.plugins``
entry-point group.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from fanzha.errors import UnknownKindError

DetectorT = TypeVar("DetectorT", bound=type)

EvaluateFn = Callable[[Path, "Path | None"], dict[str, Any]]
"""An evaluator: ``(data path, model folder or None) -> metrics dict``."""

TrainFn = Callable[[Path, Path], dict[str, Any]]
"""A trainer: ``(shared data folder, output model folder) -> summary dict``."""

_DETECTORS: dict[str, type] = {}
_EVALUATORS: dict[str, EvaluateFn] = {}
_TRAINERS: dict[str, TrainFn] = {}


def register_detector(cls: DetectorT) -> DetectorT:
    """Class decorator: make a detector class findable by its ``name``."""
    name = getattr(cls, "name", "")
    if not name:
        raise ValueError(f"{cls.__name__} has no name to register under")
    _DETECTORS[name] = cls
    return cls


def register_evaluator(kind: str) -> Callable[[EvaluateFn], EvaluateFn]:
    """Decorator: make ``fanzha evaluate KIND`` call the function."""

    def decorate(fn: EvaluateFn) -> EvaluateFn:
        _EVALUATORS[kind] = fn
        return fn

    return decorate


def register_trainer(kind: str) -> Callable[[TrainFn], TrainFn]:
    """Decorator: make ``fanzha train KIND`` call the function."""

    def decorate(fn: TrainFn) -> TrainFn:
        _TRAINERS[kind] = fn
        return fn

    return decorate


def _lookup(table: dict[str, Any], key: str, what: str) -> Any:
    from fanzha.plugins import load_plugins

    load_plugins()
    if key not in table:
        known = ", ".join(sorted(table)) or "none"
        raise UnknownKindError(f"unknown {what} {key!r}; known: {known}")
    return table[key]


def detector_class(name: str) -> type:
    """Return the registered detector class called ``name``."""
    return _lookup(_DETECTORS, name, "detector")  # type: ignore[no-any-return]


def evaluator(kind: str) -> EvaluateFn:
    """Return the evaluator registered for ``kind``."""
    return _lookup(_EVALUATORS, kind, "evaluation kind")  # type: ignore[no-any-return]


def trainer(kind: str) -> TrainFn:
    """Return the trainer registered for ``kind``."""
    return _lookup(_TRAINERS, kind, "training kind")  # type: ignore[no-any-return]


def detector_names() -> list[str]:
    """Return the names of every registered detector, sorted."""
    from fanzha.plugins import load_plugins

    load_plugins()
    return sorted(_DETECTORS)


def evaluation_kinds() -> list[str]:
    """Return every kind ``fanzha evaluate`` accepts, sorted."""
    from fanzha.plugins import load_plugins

    load_plugins()
    return sorted(_EVALUATORS)


def training_kinds() -> list[str]:
    """Return every kind ``fanzha train`` accepts, sorted."""
    from fanzha.plugins import load_plugins

    load_plugins()
    return sorted(_TRAINERS)
