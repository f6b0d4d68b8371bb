"""Reading labelled URL and page data in the canonical formats, and the shared sets.

Canonical URL data is CSV or Parquet with ``url,label`` (``first_seen`` and
``source`` optional); pages are a folder with ``index.csv`` (``file,label``,
optional ``url``). Rows with a bad label or an empty URL are returned as
quarantined ``(line, reason)`` pairs, never silently dropped.
"""

from __future__ import annotations

import csv
import logging
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd

from fanzha.errors import UnsupportedFormatError, ValidationError

logger = logging.getLogger(__name__)

LABELS = ("benign", "phishing", "malware")
_ALIASES = {
    "mal": "malware",
    "phish": "phishing",
    "not_phish": "benign",
    "legitimate": "benign",
    "good": "benign",
    "bad": "phishing",
}
_XL = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@dataclass
class LabelledUrls:
    """URLs with labels, plus the rows that could not be used."""

    urls: list[str]
    labels: list[str]
    first_seen: list[object] = field(default_factory=list)
    quarantined: list[tuple[int, str]] = field(default_factory=list)


def canonical_label(value: object) -> str | None:
    """Return ``benign``, ``phishing`` or ``malware`` for a label, else None."""
    text = str(value).strip().lower()
    text = _ALIASES.get(text, text)
    return text if text in LABELS else None


def read_url_table(path: Path) -> LabelledUrls:
    """Read a canonical URL file (``.csv`` or ``.parquet``)."""
    frame = _read_frame(path)
    missing = {"url", "label"} - set(frame.columns)
    if missing:
        raise ValidationError(
            f"{path} lacks the column(s) {sorted(missing)}; the canonical URL format "
            "is CSV or Parquet with url,label"
        )
    result = LabelledUrls([], [])
    seen = frame["first_seen"].tolist() if "first_seen" in frame else None
    for index, (url, raw_label) in enumerate(
        zip(frame["url"], frame["label"], strict=True)
    ):
        line = index + 2  # header is line 1
        label = canonical_label(raw_label)
        if label is None:
            result.quarantined.append((line, f"unknown label {raw_label!r}"))
        elif not isinstance(url, str) or not url.strip():
            result.quarantined.append((line, "empty url"))
        else:
            result.urls.append(url)
            result.labels.append(label)
            if seen is not None:
                result.first_seen.append(seen[index])
    return result


def _read_frame(path: Path) -> pd.DataFrame:
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return pd.read_parquet(path)
    if suffix in (".csv", ".gz"):
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    if suffix == ".xlsx":
        return read_xlsx(path)
    raise UnsupportedFormatError(
        f"{path} is neither .csv nor .parquet; convert it to the canonical format"
    )


def read_xlsx(path: Path) -> pd.DataFrame:
    """Read the first sheet of a simple ``.xlsx`` file (strings and numbers)."""
    with zipfile.ZipFile(path) as book:
        names = book.namelist()
        shared = []
        if "xl/sharedStrings.xml" in names:
            root = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))
            shared = [
                "".join(t.text or "" for t in si.iter(_XL + "t"))
                for si in root.iter(_XL + "si")
            ]
        sheet = ElementTree.fromstring(book.read("xl/worksheets/sheet1.xml"))
    rows = [
        [_cell(c, shared) for c in row.iter(_XL + "c")]
        for row in sheet.iter(_XL + "row")
    ]
    if not rows:
        return pd.DataFrame()
    return pd.DataFrame(rows[1:], columns=rows[0])


def _cell(cell: ElementTree.Element, shared: list[str]) -> str:
    value = cell.find(_XL + "v")
    text = value.text or "" if value is not None else ""
    return shared[int(text)] if cell.get("t") == "s" and text else text


def read_page_index(folder: Path) -> tuple[list[dict[str, str]], list[tuple[int, str]]]:
    """Read ``index.csv`` of a page folder: rows with a usable label and file."""
    index = folder / "index.csv"
    if not index.is_file():
        raise ValidationError(
            f"{folder} has no index.csv; the canonical page format is a folder with "
            "index.csv (file,label[,url])"
        )
    rows: list[dict[str, str]] = []
    bad: list[tuple[int, str]] = []
    with open(index, newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            label = canonical_label(row.get("label", ""))
            if label is None or not row.get("file"):
                bad.append((line, f"bad label or file: {row.get('label')!r}"))
                continue
            rows.append(
                {"file": row["file"], "label": label, "url": row.get("url") or ""}
            )
    return rows, bad


def shared_url_sets(data_dir: Path) -> dict[str, pd.DataFrame]:
    """Load the URL sets of ``shared/data/url`` as ``url,label[,first_seen]`` frames.

    ``esdaung`` merges the balanced and imbalanced files without duplicates;
    ``deepurlbench``'s ``mal`` becomes ``malware``; ``phishtank_2020`` is the
    PhishTank dump of 2020-05-09 (phishing only). The ISCX-URL-2016 benign list
    beside it is not loaded: its collection process gives its class away.
    """
    base = data_dir / "url"
    deep = pd.read_parquet(base / "deepurlbench_before_2022-08-09.parquet")
    deep["label"] = deep["label"].replace({"mal": "malware"})
    esd = pd.concat(
        [
            _esdaung(base / "esdaung" / name)
            for name in ("data_bal_20000.xlsx", "data_imbal_55000.xlsx")
        ]
    )
    esd = esd.drop_duplicates("url")
    return {
        "deepurlbench": deep[["url", "label", "first_seen"]],
        "esdaung": esd,
        "phishtank_2020": _phishtank(base / "iscx_phishtank" / "2.online-valid.csv"),
    }


def _phishtank(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, usecols=["url"])
    frame["label"] = "phishing"
    return frame[frame["url"].str.strip() != ""].drop_duplicates("url")


def _esdaung(path: Path) -> pd.DataFrame:
    frame = read_xlsx(path)
    labels = frame["Labels"].map({"1": "phishing", "0": "benign"})
    return pd.DataFrame({"url": frame["URLs"], "label": labels}).dropna()
