"""``migrate_source``: every API-migration fix applied towards the given versions; valid Python
stays valid, a second run changes nothing, and only what the rules name is touched."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from dl_lsp.fixes.edits import parses
from dl_lsp.migrate import MigrationResult, migrate_source

ROOT = Path(__file__).resolve().parents[1]
# Real-world shaped programs: the rule fixtures of every family and the corpus.
PROGRAMS = sorted(
    [*ROOT.glob("fixtures/rules/*/bad/*.py"), *ROOT.glob("corpus/*/buggy.py")],
    key=str,
)


def test_result_is_the_documented_dataclass() -> None:
    result = migrate_source("model.fit(x, y, nb_epoch=3)\n")
    assert isinstance(result, MigrationResult)
    assert result.text == "model.fit(x, y, epochs=3)\n"
    assert result.applied == ["line 1: Rename nb_epoch= to epochs= (API105)"]
    assert result.notes == []


@pytest.mark.parametrize(
    "path", PROGRAMS, ids=[f"{p.parent.parent.name}/{p.name}" for p in PROGRAMS]
)
def test_programs_stay_valid_and_a_second_run_changes_nothing(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    result = migrate_source(text)
    if parses(text):
        assert parses(result.text)
    again = migrate_source(result.text)
    assert again.text == result.text and again.applied == []
    assert (result.text != text) == bool(result.applied)


@pytest.mark.parametrize(
    "path", PROGRAMS, ids=[f"{p.parent.parent.name}/{p.name}" for p in PROGRAMS]
)
def test_no_statement_disappears(path: Path) -> None:
    """Lines are only changed in place, or added (the eager switch): never deleted."""
    text = path.read_text(encoding="utf-8")
    result = migrate_source(text)
    diff = list(difflib.ndiff(text.splitlines(), result.text.splitlines()))
    removed = sum(1 for line in diff if line.startswith("- "))
    added = sum(1 for line in diff if line.startswith("+ "))
    assert added >= removed


def test_keras_1_installed_turns_the_direction_around() -> None:
    text = (
        "from keras.models import Sequential\nfrom keras.layers import Dense\n"
        "model = Sequential()\nmodel.add(Dense(1, input_dim=4))\nmodel.fit(x, y, epochs=3)\n"
    )
    keras1 = migrate_source(text, {"keras": "1.2.2"}).text
    assert keras1.splitlines()[-1] == "model.fit(x, y, nb_epoch=3)"
    assert migrate_source(text, {"keras": "3.12.0"}).text == text


def test_tensorflow_1_installed_leaves_tf1_code_alone() -> None:
    text = "import tensorflow as tf\nx = tf.placeholder(tf.float32)\nsess = tf.Session()\n"
    assert migrate_source(text, {"tensorflow": "1.15.5"}).text == text
    migrated = migrate_source(text, {"tensorflow": "2.21.0"}).text
    assert migrated.splitlines() == [
        "import tensorflow as tf",
        "tf.compat.v1.disable_eager_execution()",
        "x = tf.compat.v1.placeholder(tf.float32)",
        "sess = tf.compat.v1.Session()",
    ]


def test_findings_without_a_fix_become_notes() -> None:
    text = "from keras.layers import Merge\nmodel.fit_generator(gen, samples_per_epoch=1000)\n"
    result = migrate_source(text)
    assert "model.fit(" in result.text
    assert any("API109" in note and "Merge" in note for note in result.notes)
    assert any("samples_per_epoch" in note for note in result.notes)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "this is not python at all !!!\n",
        '{"cells": [], "nbformat": 4}',
        'Traceback (most recent call last):\n  File "x.py", line 1\nValueError: bad\n',
        "model.fit(x, y, nb_epoch=10\n",
    ],
)
def test_bad_input_is_returned_without_new_syntax_errors(text: str) -> None:
    result = migrate_source(text)
    if parses(text):
        assert parses(result.text)
    else:
        assert result.notes and "does not parse" in result.notes[0]
