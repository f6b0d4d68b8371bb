"""Dense shape features of URLs and the shape booster."""

from __future__ import annotations

import math

import numpy as np
import pytest

from fanzha.links.url_shape import (
    SHAPE_FEATURES,
    fit_shape_booster,
    shape_features,
    shape_margins,
)
from fanzha.links.urls import parse_url


def _row(url: str) -> dict[str, float]:
    values = shape_features([parse_url(url)])[0]
    return dict(zip(SHAPE_FEATURES, values.tolist(), strict=True))


def test_one_row_per_url_with_every_named_feature() -> None:
    urls = [parse_url(u) for u in ("http://a.example.com/x", "https://b.org")]
    matrix = shape_features(urls)
    assert matrix.shape == (2, len(SHAPE_FEATURES))
    assert matrix.dtype == np.float32
    assert shape_features([]).shape == (0, len(SHAPE_FEATURES))


def test_values_of_a_known_url() -> None:
    row = _row("http://login.secure-7781.example.com/ab12/cd-ef/index.php")
    assert row["host_len"] == len("login.secure-7781.example.com")
    assert row["domain_len"] == len("example")
    assert row["path_len"] == len("/ab12/cd-ef/index.php")
    assert row["sub_labels"] == 2
    assert row["path_depth"] == 3
    assert row["host_hyphens"] == 1
    assert row["path_hyphens"] == 1
    assert row["host_digit_run"] == 4
    assert row["path_digit_run"] == 2
    assert row["longest_host_label"] == len("secure-7781")
    assert row["path_words"] == 5  # ab12 cd ef index php: split on / - .
    assert row["sensitive_words"] == 2  # login, secure
    assert row["php"] == 1 and row["risky_extension"] == 0
    assert row["domain_entropy"] == pytest.approx(
        -sum(c / 7 * math.log2(c / 7) for c in (2, 1, 1, 1, 1, 1)), abs=1e-5
    )


def test_source_conventions_do_not_change_the_features() -> None:
    # Scheme, www., case, query string and fragment differ between data sources.
    plain = _row("example.com/path/page")
    assert _row("HTTPS://WWW.Example.COM/Path/Page?id=1#top") == plain
    assert plain["sub_len"] == 0 and plain["sub_labels"] == 0


def test_ip_hosts_and_bare_domains() -> None:
    row = _row("http://203.0.113.9/bins/x.arm7")
    assert row["is_ip"] == 1 and row["host_digit_run"] == 3
    bare = _row("https://example.org")
    assert bare["path_len"] == 0 and bare["path_words"] == 0
    assert bare["path_digit_run"] == 0 and bare["path_entropy"] == 0


def test_booster_margins_rank_the_learned_shape_higher() -> None:
    rng = np.random.default_rng(0)
    benign = [f"https://site{i}.example.com/about/team" for i in range(200)]
    bad = [
        f"http://{rng.integers(10**8)}-{i}.verify-login.top/{rng.integers(10**12)}.php"
        for i in range(200)
    ]
    urls = [parse_url(u) for u in benign + bad]
    target = np.array([0] * 200 + [1] * 200)
    model = fit_shape_booster(shape_features(urls), target)
    assert model == fit_shape_booster(shape_features(urls), target)  # deterministic
    test = [parse_url("https://docs.example.org/guide/intro")]
    test.append(parse_url("http://55512-9.account-verify.top/99911122233.php"))
    margins = shape_margins(model, shape_features(test))
    assert margins[1] > margins[0]
    assert shape_margins(model, shape_features([])).shape == (0,)
