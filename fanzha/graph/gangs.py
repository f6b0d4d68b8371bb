"""Group victim reports that share entities into candidate gangs.

Reports and the entities they name form a bipartite graph. Each mention edge
weighs as much as the entity is specific (``Incidence.specificity``: a shared bank
card counts far more than a shared public IP). Discovery runs in two passes:

1. **Find public infrastructure.** Connected components, with components of more
   than ``split_above`` reports split by Leiden (modularity). An entity whose
   reports fall into ``hub_spread`` or more of these groups, none holding
   ``hub_top`` of them, is public infrastructure (a public IP, a popular app's
   domain) and links nothing in pass 2. Entities named by more than ``hub_share``
   of all reports are dropped up front.
2. **Gangs.** Connected components of the graph without hubs, edges weighted by
   entity type (entity links such as "phone uses device" join entities
   directly); big components are split by Leiden with the constant Potts model
   (``cpm``), whose scale does not grow with the graph, so small gangs are not
   merged in a large data set.

Leiden runs in igraph's C implementation by default, or in ``leidenalg``.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from fanzha.errors import MissingDependencyError
from fanzha.graph.incidence import Incidence, sorted_unique

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class GangParams:
    """Knobs of gang discovery.

    ``cpm``: pass-2 resolution, higher gives smaller gangs. ``resolution``:
    pass-1 modularity resolution. ``split_above``: components with more reports
    go to Leiden. ``hub_spread``: groups an entity must span to be public, with
    no group holding ``hub_top`` of its reports.
    ``hub_share``/``hub_min``: an entity named by more than
    ``max(hub_min, hub_share * reports)`` reports never links. ``engine``:
    ``"igraph"`` or ``"leidenalg"``; ``iterations``: Leiden passes (-1: until
    stable).
    """

    cpm: float = 3e-4
    resolution: float = 1.0
    split_above: int = 3
    hub_spread: int = 3
    hub_top: float = 0.7
    hub_share: float = 0.2
    hub_min: int = 200
    seed: int = 0
    iterations: int = 2
    engine: str = "igraph"


def gang_labels(incidence: Incidence, params: GangParams | None = None) -> np.ndarray:
    """Return a gang label per report (shape ``(n_reports,)``, ints from 0).

    Reports that share no linking entity with any other get a label of their own.
    """
    return discover(incidence, params)[0]


def discover(
    incidence: Incidence, params: GangParams | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Return gang labels per report and the mask of public-infrastructure entities."""
    params = params or GangParams()
    freq = incidence.frequency()
    spec = incidence.specificity(freq)
    rep, ent = _linking_mentions(incidence, freq, params)
    weight = spec[ent]
    links = incidence.entity_links
    first = _grouping(
        incidence,
        (rep, ent, weight),
        (links, np.minimum(spec[links[:, 0]], spec[links[:, 1]])),
        "modularity",
        params.resolution,
        params,
    )
    hubs = public_entities(incidence, first, params.hub_spread, params.hub_top)
    # Entities too frequent to link at all count as public too.
    unlinked = np.zeros(incidence.n_entities, dtype=bool)
    unlinked[incidence.entity_index] = True
    unlinked[ent] = False
    hubs |= unlinked

    # Pass 2 weighs by type only: frequency already spoke through the hubs.
    keep = ~hubs[ent]
    by_type = incidence.type_weights()
    links = links[~hubs[links].any(axis=1)]
    labels = _grouping(
        incidence,
        (rep[keep], ent[keep], by_type[ent[keep]]),
        (links, np.minimum(by_type[links[:, 0]], by_type[links[:, 1]])),
        "CPM",
        params.cpm,
        params,
    )
    logger.info(
        "gangs found reports=%d mentions=%d groups=%d public_entities=%d",
        incidence.n_reports,
        len(rep),
        int(labels.max(initial=-1)) + 1,
        int(hubs.sum()),
    )
    return labels, hubs


def public_entities(
    incidence: Incidence, labels: np.ndarray, spread: int, top_share: float = 0.7
) -> np.ndarray:
    """Return a mask of entities that look like public infrastructure.

    An entity is public when its reports fall into at least ``spread`` groups of
    ``labels`` and no group holds ``top_share`` of them.
    """
    # Distinct (entity, report) mentions, then reports per (entity, group).
    n_rep = max(incidence.n_reports, 1)
    mention = sorted_unique(incidence.entity_index * n_rep + incidence.report_index)
    ent_of, rep_of = mention // n_rep, mention % n_rep
    n_lab = int(labels.max(initial=0)) + 1
    keys, counts = np.unique(ent_of * n_lab + labels[rep_of], return_counts=True)
    ent = keys // n_lab
    total = np.bincount(ent, weights=counts, minlength=incidence.n_entities)
    top = np.zeros(incidence.n_entities)
    np.maximum.at(top, ent, counts)
    n_groups = np.bincount(ent, minlength=incidence.n_entities)
    return (n_groups >= spread) & (top < top_share * np.maximum(total, 1))


def _linking_mentions(
    incidence: Incidence, freq: np.ndarray, params: GangParams
) -> tuple[np.ndarray, np.ndarray]:
    # Mentions of entities named by few enough reports to link them.
    cap = max(params.hub_min, int(params.hub_share * incidence.n_reports))
    keep = (freq <= cap)[incidence.entity_index]
    return incidence.report_index[keep], incidence.entity_index[keep]


def _grouping(
    incidence: Incidence,
    mentions: tuple[np.ndarray, np.ndarray, np.ndarray],
    links: tuple[np.ndarray, np.ndarray],
    objective: str,
    resolution: float,
    params: GangParams,
) -> np.ndarray:
    # Adjacency: report rows first, then entity rows; mentions and entity links.
    rep, ent, weight = mentions
    pairs, link_weight = links
    n_rep = incidence.n_reports
    n = n_rep + incidence.n_entities
    rows = np.concatenate([rep, pairs[:, 0] + n_rep])
    cols = np.concatenate([ent + n_rep, pairs[:, 1] + n_rep])
    values = np.concatenate([weight, link_weight])
    adj = sparse.coo_matrix((values, (rows, cols)), shape=(n, n)).tocsr()
    n_comp, comp = connected_components(adj, directed=False)
    labels = comp.astype(np.int64)

    sizes = np.bincount(comp[:n_rep], minlength=n_comp)
    big = np.isin(comp, np.flatnonzero(sizes > params.split_above))
    if big.any():
        nodes = np.flatnonzero(big)
        sub = sparse.triu(adj[nodes][:, nodes] + adj[nodes][:, nodes].T).tocoo()
        labels[nodes] = n_comp + leiden(
            len(nodes),
            np.column_stack([sub.row, sub.col]),
            sub.data,
            objective,
            resolution,
            params,
        )
    return np.unique(labels[:n_rep], return_inverse=True)[1].astype(np.int64)


def leiden(
    n: int,
    edges: np.ndarray,
    weights: np.ndarray,
    objective: str,
    resolution: float,
    params: GangParams,
) -> np.ndarray:
    """Return seeded Leiden community ids of ``n`` nodes on a weighted graph.

    ``objective`` is ``"modularity"`` or ``"CPM"``; ``params.engine`` picks
    igraph's built-in Leiden or ``leidenalg``.
    """
    try:
        import igraph as ig
    except ImportError:  # pragma: no cover - graph extra is part of dev
        raise MissingDependencyError("igraph", "graph") from None
    # Python ints through zip build the graph about twice as fast as an array.
    flat = np.asarray(edges, dtype=np.int64).ravel().tolist()
    graph = ig.Graph(n=n, directed=False)
    graph.add_edges(zip(flat[::2], flat[1::2], strict=True))
    graph.es["weight"] = np.asarray(weights, dtype=float).tolist()
    if params.engine == "leidenalg":
        return _leidenalg(graph, objective, resolution, params)

    ig.set_random_number_generator(random.Random(params.seed))
    try:
        parts = graph.community_leiden(
            objective_function=objective,
            weights="weight",
            resolution=resolution,
            n_iterations=params.iterations,
        )
    finally:
        ig.set_random_number_generator(random)
    return np.asarray(parts.membership, dtype=np.int64)


def _leidenalg(
    graph: Any, objective: str, resolution: float, params: GangParams
) -> np.ndarray:
    try:
        import leidenalg
    except ImportError:  # pragma: no cover - graph extra is part of dev
        raise MissingDependencyError("leidenalg", "graph") from None
    kind = (
        leidenalg.CPMVertexPartition
        if objective == "CPM"
        else leidenalg.RBConfigurationVertexPartition
    )
    part = leidenalg.find_partition(
        graph,
        kind,
        weights="weight",
        resolution_parameter=resolution,
        seed=params.seed,
        n_iterations=params.iterations,
    )
    return np.asarray(part.membership, dtype=np.int64)
