"""dl-lsp.makeReproducible, dl-lsp.addMissingImports and the source.addMissingImports action,
through a real server and a client that applies edits and shows documents like an editor."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams
from pytest_lsp import LanguageClient
from tests.lsp.support import Session, start_session

SNIPPET = """import torch.nn as nn

model = nn.Sequential(nn.Linear(13, 8), nn.ReLU(), nn.Linear(8, 3))
optimizer = optim.Adam(model.parameters(), lr=lr)
for xb, yb in train_loader:
    loss = criterion(model(xb), yb)
"""


def accept_edits(client: LanguageClient) -> list[types.ApplyWorkspaceEditParams]:
    """Make the client answer workspace/applyEdit like an editor, recording each edit."""
    received: list[types.ApplyWorkspaceEditParams] = []

    @client.feature(types.WORKSPACE_APPLY_EDIT)
    def apply(params: types.ApplyWorkspaceEditParams) -> types.ApplyWorkspaceEditResult:
        received.append(params)
        return types.ApplyWorkspaceEditResult(applied=True)

    return received


async def execute(session: Session, command: str, argument: Any) -> Any:
    return await session.client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=command, arguments=[argument])
    )


async def test_make_reproducible_returns_and_shows_the_program(
    real_client: LanguageClient, tmp_path: Path
) -> None:
    session = await start_session(real_client, "visual-studio-code", tmp_path)
    document = session.open("question.py", SNIPPET)
    await document.diagnostics()
    answer = await execute(session, "dl-lsp.makeReproducible", {"uri": document.uri})
    text, markdown = answer["text"], answer["markdown"]
    tree = ast.parse(text)
    bound = {
        n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
    }
    assert {"train_loader", "criterion", "lr"} <= bound
    assert "from torch.utils.data import DataLoader, TensorDataset" in text
    assert "Still missing" in markdown and "Data" in markdown
    shown = real_client.shown_documents  # type: ignore[attr-defined]
    if shown:  # the client announced window/showDocument support
        assert shown[-1].uri == answer["uri"]
        assert Path(shown[-1].uri.removeprefix("file://")).read_text(encoding="utf-8") == text


async def test_add_missing_imports_applies_a_versioned_edit(
    real_client: LanguageClient, tmp_path: Path
) -> None:
    received = accept_edits(real_client)
    session = await start_session(real_client, "visual-studio-code", tmp_path)
    document = session.open("question.py", SNIPPET)
    await document.diagnostics()
    answer = await execute(session, "dl-lsp.addMissingImports", {"uri": document.uri})
    assert answer["applied"] is True
    assert "import torch.optim as optim" in answer["imports"]
    assert len(received) == 1
    document.apply(received[0].edit)
    assert document.text.startswith("import torch.nn as nn\nimport torch.optim as optim\n")
    assert document.text.endswith(SNIPPET.split("\n", 1)[1])


async def test_source_action_adds_imports_with_the_table(
    real_client: LanguageClient, tmp_path: Path
) -> None:
    session = await start_session(real_client, "neovim", tmp_path)
    document = session.open("question.py", "model = Sequential()\nx = np.zeros(3)\n")
    await document.diagnostics()
    start = types.Position(line=0, character=0)
    actions = await document.code_actions(
        [], types.Range(start=start, end=start), only=["source.addMissingImports"]
    )
    assert [a.kind for a in actions] == ["source.addMissingImports"]
    assert actions[0].edit is not None
    document.apply(actions[0].edit)
    assert document.text == (
        "import numpy as np\nfrom keras.models import Sequential\n"
        "model = Sequential()\nx = np.zeros(3)\n"
    )
    again = await document.code_actions(
        [], types.Range(start=start, end=start), only=["source.addMissingImports"]
    )
    assert again == []


async def test_unknown_document_is_a_clear_error(
    real_client: LanguageClient, tmp_path: Path
) -> None:
    session = await start_session(real_client, "emacs", tmp_path)
    with pytest.raises(JsonRpcInvalidParams, match="unknown document"):
        await execute(session, "dl-lsp.makeReproducible", {"uri": (tmp_path / "no.py").as_uri()})
    with pytest.raises(JsonRpcInvalidParams, match="uri"):
        await execute(session, "dl-lsp.addMissingImports", {"path": "x"})
