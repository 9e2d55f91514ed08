"""make_reproducible over whole snippets: the output parses, defines what it uses, keeps every
user statement, is a fixed point, and says what is still missing."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dl_lsp.findings import BugType
from dl_lsp.repro import Missing, Options, action_order, make_reproducible
from dl_lsp.repro.migration import _migrate
from dl_lsp.repro.names import undefined_names

CORPUS = Path(__file__).resolve().parents[1] / "repro_corpus"
# A few snippets of each kind: Keras 1, tf.keras, PyTorch, missing files, syntax slips.
SAMPLE = [
    "keras1_mnist_mlp_np_utils",
    "keras_pima_loadtxt_missing_csv",
    "keras_cifar10_cnn_no_imports",
    "keras_only_compile_and_fit_shown",
    "keras_missing_closing_paren",
    "torch_loop_criterion_optimizer_not_shown",
    "torch_read_csv_tabular",
    "torch_argparse_args_namespace",
    "torch_half_written_loop",
    "notebook_json_keras_mnist",
]


def reproduce(text: str) -> str:
    return make_reproducible(text, Options(base_dir=CORPUS)).text


@pytest.mark.parametrize("name", SAMPLE)
def test_corpus_snippet_parses_defines_everything_and_is_a_fixed_point(name: str) -> None:
    text = (CORPUS / f"{name}.py").read_text(encoding="utf-8")
    once = reproduce(text)
    assert list(undefined_names(ast.parse(once))) == []
    assert reproduce(once) == once


@pytest.mark.parametrize("name", SAMPLE)
def test_no_user_statement_is_dropped(name: str) -> None:
    """Every line of the migrated snippet is still in the output (read calls may be guarded)."""
    text = (CORPUS / f"{name}.py").read_text(encoding="utf-8")
    try:
        ast.parse(text)
    except SyntaxError:
        pytest.skip("syntax repairs rewrite lines on purpose")
    if text.lstrip().startswith("{"):
        pytest.skip("a notebook: its code cells are taken out of the JSON on purpose")
    migrated, _ = _migrate(text)
    output = reproduce(text)
    for line in migrated.splitlines():
        if line.strip():
            assert line.strip() in output, f"lost: {line!r}"


def test_order_follows_dlrepro_ranking_for_the_bug_type() -> None:
    assert action_order(BugType.MODEL)[:5] == ("A2", "A4", "A3", "A5", "A8")
    assert action_order(BugType.TRAINING)[:5] == ("A1", "A4", "A10", "A3", "A7")
    assert sorted(action_order(BugType.GPU)) == sorted(action_order(BugType.TENSOR))
    assert action_order(BugType.GPU)[0] == "A5"


def test_report_names_what_the_question_lacks() -> None:
    result = make_reproducible(
        "model.fit(X_train, y_train, epochs=epochs)\n", Options(base_dir=CORPUS)
    )
    missing = result.missing()
    assert missing[Missing.DATA] and missing[Missing.MODEL] and missing[Missing.HYPERPARAMETERS]
    assert {step.action for step in result.steps} >= {"A1", "A2", "A3", "A4", "A5"}


BAD_INPUTS = {
    "empty": "",
    "prose": "Why does my model not learn?\nI tried everything, please help!!!\n",
    "traceback": (
        "Traceback (most recent call last):\n"
        '  File "train.py", line 3, in <module>\n'
        "    model.fit(x, y)\n"
        "ValueError: Shapes (None, 1) and (None, 10) are incompatible\n"
    ),
    "notebook": json.dumps(
        {"cells": [{"cell_type": "code", "source": ["import numpy as np\n", "x = np.ones(3)"]}]}
    ),
    "half_written": "def train(model):\n    for epoch in range(\n",
    "binary": "\x00\x01\x02PK\x03\x04",
    "unbalanced": "x = ((((((((\n" * 3,
}


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_bad_input_still_gives_valid_python(name: str) -> None:
    result = make_reproducible(BAD_INPUTS[name], Options(base_dir=CORPUS))
    ast.parse(result.text)
    assert reproduce(result.text) == result.text


def test_bad_input_says_what_it_could_not_do() -> None:
    result = make_reproducible(BAD_INPUTS["prose"], Options(base_dir=CORPUS))
    assert any("could not repair" in problem or "line" in problem for problem in result.problems)
    notebook = make_reproducible(BAD_INPUTS["notebook"], Options(base_dir=CORPUS))
    assert "x = np.ones(3)" in notebook.text
    assert any("notebook" in step.description for step in notebook.steps)


LINES = [
    "model = Sequential()",
    "model.add(Dense(64, activation='relu', input_dim=input_dim))",
    "model.add(Dense(num_classes, activation='softmax'))",
    "model.compile(loss='categorical_crossentropy', optimizer=Adam(lr=lr))",
    "model.fit(X_train, y_train, batch_size=batch_size, nb_epoch=nb_epoch)",
    "print model.summary()",
    "!pip install keras",
    "x = np.zeros((3, 4)))",
    "df = pd.read_csv('missing.csv')",
    "y = df['label'].values",
    "loss = criterion(net(inputs), labels)",
    "optimizer.zero_grad()",
    "for epoch in range(num_epochs):",
    "    loss.backward()",
    "ifrom keras.layers import Dense",
    "result = helper(x)",
]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(LINES), min_size=1, max_size=7))
def test_any_mix_of_snippet_lines_parses_and_is_a_fixed_point(lines: list[str]) -> None:
    once = reproduce("\n".join(lines) + "\n")
    ast.parse(once)
    assert reproduce(once) == once
