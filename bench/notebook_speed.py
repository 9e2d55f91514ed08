"""What analysing a notebook costs next to the same code as one script.

Builds a notebook of the clean corpus programs (one program split into cells at its blank
lines, with a magic line and a shell line per program), then times, in milliseconds (best of N):
reading the .ipynb, building the program, ``analyze_notebook`` (each cell parsed alone first)
against ``analyze_source`` on the same program text, splitting an edited program back into
cells, and rendering the notebook file with one changed cell.

Usage: python bench/notebook_speed.py [--repeat N]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from dl_lsp.engine import analyze_source
from dl_lsp.notebooks import (
    Notebook,
    analyze_notebook,
    notebook_program,
    read_notebook,
    render_notebook,
    sources_from_program,
)

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "clean_corpus"


def best_ms(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times) * 1000


def corpus_notebook(path: Path) -> int:
    """Write the notebook; return its number of code lines."""
    cells = []
    lines = 0
    for program in sorted(CORPUS.glob("*.py")):
        cells.append(new_markdown_cell(f"## {program.stem}"))
        cells.append(new_code_cell("%matplotlib inline\n!nvidia-smi"))
        for chunk in program.read_text().split("\n\n\n"):
            if chunk.strip():
                cells.append(new_code_cell(chunk.strip("\n")))
                lines += chunk.count("\n") + 1
    nbformat.write(new_notebook(cells=cells), str(path))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "corpus.ipynb"
        lines = corpus_notebook(path)
        notebook = read_notebook(path)
        assert isinstance(notebook, Notebook)
        program = notebook_program(notebook)
        edited = program.text.replace("import", "import  ", 1)
        changed = sources_from_program(program, edited)
        figures = {
            "read .ipynb": best_ms(lambda: read_notebook(path), args.repeat),
            "build program": best_ms(lambda: notebook_program(notebook), args.repeat),
            "analyze_source (program text)": best_ms(
                lambda: analyze_source(program.text), args.repeat
            ),
            "analyze_notebook": best_ms(lambda: analyze_notebook(program), args.repeat),
            "sources_from_program (one edit)": best_ms(
                lambda: sources_from_program(program, edited), args.repeat
            ),
            "render_notebook (one cell)": best_ms(
                lambda: render_notebook(notebook, changed), args.repeat
            ),
        }
    cells = len(program.cells.slices)
    print(f"notebook: {len(notebook.cells)} cells ({cells} code), {lines} code lines")
    for name, value in figures.items():
        print(f"{name:34} {value:8.1f} ms")
    ratio = figures["analyze_notebook"] / figures["analyze_source (program text)"]
    print(f"{'notebook / script analysis':34} {ratio:8.2f} x")


if __name__ == "__main__":
    main()
