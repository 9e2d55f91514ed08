"""Loading the golden fix fixtures: ``<name>.in.py`` + ``<name>.fix.json`` → ``<name>.out.py``.

The sidecar holds the finding's code and its fix data, in the contract's shape, except that a
span may be written as a marker instead of a ``[line, column, end_line, end_column]`` list:

- ``{"text": "'mse'", "occurrence": 1}``: exactly that text (the n-th time it appears);
- ``{"expr": "model.compile("}``: the outermost expression that starts where that text starts.

Other keys: ``"apply"`` (which proposal the ``.out.py`` shows, default 0), ``"count"`` (how many
proposals are expected; 0 for a refused fix, which then has no ``.out.py``), ``"ignore"``
(a marker for the finding's line: the fixture shows the ignore fix instead).
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dl_lsp.facts.span import Span
from dl_lsp.findings import BugType, Finding, Severity
from dl_lsp.source import ParsedSource

GOLDEN = Path(__file__).parent / "golden"


@dataclass(frozen=True)
class GoldenCase:
    name: str
    source: str
    expected: str | None
    finding: Finding
    spec: dict[str, Any]

    @property
    def output_path(self) -> Path:
        return GOLDEN / f"{self.name}.out.py"


def read_exact(path: Path) -> str:
    """The file's text with its line endings as they are."""
    return path.read_bytes().decode("utf-8")


def golden_cases() -> list[GoldenCase]:
    cases = []
    for sidecar in sorted(GOLDEN.glob("*.fix.json")):
        name = sidecar.name.removesuffix(".fix.json")
        source = read_exact(GOLDEN / f"{name}.in.py")
        out = GOLDEN / f"{name}.out.py"
        spec = json.loads(sidecar.read_text(encoding="utf-8"))
        cases.append(
            GoldenCase(
                name=name,
                source=source,
                expected=read_exact(out) if out.exists() else None,
                finding=finding_for(source, spec),
                spec=spec,
            )
        )
    return cases


def finding_for(source: str, spec: dict[str, Any]) -> Finding:
    fixes = resolve_markers(source, spec.get("fixes", []))
    line_marker = spec.get("ignore") or spec.get("line")
    span = Span(*resolve_span(source, line_marker)) if line_marker else Span(1, 0, 1, 0)
    return Finding(
        code=spec.get("code", "LLM"),
        name="golden",
        bug_type=BugType.MODEL,
        severity=Severity.WARNING,
        span=span,
        message=spec.get("description", ""),
        fix_data={"fixes": fixes},
    )


def resolve_markers(source: str, value: Any) -> Any:
    """Replace every span marker in the fix data by the list it stands for."""
    if isinstance(value, dict):
        if "text" in value or "expr" in value:
            return resolve_span(source, value)
        return {key: resolve_markers(source, item) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve_markers(source, item) for item in value]
    return value


def resolve_span(source: str, marker: Any) -> list[int]:
    if isinstance(marker, list):
        return marker
    occurrence = marker.get("occurrence", 1)
    needle = marker.get("text") or marker["expr"]
    offset = -1
    for _ in range(occurrence):
        offset = source.index(needle, offset + 1)
    line = source.count("\n", 0, offset) + 1
    column = offset - (source.rfind("\n", 0, offset) + 1)
    if "text" in marker:
        end = offset + len(needle)
        end_line = source.count("\n", 0, end) + 1
        end_column = end - (source.rfind("\n", 0, end) + 1)
        return [line, column, end_line, end_column]
    parsed = ParsedSource(source)
    assert parsed.tree is not None
    starting = [
        parsed.span(node)
        for node in ast.walk(parsed.tree)
        if isinstance(node, ast.expr)
        and (parsed.span(node).line, parsed.span(node).column) == (line, column)
    ]
    assert starting, f"no expression starts at {needle!r}"
    widest = max(starting, key=lambda span: (span.end_line, span.end_column))
    return [widest.line, widest.column, widest.end_line, widest.end_column]
