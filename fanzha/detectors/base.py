"""The detector contract that every fanzha detector follows.

A detector reads one kind of item (a text, a phone number's features, a URL, a
page, an account) and returns a :class:`~fanzha.verdict.Verdict` for it. The
life cycle is scikit-learn's: construct with hyper-parameters, ``fit`` on
labelled items, then ``score`` or ``score_batch``. ``save`` writes a folder that
``load`` reads back; a detector that was saved and loaded scores exactly as the
original did.
"""

from __future__ import annotations

import json
import logging
import pickle
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar

from fanzha import __version__
from fanzha.errors import ModelError
from fanzha.verdict import Verdict

logger = logging.getLogger(__name__)

ItemT = TypeVar("ItemT")
META_FILE = "detector.json"
STATE_FILE = "state.pkl"


class Detector(ABC, Generic[ItemT]):
    """Base class of every detector.

    Subclasses set ``name`` (the registry key), ``kind`` (what they read:
    ``"text"``, ``"number"``, ``"url"``, ``"page"``, ``"account"``, ``"money"``)
    and ``labels`` (every label a verdict may carry), and implement ``fit`` and
    ``score``. Learned state lives in attributes ending in ``_``.
    """

    name: ClassVar[str] = ""
    kind: ClassVar[str] = ""
    labels: ClassVar[tuple[str, ...]] = ()
    version: str = "0"

    @abstractmethod
    def fit(self, items: Sequence[ItemT], labels: Sequence[str]) -> Detector[ItemT]:
        """Learn from labelled items and return ``self``."""

    @abstractmethod
    def score(self, item: ItemT) -> Verdict:
        """Return the verdict for one item; raise ``InputError`` for a bad item."""

    def score_batch(self, items: Sequence[ItemT]) -> list[Verdict]:
        """Return one verdict per item, in order. Override to vectorise."""
        return [self.score(item) for item in items]

    @property
    def model_version(self) -> str:
        """The version string stamped on every verdict: ``name@version``."""
        return f"{self.name}@{self.version}"

    def is_fitted(self) -> bool:
        """Return whether the detector holds learned state."""
        return any(k.endswith("_") and not k.startswith("_") for k in vars(self))

    def check_fitted(self) -> None:
        """Raise ``ModelError`` if ``fit`` or ``load`` has not been called."""
        if not self.is_fitted():
            raise ModelError(
                f"detector {self.name!r} is not fitted; call fit() or load a model"
            )

    def save(self, path: str | Path) -> Path:
        """Write the detector to the folder ``path`` and return it."""
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        meta = {
            "name": self.name,
            "kind": self.kind,
            "version": self.version,
            "fanzha": __version__,
        }
        (folder / META_FILE).write_text(json.dumps(meta, indent=2), "utf-8")
        with open(folder / STATE_FILE, "wb") as fh:
            pickle.dump(self.get_state(), fh, protocol=pickle.HIGHEST_PROTOCOL)
        logger.info(
            "model saved detector=%s version=%s path=%s",
            self.name,
            self.version,
            folder,
        )
        return folder

    @classmethod
    def load(cls, path: str | Path) -> Detector[Any]:
        """Read a detector saved by :meth:`save` from the folder ``path``.

        Only load models from sources you trust: the state is a pickle.
        """
        folder = Path(path)
        meta = read_meta(folder)
        if cls.name and meta.get("name") != cls.name:
            raise ModelError(
                f"{folder} holds a {meta.get('name')!r} model, not {cls.name!r}"
            )
        with open(folder / STATE_FILE, "rb") as fh:
            state = pickle.load(fh)  # noqa: S301 - artifacts are our own
        detector = cls.__new__(cls)
        detector.set_state(state)
        return detector

    def get_state(self) -> dict[str, Any]:
        """Return everything needed to rebuild the detector (picklable)."""
        return dict(vars(self))

    def set_state(self, state: dict[str, Any]) -> None:
        """Restore the detector from :meth:`get_state`'s result."""
        vars(self).update(state)

    @classmethod
    def contract_sample(cls) -> tuple[list[Any], list[str]]:
        """Return a few labelled items for the shared contract test suite.

        The items must be enough for ``fit`` to succeed and must use at least two
        labels; the suite fits on them, scores them and round-trips the model.
        """
        raise NotImplementedError(f"{cls.__name__} provides no contract sample")

    @classmethod
    def contract_bad_items(cls) -> list[Any]:
        """Return items that ``score`` must reject with ``InputError``."""
        return []


def read_meta(folder: Path) -> dict[str, Any]:
    """Read the ``detector.json`` of a saved model folder."""
    meta_path = folder / META_FILE
    if not meta_path.is_file():
        raise ModelError(
            f"{folder} is not a saved fanzha model (no {META_FILE}); "
            "train one with 'fanzha train' or pass the right --model folder"
        )
    return dict(json.loads(meta_path.read_text("utf-8")))
