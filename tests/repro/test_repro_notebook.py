"""``dl-lsp repro`` on a notebook: a notebook comes back, each cell with its share of the code."""

from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path

import pytest

from dl_lsp.cli import main

NOTEBOOKS = Path(__file__).parents[1] / "notebooks"


def _cells(path: Path) -> list[dict[str, object]]:
    cells: list[dict[str, object]] = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return cells


def _source(cell: dict[str, object]) -> str:
    source = cell["source"]
    return "".join(source) if isinstance(source, list) else str(source)


def test_a_notebook_comes_back_with_its_cells_and_magics(tmp_path: Path) -> None:
    notebook = tmp_path / "analysis.ipynb"
    shutil.copy(NOTEBOOKS / "magics_and_shell_cells.ipynb", notebook)
    output = tmp_path / "reproducible.ipynb"
    assert main(["repro", "--no-search", str(notebook), "-o", str(output)]) == 0
    before, after = _cells(notebook), _cells(output)
    assert len(after) == len(before)
    assert [c["cell_type"] for c in after] == [c["cell_type"] for c in before]
    # Shell and %%writefile cells are not Python: nothing is inserted into them.
    for old, new in zip(before, after, strict=True):
        if _source(old).startswith(("%%bash", "%%writefile")):
            assert _source(new) == _source(old)
    # The magics stay on their lines, and the inserted fingerprint runs after numpy's import.
    code = "\n".join(_source(c) for c in after if c["cell_type"] == "code")
    assert "%load_ext autoreload" in code and "!ls data/" in code
    assert code.index("import numpy as np") < code.index("np.random.seed(0)")


def test_the_program_is_written_when_the_output_is_a_python_file(tmp_path: Path) -> None:
    output = tmp_path / "reproducible.py"
    notebook = NOTEBOOKS / "keras_softmax_single_unit_across_cells.ipynb"
    assert main(["repro", "--no-search", str(notebook), "-o", str(output)]) == 0
    ast.parse(output.read_text(encoding="utf-8"))


def test_a_broken_notebook_still_gives_valid_python(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["repro", "--no-search", str(NOTEBOOKS / "truncated_download.ipynb")]) == 0
    ast.parse(capsys.readouterr().out)
