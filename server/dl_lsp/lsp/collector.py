"""The cyclic garbage collector, kept off the documents' syntax trees.

The analysis makes no reference cycles (tests/unit/test_no_cycles.py): reference counting
frees an old version's tree and facts. CPython's collector still walks every container object
it tracks, though: after each analysis the new objects (a million at 20,000 lines) went through
collections of the young generations, 20–50 ms per edit at that size, and every few edits a
full collection walked the trees of every open document, 0.6–0.8 s: the worst latencies of
``bench/server_latency.py``, at 1,000 lines too (~20 ms).

So an analysis runs with collection paused, and what it made is then frozen (``gc.freeze``, no
cost): out of the collector's sight, freed by reference counting as before. Before each
analysis, a collection of what is not frozen (the messages and futures since the last one:
little) frees the cycles the rest of the server makes; and once the server has been idle for
``IDLE_SECONDS`` after an analysis, one collection of everything frees whatever cycles froze
in between.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import Iterator

IDLE_SECONDS = 60.0
_NEVER = 1 << 30
_thresholds = gc.get_threshold()


def starting() -> None:
    """While the server starts, collect the youngest generation only. The imports make
    ~110,000 container objects that live as long as the server: collections of the older
    generations walked them again and again (~15% of the start-up), while the garbage dies
    young (attrs replaces each class it builds with a slotted copy)."""
    global _thresholds
    _thresholds = gc.get_threshold()
    gc.set_threshold(_thresholds[0], _NEVER, _NEVER)


def started() -> None:
    """The server is built: the usual collections again, with what start-up made frozen (the
    rest of its garbage is collected with everything after the first diagnostics)."""
    gc.set_threshold(*_thresholds)
    gc.freeze()


@contextlib.contextmanager
def unwatched() -> Iterator[None]:
    """Run the block with collection paused; then freeze what it made (see above)."""
    collecting = gc.isenabled()
    if collecting:
        gc.collect()  # only what is not frozen: what the server made since the last freeze
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if collecting:
            gc.enable()


def collect_everything() -> None:
    """One collection over every object, frozen ones included; what survives is frozen again."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class IdleCollection:
    """``collect_everything`` once the event loop has seen no analysis for ``IDLE_SECONDS``."""

    def __init__(self, idle_seconds: float = IDLE_SECONDS) -> None:
        self._idle_seconds = idle_seconds
        self._timer: asyncio.TimerHandle | None = None

    def analysed(self) -> None:
        """An analysis finished (on the event loop): wait for the next idle period."""
        if self._timer is not None:
            self._timer.cancel()
        self._timer = asyncio.get_running_loop().call_later(self._idle_seconds, self._collect)

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _collect(self) -> None:
        self._timer = None
        collect_everything()
