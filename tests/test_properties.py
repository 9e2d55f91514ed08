"""Whatever text it is given, the analysis returns a result: no exception ever escapes."""

from __future__ import annotations

import ast
import textwrap

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dl_lsp.engine import analyze_source
from dl_lsp.files import ReadProblem, SourceText, decode_source

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

names = st.sampled_from(["x", "x_train", "y_train", "model", "net", "layer", "lr", "n", "out"])
numbers = st.one_of(
    st.integers(-3, 5000).map(str),
    st.sampled_from(["0.1", "1e-05", "0.001", "3e2", "-0.5", "True", "None", "n", "units"]),
)
activations = st.sampled_from(
    ["'relu'", "'softmax'", "'sigmoid'", "'tanh'", "'linear'", "None", "act", "'gelu'"]
)
losses = st.sampled_from(
    [
        "'binary_crossentropy'",
        "'categorical_crossentropy'",
        "'sparse_categorical_crossentropy'",
        "'mse'",
        "keras.losses.BinaryCrossentropy(from_logits=True)",
        "loss_fn",
    ]
)


def template(text: str, **parts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Fill ``{name}`` fields of a code template from strategies."""
    return st.fixed_dictionaries(parts).map(lambda values: text.format(**values))


def joined(strategy: st.SearchStrategy[str], separator: str = ", ") -> st.SearchStrategy[str]:
    return st.lists(strategy, max_size=6).map(separator.join)


keras_layer = st.one_of(
    template("layers.Dense({n}, activation={a})", n=numbers, a=activations),
    template("layers.LSTM({n})", n=numbers),
    template(
        "layers.{kind}({n}, (3, 3), activation={a}, input_shape={shape})",
        kind=st.sampled_from(["Conv2D", "Conv1D", "Conv2DTranspose"]),
        n=numbers,
        a=activations,
        shape=st.sampled_from(["(28, 28, 1)", "(32, 32, 3)", "(3, 224, 224)", "shape"]),
    ),
    template("layers.Dropout({n})", n=numbers),
    template("layers.Activation({a})", a=activations),
    st.sampled_from(["layers.MaxPooling2D()", "layers.Flatten()", "layers.BatchNormalization()"]),
)
torch_layer = st.one_of(
    template("nn.Linear({a}, {b})", a=numbers, b=numbers),
    template("nn.Conv2d({a}, {b}, kernel_size=3)", a=numbers, b=numbers),
    template("nn.Softmax(dim={d})", d=st.sampled_from(["1", "-1", "None"])),
    template("nn.{kind}({n})", kind=st.sampled_from(["Dropout", "BatchNorm2d"]), n=numbers),
    st.sampled_from(["nn.ReLU()", "nn.Flatten()", "nn.Sigmoid()"]),
)
keras_statement = st.one_of(
    template("model = keras.Sequential([{layers}])", layers=joined(keras_layer)),
    template("model.add({layer})", layer=keras_layer),
    template("{out} = {layer}({x})", out=names, layer=keras_layer, x=names),
    template("model = keras.Model(inputs={a}, outputs={b})", a=names, b=names),
    template(
        "model.compile(loss={loss}, optimizer=keras.optimizers.Adam(learning_rate={lr}), "
        "metrics=['accuracy'])",
        loss=losses,
        lr=numbers,
    ),
    template("model.compile({loss}, 'sgd')", loss=losses),
    template(
        "model.fit({x}, {y}, batch_size={b}, epochs={e})", x=names, y=names, b=numbers, e=numbers
    ),
    template(
        "({x}, {y}), (x_test, y_test) = keras.datasets.{data}.load_data()",
        x=names,
        y=names,
        data=st.sampled_from(["mnist", "cifar10", "imdb", "boston_housing"]),
    ),
    template("{x} = {y} / 255.0", x=names, y=names),
    template("{y} = keras.utils.to_categorical({y}, {n})", y=names, n=numbers),
    template("{x} = pd.read_csv('data.csv')", x=names),
    template("opt = SGD(lr={lr}, momentum=0.9)", lr=numbers),
)
torch_statement = st.one_of(
    template("net = nn.Sequential({layers})", layers=joined(torch_layer)),
    template("self.{name} = {layer}", name=names, layer=torch_layer),
    template("{out} = self.{name}({x})", out=names, name=names, x=names),
    template(
        "{x} = F.{f}({x}, dim=1)",
        x=names,
        f=st.sampled_from(["relu", "softmax", "log_softmax", "sigmoid"]),
    ),
    template(
        "criterion = nn.{loss}()",
        loss=st.sampled_from(
            ["CrossEntropyLoss", "NLLLoss", "BCELoss", "MSELoss", "BCEWithLogitsLoss"]
        ),
    ),
    template(
        "optimizer = torch.optim.{opt}(net.parameters(), {lr})",
        opt=st.sampled_from(["SGD", "Adam", "Adadelta"]),
        lr=numbers,
    ),
    template("loader = DataLoader(train_set, batch_size={b}, shuffle=True)", b=numbers),
    st.just("loss = criterion(net(x), y)\nloss.backward()\noptimizer.step()"),
    st.just("return x"),
)


@st.composite
def dl_program(draw: st.DrawFn) -> str:
    """A syntactically valid program assembled from Keras and PyTorch fragments."""
    header = (
        "import torch\nfrom torch import nn\nimport torch.nn.functional as F\n"
        "from tensorflow import keras\nfrom tensorflow.keras import layers\n"
        "from keras.optimizers import SGD\nimport pandas as pd\n"
    )
    statement = st.one_of(keras_statement, torch_statement)
    blocks: list[str] = []
    for _ in range(draw(st.integers(1, 6))):
        body = "\n".join(draw(st.lists(statement, min_size=1, max_size=5)))
        wrapper = draw(
            st.sampled_from(
                [
                    "{body}",
                    "def build(n, units, act, shape):\n{indented}\n    return model",
                    "class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n{twice}\n    def forward(self, x):\n{twice}",
                    "for epoch in range(10):\n{indented}",
                    "if n > 3:\n{indented}\nelse:\n    pass",
                    "with torch.no_grad():\n{indented}",
                ]
            )
        )
        blocks.append(
            wrapper.format(
                body=body,
                indented=textwrap.indent(body, "    "),
                twice=textwrap.indent(body, "        "),
            )
        )
    program = header + "\n".join(blocks) + "\n"
    # 'return' outside a function is a syntax error: keep only programs that compile.
    try:
        ast.parse(program)
    except SyntaxError:
        return header + "x = 1\n"
    return program


@FAST
@given(st.text())
def test_arbitrary_text(text: str) -> None:
    analysis = analyze_source(text, path="fuzz.py")
    assert analysis.failures == ()


@FAST
@given(dl_program())
def test_valid_deep_learning_programs(program: str) -> None:
    analysis = analyze_source(program, path="generated.py")
    assert analysis.failures == ()
    assert analysis.source.tree is not None
    assert all(f.code != "SNP001" for f in analysis.findings)
    lines = program.count("\n") + 1
    assert all(1 <= f.span.line <= f.span.end_line <= lines for f in analysis.findings)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dl_program(), st.integers(0, 400), st.text(max_size=3))
def test_programs_with_damage(program: str, position: int, junk: str) -> None:
    """A valid program with a few characters replaced: the half-typed code of an editor."""
    index = min(position, len(program))
    analysis = analyze_source(program[:index] + junk + program[index + len(junk) :])
    assert analysis.failures == ()


@FAST
@given(st.binary())
def test_decoding_any_bytes(data: bytes) -> None:
    decoded = decode_source(data)
    assert isinstance(decoded, (SourceText, ReadProblem))
