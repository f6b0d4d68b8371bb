"""Normalisation of Chinese fraud text: undo evasion, then strip dataset artefacts.

Two levels:

* :func:`normalize` undoes what fraudsters do to dodge keyword filters: full-width
  letters and circled digits (NFKC), look-alike letters from other scripts,
  traditional characters, zero-width characters, emoji and dots or spaces put
  between characters, and spellings such as ``V信``, ``威❤`` or ``薇芯`` (from
  ``data/variants.yaml``). Digits are kept, so entities can still be extracted.
* :func:`model_text` is what the trained model reads. On top of
  :func:`normalize` it removes everything that differs between data sets rather
  than between fraud and not-fraud. Names and places (``NAME``, ``PLACE``),
  greetings (``您好``), speaker names and punctuation are deleted. URLs, phone
  numbers and other numbers become one *shape* token each, the same whether a
  data set masked them (``URL``, ``CELLPHONE``, ``DIGIT``, ``xxx``) or kept them
  (``http://...``, ``13800138000``, ``50``). A message therefore cannot be
  judged by whether a data set masked its numbers, yet "has a link" or "has a
  phone number" still counts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import yaml

_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_ZERO_WIDTH = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad]")
_EMOJI = (
    "\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u20e3\u203c\u2049"
    "\u2190-\u21ff\u2300-\u23ff\u25a0-\u25ff"
)
_FILLER = rf"[ \t\u3000.·•*_\-|/\\~^`'\"+{_EMOJI}]+"
_SPLIT = re.compile(
    rf"(?<=[{_CJK}]){_FILLER}(?=[{_CJK}a-z0-9])|(?<=[a-z0-9]){_FILLER}(?=[{_CJK}])"
)
_EMOJI_RUN = re.compile(f"[{_EMOJI}]+")
_FULL_WIDTH = re.compile("[\uff00-\uffef]")
_HAS_FILLER = re.compile(_FILLER)
_COMPAT_BLOCKS = (
    (0x2070, 0x209F),
    (0x2100, 0x24FF),
    (0x2F00, 0x2FDF),
    (0x3000, 0x3000),
    (0x3200, 0x33FF),
    (0xF900, 0xFAFF),
    (0xFE30, 0xFE6F),
    (0xFF00, 0xFFEF),
    (0x1D400, 0x1D7FF),
    (0x1F100, 0x1F1FF),
)
_CODE_POINTS = 0x110000
# Joins a batch into one string; texts holding it are normalised one by one.
_SEPARATOR = "\x00"
_BATCH_MIN = 16
_NUMERALS = "零〇一幺二两三四五六七八九壹贰叁肆伍陆柒捌玖"
# Four or more numerals in a row, or two or more with a zero (``一零`` = 10),
# are a number written out; shorter runs are usually words (``三五成群``).
# Written to start with one character class, which lets the regex engine skip
# ahead to candidate positions in C (alternatives at the start would not).
_NUMERAL_RUN = re.compile(
    f"[{_NUMERALS}](?:[{_NUMERALS}]{{3,}}|(?<=[零〇])[{_NUMERALS}]+"
    f"|[{_NUMERALS}]*[零〇][{_NUMERALS}]*|[{_NUMERALS}]{{0,2}}(?=[月日号]))"
)

# Artefacts of the training sets, removed before the model sees the text.
_MASKS = re.compile(
    r"(?i:digit)|PLACE|NAME|CELLPHONE|PHONE|WECHAT|HOTLINE|EMAIL|URL|X{2,}"
)
_URL = (
    rf"(?:https?://|www\.)[^\s\u3000-\u303f\uff00-\uffef{_CJK}]*"
    r"|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|cn|net|cc|top|vip|xyz|me)(?:/[\w/?=&%.-]*)?"
)
_GREETING = r"(?:您|你|大家|你们|各位)好[呀啊哦吗]?|hello|hi(?![a-z])|喂[,，]?"
_URLS = re.compile(_URL)
# All punctuation goes (one of the sources has no punctuation, so its presence
# would identify the others); digits are gone by then (shape tokens).
_DELETE = re.compile(r"[^\w\s]+")
_X_MASKS = re.compile(r"x{2,}|(?<![a-z])x(?![a-z])")
_HAS_MASK = re.compile(r"[A-Z]|digit")
_GREETINGS = re.compile(_GREETING)
_SPEAKER = re.compile(rf"(?m)^\s*[\w{_CJK}]{{1,8}}\s*[:：]")
_SPACES = re.compile(r"\s+")
_LATIN_GAP = re.compile(r"(?<=[a-z0-9])\s+(?=[a-z0-9])")

# Shape tokens: rare CJK code points, so they survive the deletion of
# punctuation and hash like any character.
URL_SHAPE, PHONE_SHAPE, NUMBER_SHAPE = "\u9fd0", "\u9fd1", "\u9fd2"
SHAPES = URL_SHAPE + PHONE_SHAPE + NUMBER_SHAPE
_MASK_SHAPES = {
    "URL": URL_SHAPE,
    "CELLPHONE": PHONE_SHAPE,
    "PHONE": PHONE_SHAPE,
    "HOTLINE": PHONE_SHAPE,
    "WECHAT": "微信",
    "EMAIL": "邮箱",
}
# Digits or ``x`` masks, possibly split by separators (``138-0013-8000``).
_NUMBER_RUN = re.compile(r"[0-9x](?:[ .·*\-]*[0-9x])*")
# Masks that evasion broke apart (``DIG·IT``, ``U R L``) are only whole again
# once punctuation and spaces are gone, and lower case by then.
_LOWER_MASK_SHAPES = {
    "digit": NUMBER_SHAPE,
    "url": URL_SHAPE,
    "cellphone": PHONE_SHAPE,
    "hotline": PHONE_SHAPE,
    "place": "",
    "name": "",
}
_LOWER_MASKS = re.compile("|".join(_LOWER_MASK_SHAPES))
_LOWER_MASK_START = re.compile("[duchpn]")
_PHONE_DIGITS = 7


@cache
def _tables() -> dict[str, Any]:
    source = resources.files("fanzha.detectors.text.data")
    data = yaml.safe_load(source.joinpath("variants.yaml").read_text("utf-8"))
    char_map = _compatibility_map()
    char_map.update({ord(k): v for k, v in data["homoglyphs"].items()})
    char_map.update(_traditional_map())
    # Full-width letters keep their case until the masks are read (``ＵＲＬ``
    # is a mask, ``ｐｈｏｎｅ`` is not).
    upper = {
        c: folded
        for c in range(0xFF00, 0xFFF0)
        if len(folded := unicodedata.normalize("NFKC", chr(c))) == 1
        and folded != chr(c)
    }
    # Spellings are matched after the character folding, so fold them too
    # (``餸`` is folded by the traditional table before ``送`` is looked up).
    spellings = {
        canonical: [str(v).lower().translate(char_map) for v in vs]
        for canonical, vs in data["variants"].items()
    }
    return {
        "chars": char_map,
        "upper": upper,
        "upper_lut": _lookup_array(upper)[0],
        "chars_lut": _lookup_array(char_map),
        "variants": _variant_lookup(spellings),
        "pattern": _variant_pattern(spellings),
        "numerals": str.maketrans(data["numerals"]),
    }


def _lookup_array(table: dict[int, str]) -> tuple[np.ndarray, np.ndarray]:
    """Return ``table`` as an array over all code points, and where it can't apply.

    The array maps each code point to the one ``table`` gives (itself when
    absent); the boolean array marks code points that ``table`` maps to more
    or fewer than one character, which the array leaves unchanged.
    """
    lut = np.arange(_CODE_POINTS, dtype=np.uint32)
    multi = np.zeros(_CODE_POINTS, dtype=bool)
    for code, value in table.items():
        if len(value) == 1:
            lut[code] = ord(value)
        else:
            multi[code] = True
    return lut, multi


def _compatibility_map() -> dict[int, str]:
    """Return NFKC's folding for the blocks evasion uses, as a translate table.

    Full-width forms, circled and parenthesised numbers and letters, Kangxi
    radicals and CJK compatibility ideographs fold as NFKC folds them; negative
    circled digits (which NFKC keeps) fold to digits too. A table is several
    times faster than ``unicodedata.normalize`` on every message.
    """
    table: dict[int, str] = {}
    for start, end in _COMPAT_BLOCKS:
        for code in range(start, end + 1):
            folded = unicodedata.normalize("NFKC", chr(code))
            if folded != chr(code):
                table[code] = folded.lower()
    for first in (0x2776, 0x2780, 0x278A):
        table.update({first + i: str(i + 1 if i < 9 else 10) for i in range(10)})
    return table


def _traditional_map() -> dict[int, str]:
    """Return a one-character traditional -> simplified table from OpenCC's data.

    Converting character by character with ``str.translate`` is about a hundred
    times faster than OpenCC's phrase-level converter; the phrase rules it skips
    matter little to a classifier.
    """
    try:
        import opencc
    except ImportError:
        return {}
    path = resources.files(opencc).joinpath("dictionary", "TSCharacters.txt")
    table: dict[int, str] = {}
    for line in path.read_text("utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2 and len(parts[0]) == 1:
            table[ord(parts[0])] = parts[1]
    return table


def _variant_lookup(variants: dict[str, list[str]]) -> dict[str, str]:
    return {str(v).lower(): canonical for canonical, vs in variants.items() for v in vs}


def _variant_pattern(variants: dict[str, list[str]]) -> re.Pattern[str]:
    spellings = sorted(_variant_lookup(variants), key=len, reverse=True)
    # Every alternative starts with a plain character (an ASCII spelling checks
    # the letter before it after its first character), so the regex engine
    # collects the first characters and skips other positions in C.
    parts = [
        f"{re.escape(s[0])}(?<![a-z]{re.escape(s[0])}){re.escape(s[1:])}(?![a-z])"
        if s.isascii()
        else re.escape(s)
        for s in spellings
    ]
    return re.compile("|".join(parts))


def normalize(text: str) -> str:
    """Return ``text`` with evasion spellings undone; digits and URLs are kept.

    Examples
    --------
    >>> normalize("加V❤：abc123，領取紅包")
    '加微信:abc123,领取红包'
    >>> normalize("刷 . 单 返 利")
    '刷单返利'
    """
    tables = _tables()
    return _finish_normalize(
        _ZERO_WIDTH.sub("", text).lower().translate(tables["chars"]), tables
    )


def _finish_normalize(text: str, tables: dict[str, Any]) -> str:
    """Run the steps of :func:`normalize` that follow the character folding."""
    emoji = _EMOJI_RUN.search(text) is not None
    if emoji:  # variants such as 威❤ must be read before emoji are dropped
        text = _replace_variants(text, tables)
    if _HAS_FILLER.search(text):
        text = _SPLIT.sub("", text)
    text = _replace_variants(text, tables)
    return (_EMOJI_RUN.sub("", text) if emoji else text).strip()


def _replace_variants(text: str, tables: dict[str, Any]) -> str:
    lookup: dict[str, str] = tables["variants"]
    return str(tables["pattern"].sub(lambda m: lookup[m.group(0)], text))


def numerals_to_digits(text: str) -> str:
    """Rewrite Chinese numerals as digits where they spell out a number.

    Runs of four or more numerals count, runs of two or more that hold a
    zero (``一零``) and dates (``八月九日``); other short runs are usually words.

    >>> numerals_to_digits("打一三八零零一二三四五六")
    '打13800123456'
    """
    table = _tables()["numerals"]
    return _NUMERAL_RUN.sub(lambda m: m.group(0).translate(table), text)


def model_text(text: str) -> str:
    """Return the form of ``text`` that the trained model reads.

    Names, places, greetings, speaker names and punctuation are removed after
    :func:`normalize`; URLs, phone numbers and numbers become the shape tokens
    ``URL_SHAPE``, ``PHONE_SHAPE`` and ``NUMBER_SHAPE``, masked or not.

    Examples
    --------
    >>> model_text("您好，【NAME银行】您的账户DIGIT已冻结 http://t.cn/x1") == (
    ...     f"银行您的账户{NUMBER_SHAPE}已冻结{URL_SHAPE}"
    ... )
    True
    >>> model_text("账户xxx已冻结") == model_text("账户123已冻结")
    True
    """
    if _FULL_WIDTH.search(text):
        text = text.translate(_tables()["upper"])
    if _HAS_MASK.search(text):
        text = _MASKS.sub(_mask_shape, text)
    return _finish_model_text(normalize(text))


def model_texts(texts: Sequence[str]) -> list[str]:
    """Return :func:`model_text` of each text, the same strings, faster on batches.

    The character tables are applied to the whole batch at once with NumPy
    (one array lookup instead of a ``str.translate`` per message); the regular
    expressions then run per message. Small batches, and batches that hold
    the separator or cannot be encoded (lone surrogates), go one by one.
    """
    if len(texts) < _BATCH_MIN:
        return [model_text(t) for t in texts]
    joined = _SEPARATOR.join(texts)
    if joined.count(_SEPARATOR) != len(texts) - 1:
        return [model_text(t) for t in texts]
    tables = _tables()
    try:
        joined = _apply_lut(joined, tables["upper_lut"])
    except UnicodeEncodeError:
        return [model_text(t) for t in texts]
    if _HAS_MASK.search(joined):
        joined = _MASKS.sub(_mask_shape, joined)
    lowered = _ZERO_WIDTH.sub("", joined).lower()
    parts = _fold_batch(lowered, tables)
    return [_finish_model_text(_finish_normalize(p, tables)) for p in parts]


def _apply_lut(text: str, lut: np.ndarray) -> str:
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    return lut[codes].tobytes().decode("utf-32-le")


def _fold_batch(lowered: str, tables: dict[str, Any]) -> list[str]:
    """Apply the ``chars`` table to separator-joined texts; return the texts."""
    lut, multi = tables["chars_lut"]
    codes = np.frombuffer(lowered.encode("utf-32-le"), dtype=np.uint32)
    parts = lut[codes].tobytes().decode("utf-32-le").split(_SEPARATOR)
    odd = multi[codes]
    if odd.any():  # characters that fold to several (``℡`` -> ``tel``)
        which = np.cumsum(codes == ord(_SEPARATOR))[np.flatnonzero(odd)]
        originals = lowered.split(_SEPARATOR)
        for index in np.unique(which):
            parts[index] = originals[index].translate(tables["chars"])
    return parts


def _finish_model_text(text: str) -> str:
    """Run the steps of :func:`model_text` that follow :func:`normalize`."""
    if "\n" in text:
        text = _SPEAKER.sub(" ", text)
    if "." in text or "://" in text:
        text = _URLS.sub(URL_SHAPE, text)
    if _NUMERAL_RUN.search(text):
        text = numerals_to_digits(text)
    text = _NUMBER_RUN.sub(_number_shape, text)
    if "x" in text:
        text = _X_MASKS.sub("", text)
    text = _DELETE.sub("", text)
    if "_" in text:
        text = text.replace("_", "")
    if "好" in text or "h" in text or "喂" in text:
        text = _GREETINGS.sub("", text)
    # A gap inside Latin letters or digits is evasion (``t al kb ack``) or one
    # source's habit (FBS keeps spaces only there): close it. Other gaps stay.
    if _SPACES.search(text):
        text = _SPACES.sub(" ", _LATIN_GAP.sub("", text)).strip()
    if _LOWER_MASK_START.search(text):
        text = _LOWER_MASKS.sub(_lower_mask_shape, text)
    return text


def _lower_mask_shape(match: re.Match[str]) -> str:
    return _LOWER_MASK_SHAPES[match.group(0)]


def _mask_shape(match: re.Match[str]) -> str:
    mask = match.group(0)
    return NUMBER_SHAPE if mask.lower() == "digit" else _MASK_SHAPES.get(mask, "")


def _number_shape(match: re.Match[str]) -> str:
    run = match.group(0)
    symbols = sum(c.isdigit() or c == "x" for c in run)
    if symbols < 2 and not any(c.isdigit() for c in run):
        return run  # a lone x: a word or a one-digit mask, deleted later
    return PHONE_SHAPE if symbols >= _PHONE_DIGITS else NUMBER_SHAPE
