"""A small invented demo data set, so the console has something to show.

Every name, number, link and message below is made up for the demo; the phone
numbers use the 170 virtual-operator range and the links the reserved
``.example`` domain. The text verdicts are real: the shipped lexicon detector
scores the demo messages.

``load_demo`` is idempotent: the data loads once per store (marked by reports
with ``source="demo"``) and the demo key is created once.
"""

from __future__ import annotations

import logging
import os
from datetime import timedelta
from typing import Any

from fanzha.storage import (
    AlertIn,
    BlacklistIn,
    CaseIn,
    EntityRef,
    RelationIn,
    ReportEntityIn,
    ReportIn,
    Store,
)
from fanzha.storage.schemas import Severity
from fanzha.storage.types import utcnow

logger = logging.getLogger(__name__)

DEMO_KEY = "fz-demo-admin"
"""The documented demo admin key; only ``fanzha demo`` creates it.

Set ``FANZHA_DEMO_KEY`` to use another value. Never use the demo key in
production: anyone who has read the docs knows it.
"""
DEMO_KEY_NAME = "demo-admin"
DEMO_SOURCE = "demo"

MESSAGES: tuple[tuple[str, str], ...] = (
    ("+8617000000101", "【公安局】您涉嫌洗钱，请立即将资金转入安全账户配合调查"),
    ("+8617000000102", "亲，您的快递丢失，我们为您理赔，请点击链接办理退款"),
    ("+8617000000103", "刷单日结，点赞返利，兼职在家就能做"),
    ("+8617000000104", "无抵押低息贷款，放款前需缴纳解冻费"),
    ("+8617000000105", "明天下午三点开会，记得带上季度报表"),
    ("+8617000000106", "妈，我手机坏了换号了，先帮我转五千块"),
    ("+8617000000107", "您的会员自动续费即将开通，如需关闭服务请联系客服"),
    ("+8617000000108", "周末一起去爬山吧，天气不错"),
)
"""Invented (sender, SMS) pairs scored by the lexicon detector."""

REPORTS: tuple[dict[str, Any], ...] = (
    {
        "days_ago": 2,
        "loss": 48000,
        "scenario": "impersonate_authority",
        "text": "自称公安民警来电，称我涉嫌洗钱，要求转账到安全账户。",
        "entities": [
            ("phone", "+8617000000101", "caller"),
            ("bank_card", "6222020000000000018", "payee"),
        ],
    },
    {
        "days_ago": 3,
        "loss": 20000,
        "scenario": "impersonate_authority",
        "text": "自称检察院工作人员，说我的银行卡涉案，要求把钱转到指定账户。",
        "entities": [
            ("phone", "+8617000000101", "caller"),
            ("bank_card", "6222020000000000018", "payee"),
        ],
    },
    {
        "days_ago": 4,
        "loss": 15000,
        "scenario": "impersonate_authority",
        "text": "“公安局”来电称我身份证被冒用，让我下载会议软件后转账。",
        "entities": [
            ("phone", "+8617000000109", "caller"),
            ("bank_card", "6222020000000000018", "payee"),
        ],
    },
    {
        "days_ago": 5,
        "loss": 1200,
        "scenario": "impersonate_service",
        "text": "冒充快递客服说包裹丢失理赔，点链接后被扣款。",
        "entities": [
            ("phone", "+8617000000102", "caller"),
            ("url", "http://refund-kuaidi.example/claim", "link"),
        ],
    },
    {
        "days_ago": 9,
        "loss": 6500,
        "scenario": "order_brushing",
        "text": "网上兼职刷单，前几单返利，后来要求垫付大额后失联。",
        "entities": [
            ("phone", "+8617000000103", "caller"),
            ("qq", "880000001", "contact"),
        ],
    },
    {
        "days_ago": 14,
        "loss": 3000,
        "scenario": "loan",
        "text": "网贷平台说放款前要交解冻费，交了之后贷款没到账。",
        "entities": [
            ("phone", "+8617000000104", "caller"),
            ("url", "https://fast-loan.example/apply", "link"),
        ],
    },
    {
        "days_ago": 21,
        "loss": 5000,
        "scenario": "impersonate_acquaintance",
        "text": "有人冒充我儿子说换号了，让我先转钱。",
        "entities": [
            ("phone", "+8617000000106", "caller"),
            ("bank_card", "6222020000000000026", "payee"),
        ],
    },
)

TRANSFERS: tuple[tuple[str, str, float, int], ...] = (
    ("6222020000000000018", "6222020000000000034", 30000.0, 2),
    ("6222020000000000018", "6222020000000000042", 18000.0, 2),
    ("6222020000000000034", "6222020000000000059", 29500.0, 1),
)
"""Invented (from card, to card, amount in CNY, days ago) mule-chain transfers."""


def demo_key() -> str:
    """Return the demo admin key: ``FANZHA_DEMO_KEY`` or ``fz-demo-admin``."""
    return os.environ.get("FANZHA_DEMO_KEY") or DEMO_KEY


def load_demo(store: Store) -> dict[str, Any]:
    """Load the demo data set and the demo admin key into ``store`` (idempotent).

    Returns
    -------
    dict
        ``loaded`` (False when the data was already there), ``key`` (the demo
        admin key) and the store's counts.
    """
    store.upgrade()
    loaded = store.list_reports(source=DEMO_SOURCE, limit=1)["total"] == 0
    if loaded:
        _load_data(store)
        logger.info("demo data loaded")
    key = _ensure_key(store)
    return {"loaded": loaded, "key": key, "counts": store.stats()["counts"]}


def _ensure_key(store: Store) -> str:
    key = demo_key()
    if not any(k["name"] == DEMO_KEY_NAME for k in store.list_api_keys()):
        store.create_api_key(DEMO_KEY_NAME, "admin", key=key, actor="demo")
    return key


def _load_data(store: Store) -> None:
    report_ids = _load_reports(store)
    verdict_ids = _load_verdicts(store)
    _load_transfers(store)
    alert_ids = _load_alerts(store, verdict_ids)
    _load_blacklist(store)
    store.create_case(
        CaseIn(
            title="公检法冒充团伙 (demo)",
            description="Reports that share the caller +8617000000101 or the payee "
            "card ending 0018, and the alerts on that caller.",
            alert_ids=alert_ids[:2],
            report_ids=report_ids[:3],
        ),
        actor="demo",
    )


def _load_reports(store: Store) -> list[int]:
    now = utcnow()
    ids = []
    for number, spec in enumerate(REPORTS, start=1):
        report = ReportIn(
            description=spec["text"],
            loss_amount=spec["loss"],
            occurred_at=now - timedelta(days=spec["days_ago"]),
            reporter=f"demo victim {number}",
            source=DEMO_SOURCE,
            scenario=spec["scenario"],
            entities=[
                ReportEntityIn(type=t, value=v, role=r) for t, v, r in spec["entities"]
            ],
        )
        ids.append(store.add_report(report, actor="demo")["id"])
    return ids


def _load_verdicts(store: Store) -> list[int]:
    from fanzha.detectors.text.lexicon_detector import LexiconTextDetector

    texts = [text for _, text in MESSAGES]
    detector = LexiconTextDetector().fit(
        texts[:2] + texts[4:5], ["fraud", "fraud", "normal"]
    )
    verdicts = detector.score_batch(texts)
    for i, verdict in enumerate(verdicts):
        verdict.item_id = f"demo-sms-{i + 1}"
    refs = [EntityRef(type="phone", value=sender) for sender, _ in MESSAGES]
    return store.add_verdicts(verdicts, kind="text", entities=refs, actor="demo")


def _load_transfers(store: Store) -> None:
    now = utcnow()
    store.add_relations(
        [
            RelationIn(
                src=EntityRef(type="bank_card", value=src),
                dst=EntityRef(type="bank_card", value=dst),
                kind="transfer",
                amount=amount,
                at=now - timedelta(days=days),
                attrs={"currency": "CNY"},
            )
            for src, dst, amount, days in TRANSFERS
        ],
        actor="demo",
    )


def _load_alerts(store: Store, verdict_ids: list[int]) -> list[int]:
    risky = [
        v for v in (store.get_verdict(i) for i in verdict_ids) if v["label"] == "fraud"
    ]
    ids = []
    for verdict in risky[:4]:
        severity: Severity = "high" if verdict["risk"] >= 0.8 else "medium"
        alert = AlertIn(
            title=f"fraud SMS ({verdict['scenario'] or 'unknown'})",
            severity=severity,
            verdict_id=verdict["id"],
        )
        ids.append(store.create_alert(alert, actor="demo")["id"])
    return ids


def _load_blacklist(store: Store) -> None:
    entries = [
        ("phone", "+8617000000101", 0.95, "marked"),
        ("url", "http://refund-kuaidi.example/claim", 0.9, "marked"),
        ("phone", "+8617000000103", 0.7, None),
        ("phone", "+8617000000107", 0.4, "recycled"),
    ]
    for kind, value, confidence, step in entries:
        entry = store.report_to_blacklist(
            BlacklistIn(
                entity=EntityRef(type=kind, value=value),
                reason="demo reports",
                source=DEMO_SOURCE,
                confidence=confidence,
            ),
            actor="demo",
        )
        if step:
            store.transition_blacklist(entry["id"], step, actor="demo")
