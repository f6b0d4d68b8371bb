"""A page classifier for saved HTML: phishing or benign.

The page is parsed with bounded work (:func:`fanzha.links.pages.parse_page`) and
described by its words and structure (:mod:`fanzha.links.page_features`); a
logistic regression gives the probability of phishing. When the page's URL is
known and the page names a brand whose official domains do not hold it while
asking for a password or carrying a form, a rule raises the risk and names the
brand; a second rule flags the page when the URL model alone is confident that
its URL is malicious.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from fanzha.detectors.base import Detector
from fanzha.errors import ValidationError
from fanzha.links.linear import fit_logistic
from fanzha.links.page_features import PAGE_BITS, page_matrix, page_tokens
from fanzha.links.pages import PageInfo, parse_page
from fanzha.links.shingles import cluster_fold, title_cluster
from fanzha.links.url_features import hash_tokens
from fanzha.registry import register_detector
from fanzha.verdict import Evidence, Verdict

logger = logging.getLogger(__name__)

PageItem = str | bytes | PageInfo
BRAND_RULE_RISK = 0.9
URL_RULE_CUT = 0.8
UrlScorer = Callable[[list[str]], Any]
"""Maps URLs to risks in [0, 1] (an array or list), such as ``UrlDetector.risks``."""
"""URL-model risk from which a page is flagged whatever its content. On unseen
URLs (ISCX-URL-2016 benign list, PhishTank 2020) 0.1 % of benign and 43 % of
phishing URLs reach it; see ``docs/links.md``."""
FOLDS = 4


def as_page(item: object, index: int | None = None) -> PageInfo:
    """Return a parsed page for HTML text, HTML bytes or an already parsed page."""
    if isinstance(item, PageInfo):
        return item
    try:
        return parse_page(item)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise ValidationError(str(exc), record=index) from exc


@register_detector
class PageDetector(Detector[PageItem]):
    """Classify saved pages as phishing or benign.

    ``risk`` is the probability that the page is a phishing page; higher means
    more suspicious. The label is ``phishing`` at or above ``threshold_``, set at
    fit time so that about ``target_benign_flagged`` of training benign pages
    are flagged.

    Examples
    --------
    >>> pages = ["<title>Sign in to your bank</title><form action='p.php'>"
    ...          "<input type=password></form>",
    ...          "<title>Recipes</title><p>Slow-cooked soups for winter</p>"]
    >>> detector = PageDetector().fit(pages * 4, ["phishing", "benign"] * 4)
    >>> detector.score(pages[0]).label
    'phishing'
    """

    name = "page-content"
    kind = "page"
    labels = ("benign", "phishing")
    version = "1"

    def __init__(
        self,
        c: float = 1.0,
        target_benign_flagged: float = 0.02,
        url_cut: float | None = URL_RULE_CUT,
    ) -> None:
        self.c = c
        self.target_benign_flagged = target_benign_flagged
        self.url_cut = url_cut

    def fit(self, items: Sequence[PageItem], labels: Sequence[str]) -> PageDetector:
        """Learn word and structure weights; set the threshold on benign pages."""
        pages = [as_page(item, i) for i, item in enumerate(items)]
        target = np.asarray(
            [_is_phishing(v, i) for i, v in enumerate(labels)], dtype=int
        )
        if target.min() == target.max():
            raise ValidationError("training needs both benign and phishing pages")
        matrix = page_matrix(pages)
        self.weights_, self.bias_ = fit_logistic(matrix, target, self.c, 500)

        # Held-out risks of benign pages, folds split by title cluster, set the
        # threshold: risks on the training pages themselves are too optimistic.
        risks = self._held_out_risks(pages, matrix, target)[target == 0]
        self.threshold_ = max(
            float(np.quantile(risks, 1 - self.target_benign_flagged)), 1e-6
        )
        logger.info(
            "page model trained n=%d threshold=%.4f", len(pages), self.threshold_
        )
        return self

    def _held_out_risks(
        self, pages: list[PageInfo], matrix: Any, target: np.ndarray
    ) -> np.ndarray:
        folds = np.asarray([cluster_fold(title_cluster(p), FOLDS) for p in pages])
        risks = self._risks(matrix)
        for fold in range(FOLDS):
            train = folds != fold
            if (folds == fold).sum() == 0 or len(set(target[train])) < 2:
                continue
            weights, bias = fit_logistic(matrix[train], target[train], self.c, 500)
            margin = matrix[~train] @ weights + bias
            risks[~train] = 1.0 / (1.0 + np.exp(-np.clip(margin, -40, 40)))
        return risks

    def _risks(self, matrix: object) -> np.ndarray:
        margin = matrix @ self.weights_ + self.bias_  # type: ignore[operator]
        return 1.0 / (1.0 + np.exp(-np.clip(margin, -40, 40)))

    def score(self, item: PageItem, url_scorer: UrlScorer | None = None) -> Verdict:
        """Return the verdict for one page (HTML text or bytes, or a parsed page)."""
        return self.score_batch([item], url_scorer)[0]

    def score_batch(
        self, items: Sequence[PageItem], url_scorer: UrlScorer | None = None
    ) -> list[Verdict]:
        """Return one verdict per page.

        ``url_scorer`` maps the URLs of pages that have one to URL risks (default:
        the shipped URL model's ``risks``); pass the URL model in use so that the
        page rule agrees with ``/v1/score/url``.
        """
        self.check_fitted()
        if not items:
            return []
        pages = [as_page(item, i) for i, item in enumerate(items)]
        risks = self._risks(page_matrix(pages))
        url_risks = _url_risks(pages, url_scorer)
        return [
            self._verdict(p, float(r), u)
            for p, r, u in zip(pages, risks, url_risks, strict=True)
        ]

    def _verdict(self, page: PageInfo, risk: float, url_risk: float | None) -> Verdict:
        evidence = self._evidence(page)
        if url_risk is not None:
            evidence.append(
                Evidence(kind="feature", name="url_risk", weight=round(url_risk, 4))
            )
            cut = getattr(self, "url_cut", URL_RULE_CUT)  # absent in saved v1 models
            if cut is not None and url_risk >= cut:
                risk = max(risk, BRAND_RULE_RISK)
                evidence.append(
                    Evidence(kind="rule", name="url_model", weight=1.0, value=cut)
                )
        if page.brands_foreign and (page.n_password or page.n_forms):
            risk = max(risk, BRAND_RULE_RISK)
            evidence += [
                Evidence(
                    kind="rule", name="brand_on_foreign_domain", weight=1.0, value=b
                )
                for b in page.brands_foreign
            ]
        phishing = risk >= self.threshold_
        entities = [{"type": "url", "value": page.url.raw[:2000]}] if page.url else []
        return Verdict(
            risk=risk,
            label="phishing" if phishing else "benign",
            scenario="phishing" if phishing else None,
            evidence=evidence,
            detector=self.name,
            model_version=self.model_version,
            item_id=page.title[:200] or None,
            entities=entities,
        )

    def _evidence(self, page: PageInfo) -> list[Evidence]:
        tokens = sorted(set(page_tokens(page)))
        weights = self.weights_[hash_tokens(tokens, PAGE_BITS)].tolist()
        top = sorted(zip(tokens, weights, strict=True), key=lambda p: -abs(p[1]))[:8]
        return [Evidence(kind="feature", name=t, weight=round(w, 4)) for t, w in top]

    @classmethod
    def contract_sample(cls) -> tuple[list[str], list[str]]:
        """Return a few labelled pages for the contract suite."""
        pages = [
            "<title>Verify your account</title><form action='x.php'>"
            "<input name=u><input type=password></form>",
            "<title>Team blog</title><p>Notes from our spring release</p>",
            "<title>账户冻结 请立即验证</title><form><input type=password></form>",
            "<title>城市公园开放时间</title><p>公园每日早六点开放</p>",
        ]
        return pages * 3, ["phishing", "benign", "phishing", "benign"] * 3

    @classmethod
    def contract_bad_items(cls) -> list[object]:
        """Return items ``score`` must reject."""
        return ["", b"   ", None, 42]


def _url_risks(
    pages: Sequence[PageInfo], url_scorer: UrlScorer | None
) -> list[float | None]:
    """Return the URL model's risk for each page with a known URL, else None."""
    known = [i for i, page in enumerate(pages) if page.url is not None]
    found: list[float | None] = [None] * len(pages)
    if not known:
        return found
    if url_scorer is None:
        from fanzha.links.service import url_model  # the service imports this

        url_scorer = url_model("").risks
    urls = [pages[i].url.raw for i in known]  # type: ignore[union-attr]
    for index, risk in zip(known, np.asarray(url_scorer(urls)).tolist(), strict=True):
        found[index] = float(risk)
    return found


def _is_phishing(value: str, index: int) -> bool:
    label = str(value).strip().lower()
    if label in ("phishing", "malware", "phish"):
        return True
    if label in ("benign", "not_phish"):
        return False
    raise ValidationError(f"label {value!r} is not benign or phishing", record=index)
