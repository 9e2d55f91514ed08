"""From a finding's fix data to verified fix proposals, and fix-all over a whole file."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from dl_lsp.findings import Finding
from dl_lsp.fixes.actions import run_action
from dl_lsp.fixes.document import Change, CstDocument, FixRefused
from dl_lsp.fixes.edits import (
    FixProposal,
    TextEdit,
    apply_edits,
    edits_conflict,
    minimal_edit,
)
from dl_lsp.fixes.spelling import ImportNeed, import_changes
from dl_lsp.fixes.tolerant import TolerantDocument, still_valid, tolerant_edits


def fixes_for(text: str, finding: Finding) -> list[FixProposal]:
    """The rule fixes of a finding, each verified to parse (or, in a broken snippet, to add no
    syntax error)."""
    if not _fix_entries(finding.fix_data):
        return []
    try:
        return proposals(parse_document(text), finding)
    except Exception:  # the contract: a fix that cannot be computed is dropped, never raised
        return []


@functools.lru_cache(maxsize=4)
def parse_document(text: str) -> CstDocument | TolerantDocument:
    """The libcst view of ``text``; the tolerant ``ast`` view when libcst cannot parse it.

    Cached: a code-action request asks for the fixes of several findings of the same text.
    """
    try:
        return CstDocument(text)
    except Exception:  # a syntax error, or a file too deep for libcst
        return TolerantDocument(text)


def proposals(document: CstDocument | TolerantDocument, finding: Finding) -> list[FixProposal]:
    """The fixes of ``finding`` computed on an already parsed file."""
    result: list[FixProposal] = []
    for number, entry in enumerate(_fix_entries(finding.fix_data)):
        try:
            if isinstance(document, CstDocument):
                edits = _edits(document, entry["edits"])
            else:
                edits = tolerant_edits(document, entry["edits"])
            if not edits or edits_conflict(edits):
                continue
            fixed = apply_edits(document.text, edits)
            if fixed == document.text or not still_valid(document.text, fixed):
                continue  # a fix that changes nothing is no fix
        except Exception:  # FixRefused, or anything unexpected: this fix is dropped, never raised
            continue
        result.append(
            FixProposal(
                title=entry["title"],
                code=finding.code,
                edits=edits,
                safe=entry.get("safe") is True,
                preferred=number == 0,
            )
        )
    return result


def fix_all(
    text: str, findings_for: Callable[[str], Sequence[Finding]], max_rounds: int = 5
) -> tuple[str, list[FixProposal]]:
    """Apply the safe preferred fixes, re-analysing between rounds, until none is left.

    A file that parsed still parses; a snippet that did not gains no new syntax error.
    """
    current = text
    applied: list[FixProposal] = []
    for _ in range(max_rounds):
        findings = [f for f in findings_for(current) if _fix_entries(f.fix_data)]
        if not findings:
            break
        document = parse_document(current)
        chosen: list[FixProposal] = []
        chosen_edits: list[TextEdit] = []
        for finding in findings:
            proposal = next(iter(proposals(document, finding)), None)
            if proposal is None or not (proposal.preferred and proposal.safe):
                continue
            if set(proposal.edits) <= set(chosen_edits):
                continue  # the same fix, offered for another finding
            if edits_conflict([*chosen_edits, *proposal.edits]):
                continue  # the next round sees it again, on the fixed text
            chosen.append(proposal)
            chosen_edits.extend(proposal.edits)
        if not chosen:
            break
        fixed = apply_edits(current, chosen_edits)
        if not still_valid(current, fixed):
            # Each fix parses alone but not together: keep the first, retry the rest next round.
            chosen = chosen[:1]
            fixed = apply_edits(current, chosen[0].edits)
        if fixed == current:
            break
        current = fixed
        applied.extend(chosen)
    return current, applied


def _fix_entries(fix_data: Mapping[str, Any]) -> list[dict[str, Any]]:
    fixes = fix_data.get("fixes") if isinstance(fix_data, Mapping) else None
    if not isinstance(fixes, list):
        return []
    return [
        entry
        for entry in fixes
        if isinstance(entry, dict)
        and isinstance(entry.get("title"), str)
        and isinstance(entry.get("edits"), list)
    ]


def _edits(document: CstDocument, actions: list[Any]) -> tuple[TextEdit, ...]:
    edits: list[TextEdit] = []
    needs: list[ImportNeed] = []
    changes: list[Change] = []
    for action in actions:
        if not isinstance(action, Mapping):
            raise FixRefused("an action must be an object")
        result = run_action(document, action)
        changes.extend(result.changes)
        needs.extend(result.imports)
    changes.extend(import_changes(document, needs))
    for change in changes:
        edit = minimal_edit(document.text, document.replaced(change.old, change.new))
        if edit is not None:
            edits.append(edit)
    return tuple(sorted(set(edits), key=lambda edit: (edit.span, edit.new_text)))
