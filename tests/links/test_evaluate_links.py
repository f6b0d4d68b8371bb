"""``fanzha evaluate url`` and ``evaluate pages`` on canonical files made here."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from fanzha.detectors.links.page_detector import PageDetector
from fanzha.detectors.links.url_detector import UrlDetector
from fanzha.registry import evaluator

COMMON = {"n", "macro_f1", "per_label", "auc", "ap"}


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("models")
    UrlDetector(calibration_share=0.0).fit(*UrlDetector.contract_sample()).save(
        root / "url"
    )
    PageDetector().fit(*PageDetector.contract_sample()).save(root / "page")
    return root


def test_evaluate_url_on_csv_reports_common_keys_and_quarantine(models, tmp_path):
    path = tmp_path / "urls.csv"
    path.write_text(
        "url,label\nhttps://www.example.com/news,benign\nhttp://,phishing\n"
        "http://icbc-verify-login.top/index,phishing\nhttp://203.0.113.9/bins/mips,mal\n"
        "https://docs.example.org/guide,benign\nhttp://x.example.com/,unknown\n",
        "utf-8",
    )
    report = evaluator("url")(path, models / "url")
    assert COMMON <= set(report)
    assert report["n"] == 4
    assert report["quarantined"] == 2
    assert {q["line"] for q in report["quarantine_sample"]} == {3, 7}
    assert 0.0 <= report["auc"] <= 1.0


def test_evaluate_url_reads_parquet(models, tmp_path):
    path = tmp_path / "urls.parquet"
    pd.DataFrame(
        {
            "url": ["https://www.example.com/", "http://alipay.refund.example.cc/"],
            "label": ["benign", "phishing"],
        }
    ).to_parquet(path)
    assert evaluator("url")(path, models / "url")["n"] == 2


def test_evaluate_pages_reads_index_and_reports_missing_files(models, tmp_path):
    (tmp_path / "a.html").write_text(
        "<title>Verify account</title><form><input type=password></form>", "utf-8"
    )
    (tmp_path / "b.html").write_bytes(
        "<title>公园开放时间</title><p>每日六点</p>".encode("gbk")
    )
    (tmp_path / "index.csv").write_text(
        "file,label,url\na.html,phishing,http://verify.example.top/\nb.html,benign,\n"
        "missing.html,benign,\n",
        "utf-8",
    )
    report = evaluator("pages")(tmp_path, models / "page")
    assert COMMON <= set(report)
    assert report["n"] == 2
    assert report["quarantined"] == 1
    assert "does not exist" in report["quarantine_sample"][0]["reason"]
