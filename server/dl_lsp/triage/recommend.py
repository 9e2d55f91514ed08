"""What the report's type needs: information (present or missing, with a follow-up question) and
the edit actions that reproduce it (with whether ``dl-lsp repro`` can perform them)."""

from __future__ import annotations

from collections.abc import Mapping

from dl_lsp.findings import BugType
from dl_lsp.taxonomy import EditAction, Guidance, InformationCategory, load_taxonomy
from dl_lsp.triage.code_facts import CodeFacts
from dl_lsp.triage.report import BugReport
from dl_lsp.triage.result import UNKNOWN, EditActionItem, InformationItem
from dl_lsp.triage.signals import MAX_PATTERN_TEXT
from dl_lsp.triage.tables import TriageTables

TOP_INFORMATION = 3
TOP_EDIT_ACTIONS = 5


def information_present(
    category: str, report: BugReport, facts: CodeFacts, tables: TriageTables
) -> bool:
    """Whether the report carries this category of information."""
    if category == "Code Snippet":
        return facts.has_code
    detector = tables.detectors.get(category)
    if detector is None:
        return False
    code = "\n".join(report.code_blocks)[:MAX_PATTERN_TEXT]
    checks = (
        (detector.code, code),
        (detector.text, report.text[:MAX_PATTERN_TEXT]),
        (detector.logs, report.log_text[-MAX_PATTERN_TEXT:]),
    )
    return any(pattern is not None and text and pattern.search(text) for pattern, text in checks)


def information_items(
    bug_type: str,
    guidance: Mapping[BugType, Guidance],
    basis: str,
    report: BugReport,
    facts: CodeFacts,
    tables: TriageTables,
) -> tuple[InformationItem, ...]:
    """The top categories for the type, each present or missing (with a question)."""
    needs: list[tuple[InformationCategory, float | None, str]]
    if bug_type == UNKNOWN:
        ranked = sorted(load_taxonomy().information.values(), key=lambda c: -c.prevalence)
        needs = [(category, category.prevalence, "prevalence") for category in ranked]
    else:
        advice = guidance[BugType(bug_type)]
        if advice.information:
            needs = [(need.category, need.confidence, basis) for need in advice.information]
        else:
            needs = [(category, None, "advice") for category in advice.advice_information]
    items = []
    for category, confidence, source in needs[:TOP_INFORMATION]:
        present = information_present(category.name, report, facts, tables)
        question = None if present else tables.question(category.name, bug_type)
        items.append(InformationItem(category.name, confidence, source, present, question))
    return tuple(items)


def performable(facts: CodeFacts, tables: TriageTables) -> dict[str, list[str]]:
    """Edit action id → why ``dl-lsp repro`` can perform it on this report's code."""
    reasons: dict[str, list[str]] = {}
    for fact in facts.facts:
        repro = tables.repro[fact]
        for action in repro.actions:
            reasons.setdefault(action, []).append(repro.reason)
    return reasons


def edit_action_items(
    bug_type: str,
    guidance: Mapping[BugType, Guidance],
    basis: str,
    facts: CodeFacts,
    tables: TriageTables,
) -> tuple[EditActionItem, ...]:
    """The top edit actions for the type, each marked performable on this code or not."""
    reasons = performable(facts, tables)
    ranked: list[tuple[EditAction, float | None, str]]
    if bug_type == UNKNOWN:
        actions = load_taxonomy().edit_actions
        ranked = [(actions[action_id], None, "code") for action_id in _in_id_order(reasons)]
    else:
        advice = guidance[BugType(bug_type)]
        if advice.edit_actions:
            ranked = [(need.action, need.confidence, basis) for need in advice.edit_actions]
        else:
            ranked = [(action, None, "advice") for action in advice.advice_edit_actions]
    return tuple(
        EditActionItem(
            id=action.id,
            name=action.name,
            confidence=confidence,
            basis=source,
            performable=action.id in reasons,
            reason="; ".join(dict.fromkeys(reasons[action.id])) if action.id in reasons else None,
        )
        for action, confidence, source in ranked[:TOP_EDIT_ACTIONS]
    )


def _in_id_order(reasons: Mapping[str, list[str]]) -> list[str]:
    return sorted(reasons, key=lambda action_id: int(action_id[1:]))
