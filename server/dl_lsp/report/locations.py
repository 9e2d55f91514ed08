"""Where a finding is, as reports show it: a file position, or a cell and a position in it.

Notebook findings carry spans in the notebook's program (its code cells one after another);
reports give them in the cell they are in: ``train.ipynb:cell 3:2:5`` in text, ``cell`` and
cell-relative lines in JSON, and for SARIF the lines of the .ipynb file that hold the code.
"""

from __future__ import annotations

from dataclasses import dataclass

from dl_lsp.facts.span import Span
from dl_lsp.notebooks.program import CellMap, CellSlice
from dl_lsp.report.results import PathFinding


@dataclass(frozen=True)
class ReportLocation:
    """A range in the file, or (for notebooks) in the cell ``cell``."""

    span: Span
    cell: CellSlice | None = None

    def prefix(self, path: str) -> str:
        """``path:line:col`` or ``path:cell N:line:col`` (1-based column)."""
        where = f"{path}:cell {self.cell.number}" if self.cell is not None else path
        return f"{where}:{self.span.line}:{self.span.column + 1}"

    def file_lines(self) -> tuple[int, int] | None:
        """For a notebook read from a file, the file lines the cell range is written on."""
        if self.cell is None or not self.cell.file_lines:
            return None
        lines = self.cell.file_lines

        def file_line(cell_line: int) -> int:
            return lines[min(max(cell_line, 1), len(lines)) - 1]

        return file_line(self.span.line), file_line(self.span.end_line)


def locate(span: Span, cells: CellMap | None) -> ReportLocation:
    """A report location for a span of a file, or of a notebook program with its cell map."""
    if cells is None:
        return ReportLocation(span)
    found = cells.to_cell(span)
    if found is None:  # past the last cell: cannot happen for spans the engine reports
        return ReportLocation(span)
    return ReportLocation(found.span, found.cell)


def finding_location(item: PathFinding) -> ReportLocation:
    """Where a reported finding is."""
    return locate(item.finding.span, item.cells)
