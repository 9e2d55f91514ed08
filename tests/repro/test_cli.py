"""``dl-lsp repro``: where the program and the report go, JSON, errors, and ``--run``."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from dl_lsp.cli import main

CORPUS = Path(__file__).resolve().parents[1] / "repro_corpus"


def test_program_to_a_file_and_report_to_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "repro.py"
    source = CORPUS / "keras_only_compile_and_fit_shown.py"
    assert main(["repro", str(source), "-o", str(out), "--no-search"]) == 0
    report = capsys.readouterr().out
    ast.parse(out.read_text(encoding="utf-8"))
    assert "A2 Neural Network Construction" in report
    assert "Still missing from the question" in report
    assert [p.name for p in tmp_path.iterdir()] == ["repro.py"]  # no temporary file left


def test_program_to_stdout_and_json_report_to_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "q.py"
    source.write_text("print answer\n", encoding="utf-8")
    assert main(["repro", str(source), "--format", "json", "--no-search"]) == 0
    captured = capsys.readouterr()
    assert "print(answer)" in captured.out
    report = json.loads(captured.err)
    assert report["steps"][0] == {
        "action": "A7",
        "name": "Compiler Error Resolution",
        "description": "line 1: Python 2 `print x` → `print(x)`",
    }
    assert "Code Snippet" in report["missing"]  # `answer` is still undefined
    assert report["run"] is None


def test_unreadable_file_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["repro", str(tmp_path / "missing.py")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_run_reports_where_the_program_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "q.py"
    source.write_text("values = [1, 2, 3]\nprint(values[3])\n", encoding="utf-8")
    out = tmp_path / "out.py"
    assert main(["repro", str(source), "-o", str(out), "--run", "--timeout", "60"]) == 1
    report = capsys.readouterr().out
    failing = out.read_text(encoding="utf-8").splitlines().index("print(values[3])") + 1
    assert f"Run: failed at line {failing}: IndexError: list index out of range" in report


def test_run_of_a_pytorch_snippet_to_the_end(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("torch")
    source = CORPUS / "torch_loop_criterion_optimizer_not_shown.py"
    out = tmp_path / "out.py"
    code = main(["repro", str(source), "-o", str(out), "--run", "--timeout", "300"])
    report = capsys.readouterr().out
    assert code == 0, report
    assert "Run: ran to the end" in report
