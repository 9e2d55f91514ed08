"""The ``dl-lsp`` command line: commands, options, settings, exit codes and output order."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import pytest

from dl_lsp import __version__
from dl_lsp.checks import ALL_CHECKS
from dl_lsp.cli import main
from dl_lsp.config import Settings
from dl_lsp.engine import Analysis, analyze_source
from dl_lsp.files import discover_python_files
from dl_lsp.ruleset import load_rules

SYNTAX_ERROR = "import keras\nmodel = keras.Sequential(\n"
CLEAN = "import numpy as np\n\nx = np.zeros(3)\n"


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "--version")
    assert code == 0
    assert out.strip() == f"dl-lsp {__version__}"


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys)
    assert code == 2
    assert "check" in err


def test_python_dash_m_runs_the_cli() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "dl_lsp", "--version"], capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 0
    assert __version__ in completed.stdout


def test_clean_file_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "clean.py", CLEAN)
    code, out, err = run_cli(capsys, "check", str(path))
    assert (code, out) == (0, "")
    assert err.strip() == "All checks passed"


def test_syntax_error_in_text_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "snippet.py", SYNTAX_ERROR)
    code, out, err = run_cli(capsys, "check", str(path))
    assert code == 1
    line = out.strip()
    assert line.startswith(f"{path}:2:")
    location, _, rest = line.partition(": ")
    column = int(location.rsplit(":", 1)[1])
    assert column >= 1  # columns are 1-based
    assert rest.startswith("SNP001 Syntax error")
    assert err.strip() == "Found 1 problem in 1 file"


def test_folders_are_searched_recursively_skipping_tool_folders(tmp_path: Path) -> None:
    write(tmp_path / "train.py", CLEAN)
    write(tmp_path / "pkg" / "model.py", CLEAN)
    write(tmp_path / "pkg" / "notes.txt", "not python")
    for skipped in (
        ".venv",
        "venv",
        "node_modules",
        "__pycache__",
        "build",
        "dist",
        ".git",
        ".hidden",
    ):
        write(tmp_path / skipped / "lib.py", SYNTAX_ERROR)
    found = discover_python_files([str(tmp_path)])
    names = sorted(Path(f.path).relative_to(tmp_path).as_posix() for f in found.files)
    assert names == ["pkg/model.py", "train.py"]


def test_explicit_file_without_py_suffix_is_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "train_script", SYNTAX_ERROR)
    code, out, _ = run_cli(capsys, "check", str(path))
    assert code == 1
    assert "SNP001" in out


def test_folder_without_python_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "README.md", "# nothing to check\n")
    code, out, err = run_cli(capsys, "check", str(tmp_path))
    assert (code, out) == (0, "")
    assert "no Python files found" in err


def test_nonexistent_path_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "a.py", CLEAN)
    code, _, err = run_cli(capsys, "check", str(tmp_path / "a.py"), str(tmp_path / "missing.py"))
    assert code == 2
    assert "missing.py" in err


@pytest.mark.parametrize(
    "option",
    [
        ["--select", "NOPE"],
        ["--ignore", "XYZ1"],
        ["--problem-type", "colour-regression"],
        ["--input-type", "smell"],
        ["--jobs", "0"],
        ["--jobs", "many"],
        ["--format", "xml"],
    ],
)
def test_bad_options_are_usage_errors(
    option: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "a.py", CLEAN)
    code, _, err = run_cli(capsys, "check", *option, str(path))
    assert code == 2
    assert err.strip()


def test_select_and_ignore(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "a.py", SYNTAX_ERROR)
    assert run_cli(capsys, "check", "--ignore", "SNP", str(path))[0] == 0
    assert run_cli(capsys, "check", "--select", "LLM,LOB", str(path))[0] == 0
    assert run_cli(capsys, "check", "--select", "snp001", str(path))[0] == 1
    assert (
        run_cli(capsys, "check", "--problem-type", "binary", "--input-type", "rgb", str(path))[0]
        == 1
    )


def test_pyproject_settings_apply_and_cli_flags_override(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "pyproject.toml", '[tool.dl-lsp]\nignore = ["SNP001"]\n')
    path = write(tmp_path / "src" / "a.py", SYNTAX_ERROR)
    assert run_cli(capsys, "check", str(path))[0] == 0
    assert run_cli(capsys, "check", "--no-config", str(path))[0] == 1
    assert run_cli(capsys, "check", "--ignore", "", str(path))[0] == 1


def test_each_file_uses_its_nearest_pyproject(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "quiet" / "pyproject.toml", '[tool.dl-lsp]\nignore = ["SNP"]\n')
    write(tmp_path / "quiet" / "a.py", SYNTAX_ERROR)
    loud = write(tmp_path / "loud" / "b.py", SYNTAX_ERROR)
    code, out, _ = run_cli(capsys, "check", str(tmp_path))
    assert code == 1
    assert [line.split(":")[0] for line in out.splitlines()] == [str(loud)]


def test_broken_pyproject_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "pyproject.toml", '[tool.dl-lsp]\nproblem-type = "soup"\n')
    path = write(tmp_path / "a.py", CLEAN)
    code, _, err = run_cli(capsys, "check", str(path))
    assert code == 2
    assert "pyproject.toml" in err
    assert "soup" in err


def test_parallel_output_equals_sequential_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for number in range(24):
        text = SYNTAX_ERROR if number % 3 else CLEAN
        write(tmp_path / f"d{number % 4}" / f"m{number:02d}.py", "\n" * (number % 5) + text)
    sequential = run_cli(capsys, "check", "--jobs", "1", "--format", "json", str(tmp_path))
    parallel = run_cli(capsys, "check", "--jobs", "3", "--format", "json", str(tmp_path))
    assert sequential == parallel
    records = json.loads(parallel[1])
    keys = [(r["path"], r["line"], r["column"]) for r in records]
    assert keys == sorted(keys)
    assert len(records) == 16


def test_failing_check_is_an_internal_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_check(context: object, rule: object) -> list[object]:
        raise KeyError("units")

    monkeypatch.setitem(ALL_CHECKS, "LLM", broken_check)
    path = write(tmp_path / "a.py", CLEAN)
    code, _, err = run_cli(capsys, "check", str(path))
    assert code == 2
    assert f"{path}: internal error: check LLM failed: KeyError" in err


def test_crash_on_one_file_still_checks_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = analyze_source

    def crashing(text: str, path: str | None = None, settings: Settings | None = None) -> Analysis:
        if path and path.endswith("crash.py"):
            raise ValueError("boom")
        return real(text, path, settings)

    monkeypatch.setattr("dl_lsp.report.runner.analyze_source", crashing)
    crash = write(tmp_path / "crash.py", CLEAN)
    other = write(tmp_path / "other.py", SYNTAX_ERROR)
    code, out, err = run_cli(capsys, "check", str(tmp_path))
    assert code == 2
    assert f"{crash}: internal error: ValueError: boom" in err
    assert out.startswith(f"{other}:")


def test_rules_text_lists_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "rules")
    assert code == 0
    for rule in load_rules().values():
        assert f"{rule.code} {rule.name}" in out
        assert rule.url in out


def test_rules_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "rules", "--format", "json")
    assert code == 0
    records = json.loads(out)
    assert [r["code"] for r in records] == list(load_rules())
    expected = {"code", "name", "bug_type", "severity", "family", "summary", "url", "doc"}
    for record in records:
        assert expected <= set(record)


def test_rules_filtered_by_code(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "rules", "--format", "json", "LOB")
    assert code == 0
    assert [r["code"] for r in json.loads(out)] == ["LOB"]
    assert run_cli(capsys, "rules", "ZZZ")[0] == 2


def test_rules_docs_writes_pages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "rules", "--docs", str(tmp_path / "rules"))
    assert code == 0
    pages = sorted(p.name for p in (tmp_path / "rules").iterdir())
    assert "index.md" in pages
    assert len(pages) == len(load_rules()) + 1
    assert "Wrote" in err


def test_serve_without_server_module_explains(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "dl_lsp.lsp.server", None)
    code, _, err = run_cli(capsys, "serve")
    assert code == 2
    assert "language server is not available" in err


def test_serve_calls_the_server_main(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    fake = types.ModuleType("dl_lsp.lsp.server")
    fake.main = lambda: calls.append("served")  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "dl_lsp.lsp.server", fake)
    assert run_cli(capsys, "serve")[0] == 0
    assert calls == ["served"]


# Runs the CLI with an import hook that records every attempt to import a heavy framework,
# in the main process and in forked workers alike.
_IMPORT_GUARD = textwrap.dedent(
    """
    import importlib.abc, os, sys

    FORBIDDEN = {"torch", "tensorflow", "keras", "sentence_transformers", "jax"}

    class Guard(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.partition(".")[0] in FORBIDDEN:
                with open(os.environ["IMPORT_LOG"], "a") as log:
                    log.write(name + "\\n")
            return None

    sys.meta_path.insert(0, Guard())
    from dl_lsp.cli import main
from dl_lsp.config import Settings
from dl_lsp.engine import Analysis, analyze_source
    status = main(sys.argv[1:])
    loaded = sorted(m for m in sys.modules if m.partition(".")[0] in FORBIDDEN)
    with open(os.environ["IMPORT_LOG"], "a") as log:
        log.writelines(m + "\\n" for m in loaded)
    sys.exit(status)
    """
)


def test_check_never_imports_deep_learning_frameworks(tmp_path: Path) -> None:
    program = (
        "import torch\nimport tensorflow as tf\nfrom tensorflow import keras\n"
        "model = keras.Sequential([keras.layers.Dense(1, activation='softmax')])\n"
        "model.compile(loss='binary_crossentropy', optimizer=keras.optimizers.Adam(0.5))\n"
    )
    for number in range(12):
        write(tmp_path / "project" / f"train_{number}.py", program)
    log = tmp_path / "imports.log"
    log.write_text("")
    completed = subprocess.run(
        [sys.executable, "-c", _IMPORT_GUARD, "check", "--jobs", "2", str(tmp_path / "project")],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "IMPORT_LOG": str(log)},
    )
    assert completed.returncode in (0, 1), completed.stderr
    assert log.read_text() == ""
