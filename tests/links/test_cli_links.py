"""``fanzha score url`` and ``fanzha score page`` on small models trained here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fanzha.cli.main import _load_command_modules, app
from fanzha.detectors.links.page_detector import PageDetector
from fanzha.detectors.links.url_detector import UrlDetector
from fanzha.errors import FanzhaError


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("models")
    UrlDetector(calibration_share=0.0).fit(*UrlDetector.contract_sample()).save(
        root / "url"
    )
    PageDetector().fit(*PageDetector.contract_sample()).save(root / "page")
    return root


class Result:
    def __init__(self, returncode: int, stdout: str, stderr: str) -> None:
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def run_cli(*args: str) -> Result:
    _load_command_modules()
    result = CliRunner().invoke(app, ["score", *args])
    if isinstance(result.exception, FanzhaError):
        return Result(2, result.stdout, str(result.exception))
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return Result(result.exit_code, result.stdout, "")


def test_when_one_url_is_given_then_its_verdict_is_printed(models):
    result = run_cli(
        "url",
        "http://icbc-verify-login.top/index",
        "--model",
        str(models / "url"),
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["label"] in ("benign", "phishing", "malware")
    assert 0.0 <= body["risk"] <= 1.0


def test_when_url_file_has_bad_lines_then_they_are_named_and_the_rest_scored(
    models, tmp_path
):
    path = tmp_path / "urls.csv"
    path.write_text(
        "url,label\nhttps://www.example.com/news,benign\nhttp://,x\n"
        "http://alipay.secure-refund.cc/pay,phishing\n",
        "utf-8",
    )
    result = run_cli(
        "url", "--file", str(path), "--model", str(models / "url"), "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["label"] == "error" for r in rows] == [False, True, False]
    assert rows[1]["evidence"].startswith("line 3:")  # the header is line 1


def test_when_a_url_list_has_blank_lines_then_errors_name_the_file_line(
    models, tmp_path
):
    path = tmp_path / "urls.txt"
    path.write_text("https://www.example.com/a\n\n\nhttp://\n", "utf-8")
    result = run_cli(
        "url", "--file", str(path), "--model", str(models / "url"), "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["label"] == "error" for r in rows] == [False, True]
    assert rows[1]["evidence"].startswith("line 4:")


def test_when_neither_url_nor_file_is_given_then_a_clear_error():
    result = run_cli("url")
    assert result.returncode == 2
    assert "either one URL or --file" in result.stderr


def test_page_command_scores_a_saved_page(models, tmp_path):
    page = tmp_path / "p.html"
    page.write_bytes(
        "<title>工商银行</title><form><input type=password></form>".encode("gbk")
    )
    result = run_cli(
        "page",
        str(page),
        "--url",
        "http://icbc.example.top/",
        "--model",
        str(models / "page"),
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["label"] == "phishing"
    assert body["template_matches"] == []


def test_page_command_names_a_missing_file(models, tmp_path):
    result = run_cli("page", str(tmp_path / "none.html"))
    assert result.returncode == 2
    assert "does not exist" in result.stderr


def test_campaigns_groups_a_url_file_and_names_unparsable_urls(tmp_path):
    path = tmp_path / "urls.txt"
    path.write_text(
        "http://icbc-verify.top/a/login.php\n"
        "http://x.icbc-verify.top/b\n"
        "http://\n"
        "https://news.example.org/2024/05/story\n",
        encoding="utf-8",
    )
    _load_command_modules()
    result = CliRunner().invoke(app, ["campaigns", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert [c["campaign_id"] for c in found] == ["url-1"]
    assert found[0]["urls"] == [
        "http://icbc-verify.top/a/login.php",
        "http://x.icbc-verify.top/b",
    ]
    assert found[0]["summary"]["domains"] == [["icbc-verify.top", 2]]
    assert "line 3 skipped" in result.stderr


def test_fetch_saves_the_page_and_lists_the_redirects(tmp_path, monkeypatch):
    import httpx

    from fanzha.cli import links_commands

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/start":
            return httpx.Response(302, headers={"Location": "/login"})
        return httpx.Response(200, html="<title>登录</title><input type=password>")

    monkeypatch.setattr(links_commands, "FETCH_TRANSPORT", httpx.MockTransport(answer))
    _load_command_modules()
    out = tmp_path / "page.html"
    args = ["fetch", "http://kit.example.top/start", "--out", str(out)]
    result = CliRunner().invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["redirects"] == ["http://kit.example.top/start"]
    assert body["url"] == "http://kit.example.top/login"
    assert "<title>登录</title>" in out.read_text(encoding="utf-8")


def test_campaigns_groups_a_folder_of_pages_and_names_unreadable_ones(tmp_path):
    kit = (
        "<html><head><title>积分兑换中心</title></head><body><h1>积分兑换</h1>"
        "<p>您的积分即将清零 请立即兑换现金 填写银行卡信息完成兑换</p>"
        "<form action=s.php><input name=card><input type=password></form></body></html>"
    )
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "1.html").write_text(kit, encoding="utf-8")
    (tmp_path / "2.htm").write_text(kit.replace("立即", "马上"), encoding="utf-8")
    (tmp_path / "3.html").write_text("<title>Weather</title><p>Sunny</p>", "utf-8")
    (tmp_path / "empty.html").write_bytes(b"")
    _load_command_modules()
    result = CliRunner().invoke(app, ["campaigns", str(tmp_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert [sorted(c["files"]) for c in found] == [["2.htm", "a/1.html"]]
    assert found[0]["summary"]["with_password"] == 2
    assert "empty.html skipped" in result.stderr
