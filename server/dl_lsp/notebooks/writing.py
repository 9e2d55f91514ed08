"""Writing changed cell sources into a notebook file: only the sources change, atomically.

The new file text is the old one with each changed cell's ``source`` value replaced in place,
written in the style the file already uses (a list of lines, indented as before, or one
string), so outputs, metadata, key order and formatting stay byte for byte. The result is read
back before it is written; the write is a temporary file and ``os.replace``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path

from dl_lsp import atomic
from dl_lsp.files import ReadProblem
from dl_lsp.notebooks.json_positions import JsonNode
from dl_lsp.notebooks.reading import Notebook, parse_notebook, source_nodes

_INDENT = re.compile(r"[ \t]*\n[ \t]*")


def render_notebook(notebook: Notebook, sources: Mapping[int, str]) -> str | ReadProblem:
    """The notebook file's text with the given cells' sources (by 0-based cell index)."""
    if not sources:
        return notebook.text
    try:
        nodes = source_nodes(notebook.text)
    except (ValueError, RecursionError):
        return ReadProblem("cannot locate the cell sources in the notebook file")
    ascii_only = notebook.text.isascii()
    pieces: list[str] = []
    position = 0
    for index in sorted(sources):
        node = nodes[index] if 0 <= index < len(nodes) else None
        if node is None:
            return ReadProblem(f"cell {index + 1} of the notebook has no source to replace")
        pieces.append(notebook.text[position : node.start])
        pieces.append(_source_value(notebook.text, node, sources[index], ascii_only))
        position = node.end
    pieces.append(notebook.text[position:])
    text = "".join(pieces)
    return _verified(text, notebook, sources)


def write_notebook(
    path: Path, notebook: Notebook, sources: Mapping[int, str]
) -> ReadProblem | None:
    """Write the new sources into the file ``notebook`` was read from; None when written.

    Refuses when the file changed on disk since it was read (never overwrite someone's work)."""
    text = render_notebook(notebook, sources)
    if isinstance(text, ReadProblem):
        return text
    try:
        current = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        return ReadProblem(f"cannot read {path} again before writing: {error}")
    if current != notebook.text:
        return ReadProblem(f"{path} changed on disk since it was read; not written")
    return write_text_atomically(path, text)


def write_text_atomically(path: Path, text: str) -> ReadProblem | None:
    """Write ``text`` (UTF-8) atomically (``dl_lsp.atomic``); a failure comes back in words."""
    try:
        atomic.write_text_atomically(path, text)
    except OSError as error:
        return ReadProblem(f"cannot write {path}: {error.strerror or error}")
    return None


def source_lines(source: str) -> list[str]:
    """A source as nbformat stores it: lines with their line breaks (the last without one)."""
    return source.splitlines(keepends=True) if source else []


def _source_value(text: str, node: JsonNode, source: str, ascii_only: bool) -> str:
    if text[node.start] == '"':
        return json.dumps(source, ensure_ascii=ascii_only)
    parts = [json.dumps(line, ensure_ascii=ascii_only) for line in source_lines(source)]
    if not parts:
        return "[]"
    if node.items:
        opening = text[node.start + 1 : node.items[0].start]
        closing = text[node.items[-1].end : node.end - 1]
    elif "\n" in text[: node.start]:  # an empty list in an indented file: one step deeper
        line_start = text.rfind("\n", 0, node.start) + 1
        line = text[line_start : node.start]
        indent = line[: len(line) - len(line.lstrip())]
        opening, closing = "\n" + indent + " ", "\n" + indent
    else:  # a file on one line
        opening, closing = "", ""
    if _INDENT.fullmatch(opening):
        return "[" + opening + ("," + opening).join(parts) + closing + "]"
    return "[" + ", ".join(parts) + "]"


def _verified(text: str, notebook: Notebook, sources: Mapping[int, str]) -> str | ReadProblem:
    """The new text, if it reads back as the same notebook with exactly the new sources."""
    again = parse_notebook(text)
    if isinstance(again, ReadProblem):
        return ReadProblem(f"the rewritten notebook would not read back ({again.message})")
    expected = [sources.get(cell.index, cell.source) for cell in notebook.cells]
    if [cell.source for cell in again.cells] != expected:
        return ReadProblem("the rewritten notebook would not hold the new sources")
    return text
