"""Per-account flow and graph features for mule-account scoring.

The input is a transaction table with columns ``src``, ``dst``, ``amount`` and
``at`` (any increasing time unit: AMLSim steps, epoch seconds). The output has one
row per account. Amounts are read relative to the median amount of the whole
table, so a model trained on one graph can score a graph whose currency or
amount scale differs.

Features (every one is "higher means more of it", not "more suspicious"):

- fan-in / fan-out: counts, distinct counterparties, sums, and their shape;
- amount shape: the count and share of transfers far below the graph's usual
  amounts (structuring), whichever direction they go;
- pass-through: ``min(in, out) / max(in, out)`` of money, and the share of
  out-transfers that forward an earlier in-transfer of similar size;
- time from in to out: median steps from the last in-transfer to an out-transfer;
- cycles: reciprocal counterparties and directed triangles through the account;
- triads: counterparties of the account that also deal with each other
  (undirected triangles), the local clustering coefficient, and the highest
  clustering among the counterparties. AMLSim draws the accounts of a
  laundering pattern from one hub's neighbourhood and then wires them together,
  so they close triangles that its ordinary payment graph rarely has;
- graph: PageRank (scaled by the node count), neighbours' degree, neighbours'
  share of structuring transfers, and a personalised PageRank seeded at accounts
  with structuring transfers (a "risk of neighbours" that reaches two hops);
- groups: ties to groups of accounts joined by small transfers
  (``fanzha.graph.group_features``).

Direction-specific amount features (small transfers in versus out, smallest
amount in versus out) are computed but not part of ``FEATURES``: which side of
a laundering pattern sends the small sums differs between patterns (a fan-in
collects them, a cycle passes them on), and a model that learns one side does
not carry over to the other.
"""

from __future__ import annotations

import logging

import igraph as ig
import numpy as np
import pandas as pd
from scipy import sparse

from fanzha.graph.group_features import GROUP_FEATURES, group_features

TRIAD_FEATURES: tuple[str, ...] = ("triads", "clustering", "nbr_clustering_max")
"""Undirected triangles through the account, its local clustering coefficient and
the highest clustering coefficient among its counterparties."""

logger = logging.getLogger(__name__)

SMALL_RATIO = 0.25
"""A transfer below this fraction of the graph's median amount counts as small."""

FEATURES: tuple[str, ...] = (
    "in_count",
    "out_count",
    "in_parties",
    "out_parties",
    "in_log_sum",
    "out_log_sum",
    "small_count",
    "small_share",
    "pass_through",
    "forward_share",
    "in_out_delay",
    "active_span",
    "reciprocal",
    "triangles",
    "pagerank",
    "nbr_degree",
    "nbr_small_share",
    "nbr_small_max",
    "party_concentration",
    "in_repeat_parties",
    "out_repeat_parties",
    "max_pair_count",
    "repeat_share",
    "repeat_nbr_small_share",
    "nbr_small_count",
    "ppr_small",
    "nbr2_small",
    *TRIAD_FEATURES,
    *GROUP_FEATURES,
)

RISING: frozenset[str] = frozenset(
    {
        "small_count",
        "small_share",
        "nbr_small_share",
        "nbr_small_max",
        "nbr_small_count",
        "ppr_small",
        "nbr2_small",
        *TRIAD_FEATURES,
        *GROUP_FEATURES,
    }
)
"""Features where more never means less suspicious (models may hold them monotone):
small transfers of the account, of its neighbours, ties to groups of them, and
counterparties that deal with each other."""


def flow_features(tx: pd.DataFrame, nodes: pd.Index | None = None) -> pd.DataFrame:
    """Return the feature table (index: account, columns: ``FEATURES``).

    Parameters
    ----------
    tx
        Transfers with columns ``src``, ``dst``, ``amount`` (> 0), ``at``.
    nodes
        Accounts to report; by default every account in ``tx``. Accounts with no
        transfer get zero flows (the PageRanks still give them a teleport share).
        Graph features are computed over these accounts and every counterparty
        in ``tx``, so an ego network sent for one account still has neighbours.
    """
    seen = pd.Index(
        pd.unique(np.concatenate([tx["src"].to_numpy(), tx["dst"].to_numpy()]))
    )
    report = nodes if nodes is not None else seen
    index = report.append(seen.difference(report)) if nodes is not None else seen
    tx = tx.assign(rel=np.log(tx["amount"] / max(float(tx["amount"].median()), 1e-9)))
    tx = tx.assign(small=(tx["rel"] < np.log(SMALL_RATIO)).astype(float))

    out = pd.DataFrame(index=index)
    out = out.join(_side(tx, "dst", "in")).join(_side(tx, "src", "out"))
    out = out.join(_pass_through(tx)).join(_cycles(tx, index))
    out = out.join(_graph(tx, index, out)).join(_repeats(tx, index, out))
    out = out.join(_triads(tx, index))
    out = out.join(group_features(tx, index, tx["small"].to_numpy() > 0))
    out["small_count"] = out["in_small"].fillna(0) + out["out_small"].fillna(0)
    out["small_share"] = out["small_count"] / (
        out["in_count"].fillna(0) + out["out_count"].fillna(0)
    ).clip(lower=1)
    out = out.fillna(0.0).loc[report]
    logger.info("flow features built accounts=%d transfers=%d", len(out), len(tx))
    return out.loc[:, list(FEATURES)].astype(float)


def _side(tx: pd.DataFrame, key: str, side: str) -> pd.DataFrame:
    other = "src" if key == "dst" else "dst"
    grouped = tx.groupby(key)
    table = pd.DataFrame(
        {
            f"{side}_count": grouped.size(),
            f"{side}_parties": grouped[other].nunique(),
            f"{side}_log_sum": np.log1p(grouped["amount"].sum()),
            f"{side}_min_rel": grouped["rel"].min(),
            f"{side}_mean_rel": grouped["rel"].mean(),
            f"{side}_small": grouped["small"].sum(),
            f"_{side}_first": grouped["at"].min(),
            f"_{side}_last": grouped["at"].max(),
            f"_{side}_sum": grouped["amount"].sum(),
        }
    )
    return table


def _pass_through(tx: pd.DataFrame) -> pd.DataFrame:
    # Pair each out-transfer with the latest earlier in-transfer of the account.
    ins = tx[["dst", "at", "amount"]].rename(
        columns={"dst": "acct", "amount": "in_amt"}
    )
    outs = tx[["src", "at", "amount"]].rename(columns={"src": "acct"})
    ins = ins.assign(in_at=ins["at"]).sort_values("at", kind="mergesort")
    outs = outs.sort_values("at", kind="mergesort")
    paired = pd.merge_asof(outs, ins, on="at", by="acct", direction="backward")

    delay = paired["at"] - paired["in_at"]
    ratio = paired["amount"] / paired["in_amt"]
    forward = ((ratio > 0.5) & (ratio <= 1.0)).astype(float)
    grouped = pd.DataFrame({"acct": paired["acct"], "delay": delay, "fwd": forward})
    grouped = grouped.groupby("acct")

    sums = pd.DataFrame(
        {
            "in": tx.groupby("dst")["amount"].sum(),
            "out": tx.groupby("src")["amount"].sum(),
        }
    ).fillna(0.0)
    span = pd.concat(
        [
            tx.groupby("src")["at"].agg(["min", "max"]),
            tx.groupby("dst")["at"].agg(["min", "max"]),
        ]
    ).groupby(level=0)
    return pd.DataFrame(
        {
            "pass_through": sums.min(axis=1) / sums.max(axis=1).clip(lower=1e-9),
            "forward_share": grouped["fwd"].mean(),
            "in_out_delay": grouped["delay"].median(),
            "active_span": span["max"].max() - span["min"].min(),
        }
    )


def _adjacency(tx: pd.DataFrame, index: pd.Index) -> sparse.csr_matrix:
    src = index.get_indexer(tx["src"])
    dst = index.get_indexer(tx["dst"])
    keep = (src >= 0) & (dst >= 0) & (src != dst)
    n = len(index)
    data = np.ones(int(keep.sum()))
    adj = sparse.csr_matrix((data, (src[keep], dst[keep])), shape=(n, n))
    adj.data[:] = 1.0
    return adj


def _cycles(tx: pd.DataFrame, index: pd.Index) -> pd.DataFrame:
    adj = _adjacency(tx, index)
    reciprocal = np.asarray(adj.multiply(adj.T).sum(axis=1)).ravel()
    two_hop = adj @ adj
    triangles = np.asarray(two_hop.multiply(adj.T).sum(axis=1)).ravel()
    return pd.DataFrame({"reciprocal": reciprocal, "triangles": triangles}, index=index)


def _graph(tx: pd.DataFrame, index: pd.Index, side: pd.DataFrame) -> pd.DataFrame:
    adj = _adjacency(tx, index)
    rows, cols = adj.nonzero()
    graph = ig.Graph(
        n=len(index),
        edges=list(zip(rows.tolist(), cols.tolist(), strict=True)),
        directed=True,
    )
    pagerank = np.asarray(graph.pagerank(directed=True)) * len(index)

    # Undirected neighbour means of degree and of the share of small transfers.
    und = ((adj + adj.T) > 0).astype(float)
    degree = np.asarray(und.sum(axis=1)).ravel()
    counts = (side["in_count"].fillna(0) + side["out_count"].fillna(0)).to_numpy()
    small = (side["in_small"].fillna(0) + side["out_small"].fillna(0)).to_numpy()
    share = small / np.clip(counts, 1, None)
    safe = np.clip(degree, 1, None)
    parties = (side["in_parties"].fillna(0) + side["out_parties"].fillna(0)).to_numpy()
    return pd.DataFrame(
        {
            "pagerank": pagerank,
            "nbr_degree": (und @ degree) / safe,
            "nbr_small_share": (und @ share) / safe,
            "nbr_small_max": _neighbour_max(und, share),
            "nbr_small_count": und @ (share > 0).astype(float),
            "party_concentration": np.clip(counts, 1, None) / np.clip(parties, 1, None),
            "ppr_small": _seeded_rank(graph, (share > 0).astype(float)),
            "nbr2_small": und @ (und @ (share > 0).astype(float)),
        },
        index=index,
    )


def _triads(tx: pd.DataFrame, index: pd.Index) -> pd.DataFrame:
    # Undirected triangles: two counterparties of the account that also deal
    # with each other, in either direction.
    adj = _adjacency(tx, index)
    und = ((adj + adj.T) > 0).astype(float).tocsr()
    rows, cols = sparse.triu(und, k=1).nonzero()
    graph = ig.Graph(
        n=len(index), edges=list(zip(rows.tolist(), cols.tolist(), strict=True))
    )
    clustering = np.nan_to_num(
        np.asarray(graph.transitivity_local_undirected(mode="zero"), dtype=float)
    )
    degree = np.asarray(graph.degree(), dtype=float)
    return pd.DataFrame(
        {
            "triads": np.rint(clustering * degree * (degree - 1) / 2),
            "clustering": clustering,
            "nbr_clustering_max": _neighbour_max(und, clustering),
        },
        index=index,
    )


def _seeded_rank(graph: ig.Graph, seeds: np.ndarray) -> np.ndarray:
    # Personalised PageRank from accounts with small transfers: closeness to them.
    undirected = graph.as_undirected()
    reset = (seeds + 1e-9).tolist()
    ranks = undirected.personalized_pagerank(reset=reset, damping=0.5)
    return np.asarray(ranks) * graph.vcount()


def _repeats(tx: pd.DataFrame, index: pd.Index, side: pd.DataFrame) -> pd.DataFrame:
    # Counterparties paid or paid by more than once: ordinary payers rarely repeat.
    pairs = tx.groupby(["src", "dst"]).size().rename("n").reset_index()
    rep = pairs[pairs["n"] > 1]
    counts = (side["in_count"].fillna(0) + side["out_count"].fillna(0)).to_numpy()
    in_rep = rep.groupby("dst")["n"].agg(["size", "sum", "max"])
    out_rep = rep.groupby("src")["n"].agg(["size", "sum", "max"])
    table = pd.DataFrame(index=index)
    table["in_repeat_parties"] = in_rep["size"]
    table["out_repeat_parties"] = out_rep["size"]
    table = table.fillna(0.0)
    table["max_pair_count"] = (
        pd.concat([in_rep["max"], out_rep["max"]], axis=1)
        .max(axis=1)
        .reindex(index)
        .fillna(1.0)
    )
    rep_sum = in_rep["sum"].reindex(index).fillna(0) + out_rep["sum"].reindex(
        index
    ).fillna(0)
    table["repeat_share"] = rep_sum.to_numpy() / np.clip(counts, 1, None)

    # Share of small transfers among the accounts linked by repeated transfers.
    small = (side["in_small"].fillna(0) + side["out_small"].fillna(0)).to_numpy()
    share = small / np.clip(counts, 1, None)
    adj = _adjacency(rep.rename(columns={"n": "amount"}), index)
    und = ((adj + adj.T) > 0).astype(float)
    degree = np.clip(np.asarray(und.sum(axis=1)).ravel(), 1, None)
    table["repeat_nbr_small_share"] = (und @ share) / degree
    return table


def _neighbour_max(und: sparse.csr_matrix, values: np.ndarray) -> np.ndarray:
    weighted = und.multiply(values[np.newaxis, :]).tocsr()
    return np.asarray(weighted.max(axis=1).todense()).ravel()
