"""The cyclic garbage collector and the parse trees the server keeps between edits.

The scheduler keeps the parse of the documents analysed last (for a 20,000-line program, about
400,000 objects) so that the next analysis re-parses only what an edit touched. The engine pauses
the collector while it analyses, but all it made then still sits in the youngest generation, and
the collector walks it again as it ages: young collections after each analysis, and every few
edits a full collection of everything alive (0.3 to 0.7 s at 20,000 lines), mostly on the event
loop while it publishes: about 130 ms per edit on average at 20,000 lines.

The trees and facts hold no reference cycles (tests/unit/test_no_cycles.py checks), reference
counting frees them, so after each analysis the worker moves everything alive into the
permanent generation (``gc.freeze``), which the collector never walks; a frozen object is still
freed when its last reference goes. Before each analysis, a collection of what is not frozen (what
the last publish and requests left: about a millisecond) keeps fresh cyclic garbage from being
frozen. What this gives up: an object alive at a freeze that later becomes part of a garbage
cycle waits for the next thaw, every ``THAW_EVERY`` analyses, when one full collection runs with
nothing frozen.

Start-up has a collector policy of its own (``starting``, ``started``): the imports make
~110,000 container objects that live as long as the server.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

THAW_EVERY = 500
_NEVER = 1 << 30
_thresholds = gc.get_threshold()


def starting() -> None:
    """While the server starts, collect the youngest generation only: collections of the
    older generations walked the objects the imports make again and again (~15% of the
    start-up), while the garbage dies young (attrs replaces each class it builds with a
    slotted copy)."""
    global _thresholds
    _thresholds = gc.get_threshold()
    gc.set_threshold(_thresholds[0], _NEVER, _NEVER)


def started() -> None:
    """The server is built: the usual collections again, with what start-up made frozen (the
    rest of its garbage goes with ``collect_everything`` after the first diagnostics)."""
    gc.set_threshold(*_thresholds)
    gc.freeze()


def collect_everything() -> None:
    """One collection over every object, frozen ones included; what survives is frozen again."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class ResultFreezer:
    """Runs analyses with the collector paused, then puts what they left alive out of its reach."""

    def __init__(self, thaw_every: int = THAW_EVERY) -> None:
        self._thaw_every = thaw_every
        self._analyses = 0
        self._froze = False  # gc.get_freeze_count() would walk every frozen object to say

    @contextmanager
    def around_analysis(self) -> Iterator[None]:
        """Wrap one analysis (in the analysis worker)."""
        self._analyses += 1
        if self._analyses % self._thaw_every == 0:
            collect_everything()
        elif self._froze:
            gc.collect()  # walks only what is not frozen
        collecting = gc.isenabled()
        gc.disable()
        try:
            yield
        finally:
            gc.freeze()
            self._froze = True
            if collecting:
                gc.enable()
