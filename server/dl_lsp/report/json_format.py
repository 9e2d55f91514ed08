"""The JSON format: an array of findings with 1-based positions, one object per finding."""

from __future__ import annotations

import json
from typing import Any

from dl_lsp.report.locations import finding_location
from dl_lsp.report.results import CheckReport, PathFinding


def finding_record(item: PathFinding) -> dict[str, Any]:
    """One finding as the documented JSON object (columns 1-based, end exclusive + 1); in a
    notebook also ``cell`` (1-based, markdown cells counted) and ``cell_id``, with positions
    inside that cell."""
    finding = item.finding
    location = finding_location(item)
    span = location.span
    record: dict[str, Any] = {"path": item.path}
    if location.cell is not None:  # a notebook: lines and columns are within this cell
        record["cell"] = location.cell.number
        record["cell_id"] = location.cell.cell_id
    record.update(
        {
            "line": span.line,
            "column": span.column + 1,
            "end_line": span.end_line,
            "end_column": span.end_column + 1,
            "code": finding.code,
            "name": finding.name,
            "severity": finding.severity.value,
            "message": finding.message,
            "bug_type": finding.bug_type.value,
            "fix": one_line(finding.fix),
        }
    )
    return record


def one_line(text: str | None) -> str | None:
    """Collapse a multi-line description into one line; ``None`` stays ``None``."""
    return " ".join(text.split()) if text is not None else None


def render_json(report: CheckReport) -> str:
    """The whole report as a JSON array (``[]`` when clean)."""
    records = [finding_record(item) for item in report.findings]
    return json.dumps(records, indent=2, ensure_ascii=False) + "\n"
