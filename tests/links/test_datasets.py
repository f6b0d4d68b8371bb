from __future__ import annotations

import pandas as pd
import pytest

from fanzha.errors import UnsupportedFormatError, ValidationError
from fanzha.links.datasets import canonical_label, read_page_index, read_url_table


def test_csv_with_bad_rows_quarantines_them_and_keeps_the_rest(tmp_path):
    path = tmp_path / "urls.csv"
    path.write_text(
        "url,label\nhttp://a.example/,benign\n,phishing\n"
        "http://b.example/,weird\nhttp://c.example/x,mal\n",
        "utf-8",
    )
    table = read_url_table(path)
    assert table.urls == ["http://a.example/", "http://c.example/x"]
    assert table.labels == ["benign", "malware"]
    assert [line for line, _ in table.quarantined] == [3, 4]


def test_parquet_is_read(tmp_path):
    path = tmp_path / "urls.parquet"
    pd.DataFrame({"url": ["http://a.example/"], "label": ["phishing"]}).to_parquet(path)
    assert read_url_table(path).labels == ["phishing"]


def test_missing_columns_or_format_are_clear_errors(tmp_path):
    (tmp_path / "a.csv").write_text("link,kind\nx,y\n", "utf-8")
    with pytest.raises(ValidationError, match="url"):
        read_url_table(tmp_path / "a.csv")
    (tmp_path / "a.json").write_text("{}", "utf-8")
    with pytest.raises(UnsupportedFormatError):
        read_url_table(tmp_path / "a.json")


def test_page_index_is_read_and_bad_rows_reported(tmp_path):
    (tmp_path / "index.csv").write_text(
        "file,label,url\na.html,phishing,http://x.example/\nb.html,unknown,\n", "utf-8"
    )
    rows, bad = read_page_index(tmp_path)
    assert rows == [{"file": "a.html", "label": "phishing", "url": "http://x.example/"}]
    assert bad[0][0] == 3
    with pytest.raises(ValidationError):
        read_page_index(tmp_path / "missing")


@pytest.mark.parametrize(
    ("raw", "label"),
    [("Benign", "benign"), ("mal", "malware"), ("not_phish", "benign"), ("spam", None)],
)
def test_label_aliases(raw, label):
    assert canonical_label(raw) == label
