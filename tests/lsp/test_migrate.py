"""Version migration in the editor: the environment's framework versions decide the API rules'
direction, deprecated APIs are tagged, and "Migrate this file to TF2" as a source action and as
the ``dl-lsp.migrateToTF2`` command."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pytest_lsp import LanguageClient
from tests.lsp.support import Session, start_session, wait_until

TF1 = """import numpy as np
import tensorflow as tf

features = np.random.rand(64, 4).astype("float32")
targets = np.eye(2, dtype="float32")[np.random.randint(0, 2, 64)]

x = tf.placeholder(tf.float32, [None, 4])
y = tf.placeholder(tf.float32, [None, 2])
logits = tf.layers.dense(x, 2)
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits))
train_op = tf.train.AdamOptimizer(0.01).minimize(loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for epoch in range(3):
        sess.run(train_op, feed_dict={x: features, y: targets})
"""


def codes(diagnostics: list[types.Diagnostic]) -> set[str]:
    return {str(d.code) for d in diagnostics}


def accept_edits(client: LanguageClient) -> list[types.WorkspaceEdit]:
    """Make the client answer workspace/applyEdit like an editor that applies it."""
    received: list[types.WorkspaceEdit] = []

    @client.feature(types.WORKSPACE_APPLY_EDIT)
    def apply_edit(params: types.ApplyWorkspaceEditParams) -> types.ApplyWorkspaceEditResult:
        received.append(params.edit)
        return types.ApplyWorkspaceEditResult(applied=True)

    return received


async def execute(session: Session, arguments: Any) -> Any:
    return await session.client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="dl-lsp.migrateToTF2", arguments=arguments)
    )


async def test_tf1_diagnostics_are_tagged_deprecated(neovim: Session) -> None:
    document = neovim.open("train.py", TF1)
    diagnostics = [d for d in await document.diagnostics() if str(d.code) == "API101"]
    assert diagnostics
    assert all(types.DiagnosticTag.Deprecated in (d.tags or []) for d in diagnostics)


async def test_pinned_tensorflow_1_silences_the_tf2_rules(
    real_client: LanguageClient, tmp_path: Path
) -> None:
    (tmp_path / "requirements.txt").write_text("tensorflow==1.15.5\nnumpy\n", encoding="utf-8")
    # An interpreter that does not exist: the pins are all that is known.
    options = {"dl-lsp": {"interpreter": str(tmp_path / "no-such-python")}}
    session = await start_session(real_client, "visual-studio-code", tmp_path, options)
    document = session.open("train.py", TF1)
    await document.diagnostics()
    published = real_client.published  # type: ignore[attr-defined]

    def settled() -> bool:
        latest = published.get(document.uri, [])
        return bool(latest) and not codes(list(latest[-1].diagnostics)) & {"API101", "API102"}

    # Pushed again once the versions arrive (the first push may come before them).
    await wait_until(settled, what="diagnostics without the TF2 rules")


async def test_source_actions_offer_both_styles(vscode: Session) -> None:
    document = vscode.open("train.py", TF1)
    await document.diagnostics()
    start = types.Position(line=0, character=0)
    actions = await document.code_actions(
        [], types.Range(start=start, end=start), only=["source.migrateToTF2"]
    )
    titles = {action.title: action for action in actions}
    assert set(titles) == {
        "Migrate this file to TF2 (tf.compat.v1)",
        "Migrate this file to TF2 (Keras model trained with fit)",
    }
    idiomatic = titles["Migrate this file to TF2 (Keras model trained with fit)"]
    assert idiomatic.edit is not None
    document.apply(idiomatic.edit)
    ast.parse(document.text)
    assert "model.fit(features, targets" in document.text and "Session" not in document.text


async def test_command_applies_the_minimal_migration(vscode: Session) -> None:
    received = accept_edits(vscode.client)
    document = vscode.open("train.py", TF1)
    await document.diagnostics()
    answer = await execute(vscode, [{"uri": document.uri, "style": "minimal"}])
    assert answer["applied"] is True and answer["changes"]
    assert len(received) == 1
    document.apply(received[0])
    assert "import tensorflow.compat.v1 as tf\ntf.disable_v2_behavior()\n" in document.text
    # Migrated already: a second run has nothing to do.
    await document.diagnostics()
    again = await execute(vscode, [{"uri": document.uri}])
    assert again["applied"] is False and again["changes"] == []


@pytest.mark.parametrize(
    "arguments",
    [[], [{"style": "minimal"}], [{"uri": "file:///nowhere/x.py"}], ["file:///x.py"]],
)
async def test_command_rejects_bad_arguments(vscode: Session, arguments: Any) -> None:
    vscode.open("train.py", TF1)
    with pytest.raises(JsonRpcException):
        await execute(vscode, arguments)


async def test_command_rejects_an_unknown_style(vscode: Session) -> None:
    document = vscode.open("train.py", TF1)
    with pytest.raises(JsonRpcException, match="style"):
        await execute(vscode, [{"uri": document.uri, "style": "aggressive"}])
