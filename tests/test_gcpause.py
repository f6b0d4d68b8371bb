"""The cycle collector is paused inside gc_paused and restored after it."""

import gc

import pytest

from fanzha.gcpause import gc_paused


@pytest.fixture
def collector_state():
    enabled = gc.isenabled()
    yield
    (gc.enable if enabled else gc.disable)()


def test_when_the_block_ends_then_the_collector_runs_again(collector_state):
    gc.enable()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_when_the_block_raises_then_the_collector_is_still_restored(collector_state):
    gc.enable()
    with pytest.raises(ValueError), gc_paused():
        raise ValueError("boom")
    assert gc.isenabled()


def test_when_the_collector_was_off_then_it_stays_off(collector_state):
    gc.disable()
    with gc_paused():
        pass
    assert not gc.isenabled()
