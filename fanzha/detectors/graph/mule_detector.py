"""Mule-account detector: gradient-boosted trees on flow and graph features.

An item is one account with the transfers around it (its ego network, one or two
hops): ``{"account": "A1", "transactions": [{"src", "dst", "amount", "at"}, ...]}``.
The features (``fanzha.graph.flow_features``) are computed on those transfers, so
graph features such as PageRank reflect the neighbourhood sent. To score a
whole graph at once, with graph features over all of it, use
:meth:`MuleAccountDetector.score_graph`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from fanzha.detectors.base import Detector
from fanzha.errors import MissingDependencyError, ValidationError
from fanzha.graph.flow_features import FEATURES, RISING, flow_features
from fanzha.graph.records import clean_transfers
from fanzha.registry import register_detector
from fanzha.verdict import Evidence, Verdict

logger = logging.getLogger(__name__)

MuleItem = Mapping[str, Any]


def _lightgbm() -> Any:
    try:
        import lightgbm
    except ImportError:  # pragma: no cover - the ml extra is part of dev
        raise MissingDependencyError("lightgbm", "ml") from None
    return lightgbm


@register_detector
class MuleAccountDetector(Detector[MuleItem]):
    """Score accounts as money mules from how money flows through them.

    The risk is the model's probability that the account launders money; higher
    means more suspicious. Small shallow trees (3 leaves) and monotone
    constraints on the small-transfer, triad and group features (``RISING``)
    keep the model from learning one laundering pattern's shape, so it carries
    over to graphs with another pattern mix. Evidence lists the features that
    pushed the score most (tree SHAP contributions, in log-odds).

    Examples
    --------
    >>> items, labels = MuleAccountDetector.contract_sample()
    >>> detector = MuleAccountDetector().fit(items, labels)
    >>> detector.score(items[0]).label in ("normal", "mule")
    True
    """

    name = "graph-mule"
    kind = "money"
    labels = ("normal", "mule")
    version = "3"

    def __init__(
        self,
        n_estimators: int = 200,
        learning_rate: float = 0.05,
        num_leaves: int = 3,
        min_child_samples: int = 50,
        seed: int = 0,
    ) -> None:
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.num_leaves = num_leaves
        self.min_child_samples = min_child_samples
        self.seed = seed

    def fit(
        self, items: Sequence[MuleItem], labels: Sequence[str]
    ) -> MuleAccountDetector:
        """Learn from accounts with their own transfers, labelled normal/mule."""
        rows = [self._features(item) for item in items]
        frame = pd.DataFrame(rows, columns=list(FEATURES))
        return self.fit_frame(frame, np.asarray([lb == "mule" for lb in labels]))

    def fit_graph(
        self, transfers: pd.DataFrame, accounts: pd.Series, laundering: np.ndarray
    ) -> MuleAccountDetector:
        """Learn from one whole graph: ``accounts`` with 0/1 ``laundering``."""
        frame = flow_features(transfers, pd.Index(accounts))
        return self.fit_frame(frame, np.asarray(laundering, dtype=bool))

    def fit_frame(self, frame: pd.DataFrame, truth: np.ndarray) -> MuleAccountDetector:
        """Train the trees on a feature table and pick the decision threshold."""
        lgb = _lightgbm()
        params = self._params(len(frame))
        model = lgb.LGBMClassifier(**params).fit(frame.to_numpy(), truth.astype(int))
        self.model_str_ = model.booster_.model_to_string()
        self.threshold_ = self._threshold(frame.to_numpy(), truth, params)
        logger.info(
            "mule model trained accounts=%d mules=%d threshold=%.3f",
            len(frame),
            int(truth.sum()),
            self.threshold_,
        )
        return self

    def _params(self, n: int) -> dict[str, Any]:
        return dict(
            n_estimators=self.n_estimators,
            learning_rate=self.learning_rate,
            num_leaves=self.num_leaves,
            min_child_samples=max(1, min(self.min_child_samples, n // 5)),
            min_data_in_bin=1,
            subsample=0.8,
            subsample_freq=1,
            colsample_bytree=0.8,
            monotone_constraints=[int(name in RISING) for name in FEATURES],
            n_jobs=1,
            random_state=self.seed,
            deterministic=True,
            verbose=-1,
        )

    def _threshold(
        self, x: np.ndarray, truth: np.ndarray, params: dict[str, Any]
    ) -> float:
        # Out-of-fold scores give an honest F1-optimal threshold on big data.
        if len(truth) < 200 or truth.sum() < 10:
            return 0.5
        from sklearn.model_selection import cross_val_predict

        lgb = _lightgbm()
        oof = cross_val_predict(
            lgb.LGBMClassifier(**params),
            x,
            truth.astype(int),
            cv=3,
            method="predict_proba",
        )[:, 1]
        return _best_f1_threshold(oof, truth)

    def score(self, item: MuleItem) -> Verdict:
        """Return the verdict for one account with its surrounding transfers."""
        self.check_fitted()
        features = np.asarray([self._features(item)])
        return self._verdicts(features, [str(item["account"])])[0]

    def score_batch(self, items: Sequence[MuleItem]) -> list[Verdict]:
        """Return one verdict per item, scoring their features in one pass."""
        self.check_fitted()
        if not items:
            return []
        features = np.asarray([self._features(item) for item in items])
        return self._verdicts(features, [str(item["account"]) for item in items])

    def score_graph(
        self, transfers: pd.DataFrame, accounts: Sequence[str] | None = None
    ) -> pd.Series:
        """Return the risk of every account of a whole graph (index: account)."""
        self.check_fitted()
        index = pd.Index(accounts) if accounts is not None else None
        frame = flow_features(transfers, index)
        return pd.Series(
            self._booster().predict(frame.to_numpy()), index=frame.index, name="risk"
        )

    def graph_verdicts(
        self, transfers: pd.DataFrame, min_risk: float | None = None
    ) -> list[Verdict]:
        """Return verdicts, with evidence, for accounts of a whole graph.

        Only accounts whose risk reaches ``min_risk`` (default: the decision
        threshold) are returned, riskiest first.
        """
        self.check_fitted()
        frame = flow_features(transfers)
        risks = self._booster().predict(frame.to_numpy())
        cut = self.threshold_ if min_risk is None else min_risk
        keep = np.flatnonzero(risks >= cut)
        keep = keep[np.argsort(-risks[keep], kind="stable")]
        accounts = [str(a) for a in frame.index[keep]]
        return self._verdicts(frame.to_numpy()[keep], accounts) if len(keep) else []

    def _features(self, item: MuleItem) -> list[float]:
        if not isinstance(item, Mapping) or not str(item.get("account") or ""):
            raise ValidationError(
                "a mule item is a mapping with 'account' and 'transactions'"
            )
        account = str(item["account"])
        cleaned = clean_transfers(item.get("transactions") or [])
        if cleaned.quarantine:
            raise ValidationError(cleaned.quarantine[0].reason, account)
        frame = pd.DataFrame(
            [vars(t) for t in cleaned.rows],
            columns=["src", "dst", "amount", "at", "transfer_id"],
        )
        if not ((frame["src"] == account) | (frame["dst"] == account)).any():
            raise ValidationError(
                "no transaction involves the account; send its transfers", account
            )
        row = flow_features(frame, pd.Index([account])).iloc[0]
        return [float(v) for v in row.to_numpy()]

    def _verdicts(self, features: np.ndarray, accounts: list[str]) -> list[Verdict]:
        booster = self._booster()
        risks = booster.predict(features)
        contribs = booster.predict(features, pred_contrib=True)
        return [
            self._verdict(float(r), c, f, a)
            for r, c, f, a in zip(risks, contribs, features, accounts, strict=True)
        ]

    def _verdict(
        self, risk: float, contrib: np.ndarray, values: np.ndarray, account: str
    ) -> Verdict:
        order = np.argsort(-np.abs(contrib[:-1]))[:5]
        evidence = [
            Evidence(
                kind="feature",
                name=FEATURES[i],
                weight=float(contrib[i]),
                value=float(values[i]),
            )
            for i in order
        ]
        label = "mule" if risk >= self.threshold_ else "normal"
        return Verdict(
            risk=min(max(risk, 0.0), 1.0),
            label=label,
            evidence=evidence,
            detector=self.name,
            model_version=self.model_version,
            item_id=account,
            entities=[{"type": "account", "value": account}],
        )

    def _booster(self) -> Any:
        cached = getattr(self, "_booster_cache", None)
        if cached is None:
            cached = _lightgbm().Booster(model_str=self.model_str_)
            self._booster_cache = cached
        return cached

    def get_state(self) -> dict[str, Any]:
        """Return the picklable state (the trees as LightGBM's text format)."""
        return {k: v for k, v in vars(self).items() if k != "_booster_cache"}

    @classmethod
    def contract_sample(cls) -> tuple[list[Any], list[str]]:
        """Return small invented ego networks: pass-through mules and payers."""
        from fanzha.detectors.graph.mule_samples import sample_items

        return sample_items(n=8)

    @classmethod
    def contract_bad_items(cls) -> list[Any]:
        """Return items the detector must reject."""
        good = {"src": "A", "dst": "B", "amount": 10.0, "at": 1}
        return [
            "A",
            {"account": "", "transactions": [good]},
            {"account": "A", "transactions": [{**good, "amount": -5.0}]},
            {"account": "Z", "transactions": [good]},
        ]


def _best_f1_threshold(scores: np.ndarray, truth: np.ndarray) -> float:
    best, best_f1 = 0.5, -1.0
    for cut in np.quantile(scores, np.linspace(0.5, 0.995, 100)):
        pred = scores >= cut
        tp = float((pred & truth).sum())
        f1 = 2 * tp / max(float(pred.sum() + truth.sum()), 1.0)
        if f1 > best_f1:
            best, best_f1 = float(cut), f1
    return best
