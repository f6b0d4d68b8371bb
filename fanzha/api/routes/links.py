"""Links routes: score URLs and pages; keep the template library of fraud pages.

``POST /v1/score/url`` and ``POST /v1/score/page`` store nothing. The template
routes add known pages, search them and record reviewers' decisions; templates
live in the app's in-memory library, loaded from the store's page samples on
first use, and are written back to the store as samples, so a restart keeps
them. ``POST /v1/links/campaigns`` groups URLs into campaigns.
"""

from __future__ import annotations

import threading
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field, model_validator

from fanzha.api.deps import Analyst, SettingsDep, StoreDep, Viewer
from fanzha.errors import ValidationError
from fanzha.links.templates import TemplateLibrary

router = APIRouter(tags=["links"])
_LIBRARY_LOCK = threading.Lock()

MAX_HTML_CHARS = 20_000_000


class UrlRequest(BaseModel):
    """Either one URL (``url``) or a batch (``urls``)."""

    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(default=None, max_length=65_536)
    urls: list[str] | None = None

    @model_validator(mode="after")
    def _one_of(self) -> UrlRequest:
        if (self.url is None) == (self.urls is None):
            raise ValueError("send either 'url' (one link) or 'urls' (a batch)")
        return self


class PageRequest(BaseModel):
    """A saved page's HTML and, if known, the URL it was served from."""

    model_config = ConfigDict(extra="forbid")

    html: str = Field(max_length=MAX_HTML_CHARS)
    url: str | None = Field(default=None, max_length=65_536)


class TemplateRequest(PageRequest):
    """A known page to add to the library, with what is known about it."""

    template_id: str = Field(min_length=1, max_length=200)
    label: str = Field(default="phishing", pattern="^(phishing|malware|benign)$")
    campaign: str | None = Field(default=None, max_length=200)
    brand: str | None = Field(default=None, max_length=200)
    scenario: str | None = None


class CampaignRequest(BaseModel):
    """URLs to group into campaigns, and the smallest campaign worth listing."""

    model_config = ConfigDict(extra="forbid")

    urls: list[str] = Field(min_length=1)
    min_size: int = Field(default=2, ge=2, le=1_000_000)


class ReviewRequest(BaseModel):
    """A reviewer's decision on a template: approved or rejected."""

    model_config = ConfigDict(extra="forbid")

    status: str = Field(pattern="^(approved|rejected)$")


def page_library(request: Request) -> TemplateLibrary:
    """Return the app's template library, read from the store on first use."""
    from fanzha.links.service import library_from_store

    state = request.app.state
    with _LIBRARY_LOCK:
        if getattr(state, "page_library", None) is None:
            state.page_library = library_from_store(state.store)
        library: TemplateLibrary = state.page_library
    return library


LibraryDep = Annotated[TemplateLibrary, Depends(page_library)]


def _models_dir(settings: Any, kind: str) -> str:
    root = getattr(settings, "models_dir", None)
    if not root:
        return ""
    from pathlib import Path

    folder = Path(str(root)) / kind
    return str(folder) if (folder / "detector.json").is_file() else ""


@router.post("/score/url")
def score_url(body: UrlRequest, settings: SettingsDep, _: Viewer) -> dict[str, Any]:
    """Label URLs benign, phishing or malware; a batch names bad URLs in ``errors``."""
    from fanzha.links.service import url_model
    from fanzha.links.urls import parse_url

    detector = url_model(_models_dir(settings, "url"))
    if body.url is not None:
        return {"verdict": detector.score(body.url).model_dump(mode="json")}
    urls = body.urls or []
    if len(urls) > int(settings.max_batch):
        raise ValidationError(
            f"{len(urls)} URLs is more than max_batch="
            f"{settings.max_batch}; send smaller batches"
        )
    verdicts: list[dict[str, Any] | None] = [None] * len(urls)
    errors, good = [], []
    for index, url in enumerate(urls):
        try:
            parse_url(url)
            good.append(index)
        except ValidationError as exc:
            errors.append({"index": index, "reason": str(exc)})
    for index, verdict in zip(
        good, detector.score_batch([urls[i] for i in good]), strict=True
    ):
        verdicts[index] = verdict.model_dump(mode="json")
    return {"verdicts": verdicts, "errors": errors}


@router.post("/score/page")
def score_page(
    body: PageRequest, settings: SettingsDep, library: LibraryDep, _: Viewer
) -> dict[str, Any]:
    """Label a page phishing or benign; name the nearest library templates."""
    from fanzha.links.service import score_page as run

    verdict, matches = run(
        body.html,
        url=body.url,
        model=_models_dir(settings, "page"),
        library=library,
        url_model_path=_models_dir(settings, "url"),
    )
    return {
        "verdict": verdict.model_dump(mode="json"),
        "template_matches": [asdict(m) for m in matches],
    }


@router.post("/links/templates")
def add_template(
    body: TemplateRequest, store: StoreDep, library: LibraryDep, _: Analyst
) -> dict[str, Any]:
    """Add a known page to the library and the store's sample table."""
    from fanzha.links.service import add_page_template, save_template

    add_page_template(
        body.template_id,
        body.html,
        url=body.url,
        library=library,
        label=body.label,
        campaign=body.campaign,
        brand=body.brand,
        scenario=body.scenario,
    )
    sample_id = save_template(store, library, body.template_id)
    library.templates[body.template_id].meta["sample_id"] = sample_id
    return {
        "template_id": body.template_id,
        "sample_id": sample_id,
        "library_size": len(library),
    }


@router.post("/links/templates/search")
def search_templates(
    body: PageRequest, library: LibraryDep, _: Viewer
) -> dict[str, Any]:
    """Return the nearest library templates of a page, with distances."""
    from fanzha.links.pages import parse_page
    from fanzha.links.shingles import page_shingles

    shingles = page_shingles(parse_page(body.html, url=body.url))
    return {"matches": [asdict(m) for m in library.query(shingles)]}


@router.post("/links/templates/{template_id}/review")
def review_template(
    template_id: str,
    body: ReviewRequest,
    store: StoreDep,
    library: LibraryDep,
    principal: Analyst,
) -> dict[str, Any]:
    """Confirm (``approved``) or reject a template; rejected ones become white."""
    template = library.review(template_id, body.status)
    sample_id = template.meta.get("sample_id")
    if isinstance(sample_id, int):
        status: Any = body.status
        store.review_sample(sample_id, status, actor=principal.name)
    return asdict(template)


@router.post("/links/campaigns")
def url_campaigns(
    body: CampaignRequest, settings: SettingsDep, _: Viewer
) -> dict[str, Any]:
    """Group URLs that share a domain or a distinctive path into campaigns.

    Each campaign lists its ``members`` (positions in ``urls``) and a summary;
    URLs that cannot be parsed are named in ``errors`` and join no campaign.
    """
    from fanzha.links.campaigns import cluster_urls

    if len(body.urls) > int(settings.max_batch):
        raise ValidationError(
            f"{len(body.urls)} URLs is more than max_batch="
            f"{settings.max_batch}; send smaller batches"
        )
    errors: list[tuple[int, str]] = []
    campaigns = cluster_urls(body.urls, body.min_size, errors)
    return {
        "campaigns": [asdict(c) for c in campaigns],
        "errors": [{"index": i, "reason": reason} for i, reason in errors],
    }
