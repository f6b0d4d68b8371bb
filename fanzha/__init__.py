"""fanzha (反诈): machine learning to find and stop telecom and online fraud."""

from __future__ import annotations

__version__ = "0.1.0"

from fanzha.errors import (  # noqa: E402
    FanzhaError,
    InputError,
    MissingDependencyError,
    ModelError,
    NotFoundError,
    StorageError,
    ValidationError,
)
from fanzha.verdict import Evidence, Verdict  # noqa: E402

__all__ = [
    "Evidence",
    "FanzhaError",
    "InputError",
    "MissingDependencyError",
    "ModelError",
    "NotFoundError",
    "StorageError",
    "ValidationError",
    "Verdict",
    "__version__",
]
