"""Evasion generator: rewrite labelled messages the way fraudsters dodge filters.

Each transformation imitates a trick seen in the wild: ``微信`` written as
``V信`` or ``薇芯``, separators or emoji between characters, full-width letters,
look-alike Cyrillic letters, circled or Chinese digits, traditional characters,
pinyin for keywords. :func:`evade` applies a random few to one message;
:func:`evade_file` rewrites a canonical CSV, keeping labels, so that
``fanzha evaluate text`` can measure the F1 drop.

Run ``python -m fanzha.detectors.text.evasion IN.csv OUT.csv [SEED]``.
"""

from __future__ import annotations

import csv
import random
import sys
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

_SEPARATORS = (" ", ".", "·", "*", "-", "❤", "🔥", "\u200b")
_CIRCLED = {str(d): chr(0x2460 + d - 1) if d else "⓪" for d in range(10)}
_CHINESE = dict(zip("0123456789", "零一二三四五六七八九", strict=True))
_CYRILLIC = {"a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х", "y": "у"}


@cache
def _variants() -> dict[str, list[str]]:
    source = resources.files("fanzha.detectors.text.data")
    data = yaml.safe_load(source.joinpath("variants.yaml").read_text("utf-8"))
    return {k: [str(v) for v in vs] for k, vs in data["variants"].items()}


@cache
def _to_traditional() -> Callable[[str], str]:
    try:
        import opencc
    except ImportError:
        return lambda text: text
    return opencc.OpenCC("s2t").convert  # type: ignore[no-any-return]


def swap_variants(text: str, rng: random.Random) -> str:
    """Replace known keywords (``微信``, ``刷单``...) by one of their variants."""
    for word, spellings in _variants().items():
        if word in text:
            text = text.replace(word, rng.choice(spellings))
    return text


def space_out(text: str, rng: random.Random) -> str:
    """Put a separator between some characters (about one gap in four)."""
    sep = rng.choice(_SEPARATORS)
    spaced = "".join(c + sep if rng.random() < 0.25 else c for c in text).rstrip(sep)
    if spaced == text and len(text) > 1:
        spaced = text[: len(text) // 2] + sep + text[len(text) // 2 :]
    return spaced


def full_width(text: str, rng: random.Random) -> str:
    """Write ASCII letters and digits in their full-width forms."""
    return "".join(
        chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text
    )


def homoglyphs(text: str, rng: random.Random) -> str:
    """Swap Latin letters for Cyrillic look-alikes."""
    return "".join(_CYRILLIC.get(c, c) for c in text)


def fancy_digits(text: str, rng: random.Random) -> str:
    """Write digits as circled digits or Chinese numerals."""
    table = _CIRCLED if rng.random() < 0.5 else _CHINESE
    return "".join(table.get(c, c) for c in text)


def traditional(text: str, rng: random.Random) -> str:
    """Convert simplified characters to traditional ones."""
    return _to_traditional()(text)


def add_emoji(text: str, rng: random.Random) -> str:
    """Sprinkle emoji at the start, the end and one place inside."""
    at = rng.randrange(len(text) + 1)
    return "🎁" + text[:at] + rng.choice("💰🔥✨👉") + text[at:] + "‼️"


TRANSFORMS: tuple[Callable[[str, random.Random], str], ...] = (
    swap_variants,
    space_out,
    full_width,
    homoglyphs,
    fancy_digits,
    traditional,
    add_emoji,
)


def evade(text: str, rng: random.Random, n: int = 3) -> str:
    """Apply ``n`` randomly chosen transformations to ``text``.

    >>> evade("加微信领红包", random.Random(1), n=1) != "加微信领红包"
    True
    """
    for transform in rng.sample(TRANSFORMS, k=min(n, len(TRANSFORMS))):
        text = transform(text, rng)
    return text


def evade_file(source: Path, target: Path, seed: int = 0) -> int:
    """Rewrite the ``text`` column of a CSV with :func:`evade`; return the row count.

    Every other column is copied unchanged.
    """
    rng = random.Random(seed)
    count = 0
    with (
        open(source, encoding="utf-8", newline="") as fin,
        open(target, "w", encoding="utf-8", newline="") as fout,
    ):
        reader = csv.DictReader(fin)
        writer = csv.DictWriter(fout, fieldnames=list(reader.fieldnames or []))
        writer.writeheader()
        for row in reader:
            row["text"] = evade(row.get("text") or "", rng) if row.get("text") else ""
            writer.writerow(row)
            count += 1
    return count


if __name__ == "__main__":  # pragma: no cover - thin command wrapper
    arguments = sys.argv[1:]
    if len(arguments) not in (2, 3):
        sys.exit("usage: python -m fanzha.detectors.text.evasion IN.csv OUT.csv [SEED]")
    evade_file(
        Path(arguments[0]),
        Path(arguments[1]),
        int(arguments[2]) if len(arguments) == 3 else 0,
    )
