"""The notebook library: reading nbformat 4 files, one program of code cells, and back."""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from dl_lsp.facts.span import Span
from dl_lsp.files import ReadProblem
from dl_lsp.notebooks import (
    CellSource,
    Notebook,
    analyze_notebook,
    notebook_program,
    parse_notebook,
    program_from_cells,
    read_notebook,
    sources_from_program,
    write_notebook,
)
from dl_lsp.notebooks.magics import neutralise_cell

NOTEBOOKS = Path(__file__).parent / "notebooks"


def read(name: str) -> Notebook:
    notebook = read_notebook(NOTEBOOKS / name)
    assert isinstance(notebook, Notebook), notebook
    return notebook


def write_nb(path: Path, *cells: nbformat.NotebookNode) -> Path:
    notebook = new_notebook(cells=list(cells))
    notebook.metadata["kernelspec"] = {"name": "python3", "language": "python"}
    nbformat.write(notebook, str(path))
    return path


# -- reading -----------------------------------------------------------------------------------


def test_a_truncated_file_is_a_clear_problem_not_a_crash() -> None:
    problem = read_notebook(NOTEBOOKS / "truncated_download.ipynb")
    assert isinstance(problem, ReadProblem)
    assert problem.message.startswith("not valid JSON (line 10")
    assert "truncated" in problem.message


def test_merge_conflict_markers_are_named() -> None:
    text = (NOTEBOOKS / "torch_cell_with_syntax_error.ipynb").read_text()
    conflicted = text.replace(' "cells": [', '<<<<<<< HEAD\n "cells": [', 1)
    problem = parse_notebook(conflicted)
    assert isinstance(problem, ReadProblem)
    assert "merge-conflict markers" in problem.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "the file is empty"),
        ("[1, 2]", "the JSON is not an object"),
        ('{"nbformat": 3, "worksheets": []}', "nbformat 3 notebooks are not supported"),
        ('{"nbformat": 4, "metadata": {}}', "there is no 'cells' list"),
        ('{"cells": [{"cell_type": "code", "source": 7}]}', "the source of cell 1 is not text"),
        ('{"cells": [{"cell_type": "heading", "source": ""}]}', "cell 1 has cell_type 'heading'"),
    ],
)
def test_files_that_are_not_nbformat_4_notebooks_are_refused(text: str, expected: str) -> None:
    problem = parse_notebook(text)
    assert isinstance(problem, ReadProblem)
    assert expected in problem.message


def test_a_notebook_of_another_kernel_language_is_skipped() -> None:
    problem = read_notebook(NOTEBOOKS / "r_kernel.ipynb")
    assert isinstance(problem, ReadProblem)
    assert "not a Python notebook" in problem.message


def test_cells_keep_their_index_id_and_the_file_lines_of_their_source() -> None:
    notebook = read("keras_softmax_single_unit_across_cells.ipynb")
    file_lines = (NOTEBOOKS / "keras_softmax_single_unit_across_cells.ipynb").read_text()
    file_lines_list = file_lines.splitlines()
    model = notebook.cells[3]
    assert (model.index, model.kind) == (3, "code")
    assert model.cell_id == "keras_softmax_single-3"
    for number, line in enumerate(model.source.splitlines()):
        assert json.dumps(line)[1:-1] in file_lines_list[model.file_lines[number] - 1]


# -- magics and the program ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "%matplotlib inline",
        "!pip install -q torch",
        "files = !ls data/",
        "x, y = %time f()",
        "model.summary?",
        "??np.zeros",
        "pip install scikit-learn",
        "    !nvidia-smi",
    ],
)
def test_ipython_lines_become_python_of_the_same_length(line: str) -> None:
    [changed] = neutralise_cell([line])
    assert changed != line
    assert len(changed) == len(line)
    assert changed[: len(line) - len(line.lstrip())] == line[: len(line) - len(line.lstrip())]
    compile("for _ in []:\n" + changed if line.startswith(" ") else changed, "cell", "exec")


def test_python_that_looks_like_a_magic_is_left_alone() -> None:
    lines = ["x = a % b", "y = not_equal != 3", "print('!important')", "z = 5 %3"]
    assert neutralise_cell(lines) == lines


def test_a_cell_magic_with_a_python_body_keeps_the_body_and_others_are_commented_out() -> None:
    timed = neutralise_cell(["%%time", "model.fit(x, y)"])
    assert timed[1] == "model.fit(x, y)"
    assert timed[0].startswith("#")
    script = ["%%bash", "for f in *; do", "  echo $f (", "done"]
    shell = neutralise_cell(script)
    assert all(line.lstrip().startswith("#") for line in shell)
    assert [len(line) for line in shell] == [len(line) for line in script]


def test_a_shell_line_continued_with_a_backslash_is_neutralised_to_its_end() -> None:
    lines = ["!pip install torch \\", "    torchvision", "import torch"]
    changed = neutralise_cell(lines)
    assert changed[1].strip().startswith("#")
    assert changed[2] == "import torch"


def test_the_program_puts_code_cells_in_order_and_maps_positions_both_ways() -> None:
    program = notebook_program(read("keras_softmax_single_unit_across_cells.ipynb"))
    slices = program.cells.slices
    assert [piece.cell for piece in slices] == [1, 2, 3, 5]  # markdown cells 0 and 4 left out
    assert [piece.number for piece in slices] == [2, 3, 4, 6]
    model = program.cells.by_cell(3)
    assert model is not None
    line = model.first_line + 3
    assert program.text.splitlines()[line - 1] == "model.add(Dense(1, activation='softmax'))"
    found = program.cells.to_cell(Span(line, 31, line, 38))
    assert found is not None
    assert found.cell is model
    assert found.span == Span(4, 31, 4, 38)
    assert program.cells.to_program(3, found.span) == Span(line, 31, line, 38)
    # Every program line keeps the length of the cell line it comes from.
    assert [len(line) for line in program.text.splitlines()] == [
        len(line) for line in program.original_lines
    ]


def test_an_empty_cell_and_a_trailing_line_break_keep_the_line_count_an_editor_shows() -> None:
    program = program_from_cells(
        [CellSource(0, "import torch\n"), CellSource(1, ""), CellSource(2, "x = 1")]
    )
    assert [p.line_count for p in program.cells.slices] == [2, 1, 1]
    assert [p.first_line for p in program.cells.slices] == [1, 3, 4]


# -- analysis ----------------------------------------------------------------------------------------


def test_facts_flow_across_cells() -> None:
    program = notebook_program(read("keras_softmax_single_unit_across_cells.ipynb"))
    findings = analyze_notebook(program).findings
    llm = [f for f in findings if f.code == "LLM"]
    assert len(llm) == 1
    where = program.cells.to_cell(llm[0].span)
    assert where is not None
    assert (where.cell.number, where.span.line) == (4, 4)


def test_a_cell_with_a_syntax_error_does_not_swallow_the_cells_after_it() -> None:
    program = notebook_program(read("torch_cell_with_syntax_error.ipynb"))
    findings = analyze_notebook(program).findings
    placed = {}
    for finding in findings:
        where = program.cells.to_cell(finding.span)
        assert where is not None
        placed[finding.code] = where.cell.number
    assert placed["SNP001"] == 2
    assert placed["TRN301"] == 3  # the loop of cell 3, analysed although cell 2 is broken
    assert [f.code for f in findings].count("SNP001") == 1


def test_an_unterminated_string_stays_in_its_cell() -> None:
    program = program_from_cells(
        [
            CellSource(0, 'note = """never closed\nimport torch'),
            CellSource(1, "import torch\nfor x in loader:\n    loss.backward()\n    opt.step()"),
        ]
    )
    findings = analyze_notebook(program).findings
    errors = [f for f in findings if f.code == "SNP001"]
    assert errors and all(f.span.end_line <= 2 for f in errors)
    assert any(f.code == "TRN301" for f in findings)


def test_magics_and_non_python_cells_are_not_syntax_errors() -> None:
    program = notebook_program(read("magics_and_shell_cells.ipynb"))
    assert [f.code for f in analyze_notebook(program).findings if f.code == "SNP001"] == []


# -- edits back into cells -----------------------------------------------------------------------


def test_an_edit_inside_a_cell_changes_only_that_cell_and_keeps_its_magics() -> None:
    program = notebook_program(read("keras_softmax_single_unit_across_cells.ipynb"))
    new = program.text.replace("activation='softmax'", "activation='sigmoid'")
    sources = sources_from_program(program, new)
    assert list(sources) == [3]
    assert "Dense(1, activation='sigmoid')" in sources[3]
    new = program.text.replace("history = model.fit(", "history = model.fit(  ")
    timed = sources_from_program(program, new)[5]
    assert timed.startswith("%%time\n")


def test_new_imports_go_to_the_first_code_cell_after_its_imports() -> None:
    program = notebook_program(read("keras_softmax_single_unit_across_cells.ipynb"))
    lines = program.text.splitlines(keepends=True)
    model = program.cells.by_cell(3)
    assert model is not None
    lines.insert(model.first_line, "import random\n")  # inside the model cell
    sources = sources_from_program(program, "".join(lines))
    assert list(sources) == [1]
    assert sources[1].splitlines() == [
        "%matplotlib inline",
        "!pip install -q tensorflow",
        "import numpy as np",
        "from tensorflow import keras",
        "from tensorflow.keras.layers import Dense, Dropout",
        "import random",
    ]


def test_imports_go_after_a_leading_cell_magic_when_the_first_cell_has_none() -> None:
    program = program_from_cells(
        [CellSource(0, "%%capture\nprint('setup')"), CellSource(1, "x = np.zeros(3)")]
    )
    new = program.text.replace("x = np.zeros(3)", "import numpy as np\nx = np.zeros(3)")
    sources = sources_from_program(program, new)
    assert sources == {0: "%%capture\nimport numpy as np\nprint('setup')"}


def test_code_inserted_between_two_cells_goes_to_the_end_of_the_cell_above() -> None:
    program = program_from_cells(
        [CellSource(0, "import torch"), CellSource(2, "model = Net()"), CellSource(4, "train()")]
    )
    new = program.text.replace("train()", "torch.manual_seed(0)\ntrain()")
    assert sources_from_program(program, new) == {2: "model = Net()\ntorch.manual_seed(0)"}


# -- writing back ------------------------------------------------------------------------------------


def test_writing_back_changes_only_the_cell_sources(tmp_path: Path) -> None:
    path = tmp_path / "nb.ipynb"
    path.write_bytes((NOTEBOOKS / "keras_softmax_single_unit_across_cells.ipynb").read_bytes())
    notebook = read_notebook(path)
    assert isinstance(notebook, Notebook)
    program = notebook_program(notebook)
    new = program.text.replace("activation='softmax'", "activation='sigmoid'")
    assert write_notebook(path, notebook, sources_from_program(program, new)) is None
    before = notebook.text.splitlines()
    after = path.read_text().splitlines()
    changed = [(old, new) for old, new in zip(before, after, strict=True) if old != new]
    assert changed == [
        (
            "    \"model.add(Dense(1, activation='softmax'))\\n\",",
            "    \"model.add(Dense(1, activation='sigmoid'))\\n\",",
        )
    ]
    again = nbformat.read(str(path), as_version=4)
    nbformat.validate(again)


def test_added_lines_are_written_in_the_files_list_style(tmp_path: Path) -> None:
    path = write_nb(
        tmp_path / "nb.ipynb",
        new_markdown_cell("# T"),
        new_code_cell("import torch"),
        new_code_cell(""),
    )
    notebook = read_notebook(path)
    assert isinstance(notebook, Notebook)
    sources = {1: "import torch\nimport numpy as np", 2: "x = 1\ny = 2"}
    assert write_notebook(path, notebook, sources) is None
    written = nbformat.read(str(path), as_version=4)
    assert [cell.source for cell in written.cells] == ["# T", *sources.values()]
    assert '   "source": [\n    "x = 1\\n",\n    "y = 2"\n   ]' in path.read_text()


def test_a_single_string_source_stays_a_string(tmp_path: Path) -> None:
    path = tmp_path / "nb.ipynb"
    cells = [{"cell_type": "code", "metadata": {}, "outputs": [], "source": "import torch\nx = 1"}]
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4}))
    notebook = read_notebook(path)
    assert isinstance(notebook, Notebook)
    assert write_notebook(path, notebook, {0: "import torch\nx = 2"}) is None
    assert json.loads(path.read_text())["cells"][0]["source"] == "import torch\nx = 2"


def test_a_file_changed_on_disk_since_it_was_read_is_not_overwritten(tmp_path: Path) -> None:
    path = write_nb(tmp_path / "nb.ipynb", new_code_cell("x = 1"))
    notebook = read_notebook(path)
    assert isinstance(notebook, Notebook)
    write_nb(path, new_code_cell("x = 'someone else'"))
    problem = write_notebook(path, notebook, {0: "x = 2"})
    assert isinstance(problem, ReadProblem)
    assert "changed on disk" in problem.message
    assert "someone else" in path.read_text()


def test_the_write_keeps_the_file_mode_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = write_nb(tmp_path / "nb.ipynb", new_code_cell("x = 1"))
    os.chmod(path, 0o640)
    notebook = read_notebook(path)
    assert isinstance(notebook, Notebook)
    assert write_notebook(path, notebook, {0: "x = 2"}) is None
    assert os.stat(path).st_mode & 0o777 == 0o640
    assert os.listdir(tmp_path) == ["nb.ipynb"]


def test_lines_inside_brackets_strings_and_continuations_are_python_not_magics() -> None:
    lines = [
        "if (loss",
        "        != best):",  # PEP 8's break before a binary operator
        "    pass",
        'template = """',
        "%d images",
        "!important",
        '"""',
        "total = 1 + \\",
        "    %2",
        "!ls",
    ]
    changed = neutralise_cell(lines)
    assert changed[:9] == lines[:9]
    assert changed[9] == "0#~"
