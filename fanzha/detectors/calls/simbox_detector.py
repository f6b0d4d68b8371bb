"""GoIP / SIM-box gateway detection from a number's call features."""

from __future__ import annotations

from typing import Any

from fanzha.detectors.calls.behaviour import BehaviourDetector, feature_row
from fanzha.registry import register_detector


@register_detector
class SimboxDetector(BehaviourDetector):
    """Flag SIMs that sit in GoIP / SIM-box gateways.

    Rules (``behaviour_rules.yaml``, family ``simbox``): many SIMs seen in one
    device (``sim_farm``), a high volume of short calls to strangers who never
    call back (``mass_short_calls``), and a fixed site placing outgoing-only
    calls at gateway volume (``fixed_site_volume``). Risk in [0, 1], higher means
    more suspicious.

    Examples
    --------
    >>> gateway = feature_row("13000000001", n_out=900, out_per_day=130,
    ...                       max_imsi_per_imei=16, short_call_share=0.5,
    ...                       new_callee_share=1.0, n_cells=1, out_ratio=1.0)
    >>> person = feature_row("13000000002", n_out=25, out_per_day=4, n_cells=2,
    ...                      max_imsi_per_imei=1, callback_rate=0.4, out_ratio=0.5)
    >>> detector = SimboxDetector().fit([gateway, person], ["fraud", "normal"])
    >>> verdict = detector.score(gateway)
    >>> verdict.label, [e.name for e in verdict.evidence]
    ('fraud', ['sim_farm', 'mass_short_calls', 'fixed_site_volume'])
    >>> detector.score(person).label
    'normal'
    """

    name = "number-simbox"
    family = "simbox"

    @classmethod
    def contract_sample(cls) -> tuple[list[Any], list[str]]:
        """Return a gateway SIM, its near-miss (a courier) and ordinary users."""
        gateway = feature_row(
            "13000000001",
            n_out=900,
            out_per_day=130,
            max_imsi_per_imei=16,
            short_call_share=0.5,
            new_callee_share=1.0,
            n_cells=1,
            out_ratio=1.0,
        )
        courier = feature_row(
            "13000000002",
            n_out=300,
            out_per_day=45,
            n_cells=40,
            short_call_share=0.06,
            new_callee_share=1.0,
            out_ratio=0.6,
            max_imsi_per_imei=1,
        )
        person = feature_row(
            "13000000003",
            n_out=25,
            out_per_day=4,
            n_cells=2,
            callback_rate=0.4,
            out_ratio=0.5,
            max_imsi_per_imei=1,
        )
        return [gateway, courier, person], ["fraud", "normal", "normal"]
