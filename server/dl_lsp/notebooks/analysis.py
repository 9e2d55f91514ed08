"""Analysing a notebook program: each cell is compiled on its own, like the kernel does.

A syntax error in one cell (an unclosed bracket, an unterminated string) must not swallow the
cells after it, as it would in one concatenated file: every cell that fails to parse alone is
repaired alone by the tolerant parser (``dl_lsp.source``), its errors are reported in that cell,
and the program of repaired cells is analysed as one.
"""

from __future__ import annotations

from dataclasses import replace

from dl_lsp.config import Settings
from dl_lsp.engine import Analysis, analyze_source, kept_findings, syntax_findings
from dl_lsp.facts.span import Span
from dl_lsp.notebooks.program import NotebookProgram, parse_quietly
from dl_lsp.source import SyntaxProblem, repair_syntax


def analyze_notebook(
    program: NotebookProgram, path: str | None = None, settings: Settings | None = None
) -> Analysis:
    """Findings for a notebook program, in program coordinates (``program.cells`` maps them)."""
    text, problems = repaired_program(program)
    analysis = analyze_source(text, path=path, settings=settings)
    if not problems:
        return analysis
    errors = list(syntax_findings(problems))
    kept = kept_findings([*errors, *analysis.findings], analysis.source, settings or Settings())
    return replace(analysis, findings=tuple(kept))


def repaired_program(program: NotebookProgram) -> tuple[str, tuple[SyntaxProblem, ...]]:
    """The program with every cell that does not parse alone repaired alone, and the errors."""
    lines = program.text.splitlines(keepends=True)
    problems: list[SyntaxProblem] = []
    for piece in program.cells.slices:
        start = piece.first_line - 1
        cell_text = "".join(lines[start : start + piece.line_count])
        if not piece.python or parse_quietly(cell_text) is not None:
            continue
        repaired, found = repair_syntax(cell_text)
        repaired_lines = repaired.splitlines(keepends=True)
        if len(repaired_lines) == piece.line_count:
            lines[start : start + piece.line_count] = repaired_lines
        offset = piece.first_line - 1
        problems.extend(_shifted(problem, offset, piece.last_line) for problem in found)
    return "".join(lines), tuple(problems)


def _shifted(problem: SyntaxProblem, offset: int, last_line: int) -> SyntaxProblem:
    span = problem.span
    end_line = min(span.end_line + offset, last_line)
    return SyntaxProblem(
        problem.message, Span(span.line + offset, span.column, end_line, span.end_column)
    )
