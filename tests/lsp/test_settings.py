"""Settings from ``[tool.dl-lsp]`` and from the client's ``dl-lsp`` section; bad values are
reported and the previous settings stay in force."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient
from tests.lsp.rpc import RawServer
from tests.lsp.support import PROGRAMS, Session, start_session, wait_until

KERAS = (PROGRAMS / "keras_binary_classifier.py").read_text(encoding="utf-8")


def codes(diagnostics: list[types.Diagnostic]) -> set[str]:
    return {str(d.code) for d in diagnostics}


def write_pyproject(root: Path, table: str) -> Path:
    path = root / "pyproject.toml"
    path.write_text(f'[project]\nname = "demo"\n\n[tool.dl-lsp]\n{table}\n', encoding="utf-8")
    return path


def watched(session: Session, path: Path, kind: types.FileChangeType) -> None:
    session.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=path.as_uri(), type=kind)])
    )


async def test_pyproject_settings_apply(real_client: LanguageClient, tmp_path: Path) -> None:
    write_pyproject(tmp_path, 'ignore = ["IBS"]')
    session = await start_session(real_client, "visual-studio-code", tmp_path)
    document = session.open("train.py", KERAS)
    found = codes(await document.diagnostics())
    assert "IBS" not in found and {"LLM", "LOB"} <= found


async def test_client_settings_win_over_the_project(
    real_client: LanguageClient, tmp_path: Path
) -> None:
    write_pyproject(tmp_path, 'ignore = ["IBS"]')
    real_client.set_configuration({"ignore": ["LOB"]}, section="dl-lsp")
    session = await start_session(real_client, "visual-studio-code", tmp_path)
    document = session.open("train.py", KERAS)
    found = codes(await document.diagnostics())
    assert "LOB" not in found and {"LLM", "IBS"} <= found


async def test_initialization_options(real_client: LanguageClient, tmp_path: Path) -> None:
    session = await start_session(
        real_client, "emacs", tmp_path, initialization_options={"dl-lsp": {"select": ["LLM"]}}
    )
    document = session.open("train.py", KERAS)
    assert codes(await document.diagnostics()) == {"LLM"}


async def test_configuration_change_reanalyses(vscode: Session) -> None:
    document = vscode.open("train.py", KERAS)
    assert "LOB" in codes(await document.diagnostics())
    before = document.publish_count()
    vscode.client.set_configuration({"ignore": ["LOB"]}, section="dl-lsp")
    vscode.client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings=None)
    )
    assert "LOB" not in codes(await document.republished(before))


async def test_bad_client_settings_warn_and_keep_the_previous(vscode: Session) -> None:
    document = vscode.open("train.py", KERAS)
    assert "LLM" in codes(await document.diagnostics())
    vscode.client.set_configuration({"severity": {"LLM": "fatal"}}, section="dl-lsp")
    vscode.client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings=None)
    )
    await wait_until(lambda: vscode.client.messages, what="a window/showMessage")
    message = vscode.client.messages[-1]
    assert message.type == types.MessageType.Warning
    assert "fatal" in message.message
    document.replace_all(KERAS + "\n")
    diagnostics = await document.diagnostics()
    llm = [d for d in diagnostics if d.code == "LLM"]
    assert llm and llm[0].severity == types.DiagnosticSeverity.Error  # the rule's own severity


async def test_watched_pyproject_change_reanalyses_and_bad_toml_keeps_settings(
    vscode: Session,
) -> None:
    registrations = vscode.client.registrations  # type: ignore[attr-defined]
    await wait_until(
        lambda: any(r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES for r in registrations),
        what="the server asking to watch pyproject.toml",
    )
    document = vscode.open("train.py", KERAS)
    assert "IBS" in codes(await document.diagnostics())
    before = document.publish_count()
    path = write_pyproject(vscode.root, 'ignore = ["IBS"]')
    watched(vscode, path, types.FileChangeType.Created)
    assert "IBS" not in codes(await document.republished(before))

    path.write_text("[tool.dl-lsp\nignore = [", encoding="utf-8")  # broken TOML
    watched(vscode, path, types.FileChangeType.Changed)
    await wait_until(lambda: vscode.client.messages, what="a window/showMessage")
    assert "keeping the previous settings" in vscode.client.messages[-1].message
    document.replace_all(KERAS + "\n")
    assert "IBS" not in codes(await document.diagnostics())


async def test_saving_an_open_pyproject_reloads_it(neovim: Session) -> None:
    document = neovim.open("train.py", KERAS)
    assert "LOB" in codes(await document.diagnostics())
    path = write_pyproject(neovim.root, "[tool.dl-lsp.thresholds.LOB]\nmax = 1.0")
    neovim.client.text_document_did_save(
        types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(path.as_uri()))
    )
    # A pull client: the next pull sees the new settings.
    await wait_until(lambda: any("changed" in m.message for m in neovim.client.log_messages))
    assert "LOB" not in codes(await document.diagnostics())


def test_push_model_configuration_change() -> None:
    """A client without workspace/configuration sends its settings in the notification."""
    server = RawServer()
    try:
        server.initialize()
        uri = "file:///tmp/dl_lsp_settings/train.py"
        server.open(uri, KERAS)
        assert "IBS" in {d["code"] for d in server.diagnostics(uri, 1)}
        server.notify(
            "workspace/didChangeConfiguration", {"settings": {"dl-lsp": {"ignore": ["IBS"]}}}
        )
        again = server.diagnostics(uri, 1)
        assert "IBS" not in {d["code"] for d in again}
    finally:
        server.close()
