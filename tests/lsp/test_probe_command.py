"""``dl-lsp.probe`` through a real client: PRB diagnostics beside the static ones, the report
document, the server answering while a probe runs, probeOnSave, trust and bad arguments."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pytest_lsp import LanguageClient
from tests.lsp.support import Session, find_position, start_session, wait_until

PROGRAMS = Path(__file__).resolve().parents[1] / "probe" / "programs"
# Framework imports take seconds on a loaded machine; the probe's own limit is what we set.
PROBE_WAIT_S = 180.0

RAISES = """\
import sys

learning_rate = 0.001
history = []
raise ValueError("the configuration file is missing its 'layers' key")
"""
WAITS = """\
import time

epochs = 10
while True:
    time.sleep(0.1)
"""


def probe_params(uri: str, **extra: Any) -> types.ExecuteCommandParams:
    return types.ExecuteCommandParams(command="dl-lsp.probe", arguments=[{"uri": uri, **extra}])


async def run_probe(session: Session, uri: str, **extra: Any) -> Any:
    return await asyncio.wait_for(
        session.client.workspace_execute_command_async(probe_params(uri, **extra)), PROBE_WAIT_S
    )


async def test_probe_diagnostics_join_the_static_ones_on_the_users_line(vscode: Session) -> None:
    text = (PROGRAMS / "torch_batch_left_on_cpu.py").read_text(encoding="utf-8")
    document = vscode.open("train.py", text)
    static = await document.diagnostics()
    count = document.publish_count()
    answer = await run_probe(vscode, document.uri, timeout=PROBE_WAIT_S)
    merged = await document.republished(count, timeout=PROBE_WAIT_S)
    probe = [d for d in merged if str(d.code).startswith("PRB")]
    assert {d.code for d in probe} == {"PRB703"}
    line = find_position(document.text, "loss = criterion(model(inputs), targets)", "utf-16").line
    assert {d.range.start.line for d in probe} == {line}
    assert all(d.severity == types.DiagnosticSeverity.Error for d in probe)
    assert [d for d in merged if not str(d.code).startswith("PRB")] == static
    assert answer["result"]["status"] == "failed"
    assert answer["result"]["environment"]["frameworks"]["torch"].startswith("2.13.0")
    assert "# Probe of `train.py`" in answer["markdown"]
    shown = vscode.client.shown_documents  # type: ignore[attr-defined]
    assert [params.uri for params in shown] == [answer["reportUri"]]
    assert Path(shown[0].uri.removeprefix("file://")).read_text() == answer["markdown"]


async def test_pull_clients_get_the_probe_findings_with_a_new_result_id(neovim: Session) -> None:
    document = neovim.open("config_error.py", RAISES)
    before = await document.diagnostics()
    assert not [d for d in before if str(d.code).startswith("PRB")]
    first = await neovim.client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(types.TextDocumentIdentifier(document.uri))
    )
    await run_probe(neovim, document.uri)
    after = await neovim.client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(
            types.TextDocumentIdentifier(document.uri), previous_result_id=first.result_id
        )
    )
    assert isinstance(after, types.RelatedFullDocumentDiagnosticReport)
    assert [(d.code, d.range.start.line) for d in after.items] == [("PRB706", 4)]
    assert "configuration file is missing" in after.items[0].message
    hover = await document.hover(types.Position(4, 8))
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert "PRB706" in hover.contents.value and "configuration file" in hover.contents.value


async def test_a_finding_follows_its_line_and_goes_when_the_line_does(neovim: Session) -> None:
    document = neovim.open("moves.py", RAISES)
    await run_probe(neovim, document.uri)
    document.edit([types.TextEdit(types.Range(types.Position(0, 0), types.Position(0, 0)), "\n\n")])
    moved = [d for d in await document.diagnostics() if d.code == "PRB706"]
    assert [d.range.start.line for d in moved] == [6]
    line = find_position(document.text, "raise ValueError", "utf-8").line
    document.edit(
        [types.TextEdit(types.Range(types.Position(line, 0), types.Position(line, 5)), "print")]
    )
    assert not [d for d in await document.diagnostics() if d.code == "PRB706"]


async def test_hover_is_answered_while_a_probe_runs(vscode: Session) -> None:
    document = vscode.open("waits.py", WAITS)
    await document.diagnostics()
    probing = asyncio.ensure_future(run_probe(vscode, document.uri, timeout=6))
    await asyncio.sleep(0.5)  # the worker has started
    hover = await asyncio.wait_for(
        document.hover(find_position(document.text, "epochs", "utf-16")), 10
    )
    assert not probing.done(), "the hover waited for the probe"
    assert hover is None or isinstance(hover, types.Hover)
    answer = await probing
    assert answer["result"]["status"] == "timeout"
    findings = answer["result"]["findings"]
    assert [(f["code"], f["line"]) for f in findings] == [("PRB707", 5)]


@pytest.mark.parametrize(
    "arguments",
    [
        [],
        ["file:///x.py"],
        [{"device": "cpu"}],
        [{"uri": "file:///x.py", "device": "tpu"}],
        [{"uri": "file:///x.py", "timeout": -1}],
        [{"uri": "file:///nowhere/missing.py"}],
    ],
    ids=["none", "not-an-object", "no-uri", "bad-device", "bad-timeout", "unknown-document"],
)
async def test_bad_arguments_are_a_clear_error(vscode: Session, arguments: list[Any]) -> None:
    with pytest.raises(JsonRpcException) as raised:
        await vscode.client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="dl-lsp.probe", arguments=arguments)
        )
    assert "dl-lsp.probe" in str(raised.value)


async def test_an_untrusted_workspace_never_runs_the_probe(
    real_client: LanguageClient, tmp_path: Path
) -> None:
    session = await start_session(
        real_client, "visual-studio-code", tmp_path, {"dl-lsp": {"workspaceTrusted": False}}
    )
    marker = tmp_path / "ran.txt"
    document = session.open("evil.py", f"open({str(marker)!r}, 'w').write('ran')\n")
    with pytest.raises(JsonRpcException) as raised:
        await run_probe(session, document.uri)
    assert "not trusted" in str(raised.value)
    assert not marker.exists()


async def test_probe_on_save_runs_the_probe_when_the_client_enables_it(
    real_client: LanguageClient, tmp_path: Path
) -> None:
    session = await start_session(
        real_client, "visual-studio-code", tmp_path, {"dl-lsp": {"probeOnSave": True}}
    )
    document = session.open("saved.py", RAISES)
    await document.diagnostics()
    count = document.publish_count()
    session.client.text_document_did_save(
        types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(document.uri))
    )
    await wait_until(
        lambda: any(
            d.code == "PRB706"
            for p in session.client.published[document.uri][count:]  # type: ignore[attr-defined]
            for d in p.diagnostics
        ),
        PROBE_WAIT_S,
        "PRB706 after the save",
    )
