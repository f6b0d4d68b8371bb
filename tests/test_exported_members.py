from __future__ import annotations

import fanzha


def test_all_is_sorted_and_complete():
    assert fanzha.__all__ == sorted(fanzha.__all__)
    public = {n for n in vars(fanzha) if not n.startswith("_") and n != "annotations"}
    exported = set(fanzha.__all__) - {"__version__"}
    modules = {
        name for name in public if type(getattr(fanzha, name)).__name__ == "module"
    }
    assert public - modules == exported


def test_every_exported_name_exists():
    for name in fanzha.__all__:
        assert getattr(fanzha, name) is not None
