"""The server's handling of the cyclic collector (lsp/collector.py)."""

from __future__ import annotations

import asyncio
import gc
import weakref
from collections.abc import Iterator

import pytest

from dl_lsp.lsp import collector


class Node:
    """Something that can be part of a reference cycle and be watched with a weak reference."""

    def __init__(self) -> None:
        self.other: object = None


def _cycle() -> weakref.ref[Node]:
    first, second = Node(), Node()
    first.other, second.other = second, first
    return weakref.ref(first)


@pytest.fixture(autouse=True)
def _restore_collector() -> Iterator[None]:
    enabled = gc.isenabled()
    yield
    gc.unfreeze()
    if enabled:
        gc.enable()
    else:
        gc.disable()


def test_what_an_analysis_makes_is_frozen_and_collection_is_back_on_after() -> None:
    gc.enable()
    gc.unfreeze()
    with collector.unwatched():
        assert not gc.isenabled()
        made = [Node() for _ in range(100)]
    assert gc.isenabled()
    assert gc.get_freeze_count() >= len(made)


def test_a_paused_collector_stays_paused() -> None:
    gc.disable()
    with collector.unwatched():
        pass
    assert not gc.isenabled()


def test_cycles_made_between_analyses_are_collected_before_the_next() -> None:
    gc.disable()  # no automatic collection before the check below
    between = _cycle()
    assert between() is not None
    gc.enable()
    with collector.unwatched():
        assert between() is None


def test_a_cycle_that_froze_is_collected_by_the_collection_of_everything() -> None:
    gc.enable()
    with collector.unwatched():
        frozen = _cycle()
    gc.collect()
    assert frozen() is not None  # out of the collector's sight
    collector.collect_everything()
    assert frozen() is None


def test_objects_freed_by_reference_counting_go_even_when_frozen() -> None:
    gc.enable()
    with collector.unwatched():
        item = Node()
        watched = weakref.ref(item)
    del item
    assert watched() is None


def test_the_idle_collection_runs_once_the_analyses_stop() -> None:
    async def scenario() -> tuple[bool, bool]:
        idle = collector.IdleCollection(idle_seconds=0.05)
        with collector.unwatched():
            frozen = _cycle()
        idle.analysed()
        await asyncio.sleep(0.01)
        idle.analysed()  # a new analysis: the wait starts again
        still_there = frozen() is not None
        await asyncio.sleep(0.2)
        return still_there, frozen() is None

    gc.enable()
    assert asyncio.run(scenario()) == (True, True)


def test_a_cancelled_idle_collection_does_not_run() -> None:
    async def scenario() -> bool:
        idle = collector.IdleCollection(idle_seconds=0.01)
        with collector.unwatched():
            frozen = _cycle()
        idle.analysed()
        idle.cancel()
        await asyncio.sleep(0.05)
        return frozen() is not None

    gc.enable()
    assert asyncio.run(scenario())
