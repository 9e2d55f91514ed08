"""SARIF 2.1.0 output, in the shape GitHub code scanning accepts."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from dl_lsp import __version__
from dl_lsp.facts.span import Span
from dl_lsp.findings import Finding, Severity
from dl_lsp.notebooks.program import CellSlice
from dl_lsp.report.locations import ReportLocation, locate
from dl_lsp.report.results import CheckReport, FileProblem, PathFinding
from dl_lsp.rule_docs import render_rule_body
from dl_lsp.ruleset import Rule

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
INFORMATION_URI = "https://dl-lsp.readthedocs.io/"
SOURCE_ROOT = "%SRCROOT%"

_LEVELS = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFORMATION: "note",
    Severity.HINT: "note",
}


def sarif_level(severity: Severity) -> str:
    """SARIF has no 'information' or 'hint': both become 'note'."""
    return _LEVELS[severity]


def build_sarif(report: CheckReport, rules: Sequence[Rule], root: Path) -> dict[str, Any]:
    """The SARIF log as a JSON-ready dict; report paths are relative to ``root`` (or absolute)."""
    descriptors = [_rule_descriptor(rule) for rule in rules]
    index = {rule.code: position for position, rule in enumerate(rules)}
    locator = _Locator(root)
    results = []
    for item in report.findings:
        if item.finding.code not in index:
            # A finding from a rule missing in the rule data still gets a descriptor.
            index[item.finding.code] = len(descriptors)
            descriptors.append(_finding_descriptor(item.finding))
        results.append(_result(item, index[item.finding.code], locator))
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "dl-lsp",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": descriptors,
            }
        },
        "originalUriBaseIds": {SOURCE_ROOT: {"uri": _directory_uri(root)}},
        # Our columns count code points, not UTF-16 units (SARIF's default).
        "columnKind": "unicodeCodePoints",
        "results": results,
        "invocations": [_invocation(report, locator, root)],
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def render_sarif(report: CheckReport, rules: Sequence[Rule], root: Path | None = None) -> str:
    """The SARIF log as text, with the working folder as the source root by default."""
    log = build_sarif(report, rules, root or Path.cwd())
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _rule_descriptor(rule: Rule) -> dict[str, Any]:
    full = rule.doc.what.strip() if rule.doc and rule.doc.what else rule.summary
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": full},
        "help": {"text": f"{rule.summary} See {rule.url}", "markdown": render_rule_body(rule)},
        "helpUri": rule.url,
        "defaultConfiguration": {"level": sarif_level(rule.severity)},
        "properties": {"tags": _tags(rule.bug_type.value, rule.family)},
    }


def _finding_descriptor(finding: Finding) -> dict[str, Any]:
    return {
        "id": finding.code,
        "name": finding.name,
        "shortDescription": {"text": finding.name},
        "fullDescription": {"text": finding.name},
        "defaultConfiguration": {"level": sarif_level(finding.severity)},
        "properties": {"tags": _tags(finding.bug_type.value, "")},
    }


def _tags(bug_type: str, family: str) -> list[str]:
    tags = ["deep-learning", bug_type]
    return [*tags, family] if family else tags


def _result(item: PathFinding, rule_index: int, locator: _Locator) -> dict[str, Any]:
    finding = item.finding
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": sarif_level(finding.severity),
        "message": {"text": finding.message},
        "locations": [locator.location(item.path, locate(finding.span, item.cells))],
    }
    if finding.related:
        result["relatedLocations"] = [
            {
                "id": number,
                **locator.location(item.path, locate(related.span, item.cells)),
                "message": {"text": related.message},
            }
            for number, related in enumerate(finding.related, start=1)
        ]
    if finding.fix:
        result["properties"] = {"fix": " ".join(finding.fix.split())}
    return result


def _invocation(report: CheckReport, locator: _Locator, root: Path) -> dict[str, Any]:
    return {
        "executionSuccessful": not report.failed,
        "workingDirectory": {"uri": _directory_uri(root)},
        "toolExecutionNotifications": [_notification(p, locator) for p in report.problems],
    }


def _notification(problem: FileProblem, locator: _Locator) -> dict[str, Any]:
    return {
        "level": "error",
        "message": {"text": problem.message},
        "descriptor": {"id": "internal-error" if problem.internal else "file-error"},
        "locations": [{"physicalLocation": {"artifactLocation": locator.artifact(problem.path)}}],
    }


class _Locator:
    """Turns report paths into artifact locations relative to the source root."""

    def __init__(self, root: Path) -> None:
        self.root = os.path.abspath(root)

    def artifact(self, path: str) -> dict[str, Any]:
        """A relative URI with the source root's base id, or an absolute file URI outside it."""
        absolute = os.path.normpath(os.path.join(self.root, path))
        relative = os.path.relpath(absolute, self.root)
        if relative == os.curdir or relative.startswith(os.pardir) or os.path.isabs(relative):
            return {"uri": Path(absolute).as_uri()}
        return {"uri": quote(relative.replace(os.sep, "/")), "uriBaseId": SOURCE_ROOT}

    def location(self, path: str, where: ReportLocation) -> dict[str, Any]:
        """A physical location with a 1-based region; in a notebook, see ``_cell_location``."""
        if where.cell is not None:
            return self._cell_location(path, where, where.cell)
        return {
            "physicalLocation": {
                "artifactLocation": self.artifact(path),
                "region": _region(where.span),
            }
        }

    def _cell_location(self, path: str, where: ReportLocation, cell: CellSlice) -> dict[str, Any]:
        """A notebook finding: the physical region is the lines of the .ipynb file holding the
        code (what code-scanning viewers show); the cell and the range inside it are in the
        location's properties and its logical location ``cell N``."""
        physical: dict[str, Any] = {"artifactLocation": self.artifact(path)}
        lines = where.file_lines()
        if lines is not None:
            physical["region"] = {"startLine": lines[0], "endLine": lines[1]}
        return {
            "physicalLocation": physical,
            "logicalLocations": [
                {"name": f"cell {cell.number}", "fullyQualifiedName": f"{path}:cell {cell.number}"}
            ],
            "properties": {
                "cell": cell.number,
                "cellIndex": cell.cell,
                "cellId": cell.cell_id,
                "cellRegion": _region(where.span),
            },
        }


def _region(span: Span) -> dict[str, int]:
    start_line = max(span.line, 1)
    end_line = max(span.end_line, start_line)
    start_column = max(span.column, 0) + 1
    end_column = max(span.end_column, 0) + 1
    if end_line == start_line:
        end_column = max(end_column, start_column)
    return {
        "startLine": start_line,
        "startColumn": start_column,
        "endLine": end_line,
        "endColumn": end_column,
    }


def _directory_uri(root: Path) -> str:
    uri = Path(os.path.abspath(root)).as_uri()
    return uri if uri.endswith("/") else uri + "/"
