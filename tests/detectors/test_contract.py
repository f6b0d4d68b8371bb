"""One contract suite, run over every registered detector."""

from __future__ import annotations

import math

import pytest

from fanzha.detectors.base import Detector
from fanzha.errors import InputError, ModelError
from fanzha.registry import detector_class, detector_names
from fanzha.scenarios import scenario_ids
from fanzha.verdict import Verdict

NAMES = detector_names()


def _fitted(name: str) -> tuple[Detector, list, list[str]]:
    cls = detector_class(name)
    items, labels = cls.contract_sample()
    return cls().fit(items, labels), items, labels


def test_at_least_one_detector_is_registered():
    assert "text-lexicon" in NAMES


@pytest.mark.parametrize("name", NAMES)
def test_detector_declares_name_kind_and_labels(name):
    cls = detector_class(name)
    assert cls.name == name
    assert cls.kind
    assert len(cls.labels) >= 2


@pytest.mark.parametrize("name", NAMES)
def test_contract_sample_has_two_labels(name):
    items, labels = detector_class(name).contract_sample()
    assert len(items) == len(labels)
    assert len(set(labels)) >= 2


@pytest.mark.parametrize("name", NAMES)
def test_when_unfitted_then_score_raises_model_error(name):
    cls = detector_class(name)
    items, _ = cls.contract_sample()
    with pytest.raises(ModelError):
        cls().score(items[0])


@pytest.mark.parametrize("name", NAMES)
def test_verdicts_are_well_formed(name):
    detector, items, _ = _fitted(name)
    for verdict in detector.score_batch(items):
        assert isinstance(verdict, Verdict)
        assert 0.0 <= verdict.risk <= 1.0
        assert verdict.label in detector.labels
        assert verdict.scenario is None or verdict.scenario in scenario_ids()
        assert verdict.detector == name
        assert verdict.model_version.startswith(name + "@")
        assert all(math.isfinite(e.weight) for e in verdict.evidence)


@pytest.mark.parametrize("name", NAMES)
def test_score_batch_matches_score(name):
    detector, items, _ = _fitted(name)
    batch = detector.score_batch(items)
    single = [detector.score(item) for item in items]
    assert [v.label for v in batch] == [v.label for v in single]
    assert [v.risk for v in batch] == pytest.approx([v.risk for v in single])


@pytest.mark.parametrize("name", NAMES)
def test_empty_batch_gives_no_verdicts(name):
    detector, _, _ = _fitted(name)
    assert detector.score_batch([]) == []


@pytest.mark.parametrize("name", NAMES)
def test_save_then_load_scores_the_same(name, tmp_path):
    detector, items, _ = _fitted(name)
    detector.save(tmp_path / "model")
    loaded = type(detector).load(tmp_path / "model")
    before = detector.score_batch(items)
    after = loaded.score_batch(items)
    assert [v.model_dump() for v in after] == [v.model_dump() for v in before]


@pytest.mark.parametrize("name", NAMES)
def test_load_rejects_a_folder_without_a_model(name, tmp_path):
    with pytest.raises(ModelError):
        detector_class(name).load(tmp_path)


@pytest.mark.parametrize("name", NAMES)
def test_bad_items_raise_input_error(name):
    detector, _, _ = _fitted(name)
    for bad in detector.contract_bad_items():
        with pytest.raises(InputError):
            detector.score(bad)
