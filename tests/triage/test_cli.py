"""`dl-lsp triage` as a CI bot runs it: files, standard input, formats, exit codes."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.triage.conftest import CORPUS

KEYS = {"bug_type", "confidence", "evidence", "information", "edit_actions", "diagnostics"}


def run(
    command: list[str], *args: str, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [*command, "triage", "--no-embeddings", *args],
        input=stdin,
        capture_output=True,
        timeout=120,
        check=False,
    )


def test_json_output_of_a_markdown_report(dl_lsp_command: list[str]) -> None:
    done = run(dl_lsp_command, "--format", "json", str(CORPUS / "api_tf_placeholder_tf2.md"))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert set(result) >= KEYS
    assert result["bug_type"] == "api"
    assert len(result["information"]) == 3 and len(result["edit_actions"]) == 5


def test_json_report_from_standard_input(dl_lsp_command: list[str]) -> None:
    report = json.dumps({"title": "help", "traceback": "RuntimeError: CUDA error: out of memory"})
    done = run(dl_lsp_command, "--format", "json", "-", stdin=report.encode())
    assert json.loads(done.stdout)["bug_type"] == "gpu"


def test_markdown_output_for_an_issue_comment(dl_lsp_command: list[str]) -> None:
    done = run(
        dl_lsp_command, "--format", "markdown", str(CORPUS / "training_loss_nan_regression.md")
    )
    text = done.stdout.decode()
    assert text.startswith("# Triage: Loss becomes NaN")
    assert "**Bug type: training**" in text and "## Information to collect" in text


def test_unknown_exits_1_with_the_reason(dl_lsp_command: list[str], tmp_path: Path) -> None:
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    done = run(dl_lsp_command, str(empty))
    assert done.returncode == 1
    assert b"bug type: unknown (the report is empty)" in done.stdout


def test_binary_junk_is_a_clear_unknown(dl_lsp_command: list[str], tmp_path: Path) -> None:
    junk = tmp_path / "core.bin"
    junk.write_bytes(bytes(range(256)) * 100)
    done = run(dl_lsp_command, "--format", "json", str(junk))
    assert done.returncode == 1
    assert "binary" in json.loads(done.stdout)["reason"]


def test_missing_file_or_folder_is_a_usage_error(dl_lsp_command: list[str], tmp_path: Path) -> None:
    assert run(dl_lsp_command, str(tmp_path / "nope.md")).returncode == 2
    folder = run(dl_lsp_command, str(tmp_path))
    assert folder.returncode == 2 and b"is a folder" in folder.stderr
    bad = tmp_path / "bad.toml"
    bad.write_text("[bug_type.tensor]\ninformation = [{ category = 'Nope', confidence = 1 }]\n")
    done = run(dl_lsp_command, "--taxonomy", str(bad), str(CORPUS / "api_tf_placeholder_tf2.md"))
    assert done.returncode == 2 and b"unknown item" in done.stderr
