"""Jupyter notebooks: the code cells of an nbformat 4 file analysed and edited as one program.

The library API (pure functions over frozen data; only ``write_notebook`` touches the disk)::

    notebook = read_notebook(path)                  # Notebook, or ReadProblem (broken JSON ...)
    program = notebook_program(notebook)            # NotebookProgram: .text and .cells (CellMap)
    analysis = analyze_notebook(program, str(path), settings)  # findings in program lines
    where = program.cells.to_cell(finding.span)     # CellSpan: .cell (CellSlice), .span
    sources = sources_from_program(program, edited_text)  # {cell index: new source}
    write_notebook(path, notebook, sources)         # atomic, only the sources change
    text = render_notebook(notebook, sources)       # or: the new file text, to write elsewhere

Cells are numbered like nbformat stores them: ``index`` 0-based among all cells, markdown
included; ``CellSlice.number`` is the 1-based number shown to users (``cell 3``).
"""

from dl_lsp.notebooks.analysis import analyze_notebook
from dl_lsp.notebooks.editing import sources_from_program
from dl_lsp.notebooks.program import (
    CellMap,
    CellSlice,
    CellSource,
    CellSpan,
    NotebookProgram,
    notebook_program,
    program_from_cells,
    split_cell_lines,
)
from dl_lsp.notebooks.reading import (
    Notebook,
    NotebookCell,
    is_notebook_path,
    parse_notebook,
    read_notebook,
)
from dl_lsp.notebooks.writing import render_notebook, write_notebook, write_text_atomically

__all__ = [
    "CellMap",
    "CellSlice",
    "CellSource",
    "CellSpan",
    "Notebook",
    "NotebookCell",
    "NotebookProgram",
    "analyze_notebook",
    "is_notebook_path",
    "notebook_program",
    "parse_notebook",
    "program_from_cells",
    "read_notebook",
    "render_notebook",
    "sources_from_program",
    "split_cell_lines",
    "write_notebook",
    "write_text_atomically",
]
