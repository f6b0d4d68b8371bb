from __future__ import annotations

import pytest

from fanzha.errors import NotFoundError, ValidationError
from fanzha.links.pages import parse_page
from fanzha.links.shingles import page_shingles
from fanzha.links.templates import TemplateLibrary


def _kit(title: str, extra: str = "") -> set[str]:
    html = (
        f"<html><head><title>{title}</title><meta name=keywords content='积分,兑换'>"
        "</head><body><div class=box><h1>积分兑换</h1>"
        "<p>您的积分即将清零 请立即兑换现金礼品"
        f" 填写银行卡信息完成兑换</p>{extra}<form action=s.php><input name=card>"
        "<input type=password></form></div></body></html>"
    )
    return page_shingles(parse_page(html))


def _other() -> set[str]:
    html = (
        "<html><head><title>Garden diary</title></head><body><article><h2>Tomatoes"
        "</h2><p>Water the seedlings every morning and keep them warm at night."
        "</p></article></body></html>"
    )
    return page_shingles(parse_page(html))


@pytest.fixture
def library() -> TemplateLibrary:
    lib = TemplateLibrary()
    lib.add(
        "kit-points",
        _kit("中国移动积分兑换"),
        label="phishing",
        campaign="points-2024",
        brand="中国移动 China Mobile",
        scenario="phishing",
    )
    lib.add("garden", _other(), label="benign")
    return lib


def test_when_page_is_a_variant_of_a_known_kit_then_the_kit_is_named(library):
    matches = library.query(_kit("中国移动积分兑换", extra="<span>限时</span>"))
    assert matches[0].template_id == "kit-points"
    assert matches[0].campaign == "points-2024"
    assert 0.0 <= matches[0].distance < 0.3


def test_when_page_is_unrelated_then_no_match(library):
    html = (
        "<title>Train timetable</title><table><tr><td>08:15 Beijing</td></tr></table>"
    )
    assert library.query(page_shingles(parse_page(html))) == []


def test_identical_page_has_distance_zero(library):
    assert library.query(_other())[0].distance == 0.0


def test_when_reviewer_rejects_then_template_becomes_white(library):
    library.review("kit-points", "rejected")
    match = library.query(_kit("中国移动积分兑换"))[0]
    assert (match.label, match.review_status) == ("benign", "rejected")


def test_review_of_unknown_template_or_status_is_an_error(library):
    with pytest.raises(NotFoundError):
        library.review("nope", "approved")
    with pytest.raises(ValidationError):
        library.review("kit-points", "maybe")


def test_remove_and_replace_keep_buckets_consistent(library):
    library.add("kit-points", _other(), label="benign")
    assert {m.template_id for m in library.query(_other())} == {"kit-points", "garden"}
    library.remove("kit-points")
    assert [m.template_id for m in library.query(_other())] == ["garden"]
    with pytest.raises(NotFoundError):
        library.remove("kit-points")


def test_save_then_load_answers_the_same(library, tmp_path):
    path = library.save(tmp_path / "lib.pkl")
    loaded = TemplateLibrary.load(path)
    assert loaded.query(_kit("中国移动积分兑换")) == library.query(
        _kit("中国移动积分兑换")
    )


def test_signature_of_wrong_length_is_refused(library):
    with pytest.raises(ValidationError):
        library.add_signature("x", library.hasher.signature({"a"})[:10])
