from __future__ import annotations

from fanzha.links.campaigns import cluster_pages, cluster_urls
from fanzha.links.pages import parse_page


def test_urls_sharing_domain_or_kit_path_form_campaigns():
    urls = [
        "http://icbc-a.example.top/kit/4f9a8b7c6d/login.php",
        "http://other-host.example.xyz/kit/1a2b3c4d5e/login.php",
        "http://icbc-a.example.top/verify",
        "https://news.example.org/2024/05/story",
        "not a url at all",
    ]
    campaigns = cluster_urls(urls)
    assert len(campaigns) == 1
    assert sorted(campaigns[0].members) == [0, 1, 2]
    summary = campaigns[0].summary
    assert summary["size"] == 3
    assert summary["path_templates"][0][0] == "/kit/#h/login.php"


def test_unparsable_urls_are_reported_when_asked():
    errors: list[tuple[int, str]] = []
    cluster_urls(
        ["http://a.example.top/x", "http://", "http://a.example.top/y"], errors=errors
    )
    assert [index for index, _ in errors] == [1]
    assert "host" in errors[0][1]


def test_shortener_links_do_not_join_on_shared_domain():
    assert cluster_urls(["https://bit.ly/aaaa1", "https://bit.ly/bbbb2"]) == []


def test_near_identical_pages_form_one_campaign_with_summary():
    kit = (
        "<title>Get My Payment</title><form action='p.php'><input name=ssn>"
        "<input type=password></form><p>Enter your details to receive your payment now"
        " {n}</p>"
    )
    pages = [parse_page(kit.format(n=i)) for i in range(3)]
    pages.append(parse_page("<title>Bakery</title><p>Fresh bread daily from six</p>"))
    campaigns = cluster_pages(pages)
    assert [sorted(c.members) for c in campaigns] == [[0, 1, 2]]
    assert campaigns[0].summary["titles"][0] == ("Get My Payment", 3)
    assert campaigns[0].summary["with_password"] == 3
