"""Reading an nbformat 4 notebook: its cells, their sources, and where each source line is."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dl_lsp.files import ReadProblem, read_file_bytes
from dl_lsp.notebooks.json_positions import JsonNode, TextLines, scan_json

NOTEBOOK_SUFFIX = ".ipynb"
CODE = "code"
_CELL_KINDS = frozenset({"code", "markdown", "raw"})


@dataclass(frozen=True)
class NotebookCell:
    """One cell: its place among all cells (0-based), kind, source text and nbformat id."""

    index: int
    kind: str
    source: str
    cell_id: str | None = None
    # The 1-based line of the .ipynb file that holds each line of the source (empty when the
    # notebook did not come from a file).
    file_lines: tuple[int, ...] = ()


@dataclass(frozen=True)
class Notebook:
    """A notebook's cells, its kernel language, and the file text it was read from."""

    cells: tuple[NotebookCell, ...]
    language: str = "python"
    text: str = ""

    @property
    def code_cells(self) -> tuple[NotebookCell, ...]:
        return tuple(cell for cell in self.cells if cell.kind == CODE)


def is_notebook_path(path: str | Path) -> bool:
    """Whether a path names a Jupyter notebook (by its suffix)."""
    return str(path).lower().endswith(NOTEBOOK_SUFFIX)


def read_notebook(path: Path) -> Notebook | ReadProblem:
    """Read a notebook file; anything that is not an nbformat 4 Python notebook is a problem."""
    data = read_file_bytes(path)
    if isinstance(data, ReadProblem):
        return data
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return ReadProblem(f"not a notebook: the file is not UTF-8 (line {line}), skipped")
    return parse_notebook(text)


def parse_notebook(text: str) -> Notebook | ReadProblem:
    """A notebook from the text of an .ipynb file, or why it cannot be one."""
    if not text.strip():
        return ReadProblem("not a notebook: the file is empty, skipped")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        return ReadProblem(_json_error_message(text, error))
    except RecursionError:
        return ReadProblem("not a notebook: the JSON is nested too deeply, skipped")
    if not isinstance(document, dict):
        return ReadProblem("not a notebook: the JSON is not an object, skipped")
    version = document.get("nbformat")
    if "worksheets" in document or (isinstance(version, int) and version < 4):
        return ReadProblem(
            f"nbformat {version} notebooks are not supported, skipped; convert it with "
            "'jupyter nbconvert --to notebook --nbformat 4'"
        )
    raw_cells = document.get("cells")
    if not isinstance(raw_cells, list):
        return ReadProblem("not a notebook: there is no 'cells' list, skipped")
    language = notebook_language(document.get("metadata"))
    if language != "python":
        return ReadProblem(f"not a Python notebook (kernel language {language!r}), skipped")
    cells: list[NotebookCell] = []
    for index, raw in enumerate(raw_cells):
        cell = _cell(index, raw)
        if isinstance(cell, ReadProblem):
            return cell
        cells.append(cell)
    return Notebook(_with_file_lines(cells, text), language, text)


def notebook_language(metadata: Any) -> str:
    """The kernel's language from the notebook metadata (Python when it says nothing)."""
    if not isinstance(metadata, dict):
        return "python"
    for key, field in (("kernelspec", "language"), ("language_info", "name")):
        section = metadata.get(key)
        if isinstance(section, dict) and isinstance(section.get(field), str):
            return str(section[field]).strip().lower() or "python"
    return "python"


def _cell(index: int, raw: Any) -> NotebookCell | ReadProblem:
    number = index + 1
    if not isinstance(raw, dict):
        return ReadProblem(f"not a valid notebook: cell {number} is not a JSON object, skipped")
    kind = raw.get("cell_type")
    if kind not in _CELL_KINDS:
        return ReadProblem(f"not a valid notebook: cell {number} has cell_type {kind!r}, skipped")
    source = raw.get("source", "")
    if isinstance(source, list) and all(isinstance(part, str) for part in source):
        source = "".join(source)
    if not isinstance(source, str):
        return ReadProblem(
            f"not a valid notebook: the source of cell {number} is not text, skipped"
        )
    cell_id = raw.get("id")
    return NotebookCell(index, str(kind), source, cell_id if isinstance(cell_id, str) else None)


def _with_file_lines(cells: Sequence[NotebookCell], text: str) -> tuple[NotebookCell, ...]:
    """Record the file line of every source line (for SARIF); the cells as they are if the
    positions cannot be found."""
    try:
        sources = source_nodes(text)
    except (ValueError, RecursionError):
        return tuple(cells)
    lines = TextLines(text)
    located: list[NotebookCell] = []
    for cell in cells:
        node = sources[cell.index] if cell.index < len(sources) else None
        file_lines = _source_file_lines(cell.source, node, text, lines) if node else ()
        located.append(NotebookCell(cell.index, cell.kind, cell.source, cell.cell_id, file_lines))
    return tuple(located)


def source_nodes(text: str) -> list[JsonNode | None]:
    """The position of each cell's ``source`` value in the file text (None where absent)."""
    root = scan_json(text)
    cells = root.members.get("cells")
    if cells is None:
        return []
    return [cell.members.get("source") for cell in cells.items]


def _source_file_lines(source: str, node: JsonNode, text: str, lines: TextLines) -> tuple[int, ...]:
    if not node.items:  # one string: JSON strings hold no raw line breaks, one file line
        return (lines.line_of(node.start),) * (source.count("\n") + 1)
    result: list[int] = []
    for item in node.items:
        part: str = json.loads(text[item.start : item.end])
        result.extend([lines.line_of(item.start)] * part.count("\n"))
    last_part_open = not source.endswith("\n")
    if last_part_open or not result:
        result.append(lines.line_of(node.items[-1].start))
    else:
        result.append(result[-1])  # the empty line after a final line break
    return tuple(result)


def _json_error_message(text: str, error: json.JSONDecodeError) -> str:
    if "\n<<<<<<< " in "\n" + text or "\n>>>>>>> " in text:
        return (
            "not valid JSON: the notebook contains merge-conflict markers (<<<<<<<), skipped; "
            "resolve the conflict first (nbdime can merge notebooks)"
        )
    return (
        f"not valid JSON (line {error.lineno}, column {error.colno}: {error.msg}), skipped; "
        "the notebook may be truncated or edited by hand"
    )
