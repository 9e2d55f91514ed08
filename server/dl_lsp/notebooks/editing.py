"""An edited program back into cells: each changed line goes to the cell it came from.

Whoever edits a notebook program (a quick fix, ``dl-lsp repro``) edits one text; this module
finds, line by line, which cell each kept, changed or new line belongs to:

- kept and changed lines stay in their cell, with their original text (magics come back);
- lines inserted between two cells go to the end of the cell above (code added "before cell 5"
  runs before it either way, and ``%%`` cell magics stay on their cell's first line), unless
  that cell is not Python (``%%bash``, ``%%writefile``): then to the top of the next Python cell;
- an inserted block of only imports goes to the first Python code cell, after its imports
  (unless it was inserted inside that cell already).
"""

from __future__ import annotations

import ast
import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from dl_lsp.notebooks.magics import is_python_cell, neutralise_cell
from dl_lsp.notebooks.program import CellSlice, NotebookProgram, parse_quietly


@dataclass
class _CellDraft:
    piece: CellSlice
    lines: list[str]


def sources_from_program(program: NotebookProgram, new_text: str) -> dict[int, str]:
    """The new source of every code cell the edit changed, by cell index (0-based, all cells)."""
    slices = program.cells.slices
    if not slices:
        return {}
    old = program.text.split("\n")[:-1]
    new = new_text.split("\n")
    if new and new[-1] == "":
        new.pop()
    owner = [position for position, piece in enumerate(slices) for _ in range(piece.line_count)]
    drafts = [_CellDraft(piece, []) for piece in slices]
    imports: list[str] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                drafts[owner[i1 + k]].lines.append(program.original_lines[i1 + k])
        elif tag == "delete":
            continue
        elif tag == "replace" and i2 - i1 == j2 - j1:
            for k in range(i2 - i1):  # line for line: each new line stays in its old cell
                drafts[owner[i1 + k]].lines.append(new[j1 + k])
        elif tag == "replace":
            drafts[owner[i1]].lines.extend(new[j1:j2])
        else:  # insert before old line i1
            inserted = new[j1:j2]
            target = drafts[owner[i1 - 1]] if i1 > 0 else drafts[0]
            between_cells = 0 < i1 < len(owner) and owner[i1 - 1] != owner[i1]
            moved = between_cells or target is not _first_python(drafts)
            later = _next_python(drafts, owner[i1] if i1 < len(owner) else len(drafts))
            if moved and _only_imports(inserted):
                imports.extend(inserted)
            elif not target.piece.python and later is not None:
                # Not into a ``%%bash`` or ``%%writefile`` cell: before the next Python code.
                _insert_at_top(later, inserted)
            elif i1 == 0:
                _insert_at_top(target, inserted)
            else:
                target.lines.extend(inserted)
    if imports:
        _insert_imports(_first_python(drafts) or drafts[0], imports)
    changed: dict[int, str] = {}
    for draft in drafts:
        old_lines = program.cell_lines(draft.piece)
        if draft.lines != old_lines:
            # nbformat sources use \n line breaks.
            changed[draft.piece.cell] = "\n".join(draft.lines)
    return changed


def _next_python(drafts: Sequence[_CellDraft], start: int) -> _CellDraft | None:
    return next((draft for draft in drafts[start:] if draft.piece.python), None)


def _first_python(drafts: Sequence[_CellDraft]) -> _CellDraft | None:
    return next((draft for draft in drafts if draft.piece.python), None)


def _only_imports(lines: Sequence[str]) -> bool:
    tree = parse_quietly("\n".join(lines))
    if tree is None or not tree.body:
        return False
    return all(isinstance(s, (ast.Import, ast.ImportFrom)) for s in tree.body)


def _insert_at_top(draft: _CellDraft, inserted: Sequence[str]) -> None:
    """Insert before the cell's code, after a leading ``%%`` cell magic line if it has one."""
    position = 0
    while position < len(draft.lines) and not draft.lines[position].strip():
        position += 1
    if position < len(draft.lines) and draft.lines[position].startswith("%%"):
        draft.lines[position + 1 : position + 1] = list(inserted)
    else:
        draft.lines[0:0] = list(inserted)


def _insert_imports(draft: _CellDraft, imports: Sequence[str]) -> None:
    """After the cell's last top-level import, or before its code when it has none."""
    last = _last_import_line(draft.lines)
    if last is None:
        _insert_at_top(draft, imports)
    else:
        draft.lines[last:last] = list(imports)


def _last_import_line(lines: Sequence[str]) -> int | None:
    """The 1-based line where the cell's last top-level import ends (None: no import)."""
    text = "\n".join(neutralise_cell(list(lines))) if is_python_cell(list(lines)) else ""
    tree = parse_quietly(text)
    if tree is None:
        return None
    ends = [
        node.end_lineno or node.lineno
        for node in tree.body
        if isinstance(node, (ast.Import, ast.ImportFrom))
    ]
    return max(ends) if ends else None
