"""Make a snippet reproducible: every applicable edit action, in dlRepro's order for the bug
type, repeated until none has anything left to do."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from dl_lsp.engine import Analysis, analyze_source
from dl_lsp.findings import BugType
from dl_lsp.fixes.edits import parses
from dl_lsp.repro.data import generate_data
from dl_lsp.repro.datasets import procure_datasets
from dl_lsp.repro.hyperparameters import initialise_hyperparameters
from dl_lsp.repro.imports import add_imports, unresolved_gaps
from dl_lsp.repro.logs import add_logging
from dl_lsp.repro.migration import migrate_versions
from dl_lsp.repro.network import construct_network
from dl_lsp.repro.outcome import Action, Gap, Missing, Options
from dl_lsp.repro.pretrained import fetch_pretrained
from dl_lsp.repro.scene import read_scene
from dl_lsp.repro.stubs import stub_helpers
from dl_lsp.repro.syntax import repair_syntax
from dl_lsp.taxonomy import load_taxonomy

# A6 and A10 are one step (the migration engine does both).
ACTIONS: Mapping[str, Action] = {
    "A10": migrate_versions,
    "A4": add_imports,
    "A3": initialise_hyperparameters,
    "A8": procure_datasets,
    "A1": generate_data,
    "A2": construct_network,
    "A7": stub_helpers,
    "A9": fetch_pretrained,
    "A5": add_logging,
}
_SAME_STEP = {"A6": "A10"}
_MAX_PASSES = 5
_DEFAULT_BUG_TYPE = BugType.TRAINING  # the most common type in the dlRepro study


@dataclass(frozen=True)
class Step:
    action: str
    name: str
    description: str


@dataclass(frozen=True)
class ReproResult:
    """The reproducible program, what was done to it, and what is still missing."""

    text: str
    original: str
    bug_type: BugType
    order: tuple[str, ...]
    steps: tuple[Step, ...]
    gaps: tuple[Gap, ...]
    problems: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return self.text != self.original

    def missing(self) -> dict[Missing, list[str]]:
        """The five information categories, each with what the snippet lacks (in order)."""
        found: dict[Missing, list[str]] = {category: [] for category in Missing}
        for gap in self.gaps:
            if gap.detail not in found[gap.category]:
                found[gap.category].append(gap.detail)
        return found


def file_bug_type(analysis: Analysis) -> BugType:
    """The bug type most of the file's findings have (syntax errors aside)."""
    counts = Counter(f.bug_type for f in analysis.findings if f.code != "SNP001")
    if not counts:
        return _DEFAULT_BUG_TYPE
    return counts.most_common(1)[0][0]


def action_order(bug_type: BugType) -> tuple[str, ...]:
    """dlRepro's ranking of the edit actions for a bug type (Table 8), then the others."""
    guidance = load_taxonomy().guidance[bug_type]
    ranked = [need.action.id for need in guidance.edit_actions] + [
        action.id for action in guidance.advice_edit_actions
    ]
    order: list[str] = []
    for action in [*ranked, *ACTIONS]:
        action = _SAME_STEP.get(action, action)
        if action in ACTIONS and action not in order:
            order.append(action)
    # Logging goes last unless the ranking puts it first: it reports what the others built.
    return tuple(order)


def make_reproducible(
    text: str, options: Options | None = None, bug_type: BugType | None = None
) -> ReproResult:
    """Apply every applicable edit action to ``text``; the result always parses."""
    options = options or Options()
    taxonomy = load_taxonomy()
    steps: list[Step] = []
    gaps: list[Gap] = []
    problems: list[str] = []
    repair = repair_syntax(text)
    current = repair.text
    steps += [Step("A7", taxonomy.edit_actions["A7"].name, done) for done in repair.done]
    problems += list(repair.failed)
    kind = bug_type or file_bug_type(analyze_source(current))
    order = action_order(kind)
    for _ in range(_MAX_PASSES):
        before = current
        for action in order:
            try:
                outcome = ACTIONS[action](read_scene(current), options)
            except Exception as error:  # one broken action must not stop the others
                problems.append(f"{action} failed: {type(error).__name__}: {error}")
                continue
            if outcome.text != current and not parses(outcome.text):
                problems.append(f"{action} produced code that does not parse; it was undone")
                continue
            current = outcome.text
            name = taxonomy.edit_actions[action].name
            steps += [Step(action, name, done) for done in outcome.done]
            gaps += [gap for gap in outcome.gaps if gap not in gaps]
        if current == before:
            break
    final = read_scene(current)
    gaps += [gap for gap in unresolved_gaps(final) if gap not in gaps]
    if not any(gap.category is Missing.LOGS for gap in gaps):
        gaps.append(Gap(Missing.LOGS, "the output or traceback the question saw"))
    return ReproResult(current, text, kind, order, tuple(steps), tuple(gaps), tuple(problems))
