"""The parses the scheduler keeps are frozen out of the cyclic collector's walks, still freed
when dropped, and garbage cycles are still collected."""

from __future__ import annotations

import gc
import sys
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from dl_lsp.config import Settings
from dl_lsp.lsp import collector
from dl_lsp.lsp.analysis import AnalysisScheduler
from dl_lsp.lsp.collector import ResultFreezer
from dl_lsp.lsp.documents import DocumentStore

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from server_latency import synthetic_program  # noqa: E402

URI = "file:///tmp/collector/model.py"


@pytest.fixture(autouse=True)
def nothing_frozen_after() -> Iterator[None]:
    yield
    gc.unfreeze()


class Cycle:
    """An object that refers to itself: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.me = self


def cycle_garbage() -> weakref.ref[Cycle]:
    return weakref.ref(Cycle())


def test_garbage_cycles_made_between_analyses_are_collected_before_the_next() -> None:
    freezer = ResultFreezer()
    with freezer.around_analysis():
        pass
    assert gc.get_freeze_count() > 0 and gc.isenabled()
    garbage = cycle_garbage()
    with freezer.around_analysis():
        assert not gc.isenabled()  # paused while the analysis runs
    assert garbage() is None


def test_a_frozen_object_that_becomes_a_garbage_cycle_waits_for_the_thaw() -> None:
    freezer = ResultFreezer(thaw_every=3)
    holder = [Cycle()]
    kept = weakref.ref(holder[0])
    with freezer.around_analysis():
        pass
    holder.clear()  # garbage now, but frozen: no collection walks it
    with freezer.around_analysis():
        pass
    assert kept() is not None
    with freezer.around_analysis():  # the third: everything thawed and collected
        pass
    assert kept() is None


class Leaf:
    """An object in no cycle: reference counting frees it."""


def test_a_frozen_object_is_freed_when_its_last_reference_goes() -> None:
    holder = [Leaf()]
    kept = weakref.ref(holder[0])
    with ResultFreezer().around_analysis():
        pass
    assert not any(item is holder[0] for item in gc.get_objects())  # frozen: never walked
    holder.clear()
    assert kept() is None


async def test_the_scheduler_freezes_what_an_analysis_leaves_alive() -> None:
    store = DocumentStore()
    scheduler = AnalysisScheduler(
        store, lambda document: Settings(), lambda result: None, max_file_size=lambda: 10**7
    )
    store.open(URI, synthetic_program(300), 1, "python")
    result = await scheduler.current(URI)
    scheduler.shutdown()
    assert result is not None and result.findings
    walked = {id(item) for item in gc.get_objects()}
    assert id(result) in walked  # made after the analysis: not frozen
    assert not any(id(finding) in walked for finding in result.findings)


def test_start_up_collects_the_youngest_generation_only_then_the_usual_ones_again() -> None:
    usual = gc.get_threshold()
    try:
        collector.starting()
        young, *older = gc.get_threshold()
        assert young == usual[0] and all(threshold > 10**6 for threshold in older)
        collector.started()
        assert gc.get_threshold() == usual
        assert gc.get_freeze_count() > 0
    finally:
        gc.set_threshold(*usual)


def test_collecting_everything_frees_a_cycle_that_froze() -> None:
    collecting = gc.isenabled()
    gc.disable()  # no automatic collection before the freeze
    try:
        frozen = cycle_garbage()
        gc.freeze()
        gc.collect()
        assert frozen() is not None  # out of the collector's sight
        collector.collect_everything()
        assert frozen() is None
    finally:
        if collecting:
            gc.enable()
