"""``dl-lsp check`` on notebooks: discovery, and cell-aware text, JSON and SARIF reports."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from dl_lsp.cli import main
from dl_lsp.files import discover_python_files

NOTEBOOKS = Path(__file__).parent / "notebooks"
SOFTMAX = "keras_softmax_single_unit_across_cells.ipynb"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with two notebooks, a truncated one, a checkpoint copy and a script."""
    monkeypatch.chdir(tmp_path)
    for name in (SOFTMAX, "torch_cell_with_syntax_error.ipynb", "truncated_download.ipynb"):
        shutil.copy(NOTEBOOKS / name, tmp_path / name)
    checkpoints = tmp_path / ".ipynb_checkpoints"
    checkpoints.mkdir()
    shutil.copy(NOTEBOOKS / SOFTMAX, checkpoints / "copy-checkpoint.ipynb")
    (tmp_path / "train.py").write_text("import numpy as np\n", encoding="utf-8")
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["check", "--no-config", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_folders_are_searched_for_notebooks_but_not_their_checkpoints(project: Path) -> None:
    found = discover_python_files([str(project)])
    assert sorted(f.path.name for f in found.files) == [
        SOFTMAX,
        "torch_cell_with_syntax_error.ipynb",
        "train.py",
        "truncated_download.ipynb",
    ]


def test_text_reports_name_the_cell(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, ".")
    assert code == 1
    lines = out.splitlines()
    assert f"{SOFTMAX}:cell 4:4:31: LLM softmax over a single unit" in "\n".join(lines)
    assert any(
        line.startswith("torch_cell_with_syntax_error.ipynb:cell 2:1:22: SNP001") for line in lines
    )
    assert any(
        line.startswith("torch_cell_with_syntax_error.ipynb:cell 3:8:9: TRN301") for line in lines
    )
    # The broken notebook is a problem of its own; the others were still checked.
    assert "truncated_download.ipynb: error: not valid JSON (line 10" in err


def test_json_gives_the_cell_and_positions_inside_it(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run(capsys, "--format", "json", SOFTMAX, "train.py")
    records = json.loads(out)
    llm = next(record for record in records if record["code"] == "LLM")
    assert llm["path"] == SOFTMAX
    assert (llm["cell"], llm["cell_id"]) == (4, "keras_softmax_single-3")
    assert (llm["line"], llm["column"], llm["end_line"], llm["end_column"]) == (4, 31, 4, 40)


def sarif_results(out: str) -> list[dict[str, Any]]:
    log = json.loads(out)
    results: list[dict[str, Any]] = log["runs"][0]["results"]
    return results


def test_sarif_points_at_the_notebook_lines_and_names_the_cell(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run(capsys, "--format", "sarif", SOFTMAX)
    llm = next(result for result in sarif_results(out) if result["ruleId"] == "LLM")
    [location] = llm["locations"]
    physical = location["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == SOFTMAX
    file_line = (project / SOFTMAX).read_text().splitlines()[physical["region"]["startLine"] - 1]
    assert "model.add(Dense(1, activation='softmax'))" in file_line
    assert location["logicalLocations"] == [
        {"name": "cell 4", "fullyQualifiedName": f"{SOFTMAX}:cell 4"}
    ]
    properties = location["properties"]
    assert (properties["cell"], properties["cellIndex"]) == (4, 3)
    assert properties["cellRegion"] == {
        "startLine": 4,
        "startColumn": 31,
        "endLine": 4,
        "endColumn": 40,
    }


def test_scripts_keep_their_plain_locations(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "train.py").write_text("import keras\nmodel = keras.Sequential(\n")
    _, out, _ = run(capsys, "--format", "json", "train.py")
    [record] = json.loads(out)
    assert "cell" not in record
    assert record["line"] == 2
