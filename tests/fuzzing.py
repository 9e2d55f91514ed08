"""Hypothesis strategies for Python source and deep-learning programs, and the properties that
every one of them must satisfy: the hardening harness shared by the short campaign in CI
(``tests/test_fuzz.py``) and the long one (``bench/fuzz_campaign.py``).

The properties, on any text:

- the analysis (parse, fact extraction, every check, under varied settings) raises nothing and
  reports no failure of its own;
- every quick fix offered for a finding applies cleanly, and the fixed text parses (or, for a
  snippet that did not parse, gains no syntax error); the "ignore" fix too;
- applying a fix twice is the same as applying it once: once applied, the same fix offered
  again for the same finding changes nothing;
- fix-all (what ``check --fix`` writes) keeps the file valid and is idempotent.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from hypothesis import strategies as st

from dl_lsp.config import InputType, ProblemType, Settings
from dl_lsp.engine import analyze_source
from dl_lsp.findings import Finding
from dl_lsp.fixes import FixProposal, apply_edits, fix_all, fixes_for, ignore_fix
from dl_lsp.fixes.edits import LineIndex, parses
from dl_lsp.fixes.tolerant import still_valid

# -- small pieces ---------------------------------------------------------------------------

identifiers = st.sampled_from(
    ["x", "y", "x_train", "y_train", "model", "net", "self", "h", "out", "lr", "n", "act", "F"]
)
numbers = st.one_of(
    st.integers(-5, 4096).map(str),
    st.sampled_from(["0", "1", "0.0", "0.5", "1e-3", "1e9", "-1", "10 ** 6", "0x10", "1_000"]),
    st.floats(-10, 10, allow_nan=False).map(repr),
)
strings = st.sampled_from(
    ["'relu'", '"softmax"', "'sigmoid'", "'tanh'", "'linear'", "''", "'same'", "'valid'", "r'\\d'"]
)
atoms = st.one_of(identifiers, numbers, strings, st.sampled_from(["None", "True", "...", "[]"]))


def expressions(depth: int = 3) -> st.SearchStrategy[str]:
    """Python expressions of every common form, nested up to ``depth``."""
    if depth == 0:
        return atoms
    inner = expressions(depth - 1)
    arguments = st.lists(
        st.one_of(
            inner,
            st.tuples(identifiers, inner).map(lambda pair: f"{pair[0]}={pair[1]}"),
            inner.map(lambda e: f"*{e}"),
            inner.map(lambda e: f"**{e}"),
        ),
        max_size=4,
    ).map(", ".join)
    return st.one_of(
        atoms,
        st.tuples(inner, arguments).map(lambda p: f"{p[0]}({p[1]})"),
        st.tuples(inner, identifiers).map(lambda p: f"{p[0]}.{p[1]}"),
        st.tuples(inner, inner).map(lambda p: f"{p[0]}[{p[1]}]"),
        st.tuples(inner, inner).map(lambda p: f"{p[0]}[{p[1]}:, ::2]"),
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "//", "@", "**", "%"]), inner).map(
            lambda p: f"({p[0]} {p[1]} {p[2]})"
        ),
        st.tuples(inner, st.sampled_from(["<", "==", "is not", "in", "and", "or"]), inner).map(
            lambda p: f"({p[0]} {p[1]} {p[2]})"
        ),
        inner.map(lambda e: f"-{e}"),
        inner.map(lambda e: f"not {e}"),
        st.lists(inner, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
        st.lists(inner, max_size=3).map(lambda items: "(" + ", ".join(items) + ",)"),
        st.tuples(inner, inner).map(lambda p: "{" + f"{p[0]}: {p[1]}" + "}"),
        st.tuples(inner, identifiers, inner).map(lambda p: f"[{p[0]} for {p[1]} in {p[2]}]"),
        st.tuples(identifiers, inner).map(lambda p: f"(lambda {p[0]}: {p[1]})"),
        st.tuples(inner, inner, inner).map(lambda p: f"({p[0]} if {p[1]} else {p[2]})"),
        st.tuples(identifiers, inner).map(lambda p: f"({p[0]} := {p[1]})"),
        inner.map(lambda e: "f'{" + e + "!r:>10}'"),
        inner.map(lambda e: f"(await {e})"),
        inner.map(lambda e: f"(yield {e})"),
    )


def statements(depth: int = 2) -> st.SearchStrategy[str]:
    """Python statements, compound ones nesting a block of ``depth - 1``."""
    expression = expressions(2)
    simple = st.one_of(
        expression,
        st.tuples(identifiers, expression).map(lambda p: f"{p[0]} = {p[1]}"),
        st.tuples(identifiers, expression).map(lambda p: f"{p[0]}.attr += {p[1]}"),
        st.tuples(identifiers, expression).map(lambda p: f"{p[0]}: int = {p[1]}"),
        st.tuples(identifiers, identifiers, expression).map(lambda p: f"{p[0]}, *{p[1]} = {p[2]}"),
        st.sampled_from(
            [
                "import torch",
                "import torch.nn as nn",
                "from tensorflow import keras",
                "from tensorflow.keras.layers import *",
                "from . import models",
                "from keras.models import Sequential as S",
                "pass",
                "del x",
                "global lr",
                "raise ValueError('x')",
                "assert x, 'message'",
                "return",
                "break",
            ]
        ),
    )
    if depth == 0:
        return simple
    block = st.lists(statements(depth - 1), min_size=1, max_size=3).map(
        lambda body: textwrap.indent("\n".join(body), "    ")
    )
    return st.one_of(
        simple,
        st.tuples(identifiers, st.lists(identifiers, max_size=3), block).map(
            lambda p: f"def {p[0]}({', '.join(dict.fromkeys(p[1]))}):\n{p[2]}"
        ),
        st.tuples(identifiers, block).map(lambda p: f"async def {p[0]}(*args, **kw):\n{p[1]}"),
        st.tuples(identifiers, expression, block).map(
            lambda p: f"@decorator({p[1]})\nclass {p[0]}(nn.Module):\n{p[2]}"
        ),
        st.tuples(expression, block, block).map(lambda p: f"if {p[0]}:\n{p[1]}\nelse:\n{p[2]}"),
        st.tuples(identifiers, expression, block).map(lambda p: f"for {p[0]} in {p[1]}:\n{p[2]}"),
        st.tuples(expression, block).map(lambda p: f"while {p[0]}:\n{p[1]}"),
        st.tuples(expression, identifiers, block).map(lambda p: f"with {p[0]} as {p[1]}:\n{p[2]}"),
        st.tuples(block, block).map(
            lambda p: f"try:\n{p[0]}\nexcept Exception as error:\n{p[1]}\nfinally:\n    pass"
        ),
        st.tuples(expression, block).map(
            lambda p: f"match {p[0]}:\n    case [a, *rest]:\n    {p[1]}\n    case _:\n        pass"
        ),
    )


@st.composite
def python_source(draw: st.DrawFn) -> str:
    """Arbitrary Python source, mostly valid (``ast.parse`` decides, nothing is filtered)."""
    body = "\n".join(draw(st.lists(statements(), min_size=1, max_size=8)))
    if not parses(body):
        # ``return``, ``break``, ``await`` at the top level: inside a function loop they are
        # valid, so that most inputs reach the extraction and the checks, not only the parser.
        wrapped = "async def main():\n    while True:\n" + textwrap.indent(body, "        ")
        body = wrapped if parses(wrapped) else body
    return body + draw(st.sampled_from(["\n", "", "\r\n", "\n\n# end\n"]))


# -- deep-learning-shaped programs ------------------------------------------------------------

units = st.one_of(st.sampled_from(["1", "2", "10", "32", "64", "128", "512"]), numbers)
activations = st.sampled_from(
    ["'relu'", "'softmax'", "'sigmoid'", "'tanh'", "'linear'", "None", "act", "'elu'", "'selu'"]
)
rates = st.sampled_from(["0.1", "0.5", "0.9", "1.5", "0", "rate", "-0.2"])
shapes = st.sampled_from(["(28, 28, 1)", "(32, 32, 3)", "(3, 224, 224)", "(784,)", "(None, 8)"])
keras_prefixes = st.sampled_from(["layers.", "keras.layers.", "tf.keras.layers.", ""])


def _call(name: str, *args: str, **kwargs: str) -> str:
    parts = [*args, *(f"{key}={value}" for key, value in kwargs.items())]
    return f"{name}({', '.join(parts)})"


@st.composite
def keras_layer(draw: st.DrawFn, first: bool = False) -> str:
    prefix = draw(keras_prefixes)
    extra = {"input_shape": draw(shapes)} if first and draw(st.booleans()) else {}
    kind = draw(
        st.sampled_from(
            [
                "Dense",
                "Conv2D",
                "Conv1D",
                "MaxPooling2D",
                "Dropout",
                "Flatten",
                "Activation",
                "BatchNormalization",
                "LSTM",
                "Embedding",
                "GlobalAveragePooling2D",
                "Reshape",
            ]
        )
    )
    if kind == "Dense":
        return _call(prefix + kind, draw(units), activation=draw(activations), **extra)
    if kind in ("Conv2D", "Conv1D"):
        kernel = draw(st.sampled_from(["3", "(3, 3)", "(1, 1)", "kernel"]))
        options = {"activation": draw(activations), "padding": draw(strings)}
        return _call(prefix + kind, draw(units), kernel, **options, **extra)
    if kind == "Dropout":
        return _call(prefix + kind, draw(rates))
    if kind == "Activation":
        return _call(prefix + kind, draw(activations))
    if kind == "LSTM":
        return _call(
            prefix + kind, draw(units), return_sequences=draw(st.sampled_from(["True", "False"]))
        )
    if kind == "Embedding":
        return _call(prefix + kind, draw(units), draw(units), **extra)
    if kind == "Reshape":
        return _call(prefix + kind, draw(shapes))
    return _call(prefix + kind, **extra)


@st.composite
def torch_layer(draw: st.DrawFn) -> str:
    kind = draw(
        st.sampled_from(
            [
                "Linear",
                "Conv2d",
                "ReLU",
                "Softmax",
                "LogSoftmax",
                "Dropout",
                "BatchNorm2d",
                "Flatten",
                "MaxPool2d",
                "Sigmoid",
                "LSTM",
                "Embedding",
                "Identity",
            ]
        )
    )
    if kind in ("Linear", "Embedding", "LSTM"):
        return _call(f"nn.{kind}", draw(units), draw(units))
    if kind == "Conv2d":
        return _call("nn.Conv2d", draw(units), draw(units), kernel_size=draw(units))
    if kind in ("Softmax", "LogSoftmax"):
        return _call(f"nn.{kind}", dim=draw(st.sampled_from(["1", "-1", "0", "None"])))
    if kind == "Dropout":
        return _call("nn.Dropout", draw(rates))
    if kind in ("BatchNorm2d", "MaxPool2d"):
        return _call(f"nn.{kind}", draw(units))
    return _call(f"nn.{kind}")


losses = st.sampled_from(
    [
        "'binary_crossentropy'",
        "'categorical_crossentropy'",
        "'sparse_categorical_crossentropy'",
        "'mse'",
        "'mae'",
        "keras.losses.BinaryCrossentropy(from_logits=True)",
        "loss_fn",
    ]
)
optimizers = st.one_of(
    st.sampled_from(["'adam'", "'sgd'", "'rmsprop'", "opt"]),
    st.tuples(
        st.sampled_from(
            ["keras.optimizers.Adam", "keras.optimizers.SGD", "tf.keras.optimizers.RMSprop"]
        ),
        st.sampled_from(["learning_rate", "lr"]),
        numbers,
    ).map(lambda p: f"{p[0]}({p[1]}={p[2]})"),
)


@st.composite
def keras_program(draw: st.DrawFn) -> str:
    """A Keras script: data, a model in one of three styles, compile and fit."""
    dataset = draw(st.sampled_from(["mnist", "cifar10", "imdb", "boston_housing", "fashion_mnist"]))
    lines = [
        "import numpy as np",
        "import tensorflow as tf",
        "from tensorflow import keras",
        "from tensorflow.keras import layers",
        f"(x_train, y_train), (x_test, y_test) = keras.datasets.{dataset}.load_data()",
    ]
    lines += draw(
        st.lists(
            st.sampled_from(
                [
                    "x_train = x_train / 255.0",
                    "x_train = x_train.astype('float32')",
                    "x_train = x_train.reshape(-1, 28, 28, 1)",
                    "y_train = keras.utils.to_categorical(y_train, 10)",
                    "x_train = (x_train * 255).astype('uint8')",
                ]
            ),
            max_size=3,
        )
    )
    model_layers = [draw(keras_layer(first=True)), *draw(st.lists(keras_layer(), max_size=6))]
    style = draw(st.sampled_from(["list", "add", "functional", "subclass"]))
    if style == "list":
        lines.append("model = keras.Sequential([\n    " + ",\n    ".join(model_layers) + ",\n])")
    elif style == "add":
        lines.append("model = keras.models.Sequential()")
        lines += [f"model.add({layer})" for layer in model_layers]
    elif style == "functional":
        lines.append(f"inputs = keras.Input(shape={draw(shapes)})")
        lines.append("x = inputs")
        lines += [f"x = {layer}(x)" for layer in model_layers]
        lines.append("model = keras.Model(inputs=inputs, outputs=x)")
    else:
        body = [f"        self.l{n} = {layer}" for n, layer in enumerate(model_layers)]
        calls = [f"        x = self.l{n}(x)" for n in range(len(model_layers))]
        lines.append(
            "class Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n"
            + "\n".join(body)
            + "\n    def call(self, x):\n"
            + "\n".join(calls)
            + "\n        return x\nmodel = Net()"
        )
    compile_args = {"loss": draw(losses), "optimizer": draw(optimizers)}
    if draw(st.booleans()):
        compile_args["metrics"] = "['accuracy']"
    lines.append(_call("model.compile", **compile_args))
    fit = {"batch_size": draw(units), "epochs": draw(units)}
    if draw(st.booleans()):
        fit["validation_data"] = draw(st.sampled_from(["(x_test, y_test)", "(x_train, y_train)"]))
    lines.append(_call("model.fit", "x_train", "y_train", **fit))
    return "\n".join(lines) + "\n"


TRAINING_STEPS = [
    "optimizer.zero_grad()",
    "output = model(data)",
    "loss = criterion(output, target)",
    "loss.backward()",
    "optimizer.step()",
    "running_loss += loss",
    "running_loss += loss.item()",
    "data, target = data.to(device), target.to(device)",
    "data = data.cuda()",
    "output = F.dropout(output, 0.5)",
]


@st.composite
def torch_program(draw: st.DrawFn) -> str:
    """A PyTorch script: a module with random layers, a loss, an optimizer and a training loop."""
    model_layers = draw(st.lists(torch_layer(), min_size=1, max_size=7))
    as_sequential = draw(st.booleans())
    lines = [
        "import torch",
        "import torch.nn as nn",
        "import torch.nn.functional as F",
        "from torch.utils.data import DataLoader",
        "device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')",
    ]
    if as_sequential:
        lines.append("model = nn.Sequential(\n    " + ",\n    ".join(model_layers) + "\n)")
    else:
        body = [f"        self.l{n} = {layer}" for n, layer in enumerate(model_layers)]
        forward = [
            f"        x = {draw(st.sampled_from([f'self.l{n}(x)', f'F.relu(self.l{n}(x))']))}"
            for n in range(len(model_layers))
        ]
        forward += draw(
            st.lists(
                st.sampled_from(
                    [
                        "        x = F.softmax(x, dim=1)",
                        "        x = F.log_softmax(x)",
                        "        x = x.view(x.size(0), -1)",
                        "        mask = torch.ones(x.shape)",
                        "        x = F.dropout(x, p=0.5)",
                    ]
                ),
                max_size=2,
            )
        )
        lines.append(
            "class Net(nn.Module):\n    def __init__(self):\n        super(Net, self).__init__()\n"
            + "\n".join(body)
            + "\n\n    def forward(self, x):\n"
            + "\n".join(forward)
            + "\n        return x\n\nmodel = Net()"
        )
    if draw(st.booleans()):
        lines.append("model = model.to(device)")
    loss = draw(
        st.sampled_from(["CrossEntropyLoss", "NLLLoss", "BCELoss", "MSELoss", "BCEWithLogitsLoss"])
    )
    lines.append(f"criterion = nn.{loss}()")
    optimizer = draw(st.sampled_from(["SGD", "Adam", "AdamW"]))
    lines.append(f"optimizer = torch.optim.{optimizer}(model.parameters(), lr={draw(numbers)})")
    shuffle = draw(st.sampled_from(["True", "False"]))
    lines.append(f"loader = DataLoader(train_set, batch_size={draw(units)}, shuffle={shuffle})")
    steps = draw(st.lists(st.sampled_from(TRAINING_STEPS), min_size=1, max_size=8))
    prefix = draw(st.sampled_from(["", "model.train()\n"]))
    lines.append(
        f"{prefix}for epoch in range(10):\n    for data, target in loader:\n"
        + textwrap.indent("\n".join(steps), "        ")
    )
    if draw(st.booleans()):
        lines.append(
            "with torch.no_grad():\n    for data, target in test_loader:\n"
            "        output = model(data)"
        )
    if draw(st.booleans()):
        lines.append("model.load_state_dict(torch.load('model.pt'))")
    return "\n".join(lines) + "\n"


def dl_programs() -> st.SearchStrategy[str]:
    return st.one_of(keras_program(), torch_program())


@st.composite
def damaged(draw: st.DrawFn, programs: st.SearchStrategy[str]) -> str:
    """A program with a few characters replaced or cut: the half-typed text of an editor."""
    program = draw(programs)
    position = draw(st.integers(0, len(program)))
    junk = draw(st.sampled_from(["", "(", ")", ":", "[", "'", '"""', "\\", "\t", "lambda", "\x00"]))
    cut = draw(st.integers(0, 5))
    return program[:position] + junk + program[position + cut :]


settings_variants = st.builds(
    Settings,
    problem_type=st.one_of(st.none(), st.sampled_from(list(ProblemType))),
    input_type=st.one_of(st.none(), st.sampled_from(list(InputType))),
)


# -- the properties -------------------------------------------------------------------------


def check_analysis(text: str, settings: Settings | None = None) -> Sequence[Finding]:
    """The analysis never fails and reports findings inside the text."""
    analysis = analyze_source(text, path="fuzz.py", settings=settings)
    assert analysis.failures == (), analysis.failures
    line_count = text.count("\n") + text.count("\r") - text.count("\r\n") + 1
    for finding in analysis.findings:
        assert 1 <= finding.span.line <= finding.span.end_line <= line_count, finding
    return analysis.findings


def applied(text: str, proposal: FixProposal) -> str:
    """The text with the proposal applied; it must stay valid (see ``still_valid``)."""
    index = LineIndex(text)
    for edit in proposal.edits:
        index.offsets(edit.span)  # ValueError: an edit outside the text
    result = apply_edits(text, proposal.edits)
    assert still_valid(text, result), (proposal, result)
    return result


def check_fixes(text: str, settings: Settings | None = None) -> None:
    """Every offered fix keeps the text valid, and applying it twice equals applying it once."""
    for finding in check_analysis(text, settings):
        for proposal in fixes_for(text, finding):
            once = applied(text, proposal)
            _check_applied_once(text, once, finding, proposal, settings)
        ignore = ignore_fix(text, finding)
        if ignore is not None:
            once = applied(text, ignore)
            assert ignore_fix(once, finding) is None  # already ignored: nothing more to add


def _check_applied_once(
    text_before: str, once: str, finding: Finding, proposal: FixProposal, settings: Settings | None
) -> None:
    """The same fix, offered again for the same finding in the fixed text, changes nothing,
    unless the program repeats the code the fix changed (``nn.Softmax(), nn.Softmax()``): the
    fix then deals with one copy at a time, and the next copy is a finding of its own."""
    again = analyze_source(once, path="fuzz.py", settings=settings).findings
    for other in again:
        if other.code != finding.code or other.span.line != finding.span.line:
            continue
        for repeated in fixes_for(once, other):
            if repeated.title == proposal.title:
                if _repeated_code(text_before, once, proposal, repeated):
                    continue
                twice = apply_edits(once, repeated.edits)
                assert twice == once, (proposal, repeated, once, twice)


def _repeated_code(before: str, after: str, proposal: FixProposal, again: FixProposal) -> bool:
    """Whether the fix offered again acts on another copy of the code the first one changed
    (``nn.Softmax(dim=1), nn.Softmax(dim=-1)``): code that was in the text before the first fix,
    or that the first fix left in place, rather than code the first fix wrote."""
    first = _changed_code(before, proposal)
    second = _changed_code(after, again)
    left_in_place = bool(first) and all(piece in after for piece in first)
    already_there = bool(second) and all(piece in before for piece in second)
    return left_in_place or already_there


def _changed_code(text: str, proposal: FixProposal) -> list[str]:
    index = LineIndex(text)
    pieces = []
    for edit in proposal.edits:
        start, end = index.offsets(edit.span)
        piece = text[start:end].strip().strip(",").strip()
        if piece:
            pieces.append(piece)
    return pieces


def check_fix_all(text: str, settings: Settings | None = None) -> None:
    """Fix-all keeps the text valid, and a second fix-all changes nothing."""

    def findings_for(current: str) -> Sequence[Finding]:
        return analyze_source(current, path="fuzz.py", settings=settings).findings

    fixed, _ = fix_all(text, findings_for)
    assert still_valid(text, fixed)
    if parses(text):
        assert parses(fixed)
    refixed, more = fix_all(fixed, findings_for)
    assert refixed == fixed, (fixed, refixed, more)
