from __future__ import annotations

import time

import pytest

from fanzha.errors import ValidationError
from fanzha.links.pages import MAX_PARSE_BYTES, decode_html, parse_page

LOGIN = (
    "<html><head><title>工商银行 账户验证</title>"
    "<meta name='keywords' content='银行,登录'>"
    "<meta name='description' content='安全中心'>"
    "</head><body><script>var x = 'hidden';</script><p>请输入您的卡号和密码</p>"
    "<form action='http://collector.example.net/post.php'><input name=card>"
    "<input type=password name=pw><input type=hidden name=t></form>"
    "<a href='#'>忘记密码</a><a href='https://www.icbc.com.cn/'>官网</a>"
    "<img src='https://cdn.example.org/logo.png'></body></html>"
)


def test_page_parts_are_read():
    page = parse_page(LOGIN.encode("utf-8"), url="http://icbc-safe.example.top/login")
    assert page.title == "工商银行 账户验证"
    assert page.keywords == "银行,登录"
    assert page.description == "安全中心"
    assert "请输入您的卡号和密码" in page.text
    assert "hidden" not in page.text
    assert (page.n_forms, page.n_password, page.n_hidden) == (1, 1, 1)
    assert page.n_null_links == 1
    assert page.n_ext_links == 1
    assert page.n_ext_resources == 1
    assert page.form_actions == ["http://collector.example.net/post.php"]
    assert page.brands_foreign == ["中国工商银行 ICBC"]


def test_when_page_is_on_the_brands_own_domain_then_no_foreign_brand():
    page = parse_page(LOGIN, url="https://mybank.icbc.com.cn/login")
    assert page.brands_named == ["中国工商银行 ICBC"]
    assert page.brands_foreign == []


@pytest.mark.parametrize(
    ("encoding", "title"),
    [("gb18030", "登录"), ("gbk", "登录"), ("big5", "登錄"), ("shift_jis", "ログイン")],
)
def test_when_page_is_not_utf8_then_declared_encoding_is_used(encoding, title):
    html = f"<meta charset='{encoding}'><title>{title}</title>".encode(encoding)
    assert parse_page(html).title == title


def test_when_gbk_page_declares_nothing_then_gb18030_fallback_reads_it():
    assert (
        parse_page("<title>中国工商银行</title>".encode("gbk")).title == "中国工商银行"
    )


def test_when_page_bytes_are_invalid_or_cut_mid_character_then_still_parsed():
    cut = "<title>账户验证</title><p>请登录".encode()[:-1]
    assert parse_page(cut).title == "账户验证"
    assert decode_html(b"\xff\xfe<\x00p\x00>\x00") == "<p>"
    assert parse_page(b"<title>ok</title>\x80\x81\xfe garbage").title


def test_when_html_is_truncated_then_open_tags_do_not_break_parsing():
    page = parse_page(
        b"<html><head><title>Sign in</title></head><body><form><input type=pass"
    )
    assert page.title == "Sign in"
    assert page.n_forms == 1


def test_when_page_is_20_mb_then_work_is_bounded():
    block = b"<div><p>offer</p><form><input type=password></form></div>"
    html = b"<title>big</title>" + block * (20_000_000 // len(block))
    started = time.perf_counter()
    page = parse_page(html)
    assert time.perf_counter() - started < 20
    assert page.truncated
    assert page.n_bytes >= 20_000_000
    assert page.n_forms <= MAX_PARSE_BYTES // len(block) + 1


@pytest.mark.parametrize("bad", [b"", "   ", None, 17])
def test_when_page_is_empty_or_not_html_then_validation_error(bad):
    with pytest.raises(ValidationError):
        parse_page(bad)
