"""The cyclic garbage collector and the parse trees the server keeps between edits.

The scheduler keeps the parse of the documents analysed last (for a 20,000-line program, about
400,000 objects) so that the next analysis re-parses only what an edit touched. The engine pauses
the collector while it analyses, but everything it made then still sits in the youngest
generation, and the collector walks it all again as it ages: two young collections after each
analysis, and every few edits a full collection of everything alive (0.3 to 1 s at 20,000 lines),
about 130 ms per edit on average, on the event loop as often as in the worker.

The trees hold no reference cycles, reference counting frees them, so after each analysis the
worker moves everything alive into the permanent generation (``gc.freeze``), which the collector
never walks. A frozen object is still freed when its last reference goes. Before each analysis,
a collection of what is not frozen (what the last publish and requests left, a millisecond or
two) keeps fresh cyclic garbage from being frozen. What this gives up: an object that was alive at
a freeze and later becomes part of a garbage cycle waits for the next thaw, every
``THAW_EVERY`` analyses, when one full collection runs with nothing frozen.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

THAW_EVERY = 500


class ResultFreezer:
    """Runs analyses with the collector paused, then puts what they left alive out of its reach."""

    def __init__(self, thaw_every: int = THAW_EVERY) -> None:
        self._thaw_every = thaw_every
        self._analyses = 0

    @contextmanager
    def around_analysis(self) -> Iterator[None]:
        """Wrap one analysis (in the analysis worker)."""
        self._analyses += 1
        if self._analyses % self._thaw_every == 0:
            gc.unfreeze()
            gc.collect()
        elif gc.get_freeze_count():
            gc.collect()  # walks only what is not frozen
        collecting = gc.isenabled()
        gc.disable()
        try:
            yield
        finally:
            gc.freeze()
            if collecting:
                gc.enable()
