"""Shared fixtures: where the shared data lives, and skips where it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(
    os.environ.get("FANZHA_SHARED_DATA", REPO.parent / "shared" / "data")
)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The ``../shared/data`` folder; skips the test where it is absent."""
    if not SHARED_DATA.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"CI must have the shared data at {SHARED_DATA}")
        pytest.skip(f"shared data not found at {SHARED_DATA} (a newcomer's clone)")
    return SHARED_DATA
