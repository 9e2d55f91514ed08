"""A triage as Markdown (the editor command, a bot's issue comment) or terminal text."""

from __future__ import annotations

from dl_lsp.triage.result import UNKNOWN, TriageResult

PAPER = "dlRepro (Shah et al., 2024)"
_BASIS = {
    "paper": "Table 7/8 of " + PAPER,
    "mined": "your mined taxonomy",
    "advice": "our advice (the paper has no table for this type)",
    "prevalence": "prevalence in reproducible reports",
    "code": "from the report's code",
}


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def render_markdown(result: TriageResult) -> str:
    """The triage as a Markdown document."""
    heading = f"# Triage: {result.title}" if result.title else "# Triage"
    lines = [heading, ""]
    if result.bug_type == UNKNOWN:
        lines.append(f"**Bug type: unknown** — {result.reason}")
    else:
        lines.append(f"**Bug type: {result.bug_type}** (confidence {_percent(result.confidence)})")
    if result.evidence:
        lines += ["", "## Evidence", ""]
        lines += [
            f"- {item.signal} → {item.bug_type} (+{item.weight:.2f}): {item.detail}"
            for item in result.evidence[:10]
        ]
    if result.information:
        basis = _BASIS.get(result.information[0].basis, result.information[0].basis)
        lines += ["", f"## Information to collect ({basis})", ""]
        for info in result.information:
            mark = "present" if info.present else "**missing**"
            lines.append(f"- {info.category} ({_percent(info.confidence)}): {mark}")
            if info.question:
                lines.append(f"  - Ask: {info.question}")
    if result.edit_actions:
        basis = _BASIS.get(result.edit_actions[0].basis, result.edit_actions[0].basis)
        lines += ["", f"## Edit actions to reproduce it ({basis})", ""]
        for action in result.edit_actions:
            can = f"`dl-lsp repro` can do this: {action.reason}" if action.performable else "manual"
            lines.append(f"- {action.id} {action.name} ({_percent(action.confidence)}): {can}")
    if result.diagnostics:
        lines += ["", "## Static findings in the code", ""]
        lines += [
            f"- block {item.block + 1}, line {item.line}: `{item.code}` {item.message}"
            for item in result.diagnostics[:20]
        ]
        if len(result.diagnostics) > 20:
            lines.append(f"- … and {len(result.diagnostics) - 20} more")
    if result.notes:
        lines += ["", "## Notes", ""]
        lines += [f"- {note}" for note in result.notes]
    return "\n".join(lines) + "\n"


def render_text(result: TriageResult) -> str:
    """The triage for a terminal."""
    if result.bug_type == UNKNOWN:
        lines = [f"bug type: unknown ({result.reason})"]
    else:
        lines = [f"bug type: {result.bug_type} (confidence {_percent(result.confidence)})"]
    lines += [
        f"  evidence: {item.signal} → {item.bug_type}: {item.detail}"
        for item in result.evidence[:8]
    ]
    if result.information:
        lines.append("information:")
        for info in result.information:
            state = "present" if info.present else "MISSING"
            lines.append(f"  {info.category} ({_percent(info.confidence)}): {state}")
            if info.question:
                lines.append(f"    ask: {info.question}")
    if result.edit_actions:
        lines.append("edit actions:")
        for action in result.edit_actions:
            can = " [dl-lsp repro can do this]" if action.performable else ""
            lines.append(f"  {action.id} {action.name} ({_percent(action.confidence)}){can}")
    if result.diagnostics:
        lines.append(f"static findings: {len(result.diagnostics)}")
        lines += [
            f"  block {item.block + 1}:{item.line}:{item.column}: {item.code} {item.message}"
            for item in result.diagnostics[:10]
        ]
    lines += [f"note: {note}" for note in result.notes]
    return "\n".join(lines) + "\n"
