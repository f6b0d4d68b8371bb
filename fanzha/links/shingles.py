"""Shingles of a page for similarity search: title, keywords, tags and text.

A page's fingerprint is one set of short strings, each prefixed by where it
comes from (``t:`` title word, ``k:`` meta keyword, ``g:`` run of four tags,
``x:`` run of three text words), so two pages share a shingle only when the
same kind of part matches. CJK text has no spaces; it is read as character
bigrams.
"""

from __future__ import annotations

import re
import zlib

from fanzha.links.pages import PageInfo

_WORD = re.compile(r"[a-z0-9]+|[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_NOT_WORD = re.compile(r"[\W\d_]+")
MAX_TEXT_WORDS = 400
MAX_TAG_SHINGLES = 600


def words(text: str) -> list[str]:
    """Return lower-case words; CJK characters come out one by one."""
    return _WORD.findall(text.lower())


def _grams(items: list[str], n: int) -> list[str]:
    return [" ".join(items[i : i + n]) for i in range(max(len(items) - n + 1, 1))]


def cjk_bigrams(tokens: list[str]) -> list[str]:
    """Join neighbouring single CJK characters into bigrams, keep other words."""
    out: list[str] = []
    for at, left in enumerate(tokens):
        right = tokens[at + 1] if at + 1 < len(tokens) else ""
        if len(left) == 1 and not left.isascii():
            if len(right) == 1 and not right.isascii():
                out.append(left + right)
        else:
            out.append(left)
    return out


def page_shingles(page: PageInfo) -> set[str]:
    """Return the shingle set of a parsed page (empty parts add nothing).

    >>> from fanzha.links.pages import parse_page
    >>> sorted(page_shingles(parse_page(b"<title>Bank Login</title>")))[:2]
    ['g:html head title body', 't:bank']
    """
    shingles = {"t:" + w for w in cjk_bigrams(words(page.title))}
    shingles |= {
        "k:" + k.strip().lower()
        for k in re.split(r"[,，;、]", page.keywords)
        if k.strip()
    }
    shingles |= {"g:" + g for g in _grams(page.tags, 4)[:MAX_TAG_SHINGLES]}
    text = cjk_bigrams(words(page.text))[:MAX_TEXT_WORDS]
    if text:
        shingles |= {"x:" + g for g in _grams(text, 3)}
    return shingles


def title_cluster(page: PageInfo) -> str:
    """Return the cluster key of a page: its title without digits and punctuation.

    Pages of one phishing kit share it, so splits by this key keep a kit on one
    side. A page without a title is keyed by the start of its text.
    """
    key = _NOT_WORD.sub("", page.title.lower())[:60]
    return key or "text:" + _NOT_WORD.sub("", page.text.lower())[:60]


def cluster_fold(cluster: str, folds: int) -> int:
    """Return the fold (0 to ``folds - 1``) of a cluster key, stable across runs."""
    return zlib.crc32(cluster.encode("utf-8")) % folds
