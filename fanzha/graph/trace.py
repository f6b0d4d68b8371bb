"""Follow a victim's money downstream, hop by hop, in time order.

From the victim's transfer into a first account, the money is followed through
every later out-transfer of that account, first in first out: out-transfers made
after the money arrived consume it in time order until it is spent (a split
gives several branches; a merge shows the same account on several branches).
The trace stops at ``max_hops``, at the end of the time ``window`` after the
victim's transfer, or where money stays. Each transfer carries at most its own
amount of traced money, and hops are expanded in the order the money arrived.
The result is a tree of hops and the accounts where the money ends, with the
traced amount that reached each.

:class:`TransferIndex` sorts transfers by account and time once, so one trace
costs only the transfers it touches.
"""

from __future__ import annotations

import heapq
import logging
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from fanzha.errors import NotFoundError

logger = logging.getLogger(__name__)


@dataclass
class TraceHop:
    """One transfer on the money's path, with the traced part of its amount."""

    transfer_id: str
    src: str
    dst: str
    at: float
    amount: float
    traced: float
    hop: int
    children: list[TraceHop] = field(default_factory=list)
    dst_code: int = field(default=-1, repr=False)


@dataclass
class Trace:
    """A trace tree from ``root`` and where the money ended.

    ``terminals`` maps an account to ``{"amount": traced amount that reached it,
    "reason": "stayed" | "hop_limit" | "node_limit"}``.
    """

    root: TraceHop
    terminals: dict[str, dict[str, Any]]
    n_hops: int

    def to_dict(self) -> dict[str, Any]:
        """Return the tree as ``nodes`` and ``edges`` plus the terminals."""
        nodes: dict[str, dict[str, Any]] = {}
        edges: dict[str, dict[str, Any]] = {}
        stack = [self.root]
        while stack:
            hop = stack.pop()
            for account in (hop.src, hop.dst):
                nodes.setdefault(
                    account,
                    {
                        "id": account,
                        "hop": hop.hop,
                        "terminal": account in self.terminals,
                    },
                )
            edge = edges.setdefault(
                hop.transfer_id,
                {
                    "id": hop.transfer_id,
                    "src": hop.src,
                    "dst": hop.dst,
                    "at": hop.at,
                    "amount": hop.amount,
                    "traced": 0.0,
                    "hop": hop.hop,
                },
            )
            edge["traced"] = round(edge["traced"] + hop.traced, 2)
            stack.extend(hop.children)
        return {
            "root": self.root.transfer_id,
            "hops": self.n_hops,
            "nodes": list(nodes.values()),
            "edges": list(edges.values()),
            "terminals": self.terminals,
        }


class TransferIndex:
    """Transfers sorted by source account and time, for fast downstream walks.

    Parameters
    ----------
    transfers
        Columns ``src``, ``dst``, ``amount``, ``at`` and optionally
        ``transfer_id`` (default: the row number as text).
    """

    def __init__(self, transfers: pd.DataFrame) -> None:
        codes, accounts = pd.factorize(
            pd.concat([transfers["src"], transfers["dst"]], ignore_index=True)
        )
        n = len(transfers)
        src, dst = codes[:n], codes[n:]
        order = np.lexsort((transfers["at"].to_numpy(), src))
        self.accounts = np.asarray(accounts, dtype=object)
        self.src, self.dst = src[order], dst[order]
        self.at = transfers["at"].to_numpy(dtype=float)[order]
        self.amount = transfers["amount"].to_numpy(dtype=float)[order]
        ids = (
            transfers["transfer_id"].astype(str).to_numpy()
            if "transfer_id" in transfers
            else np.arange(n).astype(str)
        )
        self.ids = np.asarray(ids, dtype=object)[order]
        self.starts = np.searchsorted(self.src, np.arange(len(accounts) + 1))
        self._row_of_id = pd.Index(self.ids)
        self._row_of_id.get_indexer(self.ids[:1])  # build the hash table now

    def row(self, transfer_id: str) -> int:
        """Return the sorted row of a transfer id, or raise ``NotFoundError``."""
        rows = self._row_of_id.get_indexer([str(transfer_id)])
        if rows[0] < 0:
            raise NotFoundError(
                f"transfer {transfer_id!r} is not in the graph; "
                "pass the id of a loaded transfer"
            )
        return int(rows[0])

    def outgoing(self, account: int, after: float, until: float) -> range:
        """Rows of ``account``'s out-transfers with ``after <= at <= until``."""
        lo, hi = self.starts[account], self.starts[account + 1]
        first = lo + int(np.searchsorted(self.at[lo:hi], after, side="left"))
        last = lo + int(np.searchsorted(self.at[lo:hi], until, side="right"))
        return range(first, last)


def trace_funds(
    index: TransferIndex,
    transfer_id: str,
    max_hops: int = 6,
    window: float = 30 * 86400.0,
    max_nodes: int = 10_000,
) -> Trace:
    """Trace the money of one transfer downstream (see the module docstring).

    ``window`` is in the unit of ``at`` (seconds by default: 30 days). Hops are
    expanded in the order the money arrived, and no transfer carries more
    traced money than its amount, so merged branches are not counted twice.
    """
    row = index.row(transfer_id)
    root = _hop(index, row, float(index.amount[row]), 1)
    until = float(index.at[row]) + window
    terminals: dict[str, dict[str, Any]] = {}
    used: dict[int, float] = {row: root.traced}
    queue: list[tuple[float, int, TraceHop]] = [(root.at, 0, root)]
    seen = 1
    while queue:
        _, _, hop = heapq.heappop(queue)
        if hop.hop >= max_hops or seen >= max_nodes:
            _end(terminals, hop, "hop_limit" if hop.hop >= max_hops else "node_limit")
            continue
        hop.children = _spend(index, hop, until, used)
        for child in hop.children:
            seen += 1
            heapq.heappush(queue, (child.at, seen, child))
        left = hop.traced - sum(c.traced for c in hop.children)
        if left > 1e-9:
            _end(terminals, hop, "stayed", left)
    depth = max((h.hop for h in _walk(root)), default=1)
    logger.info(
        "funds traced transfer=%s hops=%d transfers=%d terminals=%d",
        transfer_id,
        depth,
        seen,
        len(terminals),
    )
    return Trace(root, terminals, depth)


def _spend(
    index: TransferIndex, hop: TraceHop, until: float, used: dict[int, float]
) -> list[TraceHop]:
    # First in, first out: later out-transfers consume the arrived money in order.
    left = hop.traced
    children: list[TraceHop] = []
    for row in index.outgoing(hop.dst_code, hop.at, until):
        if left <= 1e-9:
            break
        part = min(left, float(index.amount[row]) - used.get(row, 0.0))
        if part <= 1e-9:
            continue
        used[row] = used.get(row, 0.0) + part
        children.append(_hop(index, row, part, hop.hop + 1))
        left -= part
    return children


def _hop(index: TransferIndex, row: int, traced: float, depth: int) -> TraceHop:
    return TraceHop(
        str(index.ids[row]),
        str(index.accounts[index.src[row]]),
        str(index.accounts[index.dst[row]]),
        float(index.at[row]),
        float(index.amount[row]),
        traced,
        depth,
        dst_code=int(index.dst[row]),
    )


def _end(
    terminals: dict[str, dict[str, Any]],
    hop: TraceHop,
    reason: str,
    amount: float | None = None,
) -> None:
    entry = terminals.setdefault(hop.dst, {"amount": 0.0, "reason": reason})
    entry["amount"] = round(
        entry["amount"] + (hop.traced if amount is None else amount), 2
    )


def _walk(root: TraceHop) -> list[TraceHop]:
    out, stack = [], [root]
    while stack:
        hop = stack.pop()
        out.append(hop)
        stack.extend(hop.children)
    return out
