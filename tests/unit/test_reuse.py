"""Analysing an edited version with the previous parse (re-parse + re-used extraction) finds
exactly the facts and findings that a fresh analysis finds."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dl_lsp.engine import Analysis, analyze_source

TESTS = Path(__file__).parents[1]
PROGRAMS = sorted(
    [
        *TESTS.glob("corpus/*/buggy.py"),
        *TESTS.glob("lsp/programs/*.py"),
        *TESTS.glob("clean_corpus/**/*.py"),
        *(TESTS.parent / "examples").glob("*.py"),
    ]
)
_IDENTIFIER = re.compile(r"\b(model|net|x_train|y_train|lr|batch_size|epochs|optimizer|loss)\b")
_STRING = re.compile(r"'(relu|softmax|sigmoid|tanh|adam|sgd|mse)'|\"(relu|softmax|sigmoid|adam)\"")
_WORDS = ["model", "net", "x_train", "data", "lr", "batch_size", "loss", "criterion"]
_IMPORTS = [
    "import torch.nn as nn",
    "from torch import nn",
    "import torch.nn.functional as F",
    "from keras import layers as L",
    "from tensorflow.keras.layers import Dense",
    "from tensorflow import keras",
    "import keras",
    "",
]
_STRINGS = ["'relu'", "'softmax'", "'sigmoid'", "'linear'", "'adam'", "'mse'"]


def edited(text: str, rng: random.Random) -> str:
    """One edit of a kind typed in an editor, at a random line: a digit changed, a name or a
    string swapped, a line commented out or back in, a line added or removed, an import."""
    lines = text.split("\n")
    index = rng.randrange(len(lines))
    line = lines[index]
    indent = line[: len(line) - len(line.lstrip())]
    kind = rng.randrange(7)
    if kind == 0 and any(c.isdigit() for c in line):
        digits = [i for i, c in enumerate(line) if c.isdigit()]
        at = rng.choice(digits)
        lines[index] = line[:at] + str(rng.randrange(10)) + line[at + 1 :]
    elif kind == 1 and _IDENTIFIER.search(line):
        lines[index] = _IDENTIFIER.sub(rng.choice(_WORDS), line, count=1)
    elif kind == 2 and _STRING.search(line):
        lines[index] = _STRING.sub(rng.choice(_STRINGS), line, count=1)
    elif kind == 3 and line.strip():
        stripped = line.lstrip()
        lines[index] = indent + (stripped[2:] if stripped.startswith("# ") else "# " + stripped)
    elif kind == 4:
        lines.insert(index + 1, indent + rng.choice(["x = 1", "lr = 0.5", "pass", "print(model)"]))
    elif kind == 5 and len(lines) > 2:
        del lines[index]
    else:
        lines.insert(0, rng.choice(_IMPORTS))
    return "\n".join(lines)


def same_as_fresh(incremental: Analysis, text: str, label: str) -> None:
    """A text that parses is analysed exactly as afresh. One with a syntax error is repaired
    where the edit broke it, the rest keeping its parse (a fresh parse may repair more of the
    file, or report the error where the file ends): both report an error and analyse the rest."""
    fresh = analyze_source(text, "program.py")
    assert not fresh.failures, label
    assert not incremental.failures, label
    if fresh.source.syntax_errors:
        assert incremental.source.syntax_errors, label
        return
    assert not incremental.source.syntax_errors, label
    assert incremental.facts == fresh.facts, label
    assert incremental.findings == fresh.findings, label


def check_edit_chain(path: Path, rng: random.Random, steps: int, label: str) -> None:
    """Random edits of the program, each analysed from the previous version, as afresh."""
    text = path.read_text(encoding="utf-8")
    analysis = analyze_source(text, "program.py")
    for step in range(steps):
        text = edited(text, rng)
        analysis = analyze_source(text, "program.py", previous=analysis.source)
        same_as_fresh(analysis, text, f"{label}, edit {step}")


@pytest.mark.parametrize("path", PROGRAMS, ids=lambda path: str(path.relative_to(TESTS.parent)))
def test_a_chain_of_edits_analysed_incrementally_matches_fresh_analyses(path: Path) -> None:
    check_edit_chain(path, random.Random(path.name), 8, path.name)


def test_typing_in_one_function_reuses_what_was_learnt_of_the_others() -> None:
    text = (TESTS.parent / "examples" / "cifar10_cnn_high_lr.py").read_text(encoding="utf-8")
    text += "\n\ndef head():\n    return keras.layers.Dense(10, activation='relu')\n"
    first = analyze_source(text, "program.py")
    edit = text.replace("Dense(10, activation='relu')", "Dense(12, activation='relu')")
    second = analyze_source(edit, "program.py", previous=first.source)
    assert second.source.reuse.hits > 0
    same_as_fresh(second, edit, "the head edited")


SEEDS = [path for path in PROGRAMS if "lsp/programs" in str(path) or "examples" in str(path)]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(SEEDS), st.integers(0, 2**32 - 1))
def test_random_edit_chains_match_fresh_analyses(path: Path, seed: int) -> None:
    check_edit_chain(path, random.Random(seed), 5, f"{path.name}, seed {seed}")


# Edits outside a function that change what is found inside it, keeping every line where it was
# (so the function's node is kept): the results kept for the function must not survive them.
MNIST = """from tensorflow import keras
from tensorflow.keras import layers
{imports}
UNITS = {units}
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
{scale}

def build():
    model = keras.Sequential([layers.Flatten(), layers.Dense(UNITS, activation="softmax")])
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    return model


def train():
    model = build()
    model.fit(x_train, y_train, batch_size=32, epochs=2)
"""
TORCH_IMAGES = """import cv2
import numpy as np
import torch
from torch import nn

images = []
for path in paths:
    images.append({read})


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)

    def forward(self, x):
        return self.conv(x)


def predict(net):
    return net(torch.tensor(images, dtype=torch.float32))
"""
SEEDED = """import random
import numpy as np


def main():
    set_seed(0)
    x = np.random.rand(10)
    random.shuffle(x)


def {helper}(seed):
    np.random.seed(seed)
"""
MNIST_PLAIN = MNIST.format(imports="import os", units=10, scale="pass")
# A training loop whose facts hang on names assigned in another function (an optimizer or a
# scheduler), on the file's helpers that clear gradients, and on whether the file clears them
# anywhere (a step function outside any loop): each edit stays outside ``train``.
TORCH_LOOP = """import torch

{module_statement}


def build(model):
    {assignment}


def {helper}(updater):
    updater.{clearing}()


def train(model, loader, updater, criterion):
    for x, y in loader:
        reset(updater)
        loss = criterion(model(x), y)
        loss.backward()
        updater.step()


def train_step(model, x, y, opt, criterion):
    loss = criterion(model(x), y)
    loss.backward()
    opt.step()
"""
TORCH_LOOP_PLAIN = dict(
    module_statement="pass",
    assignment="updater = torch.optim.SGD(model.parameters(), lr=0.1)",
    helper="reset",
    clearing="zero_grad",
)

SCENARIOS = {
    "a module constant read by a layer": (
        MNIST_PLAIN,
        MNIST.format(imports="import os", units=1, scale="pass"),
    ),
    "inputs scaled in place at module level": (
        MNIST_PLAIN,
        MNIST.format(imports="import os", units=10, scale="x_train /= 255.0"),
    ),
    "an import that renames a layer module": (
        MNIST_PLAIN,
        MNIST.format(imports="import torch.nn as layers", units=10, scale="pass"),
    ),
    "images read into a list at module level": (
        TORCH_IMAGES.format(read="path"),
        TORCH_IMAGES.format(read="cv2.imread(path)"),
    ),
    "a seeding helper defined in the file": (
        SEEDED.format(helper="seed_all"),
        SEEDED.format(helper="set_seed"),
    ),
    "an optimizer assigned in another function": (
        TORCH_LOOP.format(**TORCH_LOOP_PLAIN),
        TORCH_LOOP.format(**{**TORCH_LOOP_PLAIN, "assignment": "updater = make_updater()"}),
    ),
    "a scheduler assigned in another function": (
        TORCH_LOOP.format(**{**TORCH_LOOP_PLAIN, "assignment": "opt = make_updater()"}),
        TORCH_LOOP.format(
            **{**TORCH_LOOP_PLAIN, "assignment": "opt = torch.optim.lr_scheduler.StepLR(o, 1)"}
        ),
    ),
    "a helper that clears gradients renamed": (
        TORCH_LOOP.format(**TORCH_LOOP_PLAIN),
        TORCH_LOOP.format(**{**TORCH_LOOP_PLAIN, "helper": "clear"}),
    ),
    "gradients cleared somewhere in the file": (
        TORCH_LOOP.format(**{**TORCH_LOOP_PLAIN, "clearing": "keep", "helper": "keep"}),
        TORCH_LOOP.format(
            **{
                **TORCH_LOOP_PLAIN,
                "clearing": "keep",
                "helper": "keep",
                "module_statement": "updater.zero_grad()",
            }
        ),
    ),
}


@pytest.mark.parametrize("name", SCENARIOS)
def test_an_edit_outside_a_function_renews_what_was_kept_of_it(name: str) -> None:
    before, after = SCENARIOS[name]
    first = analyze_source(before, "program.py")
    fresh_after = analyze_source(after, "program.py")
    assert fresh_after.facts != first.facts  # the edit matters to the facts
    for text, previous in ((after, first), (before, analyze_source(after, "program.py"))):
        incremental = analyze_source(text, "program.py", previous=previous.source)
        assert incremental.source.reuse.hits > 0
        same_as_fresh(incremental, text, name)
