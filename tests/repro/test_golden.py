"""Golden fixtures: each edit action applied once to ``golden/<action>/<name>.in.py`` gives
``<name>.out.py`` byte for byte. ``DL_LSP_UPDATE_GOLDEN=1`` writes missing outputs (read them
before committing)."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

from dl_lsp.repro.data import generate_data
from dl_lsp.repro.datasets import procure_datasets
from dl_lsp.repro.hyperparameters import initialise_hyperparameters
from dl_lsp.repro.imports import add_imports
from dl_lsp.repro.logs import add_logging
from dl_lsp.repro.network import construct_network
from dl_lsp.repro.outcome import Action, Options
from dl_lsp.repro.pretrained import fetch_pretrained
from dl_lsp.repro.scene import read_scene
from dl_lsp.repro.stubs import stub_helpers
from dl_lsp.repro.syntax import repair_syntax

GOLDEN = Path(__file__).parent / "golden"
ACTIONS: dict[str, Action] = {
    "imports": add_imports,
    "hyperparameters": initialise_hyperparameters,
    "data": generate_data,
    "datasets": procure_datasets,
    "network": construct_network,
    "logging": add_logging,
    "stubs": stub_helpers,
    "pretrained": fetch_pretrained,
}
CASES = sorted(GOLDEN.glob("*/*.in.py"))


def transform(folder: str, text: str) -> str:
    if folder == "syntax":
        return repair_syntax(text).text
    return ACTIONS[folder](read_scene(text), Options(base_dir=GOLDEN)).text


@pytest.mark.parametrize("source", CASES, ids=[f"{p.parent.name}/{p.stem[:-3]}" for p in CASES])
def test_action_output_matches_golden(source: Path) -> None:
    text = source.read_text(encoding="utf-8")
    result = transform(source.parent.name, text)
    expected = source.with_name(source.name.replace(".in.py", ".out.py"))
    if not expected.exists() and os.environ.get("DL_LSP_UPDATE_GOLDEN"):
        expected.write_text(result, encoding="utf-8")
    assert expected.exists(), f"no golden output for {source.name}"
    assert result == expected.read_text(encoding="utf-8")
    ast.parse(result)
    assert result != text, "the fixture shows an action that does nothing"


@pytest.mark.parametrize("source", CASES, ids=[f"{p.parent.name}/{p.stem[:-3]}" for p in CASES])
def test_action_is_idempotent(source: Path) -> None:
    once = transform(source.parent.name, source.read_text(encoding="utf-8"))
    assert transform(source.parent.name, once) == once


def test_every_action_has_fixtures() -> None:
    assert {p.parent.name for p in CASES} == {*ACTIONS, "syntax"}
