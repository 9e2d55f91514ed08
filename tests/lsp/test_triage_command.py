"""`dl-lsp.triage` over LSP: a Markdown bug report open in the editor, all of it or a selection."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient
from tests.lsp.support import start_session

REPORT = """\
# Training crashes on the GPU

It worked on the CPU.

```
RuntimeError: Expected all tensors to be on the same device, but found at least two devices, cuda:0 and cpu!
```

Second question, unrelated: my loss is nan after the first epoch.
"""


async def execute(client: LanguageClient, *arguments: Any) -> Any:
    return await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="dl-lsp.triage", arguments=list(arguments))
    )


def open_markdown(client: LanguageClient, path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "markdown", 1, text))
    )
    return uri


@pytest.mark.asyncio
async def test_triage_of_an_open_markdown_document(
    real_client: LanguageClient, tmp_path: Path
) -> None:
    await start_session(real_client, "visual-studio-code", tmp_path, {"triageEmbeddings": False})
    uri = open_markdown(real_client, tmp_path / "issue.md", REPORT)
    answer = await execute(real_client, {"uri": uri})
    assert answer["result"]["bug_type"] == "gpu"
    assert answer["markdown"].startswith("# Triage: Training crashes on the GPU")
    assert "**Bug type: gpu**" in answer["markdown"]


@pytest.mark.asyncio
async def test_triage_of_a_selection(real_client: LanguageClient, tmp_path: Path) -> None:
    await start_session(real_client, "neovim", tmp_path, {"triageEmbeddings": False})
    uri = open_markdown(real_client, tmp_path / "issue.md", REPORT)
    last = len(REPORT.splitlines())
    selection = {"start": {"line": last - 1, "character": 0}, "end": {"line": last, "character": 0}}
    answer = await execute(real_client, {"uri": uri, "range": selection})
    assert answer["result"]["bug_type"] == "training"


@pytest.mark.asyncio
async def test_a_saved_file_that_is_not_open_is_read_from_disk(
    real_client: LanguageClient, tmp_path: Path
) -> None:
    await start_session(real_client, "emacs", tmp_path, {"triageEmbeddings": False})
    path = tmp_path / "closed.md"
    path.write_text("Import fails\n\nModuleNotFoundError: No module named 'tensorflow.contrib'\n")
    answer = await execute(real_client, {"uri": path.as_uri()})
    assert answer["result"]["bug_type"] == "api"


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ((), "one object argument"),
        (({"range": None},), "'uri' must be"),
        (({"uri": "file:///nowhere/missing.md"},), "unknown document"),
    ],
)
async def test_bad_arguments_are_a_json_rpc_error(
    real_client: LanguageClient, tmp_path: Path, arguments: tuple[Any, ...], message: str
) -> None:
    await start_session(real_client, "visual-studio-code", tmp_path, {"triageEmbeddings": False})
    with pytest.raises(Exception, match=message):
        await execute(real_client, *arguments)


@pytest.mark.asyncio
async def test_a_binary_file_on_disk_is_a_clear_unknown(
    real_client: LanguageClient, tmp_path: Path
) -> None:
    await start_session(real_client, "visual-studio-code", tmp_path, {"triageEmbeddings": False})
    path = tmp_path / "screenshot.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    answer = await execute(real_client, {"uri": path.as_uri()})
    assert answer["result"]["bug_type"] == "unknown"
    assert "binary" in answer["result"]["reason"]
