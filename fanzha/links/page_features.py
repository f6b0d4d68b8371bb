"""Features of a parsed page for the page classifier, as hashed tokens.

Words of the title, meta keywords and description and of the visible text (CJK
as character bigrams), and structure read as log-scale bins: forms, inputs,
password and hidden fields, iframes, scripts, links that lead nowhere, links and
resources on other hosts, form actions that post away or to a script. The
page's URL is not used here (training pages often come without one); the brand
check against the page's domain is a separate rule.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse

from fanzha.links.pages import PageInfo
from fanzha.links.shingles import cjk_bigrams, words
from fanzha.links.url_features import hash_tokens

PAGE_BITS = 18
MAX_TEXT_TOKENS = 300


def _bin(value: int) -> int:
    return min(int(value), 1 << 20).bit_length()


def _ratio(part: int, whole: int) -> int:
    return round(4 * part / whole) if whole else -1


def page_tokens(page: PageInfo) -> list[str]:
    """Return the feature strings of one parsed page (before hashing)."""
    tokens = ["t:" + w for w in cjk_bigrams(words(page.title))[:30]]
    tokens += ["k:" + w for w in cjk_bigrams(words(page.keywords))[:30]]
    tokens += ["d:" + w for w in cjk_bigrams(words(page.description))[:40]]
    tokens += ["x:" + w for w in cjk_bigrams(words(page.text))[:MAX_TEXT_TOKENS]]
    tokens += _structure(page)
    return tokens


def _structure(page: PageInfo) -> list[str]:
    tokens = [
        f"forms:{min(page.n_forms, 5)}",
        f"inputs:{_bin(page.n_inputs)}",
        f"pw:{min(page.n_password, 3)}",
        f"hidden:{_bin(page.n_hidden)}",
        f"iframes:{_bin(page.n_iframes)}",
        f"scripts:{_bin(page.n_scripts)}",
        f"links:{_bin(page.n_links)}",
        f"extlinks:{_ratio(page.n_ext_links, page.n_links)}",
        f"nulllinks:{_ratio(page.n_null_links, page.n_links)}",
        f"extres:{_ratio(page.n_ext_resources, page.n_resources)}",
        f"textlen:{_bin(len(page.text))}",
        f"bytes:{_bin(page.n_bytes // 1024)}",
        f"tags:{_bin(len(page.tags))}",
    ]
    if not page.title:
        tokens.append("no_title")
    for action in page.form_actions[:5]:
        tokens.append("action:" + _action_kind(action))
    for brand in page.brands_named[:5]:
        tokens.append("brand:" + brand)
    if page.n_password and page.brands_named:
        tokens.append("password_and_brand")
    return tokens


def _action_kind(action: str) -> str:
    text = action.strip().lower()
    if not text or text in ("#", "about:blank"):
        return "empty"
    if text.startswith(("http://", "https://", "//")):
        return "absolute"
    if text.startswith("mailto:"):
        return "mailto"
    if ".php" in text:
        return "php"
    return "relative"


def page_matrix(pages: Sequence[PageInfo], bits: int = PAGE_BITS) -> sparse.csr_matrix:
    """Return binary hashed features, one row per page, ``2**bits`` columns."""
    indptr = [0]
    indices: list[int] = []
    for page in pages:
        indices.extend(sorted(set(hash_tokens(page_tokens(page), bits))))
        indptr.append(len(indices))
    values = np.ones(len(indices), dtype=np.float64)
    return sparse.csr_matrix(
        (
            values,
            np.asarray(indices, dtype=np.int64),
            np.asarray(indptr, dtype=np.int64),
        ),
        shape=(len(pages), 1 << bits),
    )
