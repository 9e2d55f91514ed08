"""Edge cases of each action, on small sources; the realistic files are the golden fixtures."""

from __future__ import annotations

import ast
from typing import Any

import pytest
from golden_cases import resolve_markers

from dl_lsp.facts.span import Span
from dl_lsp.findings import BugType, Finding, Severity
from dl_lsp.fixes import apply_edits, fixes_for


def finding(source: str, *actions: dict[str, Any], safe: bool = True) -> Finding:
    fix = {"title": "fix", "safe": safe, "edits": resolve_markers(source, list(actions))}
    return Finding(
        code="LLM",
        name="test",
        bug_type=BugType.MODEL,
        severity=Severity.WARNING,
        span=Span(1, 0, 1, 0),
        message="",
        fix_data={"fixes": [fix]},
    )


def fixed(source: str, *actions: dict[str, Any]) -> str | None:
    """The source after the (single) fix, or None when the fix is refused."""
    proposals = fixes_for(source, finding(source, *actions))
    if not proposals:
        return None
    result = apply_edits(source, proposals[0].edits)
    ast.parse(result)
    return result


def text(value: str, occurrence: int = 1) -> dict[str, Any]:
    return {"text": value, "occurrence": occurrence}


CASES = [
    # -- remove_layer: statements ------------------------------------------------------------
    (
        "only statement of a block becomes pass",
        "if deep:\n    model.add(Dropout(0.5))\nmodel.add(Dense(1))\n",
        {"action": "remove_layer", "layer": text("Dropout(0.5)")},
        "if deep:\n    pass\nmodel.add(Dense(1))\n",
    ),
    (
        "one of two statements on a line",
        "model.add(Dense(5)); model.add(Dropout(0.5))\n",
        {"action": "remove_layer", "layer": text("Dropout(0.5)")},
        "model.add(Dense(5))\n",
    ),
    (
        "a statement after a colon",
        "if x: model.add(Dropout(0.5))\n",
        {"action": "remove_layer", "layer": text("Dropout(0.5)")},
        "if x: pass\n",
    ),
    (
        "the add() call itself stands for its layer",
        "model.add(Dense(1))\nmodel.add(Activation('softmax'))\n",
        {"action": "remove_layer", "layer": text("model.add(Activation('softmax'))")},
        "model.add(Dense(1))\n",
    ),
    (
        "blank line above a removed statement is kept",
        "model.add(Dense(1))\n\nmodel.add(Activation('softmax'))\nmodel.compile()\n",
        {"action": "remove_layer", "layer": text("Activation('softmax')")},
        "model.add(Dense(1))\n\nmodel.compile()\n",
    ),
    # -- remove_layer: sequences -------------------------------------------------------------
    (
        "first element on one line",
        "m = Sequential([Dense(2), Dropout(0.2), Dense(1)])\n",
        {"action": "remove_layer", "layer": text("Dense(2)")},
        "m = Sequential([Dropout(0.2), Dense(1)])\n",
    ),
    (
        "middle element on one line",
        "m = Sequential([Dense(2), Dropout(0.2), Dense(1)])\n",
        {"action": "remove_layer", "layer": text("Dropout(0.2)")},
        "m = Sequential([Dense(2), Dense(1)])\n",
    ),
    (
        "first element one per line keeps the comment line of the next",
        "m = Sequential([\n    Dropout(0.2),  # first\n    # dense\n    Dense(1),\n])\n",
        {"action": "remove_layer", "layer": text("Dropout(0.2)")},
        "m = Sequential([\n    # dense\n    Dense(1),\n])\n",
    ),
    (
        "last element without trailing comma, bracket on its own line",
        "m = Sequential([\n    Dense(8),  # hidden\n    Activation('softmax')\n])\n",
        {"action": "remove_layer", "layer": text("Activation('softmax')")},
        "m = Sequential([\n    Dense(8)  # hidden\n])\n",
    ),
    (
        "OrderedDict pair in nn.Sequential",
        "net = nn.Sequential(OrderedDict([\n    ('fc', nn.Linear(4, 2)),\n    ('sm', nn.Softmax(dim=1)),\n]))\n",
        {"action": "remove_layer", "layer": text("nn.Softmax(dim=1)")},
        "net = nn.Sequential(OrderedDict([\n    ('fc', nn.Linear(4, 2)),\n]))\n",
    ),
    (
        "nn.Sequential argument on one line",
        "net = nn.Sequential(nn.Linear(4, 2), nn.Sigmoid())\n",
        {"action": "remove_layer", "layer": text("nn.Sigmoid()")},
        "net = nn.Sequential(nn.Linear(4, 2))\n",
    ),
    # -- remove_layer: functional calls ------------------------------------------------------
    (
        "functional activation inside an expression keeps precedence",
        "y = 2 * F.relu(a + b)\n",
        {"action": "remove_layer", "layer": text("F.relu(a + b)")},
        "y = 2 * (a + b)\n",
    ),
    (
        "method-form activation",
        "probs = logits.softmax(dim=1)\n",
        {"action": "remove_layer", "layer": text("logits.softmax(dim=1)")},
        "probs = logits\n",
    ),
    (
        "keyword input",
        "out = F.softmax(input=h, dim=1)\n",
        {"action": "remove_layer", "layer": text("F.softmax(input=h, dim=1)")},
        "out = h\n",
    ),
    (
        "functional layer as an argument",
        "model = Model(inputs, Activation('softmax')(x))\n",
        {"action": "remove_layer", "layer": text("Activation('softmax')")},
        "model = Model(inputs, x)\n",
    ),
    (
        "refused: a layer assigned to a name",
        "act = Activation('softmax')\n",
        {"action": "remove_layer", "layer": text("Activation('softmax')")},
        None,
    ),
    (
        "refused: a torch module built in __init__",
        "self.sm = nn.Softmax(dim=1)\n",
        {"action": "remove_layer", "layer": text("nn.Softmax(dim=1)")},
        None,
    ),
    (
        "refused: a module function without input",
        "import torch\ny = torch.softmax(dim=1)\n",
        {"action": "remove_layer", "layer": text("torch.softmax(dim=1)")},
        None,
    ),
    (
        "refused: a layer nested in a wrapper",
        "model.add(TimeDistributed(Dense(10)))\n",
        {"action": "remove_layer", "layer": text("Dense(10)")},
        None,
    ),
    # -- insert_layer_after ------------------------------------------------------------------
    (
        "middle of a one-line list",
        "from keras.layers import Dense\nm = Sequential([Dense(2), Dense(1)])\n",
        {
            "action": "insert_layer_after",
            "layer": text("Dense(2)"),
            "new_layer": "Dropout",
            "args": [0.1],
        },
        "from keras.layers import Dense, Dropout\nm = Sequential([Dense(2), Dropout(0.1), Dense(1)])\n",
    ),
    (
        "every import of the anchor gets its companion",
        "try:\n    from keras.layers import Dense\nexcept ImportError:\n"
        "    from tensorflow.keras.layers import Dense\nmodel.add(Dense(3))\n",
        {
            "action": "insert_layer_after",
            "layer": text("Dense(3)"),
            "new_layer": "Dropout",
            "args": [0.3],
        },
        "try:\n    from keras.layers import Dense, Dropout\nexcept ImportError:\n"
        "    from tensorflow.keras.layers import Dense, Dropout\nmodel.add(Dense(3))\n"
        "model.add(Dropout(0.3))\n",
    ),
    (
        "an aliased anchor: the new name comes from the same module",
        "from keras.layers import Dense as D\nmodel.add(D(3))\n",
        {
            "action": "insert_layer_after",
            "layer": text("D(3)"),
            "new_layer": "Dropout",
            "args": [0.3],
        },
        "from keras.layers import Dense as D, Dropout\nmodel.add(D(3))\nmodel.add(Dropout(0.3))\n",
    ),
    (
        "star import needs no new import",
        "from keras.layers import *\nmodel.add(Dense(2))\n",
        {"action": "insert_layer_after", "layer": text("Dense(2)"), "new_layer": "Flatten"},
        "from keras.layers import *\nmodel.add(Dense(2))\nmodel.add(Flatten())\n",
    ),
    (
        "an unimported anchor in a snippet is followed the same way",
        "model.add(Conv2D(8, (3, 3)))\n",
        {
            "action": "insert_layer_after",
            "layer": text("Conv2D(8, (3, 3))"),
            "new_layer": "Flatten",
        },
        "model.add(Conv2D(8, (3, 3)))\nmodel.add(Flatten())\n",
    ),
    (
        "name already imported",
        "from keras.layers import Dense, Dropout\nmodel.add(Dense(2))\n",
        {"action": "insert_layer_after", "layer": text("Dense(2)"), "new_layer": "Dropout"},
        "from keras.layers import Dense, Dropout\nmodel.add(Dense(2))\nmodel.add(Dropout())\n",
    ),
    (
        "string arguments use the file's quotes",
        "from keras.layers import Dense\nm = Sequential([Dense(2, activation='linear')])\n",
        {
            "action": "insert_layer_after",
            "layer": text("Dense(2, activation='linear')"),
            "new_layer": "Activation",
            "args": ["relu"],
        },
        "from keras.layers import Dense, Activation\n"
        "m = Sequential([Dense(2, activation='linear'), Activation('relu')])\n",
    ),
    (
        "functional layer given by its whole call",
        "from keras import layers\nh = layers.Dense(8)(inputs)\nout = layers.Dense(1)(h)\n",
        {
            "action": "insert_layer_after",
            "layer": text("layers.Dense(8)(inputs)"),
            "new_layer": "Dropout",
            "args": [0.5],
        },
        "from keras import layers\nh = layers.Dense(8)(inputs)\nh = layers.Dropout(0.5)(h)\nout = layers.Dense(1)(h)\n",
    ),
    (
        "nested functional layer",
        "x = Dense(10)(Dropout(0.5)(x))\n",
        {"action": "remove_layer", "layer": text("Dropout(0.5)")},
        "x = Dense(10)(x)\n",
    ),
    (
        "refused: functional output not assigned to a name",
        "from keras.layers import Dense\nouts = [Dense(1)(x)]\n",
        {"action": "insert_layer_after", "layer": text("Dense(1)"), "new_layer": "Dropout"},
        None,
    ),
    (
        "refused: anchor defined in the file",
        "Dense = make_dense\nmodel.add(Dense(2))\n",
        {"action": "insert_layer_after", "layer": text("Dense(2)"), "new_layer": "Dropout"},
        None,
    ),
    (
        "refused: not a class name",
        "model.add(layers.Dense(2))\n",
        {"action": "insert_layer_after", "layer": text("layers.Dense(2)"), "new_layer": "x-y"},
        None,
    ),
    # -- set_keyword / remove_keyword --------------------------------------------------------
    (
        "single argument on its own line",
        "layer = Dense(\n    10\n)\n",
        {
            "action": "set_keyword",
            "call": text("Dense(\n    10\n)"),
            "keyword": "name",
            "value": "out",
        },
        'layer = Dense(\n    10,\n    name="out"\n)\n',
    ),
    (
        "after **kwargs",
        "layer = Dense(10, **cfg)\n",
        {
            "action": "set_keyword",
            "call": text("Dense(10, **cfg)"),
            "keyword": "use_bias",
            "value": False,
        },
        "layer = Dense(10, **cfg, use_bias=False)\n",
    ),
    (
        "comment on the last argument's line stays there",
        "layer = Dense(10,\n              activation='relu'  # act\n              )\n",
        {
            "action": "set_keyword",
            "call": {"expr": "Dense(10,"},
            "keyword": "name",
            "value": "out",
        },
        "layer = Dense(10,\n              activation='relu',  # act\n              name='out'\n              )\n",
    ),
    (
        "existing keyword keeps its parentheses",
        "opt = SGD(lr=(0.5))\n",
        {"action": "set_keyword", "call": text("SGD(lr=(0.5))"), "keyword": "lr", "value": 0.01},
        "opt = SGD(lr=(0.01))\n",
    ),
    (
        "value list and None",
        "model.compile(loss='mse', metrics=None)\n",
        {
            "action": "set_keyword",
            "call": text("model.compile(loss='mse', metrics=None)"),
            "keyword": "metrics",
            "value": ["mae", "mse"],
        },
        "model.compile(loss='mse', metrics=['mae', 'mse'])\n",
    ),
    (
        "remove the only keyword",
        "layer = Dense(activation='relu')\n",
        {
            "action": "remove_keyword",
            "call": text("Dense(activation='relu')"),
            "keyword": "activation",
        },
        "layer = Dense()\n",
    ),
    (
        "remove a middle keyword",
        "model.fit(X, y, batch_size=64, epochs=10)\n",
        {
            "action": "remove_keyword",
            "call": text("model.fit(X, y, batch_size=64, epochs=10)"),
            "keyword": "batch_size",
        },
        "model.fit(X, y, epochs=10)\n",
    ),
    (
        "remove the last keyword of a hanging call",
        "model.fit(X, y,\n          batch_size=64,\n          nb_epoch=10)\n",
        {"action": "remove_keyword", "call": {"expr": "model.fit("}, "keyword": "nb_epoch"},
        "model.fit(X, y,\n          batch_size=64)\n",
    ),
    (
        "refused: keyword absent is nothing to do",
        "model.fit(X, y)\n",
        {"action": "remove_keyword", "call": text("model.fit(X, y)"), "keyword": "epochs"},
        None,
    ),
    (
        "refused: not an identifier",
        "model.fit(X, y)\n",
        {"action": "set_keyword", "call": text("model.fit(X, y)"), "keyword": "class", "value": 1},
        None,
    ),
    # -- replace_value -----------------------------------------------------------------------
    (
        "negative number inside an operator is parenthesised",
        "y = x ** 2\n",
        {"action": "replace_value", "span": text("2"), "value": -1},
        "y = x ** (-1)\n",
    ),
    (
        "quotes that need escaping",
        "name = 'x'\n",
        {"action": "replace_value", "span": text("'x'"), "value": "it's"},
        "name = 'it\\'s'\n",
    ),
    (
        "triple-quoted string keeps its quotes",
        'doc = """old"""\n',
        {"action": "replace_value", "span": text('"""old"""'), "value": "new"},
        'doc = """new"""\n',
    ),
    (
        "refused: same value",
        "x = 1\n",
        {"action": "replace_value", "span": text("1"), "value": 1},
        None,
    ),
    (
        "refused: not a finite number",
        "x = 1\n",
        {"action": "replace_value", "span": text("1"), "value": float("inf")},
        None,
    ),
    (
        "refused: span not on a node",
        "x = 10\n",
        {"action": "replace_value", "span": text("= 1"), "value": 2},
        None,
    ),
    (
        "refused: span outside the file",
        "x = 1\n",
        {"action": "replace_value", "span": [7, 0, 7, 1], "value": 2},
        None,
    ),
    (
        "refused: malformed span",
        "x = 1\n",
        {"action": "replace_value", "span": "1:4", "value": 2},
        None,
    ),
    # -- wrap_call / wrap_value --------------------------------------------------------------
    (
        "wrap a parenthesised multi-line expression",
        "import torch\ny = (a +\n     b)\n",
        {"action": "wrap_call", "span": text("a +\n     b"), "function": "sigmoid"},
        "import torch\ny = (torch.sigmoid(a +\n     b))\n",
    ),
    (
        "functional name imported bare",
        "from torch.nn.functional import relu\nh = layer(x)\n",
        {"action": "wrap_call", "span": text("layer(x)"), "function": "relu"},
        "from torch.nn.functional import relu\nh = relu(layer(x))\n",
    ),
    (
        "functional module imported from torch.nn",
        "from torch.nn import functional as fn\nh = layer(x)\n",
        {"action": "wrap_call", "span": text("layer(x)"), "function": "relu"},
        "from torch.nn import functional as fn\nh = fn.relu(layer(x))\n",
    ),
    (
        "refused: no torch import",
        "h = layer(x)\n",
        {"action": "wrap_call", "span": text("layer(x)"), "function": "relu"},
        None,
    ),
    (
        "wrap_value inside an operator",
        "y = x ** 2\n",
        {"action": "wrap_value", "span": text("x"), "template": "{} / 255.0"},
        "y = (x / 255.0) ** 2\n",
    ),
    (
        "wrap_value with a method template",
        "model.fit(x_train, y_train)\n",
        {"action": "wrap_value", "span": text("x_train"), "template": "{}.astype('float32') / 255"},
        "model.fit(x_train.astype('float32') / 255, y_train)\n",
    ),
    (
        "refused: template without a slot",
        "model.fit(x_train, y_train)\n",
        {"action": "wrap_value", "span": text("x_train"), "template": "x / 255"},
        None,
    ),
    (
        "refused: template that is not an expression",
        "model.fit(x_train, y_train)\n",
        {"action": "wrap_value", "span": text("x_train"), "template": "{} /"},
        None,
    ),
    # -- the contract itself -----------------------------------------------------------------
    ("refused: unknown action", "x = 1\n", {"action": "frobnicate"}, None),
    ("refused: an action that is not an object", "x = 1\n", "replace_value", None),
]


@pytest.mark.parametrize(
    ("source", "action", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_action(source: str, action: dict[str, Any], expected: str | None) -> None:
    assert fixed(source, action) == expected


BROKEN = """\
model.add(Dense(10, activation='softmax'))
model.compile(loss='mse', optimizer=SGD(lr=1.5))
print "Training..."
model.fit(X_train, y_train, batch_size=4096)
"""


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        (
            {"action": "replace_value", "span": text("'mse'"), "value": "categorical_crossentropy"},
            BROKEN.replace("'mse'", "'categorical_crossentropy'"),
        ),
        (
            {"action": "set_keyword", "call": text("SGD(lr=1.5)"), "keyword": "lr", "value": 0.01},
            BROKEN.replace("1.5", "0.01"),
        ),
        (
            {"action": "wrap_value", "span": text("X_train"), "template": "{} / 255.0"},
            BROKEN.replace("(X_train,", "(X_train / 255.0,"),
        ),
        # Needs the layout libcst gives, or would add a syntax error: refused.
        (
            {
                "action": "set_keyword",
                "call": text("SGD(lr=1.5)"),
                "keyword": "momentum",
                "value": 0.9,
            },
            None,
        ),
        ({"action": "remove_layer", "layer": text("Dense(10, activation='softmax')")}, None),
        ({"action": "wrap_value", "span": text("X_train"), "template": "{} +"}, None),
    ],
    ids=[
        "replace_value",
        "set_keyword existing",
        "wrap_value",
        "set_keyword new",
        "remove_layer",
        "new error",
    ],
)
def test_a_file_that_does_not_parse_gets_one_expression_fixes(
    action: dict[str, Any], expected: str | None
) -> None:
    proposals = fixes_for(BROKEN, finding(BROKEN, action))
    if expected is None:
        assert proposals == []
    else:
        assert [apply_edits(BROKEN, p.edits) for p in proposals] == [expected]


def test_operator_context_in_a_file_that_does_not_parse() -> None:
    source = "y = x ** 2\nprint 'x'\n"
    action = {"action": "wrap_value", "span": text("x"), "template": "{} / 255.0"}
    (proposal,) = fixes_for(source, finding(source, action))
    assert apply_edits(source, proposal.edits) == "y = (x / 255.0) ** 2\nprint 'x'\n"


def test_crlf_line_endings_are_kept() -> None:
    source = "from keras.layers import Dense\r\nmodel.add(Dense(10))\r\nmodel.fit(x)\r\n"
    action = {
        "action": "insert_layer_after",
        "layer": [2, 10, 2, 19],
        "new_layer": "Dropout",
        "args": [0.5],
    }
    assert fixed(source, action) == (
        "from keras.layers import Dense, Dropout\r\n"
        "model.add(Dense(10))\r\nmodel.add(Dropout(0.5))\r\nmodel.fit(x)\r\n"
    )


def test_fix_with_conflicting_actions_is_dropped() -> None:
    source = "from keras.layers import Dense\nmodel.add(Dense(10))\n"
    insert = {"action": "insert_layer_after", "layer": text("Dense(10)"), "new_layer": "Dropout"}
    also = {**insert, "new_layer": "Flatten"}
    assert fixed(source, insert, also) is None


def test_proposals_keep_order_title_and_flags() -> None:
    source = "model.add(Dense(1, activation='softmax'))\n"
    replace = {"action": "replace_value", "span": text("'softmax'"), "value": "sigmoid"}
    remove = {
        "action": "remove_keyword",
        "call": text("Dense(1, activation='softmax')"),
        "keyword": "activation",
    }
    data = {
        "fixes": [
            {"title": "Broken", "safe": True, "edits": [{"action": "nope"}]},
            {"title": "Use sigmoid", "safe": True, "edits": resolve_markers(source, [replace])},
            {"title": "Linear output", "edits": resolve_markers(source, [remove])},
            "not a fix",
        ]
    }
    result = fixes_for(
        source,
        Finding("LLM", "n", BugType.MODEL, Severity.ERROR, Span(1, 0, 1, 1), "m", fix_data=data),
    )
    assert [(p.title, p.safe, p.preferred, p.code) for p in result] == [
        ("Use sigmoid", True, False, "LLM"),
        ("Linear output", False, False, "LLM"),
    ]
