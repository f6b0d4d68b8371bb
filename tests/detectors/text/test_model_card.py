"""The text model card: written from the training and metrics files."""

import json

from fanzha.detectors.text.model_card import (
    METRICS_FILE,
    record_metrics,
    record_training,
)


def test_when_metrics_are_recorded_again_then_other_sections_are_kept(tmp_path):
    record_training(tmp_path, {"seconds": 1.0, "per_group": {"fbs_sms:ad": 3}})
    record_metrics(tmp_path, {"macro_f1": 0.5, "speed": {"msg_per_s": 100}})

    record_metrics(tmp_path, {"macro_f1": 0.9})

    saved = json.loads((tmp_path / METRICS_FILE).read_text("utf-8"))
    assert saved == {"macro_f1": 0.9, "speed": {"msg_per_s": 100}}
    card = (tmp_path / "MODEL_CARD.md").read_text("utf-8")
    assert '"macro_f1": 0.9' in card
    assert "- fbs_sms:ad: 3" in card
