"""Reading saved web pages: decoding, bounded parsing and the parts fraud shows in.

:func:`parse_page` takes the raw bytes of an HTML page (any encoding, possibly
truncated) and returns a :class:`PageInfo`: title, meta keywords and
description, visible text, forms and password fields, links and external
resources, the tag structure and the brands the page names against its own
domain. Work is bounded: at most ``MAX_PARSE_BYTES`` of a page are parsed and at
most ``MAX_TEXT_CHARS`` of text kept, so a 20 MB page costs no more than a 2 MB
one.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from fanzha.errors import MissingDependencyError, ValidationError
from fanzha.links.brands import foreign_brands
from fanzha.links.urls import ParsedUrl, parse_url

logger = logging.getLogger(__name__)

MAX_PARSE_BYTES = 2_000_000
MAX_TEXT_CHARS = 20_000
MAX_TAGS = 1_500
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-]+)""", re.I)
_SPACE = re.compile(r"\s+")
_HIDDEN_TAGS = ("script", "style", "noscript", "template", "svg")


@dataclass
class PageInfo:
    """What a saved page shows; counts are plain numbers of elements."""

    title: str = ""
    keywords: str = ""
    description: str = ""
    text: str = ""
    n_forms: int = 0
    n_inputs: int = 0
    n_password: int = 0
    n_hidden: int = 0
    n_iframes: int = 0
    n_scripts: int = 0
    n_links: int = 0
    n_ext_links: int = 0
    n_null_links: int = 0
    n_resources: int = 0
    n_ext_resources: int = 0
    form_actions: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    url: ParsedUrl | None = None
    brands_named: list[str] = field(default_factory=list)
    brands_foreign: list[str] = field(default_factory=list)
    truncated: bool = False
    n_bytes: int = 0


def decode_html(data: bytes | str) -> str:
    """Decode page bytes: BOM, then UTF-8, then the declared charset, then GB18030.

    Undecodable bytes become U+FFFD instead of failing.
    """
    if isinstance(data, str):
        return data
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start > len(data) - 4:  # a multi-byte character cut by truncation
            return data.decode("utf-8", "replace")
    declared = _CHARSET.search(data[:4096])
    for encoding in (declared.group(1).decode("ascii") if declared else "", "gb18030"):
        try:
            return (
                data.decode(encoding, "strict") if encoding else data.decode("gb18030")
            )
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", "replace")


def parse_page(data: bytes | str, url: str | None = None) -> PageInfo:
    """Parse one saved page; ``url`` (where it was served from) enables brand checks.

    Raises ``ValidationError`` for input that is not a page at all (empty, not
    bytes or text, or with a malformed ``url``).

    >>> page = parse_page(b"<title>ICBC login</title><form><input type=password>"
    ...                   b"</form>", url="http://icbc-verify.top/")
    >>> page.n_password, page.brands_foreign
    (1, ['中国工商银行 ICBC'])
    """
    if not isinstance(data, bytes | str):
        raise ValidationError(
            f"a page must be bytes or text, got {type(data).__name__}"
        )
    if not data.strip():
        raise ValidationError("the page is empty; send the saved HTML")
    info = PageInfo(n_bytes=len(data), truncated=len(data) > MAX_PARSE_BYTES)
    info.url = parse_url(url) if url else None
    tree = _tree(decode_html(data[:MAX_PARSE_BYTES]))

    _read_head(tree, info)
    _read_structure(tree, info)
    info.text = _visible_text(tree)
    _read_brands(info)
    return info


def _tree(html: str) -> object:
    try:
        from selectolax.lexbor import LexborHTMLParser
    except ImportError as exc:  # pragma: no cover - links extra always in dev
        raise MissingDependencyError("selectolax", "links") from exc
    return LexborHTMLParser(html)


def _clean(value: str | None, limit: int = 1_000) -> str:
    return _SPACE.sub(" ", value or "").strip()[:limit]


def _read_head(tree: object, info: PageInfo) -> None:
    title = tree.css_first("title")  # type: ignore[attr-defined]
    info.title = _clean(title.text() if title else "", 300)
    for meta in tree.css("meta[name]"):  # type: ignore[attr-defined]
        name = (meta.attributes.get("name") or "").lower()
        content = _clean(meta.attributes.get("content"))
        if name == "keywords":
            info.keywords = content
        elif name == "description":
            info.description = content


def _read_structure(tree: object, info: PageInfo) -> None:
    own = info.url.registered_domain if info.url else ""
    css = tree.css  # type: ignore[attr-defined]
    forms = css("form")
    info.n_forms = len(forms)
    info.form_actions = [(f.attributes.get("action") or "")[:200] for f in forms[:20]]
    for node in css("input"):
        info.n_inputs += 1
        kind = (node.attributes.get("type") or "").lower()
        info.n_password += kind == "password"
        info.n_hidden += kind == "hidden"

    for node in css("a")[:1_000]:
        href = (node.attributes.get("href") or "").strip()
        info.n_links += 1
        info.n_null_links += href in ("", "#", "#!") or href.startswith("javascript")
        info.n_ext_links += _is_external(href, own)
    info.n_scripts = len(css("script"))
    info.n_iframes = len(css("iframe"))
    for node in css("script[src],img[src],iframe[src],link[href]"):
        source = node.attributes.get("src") or node.attributes.get("href") or ""
        info.n_resources += 1
        info.n_ext_resources += _is_external(source, own)
    info.tags = _tag_sequence(tree)


def _tag_sequence(tree: object) -> list[str]:
    tags: list[str] = []
    for node in tree.root.traverse():  # type: ignore[attr-defined]
        tag = node.tag or ""
        if tag and not tag.startswith("-"):
            tags.append(tag)
            if len(tags) >= MAX_TAGS:
                break
    return tags


def _is_external(href: str, own: str) -> bool:
    if not href.startswith(("http://", "https://", "//")):
        return False
    host = href.split("//", 1)[1].split("/", 1)[0].split(":", 1)[0].lower()
    return not own or not (host == own or host.endswith("." + own))


def _visible_text(tree: object) -> str:
    body = tree.body or tree.root  # type: ignore[attr-defined]
    if body is None:
        return ""
    for node in body.css(",".join(_HIDDEN_TAGS)):
        node.decompose()
    return _clean(body.text(separator=" "), MAX_TEXT_CHARS)


def _read_brands(info: PageInfo) -> None:
    claim = " ".join((info.title, info.keywords, info.description, info.text[:3_000]))
    domain = info.url.registered_domain if info.url else ""
    host = info.url.host if info.url else ""
    named = foreign_brands(claim, "")
    info.brands_named = [b.name for b in named]
    if domain:
        info.brands_foreign = [b.name for b in foreign_brands(claim, domain, host)]
