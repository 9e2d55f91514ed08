"""The terminal format, like ruff's: ``path:line:col: CODE message`` and a summary line."""

from __future__ import annotations

from dl_lsp.report.locations import finding_location
from dl_lsp.report.results import CheckReport, PathFinding


def format_finding(item: PathFinding) -> str:
    """One finding on one line, with a 1-based column (``path:cell N:line:col`` in notebooks)."""
    finding = item.finding
    message = " ".join(finding.message.split())
    return f"{finding_location(item).prefix(item.path)}: {finding.code} {message}"


def render_text(report: CheckReport) -> str:
    """Every finding, one per line (empty when there is none)."""
    return "".join(format_finding(item) + "\n" for item in report.findings)


def summary_line(report: CheckReport) -> str:
    """``Found N problems in M files`` or ``All checks passed``."""
    count = len(report.findings) + len(report.problems)
    if count == 0:
        return "All checks passed"
    files = report.files_with_problems
    return f"Found {count} {_plural(count, 'problem')} in {files} {_plural(files, 'file')}"


def _plural(count: int, word: str) -> str:
    return word if count == 1 else word + "s"
