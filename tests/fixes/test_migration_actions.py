"""Edge cases of the API-migration actions (rename_keyword, replace_name, replace_expression,
merge_arguments); the realistic files are the golden fixtures."""

from __future__ import annotations

import ast
from typing import Any

import pytest
from golden_cases import resolve_markers

from dl_lsp.facts.span import Span
from dl_lsp.findings import BugType, Finding, Severity
from dl_lsp.fixes import apply_edits, fixes_for
from dl_lsp.fixes.edits import parses


def fixed(source: str, *actions: dict[str, Any]) -> str | None:
    """The source after the (single) fix, or None when the fix is refused."""
    fix = {"title": "fix", "safe": True, "edits": resolve_markers(source, list(actions))}
    finding = Finding(
        code="API105",
        name="test",
        bug_type=BugType.API,
        severity=Severity.ERROR,
        span=Span(1, 0, 1, 0),
        message="",
        fix_data={"fixes": [fix]},
    )
    proposals = fixes_for(source, finding)
    if not proposals:
        return None
    result = apply_edits(source, proposals[0].edits)
    if parses(source):
        ast.parse(result)
    return result


def call(text: str) -> dict[str, str]:
    return {"expr": text}


def text(value: str, occurrence: int = 1) -> dict[str, Any]:
    return {"text": value, "occurrence": occurrence}


CASES = [
    (
        "rename a keyword, keeping the value",
        "model.fit(x, y, nb_epoch=10, verbose=0)\n",
        {
            "action": "rename_keyword",
            "call": call("model.fit("),
            "keyword": "nb_epoch",
            "new_keyword": "epochs",
        },
        "model.fit(x, y, epochs=10, verbose=0)\n",
    ),
    (
        "rename with a new value in the file's quotes",
        "m = MaxPooling2D(pool_size=(2, 2), dim_ordering='th')\n",
        {
            "action": "rename_keyword",
            "call": call("MaxPooling2D("),
            "keyword": "dim_ordering",
            "new_keyword": "data_format",
            "value": "channels_first",
        },
        "m = MaxPooling2D(pool_size=(2, 2), data_format='channels_first')\n",
    ),
    (
        "rename to None",
        "net = models.vgg16(pretrained=False)\n",
        {
            "action": "rename_keyword",
            "call": call("models.vgg16("),
            "keyword": "pretrained",
            "new_keyword": "weights",
            "value": None,
        },
        "net = models.vgg16(weights=None)\n",
    ),
    (
        "replace a dotted callee",
        "y = F.upsample(x, scale_factor=2)\n",
        {"action": "replace_name", "span": text("F.upsample"), "new_text": "F.interpolate"},
        "y = F.interpolate(x, scale_factor=2)\n",
    ),
    (
        "replace a bare import module",
        "import keras.utils.np_utils\n",
        {"action": "replace_name", "span": text("keras.utils.np_utils"), "new_text": "keras.utils"},
        "import keras.utils\n",
    ),
    (
        "replace_expression keeps precedence",
        "print('%.3f' % loss.data[0])\n",
        {"action": "replace_expression", "span": text("loss.data[0]"), "new_text": "loss.item()"},
        "print('%.3f' % loss.item())\n",
    ),
    (
        "replace_expression parenthesises an operator in a tight place",
        "h = tf.nn.dropout(x, keep).shape\n",
        {
            "action": "replace_expression",
            "span": text("tf.nn.dropout(x, keep)"),
            "new_text": "a - b",
        },
        "h = (a - b).shape\n",
    ),
    (
        "merge three sizes with a trailing comma",
        "layer = Convolution3D(\n    16,\n    3,\n    3,\n    3,\n)\n",
        {"action": "merge_arguments", "call": call("Convolution3D("), "first": 1, "count": 3},
        "layer = Convolution3D(\n    16,\n    (3, 3, 3),\n)\n",
    ),
    (
        "merge keeps the keywords after",
        "c = Conv2D(8, 5, 5, activation='relu')\n",
        {"action": "merge_arguments", "call": call("Conv2D("), "first": 1, "count": 2},
        "c = Conv2D(8, (5, 5), activation='relu')\n",
    ),
]


@pytest.mark.parametrize(("description", "source", "action", "expected"), CASES)
def test_action(description: str, source: str, action: dict[str, Any], expected: str) -> None:
    assert fixed(source, action) == expected, description


REFUSED = [
    (
        "the new keyword is already given",
        "model.fit(x, y, nb_epoch=10, epochs=3)\n",
        {
            "action": "rename_keyword",
            "call": call("model.fit("),
            "keyword": "nb_epoch",
            "new_keyword": "epochs",
        },
    ),
    (
        "the keyword is absent: nothing to do",
        "model.fit(x, y, epochs=3)\n",
        {
            "action": "rename_keyword",
            "call": call("model.fit("),
            "keyword": "nb_epoch",
            "new_keyword": "epochs",
        },
    ),
    (
        "a new keyword that is a Python keyword",
        "f(a=1)\n",
        {"action": "rename_keyword", "call": call("f("), "keyword": "a", "new_keyword": "class"},
    ),
    (
        "replace_name with an expression",
        "s = tf.Session()\n",
        {"action": "replace_name", "span": text("tf.Session"), "new_text": "make()"},
    ),
    (
        "replace_name on something that is not a name",
        "s = tf.Session()\n",
        {"action": "replace_name", "span": text("tf.Session()"), "new_text": "x"},
    ),
    (
        "replace_expression inside an import",
        "from keras.utils.np_utils import to_categorical\n",
        {
            "action": "replace_expression",
            "span": text("keras.utils.np_utils"),
            "new_text": "keras.utils",
        },
    ),
    (
        "replace_expression with text that does not parse",
        "y = loss.data[0]\n",
        {"action": "replace_expression", "span": text("loss.data[0]"), "new_text": "loss.item("},
    ),
    (
        "merge across a keyword argument",
        "c = Conv2D(8, 5, kernel_size=3)\n",
        {"action": "merge_arguments", "call": call("Conv2D("), "first": 1, "count": 2},
    ),
    (
        "merge past a starred argument",
        "c = Conv2D(8, *sizes, 3)\n",
        {"action": "merge_arguments", "call": call("Conv2D("), "first": 1, "count": 2},
    ),
    (
        "merge of one argument",
        "c = Conv2D(8, 5, 5)\n",
        {"action": "merge_arguments", "call": call("Conv2D("), "first": 1, "count": 1},
    ),
    (
        "merge with a boolean index",
        "c = Conv2D(8, 5, 5)\n",
        {"action": "merge_arguments", "call": call("Conv2D("), "first": True, "count": 2},
    ),
]


@pytest.mark.parametrize(("description", "source", "action"), REFUSED)
def test_refused(description: str, source: str, action: dict[str, Any]) -> None:
    assert fixed(source, action) is None, description


def test_tolerant_parse_renames_and_merges_beside_a_python2_print() -> None:
    source = "print 'start'\nmodel.add(Convolution2D(32, 3, 3, border_mode='same'))\n"
    merged = fixed(
        source,
        {"action": "merge_arguments", "call": call("Convolution2D("), "first": 1, "count": 2},
    )
    assert merged == "print 'start'\nmodel.add(Convolution2D(32, (3, 3), border_mode='same'))\n"
    renamed = fixed(
        source,
        {
            "action": "rename_keyword",
            "call": call("Convolution2D("),
            "keyword": "border_mode",
            "new_keyword": "padding",
            "value": "valid",
        },
    )
    assert renamed == "print 'start'\nmodel.add(Convolution2D(32, 3, 3, padding='valid'))\n"
    assert (
        fixed(
            source,
            {"action": "replace_name", "span": text("Convolution2D"), "new_text": "Conv2D"},
        )
        == "print 'start'\nmodel.add(Conv2D(32, 3, 3, border_mode='same'))\n"
    )
