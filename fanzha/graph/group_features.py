"""Ties of an account to groups of accounts that move small sums among themselves.

Launderers split money into small transfers; the accounts joined by such
transfers form *groups* (connected components of the graph of small transfers,
computed without labels). A member of a laundering ring whose own small
transfers never happened still has ordinary transfers with several members of
the same group, and often sits between them (money comes in from the group and
goes out to it). Three features, all "higher means more of it":

- ``group_ties``: the most distinct counterparties the account has in any one
  group (other than itself);
- ``group_bridges``: the number of groups from which the account receives and
  to which it also sends;
- ``group_rank``: personalised PageRank (undirected, damping 0.5, scaled by the
  account count) seeded at the suspects: accounts with small transfers and
  accounts tied to one group through two or more counterparties. It spreads
  suspicion to their neighbourhood, two or three hops deep.
"""

from __future__ import annotations

import igraph as ig
import numpy as np
import pandas as pd

GROUP_FEATURES: tuple[str, ...] = ("group_ties", "group_bridges", "group_rank")

DAMPING = 0.5
"""Chance of following an edge rather than jumping back to a suspect."""


def group_features(
    tx: pd.DataFrame, index: pd.Index, small: np.ndarray
) -> pd.DataFrame:
    """Return ``GROUP_FEATURES`` per account of ``index``.

    Parameters
    ----------
    tx
        Transfers with columns ``src`` and ``dst``; accounts outside ``index``
        are ignored.
    index
        The accounts to report (every counterparty should be in it).
    small
        Boolean per row of ``tx``: the transfer counts as small.
    """
    src = index.get_indexer(tx["src"])
    dst = index.get_indexer(tx["dst"])
    keep = (src >= 0) & (dst >= 0) & (src != dst)
    group = _groups(src[keep & small], dst[keep & small], len(index))
    table = pd.DataFrame(index=pd.RangeIndex(len(index)))
    table = table.join(_ties(src[keep], dst[keep], group)).fillna(0.0)

    suspects = (group >= 0) | (table["group_ties"].to_numpy() >= 2)
    table["group_rank"] = _suspect_rank(src[keep], dst[keep], suspects)
    table.index = index
    return table.loc[:, list(GROUP_FEATURES)]


def _groups(src: np.ndarray, dst: np.ndarray, n: int) -> np.ndarray:
    # Component id per account over small transfers; -1 for accounts without one.
    graph = ig.Graph(n=n, edges=list(zip(src.tolist(), dst.tolist(), strict=True)))
    group = np.asarray(graph.connected_components().membership)
    touched = np.zeros(n, dtype=bool)
    touched[src] = True
    touched[dst] = True
    return np.where(touched, group, -1)


def _suspect_rank(src: np.ndarray, dst: np.ndarray, suspects: np.ndarray) -> np.ndarray:
    n = len(suspects)
    graph = ig.Graph(n=n, edges=list(zip(src.tolist(), dst.tolist(), strict=True)))
    graph.simplify()
    reset = (suspects.astype(float) + 1e-9).tolist()
    return np.asarray(graph.personalized_pagerank(reset=reset, damping=DAMPING)) * n


def _ties(src: np.ndarray, dst: np.ndarray, group: np.ndarray) -> pd.DataFrame:
    # One row per (account, counterparty, direction), kept where the
    # counterparty belongs to a group.
    links = pd.concat(
        [
            pd.DataFrame({"acct": src, "party": dst, "sends": 1, "gets": 0}),
            pd.DataFrame({"acct": dst, "party": src, "sends": 0, "gets": 1}),
        ]
    )
    links["group"] = group[links["party"].to_numpy()]
    links = links[links["group"] >= 0]

    per_group = links.groupby(["acct", "group"]).agg(
        parties=("party", "nunique"), sends=("sends", "max"), gets=("gets", "max")
    )
    per_group["bridge"] = per_group["sends"] * per_group["gets"]
    per_acct = per_group.groupby(level="acct")
    return pd.DataFrame(
        {
            "group_ties": per_acct["parties"].max().astype(float),
            "group_bridges": per_acct["bridge"].sum().astype(float),
        }
    )
