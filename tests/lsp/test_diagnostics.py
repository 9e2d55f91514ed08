"""Diagnostics, pushed (VS Code, Emacs profiles) or pulled (Neovim 0.11 profile)."""

from __future__ import annotations

from lsprotocol import types
from tests.lsp.support import Session, wait_until

# A snippet with a syntax error on a line with non-ASCII text before the error, so that the
# range is checked in each client's position encoding (UTF-16 for VS Code, UTF-8 for Neovim,
# UTF-32 for Emacs).
BROKEN = 'import numpy as np\nlabel = "café ☕ 🚀" + str((np.zeros(3)\nprint(label)\n'
FIXED = 'import numpy as np\nlabel = "café ☕ 🚀" + str(np.zeros(3))\nprint(label)\n'


async def test_syntax_error_is_reported_with_a_precise_range(session: Session) -> None:
    document = session.open("snippet.py", BROKEN)
    diagnostics = await document.diagnostics()
    assert [d.code for d in diagnostics] == ["SNP001"]
    diagnostic = diagnostics[0]
    assert diagnostic.source == "dl-lsp"
    assert diagnostic.severity == types.DiagnosticSeverity.Error
    assert diagnostic.range.start.line == 1
    assert document.text_of(diagnostic).startswith("(np.zeros(3)")
    assert isinstance(diagnostic.data, dict)
    assert diagnostic.data["code"] == "SNP001"
    assert diagnostic.data["version"] == 1
    publish = session.caps.text_document.publish_diagnostics  # type: ignore[union-attr]
    if publish is not None and publish.code_description_support and not session.pull:
        assert diagnostic.code_description is not None
        assert "SNP001" in diagnostic.code_description.href


async def test_the_next_version_clears_a_fixed_problem(session: Session) -> None:
    document = session.open("snippet.py", BROKEN)
    assert await document.diagnostics()
    document.replace_all(FIXED)
    assert await document.diagnostics() == []


async def test_closing_a_document_clears_its_diagnostics(session: Session) -> None:
    document = session.open("snippet.py", BROKEN)
    assert await document.diagnostics()
    session.client.text_document_did_close(
        types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(document.uri))
    )
    if session.pull:
        # A pull client drops what it pulled; the server no longer knows the document.
        report = await session.client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(types.TextDocumentIdentifier(document.uri))
        )
        assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
        assert list(report.items) == []
    else:
        await wait_until(lambda: list(session.client.diagnostics.get(document.uri, [None])) == [])


async def test_pull_and_push_are_never_both_used(session: Session) -> None:
    document = session.open("snippet.py", BROKEN)
    assert await document.diagnostics()
    published = session.client.published  # type: ignore[attr-defined]
    if session.pull:
        assert document.uri not in published
    else:
        assert published[document.uri][-1].version == document.version


async def test_pull_reports_unchanged_when_nothing_changed(neovim: Session) -> None:
    document = neovim.open("snippet.py", BROKEN)
    first = await neovim.client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(types.TextDocumentIdentifier(document.uri))
    )
    assert isinstance(first, types.RelatedFullDocumentDiagnosticReport)
    again = await neovim.client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(
            types.TextDocumentIdentifier(document.uri), previous_result_id=first.result_id
        )
    )
    assert isinstance(again, types.RelatedUnchangedDocumentDiagnosticReport)
    document.replace_all(FIXED)
    changed = await neovim.client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(
            types.TextDocumentIdentifier(document.uri), previous_result_id=first.result_id
        )
    )
    assert isinstance(changed, types.RelatedFullDocumentDiagnosticReport)
    assert list(changed.items) == []


async def test_workspace_diagnostic_covers_open_documents(neovim: Session) -> None:
    broken = neovim.open("broken.py", BROKEN)
    fixed = neovim.open("fixed.py", FIXED)
    report = await neovim.client.workspace_diagnostic_async(
        types.WorkspaceDiagnosticParams(previous_result_ids=[])
    )
    by_uri = {item.uri: item for item in report.items}
    assert set(by_uri) == {broken.uri, fixed.uri}
    broken_report = by_uri[broken.uri]
    assert isinstance(broken_report, types.WorkspaceFullDocumentDiagnosticReport)
    assert broken_report.version == 1
    assert [d.code for d in broken_report.items] == ["SNP001"]
    assert list(by_uri[fixed.uri].items) == []  # type: ignore[union-attr]


async def test_workspace_diagnostic_covers_closed_files_too(neovim: Session) -> None:
    opened = neovim.open("opened.py", FIXED)
    closed = neovim.root / "pkg" / "closed.py"
    closed.parent.mkdir()
    closed.write_text(BROKEN, encoding="utf-8")
    (neovim.root / ".venv" / "lib").mkdir(parents=True)
    (neovim.root / ".venv" / "lib" / "vendored.py").write_text(BROKEN, encoding="utf-8")
    report = await neovim.client.workspace_diagnostic_async(
        types.WorkspaceDiagnosticParams(previous_result_ids=[])
    )
    by_uri = {item.uri: item for item in report.items}
    assert set(by_uri) == {opened.uri, closed.as_uri()}  # virtualenvs are not the user's code
    closed_report = by_uri[closed.as_uri()]
    assert isinstance(closed_report, types.WorkspaceFullDocumentDiagnosticReport)
    assert closed_report.version is None
    assert [d.code for d in closed_report.items] == ["SNP001"]

    previous = [
        types.PreviousResultId(uri=item.uri, value=item.result_id)
        for item in report.items
        if item.result_id
    ]
    again = await neovim.client.workspace_diagnostic_async(
        types.WorkspaceDiagnosticParams(previous_result_ids=previous)
    )
    assert all(
        isinstance(item, types.WorkspaceUnchangedDocumentDiagnosticReport) for item in again.items
    )
    closed.write_text(FIXED + "\n", encoding="utf-8")
    third = await neovim.client.workspace_diagnostic_async(
        types.WorkspaceDiagnosticParams(previous_result_ids=previous)
    )
    changed = {item.uri: item for item in third.items}[closed.as_uri()]
    assert isinstance(changed, types.WorkspaceFullDocumentDiagnosticReport)
    assert list(changed.items) == []
