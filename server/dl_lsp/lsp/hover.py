"""Hover on a flagged range: the rule, its fix, the bug type, and dlRepro's advice for that type."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.capabilities import get_capability

from dl_lsp.findings import BugType, Finding
from dl_lsp.lsp.diagnostics import all_findings
from dl_lsp.ruleset import Rule, load_rules

if TYPE_CHECKING:
    from dl_lsp.lsp.server import DlLanguageServer
    from dl_lsp.taxonomy import Guidance

PAPER = "dlRepro (Shah, Rahman, Khomh 2024)"


def _confidence(value: float) -> str:
    return f"{value:.2f}" if round(value, 2) == value else f"{value:.4f}"


def finding_markdown(finding: Finding, rule: Rule | None) -> str:
    """The part of a hover that explains one finding and its fix."""
    lines = [
        f"**{finding.code}** `{finding.name}` · {finding.severity.value} · {finding.bug_type.value} bug",
        "",
        finding.message,
    ]
    if finding.fix:
        lines += ["", f"**Fix:** {finding.fix} (quick fix: code actions on this line)"]
    if rule is not None:
        if rule.doc is not None:
            lines += ["", f"**What:** {rule.doc.what}", "", f"**Why:** {rule.doc.why}"]
            if rule.doc.fix:
                lines += ["", f"**How to fix:** {rule.doc.fix}"]
        else:
            lines += ["", rule.summary]
        lines += ["", f"[{finding.code} documentation]({rule.url})"]
    return "\n".join(lines)


def guidance_markdown(guidance: Guidance, codes: Sequence[str], fixable: Sequence[str]) -> str:
    """dlRepro's Table 7 and Table 8 rows for a bug type, marking the actions offered here."""
    title = f"**Reproducing a {guidance.bug_type.value} bug** · {PAPER}"
    if not guidance.has_table:
        lines = [title, "", guidance.note]
        if guidance.advice_information:
            names = ", ".join(category.name for category in guidance.advice_information)
            lines += ["", f"Information to record: {names} (our advice; no confidences)."]
        for action in guidance.advice_edit_actions:
            lines.append(f"- Edit action {action.id} {action.name}: {action.code_action}")
        return "\n".join(lines)
    information = " · ".join(
        f"{need.category.name} ({_confidence(need.confidence)})" for need in guidance.information
    )
    lines = [
        title,
        "",
        f"Top information a bug report needs (Table 7, confidence): {information}",
        "",
        "Top edit actions to reproduce it (Table 8, confidence):",
        "",
    ]
    for rank, need in enumerate(guidance.edit_actions, start=1):
        action = need.action
        line = f"{rank}. {action.id} {action.name} ({_confidence(need.confidence)})"
        offered_here = [code for code in fixable if action.fixed_by_quick_fix_for(code)]
        offered_elsewhere = [code for code in action.quick_fix_codes if code not in codes]
        if offered_here:
            line += f" — available here as a quick fix ({', '.join(offered_here)})"
        elif offered_elsewhere:
            line += f" — dl-lsp offers it as a quick fix on {', '.join(offered_elsewhere)}"
        lines.append(line)
    return "\n".join(lines)


def hover_markdown(findings: Sequence[Finding]) -> str:
    """The hover for the findings under the cursor: each finding, then advice per bug type."""
    from dl_lsp.taxonomy import guidance_for  # its data loads on the first hover

    rules = load_rules()
    sections = [finding_markdown(finding, rules.get(finding.code)) for finding in findings]
    codes = [finding.code for finding in findings]
    fixable = [finding.code for finding in findings if finding.fix]
    bug_types: list[BugType] = []
    for finding in findings:
        if finding.bug_type not in bug_types:
            bug_types.append(finding.bug_type)
    sections += [guidance_markdown(guidance_for(kind), codes, fixable) for kind in bug_types]
    return "\n\n---\n\n".join(sections)


def findings_at(findings: Sequence[Finding], line: int, column: int) -> list[Finding]:
    """The findings whose span covers a 1-based line and code-point column."""
    return [finding for finding in findings if finding.span.contains(line, column)]


async def on_hover(ls: DlLanguageServer, params: types.HoverParams) -> types.Hover | None:
    """textDocument/hover over a diagnostic's range."""
    result = await ls.scheduler.current(params.text_document.uri)
    if result is None or result.findings is None:
        return None
    line, column = result.index.point(params.position, ls.encoding)
    found = findings_at(all_findings(result), line, column)
    if not found:
        return None
    formats = get_capability(ls.client_capabilities, "text_document.hover.content_format", [])
    kind = (
        types.MarkupKind.Markdown
        if not formats or types.MarkupKind.Markdown in formats
        else types.MarkupKind.PlainText
    )
    return types.Hover(
        contents=types.MarkupContent(kind=kind, value=hover_markdown(found)),
        range=result.index.range(found[0].span, ls.encoding),
    )
