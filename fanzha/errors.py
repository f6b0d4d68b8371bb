"""Exceptions raised by fanzha, grouped by what the caller can do about them.

::

    FanzhaError                    base of everything fanzha raises on purpose
    ├── InputError                 the caller's data or request is wrong: fix it
    │   ├── ValidationError        one record or field is invalid (names which)
    │   ├── UnsupportedFormatError a file or format fanzha cannot read
    │   └── UnknownKindError       an unknown detector, kind or setting name
    ├── NotFoundError              the entity, report, case or model does not exist
    ├── ConflictError              the change clashes with the current state
    ├── AuthError                  missing or wrong API key
    │   └── PermissionDeniedError  the key's role may not do this
    ├── MissingDependencyError     an optional extra is not installed: install it
    ├── ModelError                 a model is not fitted, or its artifact is unusable
    └── StorageError               the store is unreachable or out of date

Every message is a sentence that says what to do next. The CLI prints the message on
one line and exits non-zero; the REST API maps each class to one HTTP status and one
JSON error body.
"""

from __future__ import annotations


class FanzhaError(Exception):
    """Base class of every error fanzha raises on purpose."""

    code = "fanzha_error"


class InputError(FanzhaError):
    """The input is wrong; the caller can fix it and try again."""

    code = "bad_input"


class ValidationError(InputError):
    """One record or field is invalid.

    Parameters
    ----------
    message
        What is wrong and how to fix it.
    record
        Where the bad record sits: a line number, a row id or a field path.
    """

    code = "invalid"

    def __init__(self, message: str, record: str | int | None = None) -> None:
        self.record = record
        prefix = f"record {record}: " if record is not None else ""
        super().__init__(prefix + message)


class UnsupportedFormatError(InputError):
    """A file or format fanzha cannot read."""

    code = "unsupported_format"


class UnknownKindError(InputError):
    """An unknown detector, evaluation kind or setting name."""

    code = "unknown_kind"


class NotFoundError(FanzhaError):
    """The thing asked for does not exist."""

    code = "not_found"


class ConflictError(FanzhaError):
    """The change clashes with the current state (duplicate, wrong lifecycle step)."""

    code = "conflict"


class AuthError(FanzhaError):
    """The API key is missing, unknown or revoked."""

    code = "unauthorized"


class PermissionDeniedError(AuthError):
    """The API key is valid but its role may not do this."""

    code = "forbidden"


class MissingDependencyError(FanzhaError):
    """An optional dependency is missing.

    Parameters
    ----------
    package
        The module that failed to import.
    extra
        The fanzha extra that brings it in.
    """

    code = "missing_dependency"

    def __init__(self, package: str, extra: str) -> None:
        self.package = package
        self.extra = extra
        super().__init__(
            f"{package} is not installed; install the {extra} extra: "
            f"pip install 'fanzha[{extra}]'"
        )


class ModelError(FanzhaError):
    """A model is not fitted, or its saved artifact cannot be used."""

    code = "model_error"


class StorageError(FanzhaError):
    """The store is unreachable, or its schema is out of date."""

    code = "storage_error"
