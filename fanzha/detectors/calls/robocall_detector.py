"""Robocall (auto-dialler) and group-calling detection from call features."""

from __future__ import annotations

from typing import Any

from fanzha.detectors.calls.behaviour import BehaviourDetector, feature_row
from fanzha.registry import register_detector


@register_detector
class RobocallDetector(BehaviourDetector):
    """Flag numbers that dial by machine.

    Rules (``behaviour_rules.yaml``, family ``robocall``): callees dialled in
    number order (``sequential_dialling``), many calls of nearly equal length
    (``uniform_durations``), and repeated similar-length calls to one small fixed
    group (``group_calling``, the pattern of a group-call cluster). Risk in
    [0, 1], higher means more suspicious.

    Examples
    --------
    >>> bot = feature_row("15000000001", n_out=2400, out_per_day=340,
    ...                   sequential_share=1.0, dur_cv=0.06, distinct_callees=2400,
    ...                   calls_per_callee=1.0)
    >>> person = feature_row("13000000002", n_out=25, out_per_day=4, dur_cv=1.0,
    ...                      calls_per_callee=3.0, distinct_callees=8,
    ...                      callback_rate=0.4)
    >>> detector = RobocallDetector().fit([bot, person], ["fraud", "normal"])
    >>> [e.name for e in detector.score(bot).evidence]
    ['sequential_dialling', 'uniform_durations']
    >>> detector.score(person).label
    'normal'
    """

    name = "number-robocall"
    family = "robocall"

    @classmethod
    def contract_sample(cls) -> tuple[list[Any], list[str]]:
        """Return a robocaller, a group caller, a near miss and an ordinary user."""
        bot = feature_row(
            "15000000001",
            n_out=2400,
            out_per_day=340,
            sequential_share=1.0,
            dur_cv=0.06,
            distinct_callees=2400,
            calls_per_callee=1.0,
        )
        group = feature_row(
            "250",
            n_out=100,
            out_per_day=20,
            calls_per_callee=7,
            distinct_callees=15,
            dur_cv=1.4,
            repeat_call_share=0.9,
            repeat_dur_cv=0.2,
        )
        family_caller = feature_row(
            "13000000003",
            n_out=60,
            out_per_day=8,
            calls_per_callee=10,
            distinct_callees=6,
            dur_cv=0.9,
            callback_rate=0.8,
            repeat_call_share=0.9,
            repeat_dur_cv=0.9,
        )
        person = feature_row(
            "13000000002",
            n_out=25,
            out_per_day=4,
            dur_cv=1.0,
            calls_per_callee=3.0,
            distinct_callees=8,
            callback_rate=0.4,
        )
        return [bot, group, family_caller, person], [
            "fraud",
            "fraud",
            "normal",
            "normal",
        ]
