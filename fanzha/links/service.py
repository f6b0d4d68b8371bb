"""Scoring URLs and pages as the CLI and the API do: shipped models and a library.

This is the one place that combines the page classifier's verdict with template
matches from the library (evidence of kind ``similar`` naming the template, its
campaign and the distance), so the surfaces hold no logic of their own. The
library is kept in memory; :func:`library_from_store` and :func:`save_template`
keep it in the store's black / white sample table when one is used.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from fanzha.detectors.links.page_detector import PageDetector
from fanzha.detectors.links.url_detector import UrlDetector
from fanzha.links.page_training import load_page_model
from fanzha.links.pages import parse_page
from fanzha.links.shingles import page_shingles
from fanzha.links.templates import TemplateLibrary, TemplateMatch
from fanzha.links.url_training import load_url_model
from fanzha.verdict import Evidence, Verdict

logger = logging.getLogger(__name__)

SIMILAR_RISK = 0.8  # risk floor when a page is a near copy of a confirmed fraud page
SIMILAR_DISTANCE = 0.3


@lru_cache(maxsize=4)
def url_model(path: str = "") -> UrlDetector:
    """Return the URL model in ``path`` (the shipped one when empty), cached."""
    return load_url_model(Path(path) if path else None)


@lru_cache(maxsize=4)
def page_model(path: str = "") -> PageDetector:
    """Return the page model in ``path`` (the shipped one when empty), cached."""
    return load_page_model(Path(path) if path else None)


@lru_cache(maxsize=1)
def default_library() -> TemplateLibrary:
    """Return the process-wide in-memory template library."""
    return TemplateLibrary()


def score_page(
    html: bytes | str,
    url: str | None = None,
    model: str = "",
    library: TemplateLibrary | None = None,
    url_model_path: str = "",
) -> tuple[Verdict, list[TemplateMatch]]:
    """Score one page and look it up in the template library.

    The page's URL, when given, is scored by the URL model in ``url_model_path``
    (the shipped one when empty). A page within ``SIMILAR_DISTANCE`` of an
    approved fraud template is labelled phishing whatever the classifier said;
    the template is named as evidence.
    """
    page = parse_page(html, url=url)
    verdict = page_model(model).score(page, url_model(url_model_path).risks)
    matches = (library if library is not None else default_library()).query(
        page_shingles(page)
    )
    if not matches:
        return verdict, matches
    evidence = [
        Evidence(
            kind="similar",
            name=m.template_id,
            weight=1.0 - m.distance,
            value=f"{m.label}:{m.campaign or '-'}:{m.distance:.3f}",
        )
        for m in matches
    ]
    near = [
        m
        for m in matches
        if m.label != "benign"
        and m.review_status != "rejected"
        and m.distance <= SIMILAR_DISTANCE
    ]
    update: dict[str, Any] = {"evidence": verdict.evidence + evidence}
    if near:
        update.update(
            risk=max(verdict.risk, SIMILAR_RISK),
            label="phishing",
            scenario=near[0].scenario or "phishing",
        )
    return verdict.model_copy(update=update), matches


def add_page_template(
    template_id: str,
    html: bytes | str,
    url: str | None = None,
    library: TemplateLibrary | None = None,
    **meta: Any,
) -> set[str]:
    """Parse a page and add it to the library; return its shingles."""
    shingles = page_shingles(parse_page(html, url=url))
    (library if library is not None else default_library()).add(
        template_id, shingles, **meta
    )
    return shingles


def signature_content(library: TemplateLibrary, template_id: str) -> dict[str, Any]:
    """Return the JSON-able content that stores a template as a sample."""
    signature = library.signature_of(template_id)
    return {
        "template_id": template_id,
        "signature": signature.tolist(),
        "num_perm": library.hasher.num_perm,
    }


def save_template(store: Any, library: TemplateLibrary, template_id: str) -> int:
    """Write a library template to the store's sample table; return the sample id."""
    from fanzha.storage.schemas import SampleIn

    template = library.templates[template_id]
    sample = SampleIn(
        kind="page",
        label=template.label,
        campaign=template.campaign,
        brand=template.brand,
        scenario=template.scenario,
        content=signature_content(library, template_id),
        review_status=template.review_status,  # type: ignore[arg-type]
    )
    return int(store.add_samples([sample])[0])


def library_from_store(store: Any, limit: int = 100_000) -> TemplateLibrary:
    """Build an in-memory library from the store's page samples.

    Samples are read in id order, so a template saved twice keeps its latest
    version. A rejected template comes back as a known-good (``benign``) sample,
    as :meth:`TemplateLibrary.review` left it, and each template remembers its
    ``sample_id`` so later reviews reach the store.
    """
    library = TemplateLibrary()
    page = store.list_samples(kind="page", limit=limit)
    for row in page.get("items", []):
        content = row.get("content") or {}
        if "signature" not in content:
            continue
        template_id = str(content.get("template_id", row["id"]))
        status = row.get("review_status") or "pending"
        library.add_signature(
            template_id,
            np.asarray(content["signature"], dtype=np.uint32),
            label="benign" if status == "rejected" else row["label"],
            campaign=row.get("campaign"),
            brand=row.get("brand"),
            scenario=row.get("scenario"),
            review_status=status,
        )
        library.templates[template_id].meta["sample_id"] = int(row["id"])
    logger.info("template library loaded from store templates=%d", len(library))
    return library
