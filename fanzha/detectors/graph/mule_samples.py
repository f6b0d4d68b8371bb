"""Invented ego networks of mule and ordinary accounts, for tests and examples."""

from __future__ import annotations

import random
from typing import Any


def _mule(rng: random.Random, i: int) -> dict[str, Any]:
    # Money in from several payers, forwarded in small pieces within a step.
    account = f"mule-{i}"
    tx: list[dict[str, Any]] = []
    for j in range(rng.randint(3, 6)):
        at = 10.0 + j * 2
        amount = rng.uniform(200.0, 500.0)
        tx.append(
            {"src": f"victim-{i}-{j}", "dst": account, "amount": amount, "at": at}
        )
        for k in range(3):
            tx.append(
                {
                    "src": account,
                    "dst": f"boss-{i % 3}-{k}",
                    "amount": amount * 0.3,
                    "at": at + 0.5,
                }
            )
    return {"account": account, "transactions": tx}


def _ordinary(rng: random.Random, i: int) -> dict[str, Any]:
    account = f"person-{i}"
    tx: list[dict[str, Any]] = [
        {
            "src": f"employer-{i}",
            "dst": account,
            "amount": rng.uniform(3000.0, 5000.0),
            "at": 1.0,
        }
    ]
    for j in range(rng.randint(3, 7)):
        tx.append(
            {
                "src": account,
                "dst": f"shop-{i}-{j}",
                "amount": rng.uniform(100.0, 900.0),
                "at": rng.uniform(2.0, 60.0),
            }
        )
    return {"account": account, "transactions": tx}


def sample_items(n: int = 12, seed: int = 7) -> tuple[list[dict[str, Any]], list[str]]:
    """Return ``n`` mule and ``n`` ordinary accounts with labels, interleaved."""
    rng = random.Random(seed)
    items: list[dict[str, Any]] = []
    labels: list[str] = []
    for i in range(n):
        items += [_mule(rng, i), _ordinary(rng, i)]
        labels += ["mule", "normal"]
    return items, labels
