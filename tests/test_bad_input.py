"""Files that are not ordinary Python text: each gets a clear message, the rest are still checked."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dl_lsp.checks import ALL_CHECKS
from dl_lsp.cli import main
from dl_lsp.config import Settings
from dl_lsp.engine import Analysis, analyze_source
from dl_lsp.files import ReadProblem, SourceText, decode_source, read_source

SYNTAX_ERROR = "import keras\nmodel = keras.Sequential(\n"


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A folder with one ordinary file whose finding proves that checking went on."""
    (tmp_path / "good.py").write_text(SYNTAX_ERROR, encoding="utf-8")
    return tmp_path


def assert_good_file_checked(project: Path, out: str) -> None:
    assert f"{project / 'good.py'}:2:" in out


def test_empty_file_is_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty.py").write_bytes(b"")
    assert run_cli(capsys, "check", str(tmp_path)) == (0, "", "All checks passed\n")


def test_binary_file_is_skipped(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    binary = project / "weights.py"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    code, out, err = run_cli(capsys, "check", str(project))
    assert code == 1
    assert f"{binary}: error: binary file (contains NUL bytes), skipped" in err
    assert_good_file_checked(project, out)


def test_non_utf8_without_cookie(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    latin = project / "latin.py"
    latin.write_bytes(b"x = 1\ny = 2\nname = 'caf\xe9'\n")
    code, out, err = run_cli(capsys, "check", str(project))
    assert code == 1
    assert f"{latin}: error: not valid UTF-8 (byte 0xe9 on line 3)" in err
    assert_good_file_checked(project, out)


def test_coding_cookie_is_honoured(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "latin.py"
    path.write_bytes(b"# -*- coding: latin-1 -*-\nname = 'caf\xe9'\n")
    assert read_source(path) == SourceText(
        "# -*- coding: latin-1 -*-\nname = 'café'\n", "iso-8859-1"
    )
    assert run_cli(capsys, "check", str(path))[:2] == (0, "")


def test_utf8_byte_order_mark_is_dropped() -> None:
    decoded = decode_source(b"\xef\xbb\xbfx = 1\n")
    assert decoded == SourceText("x = 1\n", "utf-8-sig")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"# coding: klingon\nx = 1\n", "unknown encoding: klingon"),
        (b"# coding: ascii\nname = 'caf\xc3\xa9'\n", "not valid ascii"),
        (b"\xef\xbb\xbf# coding: latin-1\nx = 1\n", "byte order mark"),
    ],
)
def test_undecodable_text_is_explained(data: bytes, expected: str) -> None:
    problem = decode_source(data)
    assert isinstance(problem, ReadProblem)
    assert expected in problem.message


def test_fifty_thousand_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    block = "def layer_{n}(x):\n    y = x * {n}\n    return y + 1\n\n\n"
    text = "".join(block.format(n=n) for n in range(10_000))
    assert text.count("\n") == 50_000
    (tmp_path / "big.py").write_text(text, encoding="utf-8")
    assert run_cli(capsys, "check", str(tmp_path))[:2] == (0, "")


@pytest.mark.parametrize(
    "text",
    [
        "x = " + "(" * 5000 + "1" + ")" * 5000,
        "x = " + "-" * 5000 + "1",
        "x = " + " + ".join(["a"] * 5000),
        "x = a" + ".b" * 5000,
        "x = f" + "(1)" * 5000,
        "x = " + "[" * 5000 + "]" * 5000,
        "x = " + "lambda: " * 5000 + "1",
    ],
    ids=["parens", "unary", "binop", "attribute", "calls", "lists", "lambdas"],
)
def test_deeply_nested_expression(
    text: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "deep.py").write_text(text, encoding="utf-8")
    code, out, err = run_cli(capsys, "check", str(project))
    assert code == 1
    deep = [line for line in (out + err).splitlines() if line.startswith(str(project / "deep.py"))]
    assert deep, "the deep file must be reported"
    assert_good_file_checked(project, out)


def test_expression_that_parses_but_is_too_deep_to_analyse(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A long sum parses (the parser handles left recursion) but nests 600 levels deep.
    deep = project / "generated_sum.py"
    deep.write_text("total = " + " + ".join(f"w{n}" for n in range(600)) + "\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "check", str(project))
    assert code in (0, 1)
    assert "internal error" not in err
    assert_good_file_checked(project, out)


def test_recursion_error_in_a_check_is_a_file_problem(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def recursing_check(context: object, rule: object) -> list[object]:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setitem(ALL_CHECKS, "LLM", recursing_check)
    code, out, err = run_cli(capsys, "check", str(project))
    assert code == 1
    assert f"{project / 'good.py'}: error: code nested too deeply to analyse (check LLM" in err
    assert "internal error" not in err
    assert_good_file_checked(project, out)


def test_recursion_error_during_analysis_is_a_file_problem(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def recursing(text: str, path: str | None = None, settings: Settings | None = None) -> Analysis:
        if path and path.endswith("deep.py"):
            raise RecursionError("maximum recursion depth exceeded")
        return analyze_source(text, path, settings)

    monkeypatch.setattr("dl_lsp.report.runner.analyze_source", recursing)
    (project / "deep.py").write_text("x = 1\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "check", str(project))
    assert code == 1
    assert f"{project / 'deep.py'}: error: code nested too deeply to analyse" in err
    assert_good_file_checked(project, out)


def test_broken_symlink(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    link = project / "gone.py"
    link.symlink_to(project / "deleted_long_ago.py")
    code, out, err = run_cli(capsys, "check", str(project))
    assert code == 1
    assert f"{link}: error: broken symbolic link, skipped" in err
    assert_good_file_checked(project, out)


def test_directory_named_like_a_python_file(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "model.py").mkdir()
    (project / "model.py" / "inner.py").write_text(SYNTAX_ERROR, encoding="utf-8")
    code, out, _ = run_cli(capsys, "check", str(project))
    assert code == 1
    assert f"{project / 'model.py' / 'inner.py'}:2:" in out
    assert_good_file_checked(project, out)
    problem = read_source(project / "model.py")
    assert isinstance(problem, ReadProblem)
    assert problem.message.startswith("is a directory")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_fifo_is_skipped_without_blocking(project: Path) -> None:
    os.mkfifo(project / "pipe.py")
    # A subprocess with a timeout: a CLI that opened the FIFO for reading would hang forever.
    completed = subprocess.run(
        [sys.executable, "-m", "dl_lsp", "check", str(project)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 1
    assert f"{project / 'pipe.py'}: error: is a FIFO (named pipe), not a regular file" in (
        completed.stderr
    )
    assert_good_file_checked(project, completed.stdout)


def test_unreadable_file(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = project / "secret.py"
    secret.write_text("x = 1\n", encoding="utf-8")
    real_open = os.open

    def deny(path: str | os.PathLike[str], flags: int, *args: int) -> int:
        if str(path).endswith("secret.py"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", deny)
    code, out, err = run_cli(capsys, "check", str(project))
    assert code == 1
    assert f"{secret}: error: permission denied, skipped" in err
    assert_good_file_checked(project, out)


def test_read_error_after_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "flaky.py"
    path.write_text("x = 1\n", encoding="utf-8")

    def failing_fdopen(*args: object, **kwargs: object) -> object:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fdopen", failing_fdopen)
    assert read_source(path) == ReadProblem("cannot read: Input/output error")


def test_file_removed_before_reading(tmp_path: Path) -> None:
    problem = read_source(tmp_path / "vanished.py")
    assert isinstance(problem, ReadProblem)
    assert "not found" in problem.message
