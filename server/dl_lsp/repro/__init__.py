"""dlRepro's edit actions performed: a Stack Overflow-style snippet made into a program that runs.

Each action (``data``, ``network``, ``hyperparameters``, ``imports``, ``logs``, ``migration``,
``syntax`` and ``stubs``, ``datasets``, ``pretrained``) is a libcst transformation from text to
text; ``pipeline`` orders them by the dlRepro ranking for the file's bug type.
"""

from __future__ import annotations

from dl_lsp.repro.outcome import Gap, Missing, Options
from dl_lsp.repro.pipeline import ReproResult, Step, action_order, make_reproducible

__all__ = [
    "Gap",
    "Missing",
    "Options",
    "ReproResult",
    "Step",
    "action_order",
    "make_reproducible",
]
