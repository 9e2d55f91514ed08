"""A notebook's code cells as one program, and the map between program lines and cells.

The kernel runs code cells top to bottom in one namespace, so they are analysed as one program:
the cells' lines one after another, IPython syntax neutralised in place (``magics``). Every cell
keeps its own lines, so a program position is a cell position plus the cell's first line.
"""

from __future__ import annotations

import ast
import re
import warnings
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from dl_lsp.facts.span import Span
from dl_lsp.notebooks.magics import is_python_cell, neutralise_cell
from dl_lsp.notebooks.reading import Notebook

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class CellSource:
    """The text of one code cell and its place among all the notebook's cells (0-based)."""

    index: int
    text: str
    cell_id: str | None = None
    file_lines: tuple[int, ...] = ()


@dataclass(frozen=True)
class CellSlice:
    """Where one code cell sits in the program: ``line_count`` lines from ``first_line``."""

    cell: int  # the cell's index among all cells (0-based)
    first_line: int  # 1-based program line of the cell's first line
    line_count: int
    python: bool  # False for cells the kernel does not run as Python (%%bash, %%writefile)
    cell_id: str | None = None
    file_lines: tuple[int, ...] = ()

    @property
    def last_line(self) -> int:
        return self.first_line + self.line_count - 1

    @property
    def number(self) -> int:
        """The cell's number as users count them: 1-based, markdown cells included."""
        return self.cell + 1


@dataclass(frozen=True)
class CellSpan:
    """A range inside one cell, in ``Span``'s convention (1-based lines within the cell)."""

    cell: CellSlice
    span: Span


@dataclass(frozen=True)
class CellMap:
    """The code cells in program order; converts positions both ways."""

    slices: tuple[CellSlice, ...]

    def cell_at(self, line: int) -> CellSlice | None:
        """The cell holding a 1-based program line (None past the end)."""
        starts = [piece.first_line for piece in self.slices]
        position = bisect_right(starts, line) - 1
        if position < 0:
            return None
        piece = self.slices[position]
        return piece if line <= piece.last_line else None

    def by_cell(self, cell: int) -> CellSlice | None:
        """The slice of the cell with this index among all cells."""
        for piece in self.slices:
            if piece.cell == cell:
                return piece
        return None

    def to_cell(self, span: Span) -> CellSpan | None:
        """A program range as a range in the cell where it starts (clipped to that cell)."""
        piece = self.cell_at(span.line)
        if piece is None:
            return None
        offset = piece.first_line - 1
        if span.end_line > piece.last_line:
            # A range running into the next cell ends where this cell's text ends (the start of
            # the line after its last, as LSP ranges do).
            return CellSpan(piece, Span(span.line - offset, span.column, piece.line_count + 1, 0))
        return CellSpan(
            piece, Span(span.line - offset, span.column, span.end_line - offset, span.end_column)
        )

    def to_program(self, cell: int, span: Span) -> Span | None:
        """A range inside a cell (1-based cell lines) as a program range."""
        piece = self.by_cell(cell)
        if piece is None:
            return None
        offset = piece.first_line - 1
        return Span(span.line + offset, span.column, span.end_line + offset, span.end_column)


@dataclass(frozen=True)
class NotebookProgram:
    """The program text of a notebook's code cells, the map of its cells, and the original
    line of every program line (magics included, for writing edits back)."""

    text: str
    cells: CellMap
    original_lines: tuple[str, ...]

    def cell_lines(self, piece: CellSlice) -> list[str]:
        """The original lines of one cell."""
        start = piece.first_line - 1
        return list(self.original_lines[start : start + piece.line_count])


def split_cell_lines(text: str) -> list[str]:
    """A cell's lines as an editor shows them (a final line break leaves an empty last line)."""
    return _LINE_BREAK.split(text)


def program_from_cells(cells: Sequence[CellSource]) -> NotebookProgram:
    """The program of these code cells, in the order given."""
    program_lines: list[str] = []
    original: list[str] = []
    slices: list[CellSlice] = []
    for cell in cells:
        lines = split_cell_lines(cell.text)
        slices.append(
            CellSlice(
                cell=cell.index,
                first_line=len(program_lines) + 1,
                line_count=len(lines),
                python=is_python_cell(lines),
                cell_id=cell.cell_id,
                file_lines=cell.file_lines,
            )
        )
        program_lines.extend(neutralise_cell(lines))
        original.extend(lines)
    text = "".join(line + "\n" for line in program_lines)
    return NotebookProgram(text, CellMap(tuple(slices)), tuple(original))


def notebook_program(notebook: Notebook) -> NotebookProgram:
    """The program of a notebook's code cells (markdown and raw cells are left out)."""
    return program_from_cells(
        [
            CellSource(cell.index, cell.source, cell.cell_id, cell.file_lines)
            for cell in notebook.code_cells
        ]
    )


def parse_quietly(text: str) -> ast.Module | None:
    """The syntax tree of a text, or None when it is not valid Python (no warnings shown)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
