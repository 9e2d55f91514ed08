"""What an edit action did to a snippet, and what it could not find out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from dl_lsp.repro.scene import Scene


class Missing(str, Enum):
    """dlRepro's five categories of information a reproducible question carries (F1..F5)."""

    DATA = "Data"
    MODEL = "Model"
    HYPERPARAMETERS = "Hyperparameters"
    CODE = "Code Snippet"
    LOGS = "Logs"


@dataclass(frozen=True)
class Gap:
    """A piece of information the snippet lacks (filled in with a stand-in, or not at all)."""

    category: Missing
    detail: str


@dataclass(frozen=True)
class Outcome:
    """The snippet after one action, what the action did, and the gaps it found."""

    text: str
    done: tuple[str, ...] = ()
    gaps: tuple[Gap, ...] = ()


@dataclass(frozen=True)
class Options:
    """How the actions may behave: whether to reach the network, how to look up imports."""

    offline: bool = True
    # Where the snippet's relative data paths are looked up (None: the current directory).
    base_dir: Path | None = None
    # name, framework ("keras"/"torch"/None), keras package → an import statement, or None.
    search_import: Callable[[str, str | None, str], str | None] | None = None


Action = Callable[[Scene, Options], Outcome]


def unchanged(scene: Scene, *gaps: Gap) -> Outcome:
    """The outcome of an action that had nothing to do."""
    return Outcome(scene.text, (), gaps)
