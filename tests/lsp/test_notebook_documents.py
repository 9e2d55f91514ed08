"""Notebook documents end to end: a client opens a notebook with its cells, as VS Code does.

Diagnostics arrive on the cell documents (``vscode-notebook-cell:`` URIs), hover and code
actions are asked on cells, and a quick fix whose edits touch two cells is applied cell by cell.
Both ways VS Code gets diagnostics are exercised: pushed, and pulled per cell.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import attrs
import pytest
import pytest_asyncio
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from tests.lsp.support import SERVER, encoding_of, make_client, offset_of, wait_until

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
TIMEOUT = 15.0


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER, client_factory=make_client))
async def notebook_client(lsp_client: LanguageClient) -> AsyncIterator[None]:
    yield
    await lsp_client.shutdown_session()


def vscode_capabilities(pull: bool) -> types.ClientCapabilities:
    """VS Code's recorded capabilities plus notebook sync (and pulled diagnostics)."""
    caps = client_capabilities("visual-studio-code")
    caps = attrs.evolve(
        caps,
        notebook_document=types.NotebookDocumentClientCapabilities(
            synchronization=types.NotebookDocumentSyncClientCapabilities(
                execution_summary_support=True
            )
        ),
    )
    if pull:
        assert caps.text_document is not None
        caps = attrs.evolve(
            caps,
            text_document=attrs.evolve(
                caps.text_document,
                diagnostic=types.DiagnosticClientCapabilities(related_document_support=False),
            ),
        )
    return caps


@dataclass
class Cell:
    uri: str
    kind: types.NotebookCellKind
    text: str
    version: int = 1


@dataclass
class OpenNotebook:
    """A notebook the test client opened: its cells, kept in step with the edits it sends."""

    client: LanguageClient
    uri: str
    cells: list[Cell]
    encoding: str
    pull: bool
    version: int = 1
    applied: list[str] = field(default_factory=list)

    def code_cell(self, number: int) -> Cell:
        """A cell by its 1-based number among all cells."""
        return self.cells[number - 1]

    async def diagnostics(self, cell: Cell) -> list[types.Diagnostic]:
        """The diagnostics of a cell's current version: pulled, or waited for when pushed."""
        if self.pull:
            report = await asyncio.wait_for(
                self.client.text_document_diagnostic_async(
                    types.DocumentDiagnosticParams(types.TextDocumentIdentifier(cell.uri))
                ),
                TIMEOUT,
            )
            assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
            return list(report.items)
        published = self.client.published  # type: ignore[attr-defined]

        def arrived() -> bool:
            return any(p.version == cell.version for p in published.get(cell.uri, []))

        await wait_until(arrived, TIMEOUT, f"diagnostics for {cell.uri} v{cell.version}")
        return list([p for p in published[cell.uri] if p.version == cell.version][-1].diagnostics)

    def text_of(self, cell: Cell, where: types.Range) -> str:
        start = offset_of(cell.text, where.start, self.encoding)
        return cell.text[start : offset_of(cell.text, where.end, self.encoding)]

    def apply(self, edit: types.WorkspaceEdit) -> None:
        """Apply a server's edit to the cells it names, as one notebook change."""
        by_uri: dict[str, list[types.TextEdit]] = {}
        if edit.document_changes is not None:
            for change in edit.document_changes:
                assert isinstance(change, types.TextDocumentEdit)
                cell = self._cell(change.text_document.uri)
                assert change.text_document.version == cell.version, "edit for another version"
                by_uri.setdefault(cell.uri, []).extend(
                    e for e in change.edits if isinstance(e, types.TextEdit)
                )
        else:
            assert edit.changes is not None
            by_uri = {uri: list(edits) for uri, edits in edit.changes.items()}
        contents: list[types.NotebookDocumentCellContentChanges] = []
        for uri, edits in by_uri.items():
            cell = self._cell(uri)
            changes: list[types.TextDocumentContentChangeEvent] = []
            for text_edit in sorted(
                edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True
            ):
                start = offset_of(cell.text, text_edit.range.start, self.encoding)
                end = offset_of(cell.text, text_edit.range.end, self.encoding)
                cell.text = cell.text[:start] + text_edit.new_text + cell.text[end:]
                changes.append(
                    types.TextDocumentContentChangePartial(
                        range=text_edit.range, text=text_edit.new_text
                    )
                )
            cell.version += 1
            contents.append(
                types.NotebookDocumentCellContentChanges(
                    document=types.VersionedTextDocumentIdentifier(uri=uri, version=cell.version),
                    changes=changes,
                )
            )
            self.applied.append(uri)
        self.version += 1
        self.client.notebook_document_did_change(
            types.DidChangeNotebookDocumentParams(
                notebook_document=types.VersionedNotebookDocumentIdentifier(self.version, self.uri),
                change=types.NotebookDocumentChangeEvent(
                    cells=types.NotebookDocumentCellChanges(text_content=contents)
                ),
            )
        )

    def _cell(self, uri: str) -> Cell:
        return next(cell for cell in self.cells if cell.uri == uri)


async def open_notebook(
    client: LanguageClient, tmp_path: Path, name: str, *, pull: bool = False
) -> OpenNotebook:
    """Initialise a VS Code-like session and open a notebook file of tests/notebooks."""
    result = await client.initialize_session(
        types.InitializeParams(
            capabilities=vscode_capabilities(pull),
            root_uri=tmp_path.as_uri(),
            workspace_folders=[types.WorkspaceFolder(tmp_path.as_uri(), tmp_path.name)],
        )
    )
    assert result.capabilities.notebook_document_sync is not None
    path = tmp_path / name
    path.write_bytes((NOTEBOOKS / name).read_bytes())
    document = json.loads(path.read_text(encoding="utf-8"))
    cells: list[Cell] = []
    for index, raw in enumerate(document["cells"]):
        kind = (
            types.NotebookCellKind.Code
            if raw["cell_type"] == "code"
            else (types.NotebookCellKind.Markup)
        )
        uri = f"vscode-notebook-cell:{path.as_posix()}#W{index}sZmlsZQ%3D%3D"
        cells.append(Cell(uri, kind, "".join(raw["source"])))
    notebook = OpenNotebook(client, path.as_uri(), cells, encoding_of(result), pull)
    client.notebook_document_did_open(
        types.DidOpenNotebookDocumentParams(
            notebook_document=types.NotebookDocument(
                uri=notebook.uri,
                notebook_type="jupyter-notebook",
                version=1,
                cells=[types.NotebookCell(kind=cell.kind, document=cell.uri) for cell in cells],
            ),
            cell_text_documents=[
                types.TextDocumentItem(
                    uri=cell.uri,
                    language_id="python"
                    if cell.kind == types.NotebookCellKind.Code
                    else "markdown",
                    version=cell.version,
                    text=cell.text,
                )
                for cell in cells
            ],
        )
    )
    return notebook


async def quick_fix(
    notebook: OpenNotebook, cell: Cell, target: types.Diagnostic, title: str
) -> types.CodeAction:
    """The quick fix whose title mentions ``title``, asked for a diagnostic of a cell."""
    actions = await notebook.client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(cell.uri),
            range=target.range,
            context=types.CodeActionContext(diagnostics=[target]),
        )
    )
    assert actions is not None
    return next(a for a in actions if isinstance(a, types.CodeAction) and title in a.title)


@pytest.fixture(params=[False, True], ids=["push", "pull"])
def pull(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


@pytest_asyncio.fixture
async def softmax_notebook(
    notebook_client: LanguageClient, tmp_path: Path, pull: bool
) -> OpenNotebook:
    return await open_notebook(
        notebook_client, tmp_path, "keras_softmax_single_unit_across_cells.ipynb", pull=pull
    )


async def test_a_finding_lands_in_the_cell_of_the_layer_with_facts_from_other_cells(
    softmax_notebook: OpenNotebook,
) -> None:
    notebook = softmax_notebook
    model_cell, compile_cell = notebook.code_cell(4), notebook.code_cell(6)
    diagnostics = await notebook.diagnostics(model_cell)
    llm = [d for d in diagnostics if d.code == "LLM"]
    # The loss (binary_crossentropy) is compiled two cells below the softmax layer.
    assert len(llm) == 1
    assert llm[0].range.start.line == 3
    assert notebook.text_of(model_cell, llm[0].range) == "'softmax'"
    # The magics of the first cell are not Python and are not reported as syntax errors.
    assert await notebook.diagnostics(notebook.code_cell(2)) == []
    assert all(d.code != "LLM" for d in await notebook.diagnostics(compile_cell))


async def test_hover_on_a_cell_explains_the_finding_there(
    softmax_notebook: OpenNotebook,
) -> None:
    notebook = softmax_notebook
    model_cell = notebook.code_cell(4)
    diagnostics = await notebook.diagnostics(model_cell)
    target = next(d for d in diagnostics if d.code == "LLM")
    hover = await notebook.client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(model_cell.uri), target.range.start)
    )
    assert hover is not None
    assert isinstance(hover.contents, types.MarkupContent)
    assert "**LLM**" in hover.contents.value
    assert hover.range == target.range
    nothing = await notebook.client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(model_cell.uri), types.Position(0, 0))
    )
    assert nothing is None


async def test_a_quick_fix_in_a_cell_edits_that_cell_and_clears_the_diagnostic(
    softmax_notebook: OpenNotebook,
) -> None:
    notebook = softmax_notebook
    model_cell = notebook.code_cell(4)
    diagnostics = await notebook.diagnostics(model_cell)
    target = next(d for d in diagnostics if d.code == "LLM")
    fix = await quick_fix(notebook, model_cell, target, "sigmoid")
    assert list(fix.diagnostics or []) == [target]
    assert fix.edit is not None
    notebook.apply(fix.edit)
    assert notebook.applied == [model_cell.uri]
    assert "model.add(Dense(1, activation='sigmoid'))" in model_cell.text
    assert all(d.code != "LLM" for d in await notebook.diagnostics(model_cell))


async def test_a_fix_that_adds_a_layer_and_its_import_edits_both_cells(
    notebook_client: LanguageClient, tmp_path: Path
) -> None:
    notebook = await open_notebook(
        notebook_client, tmp_path, "keras_missing_dropout_fix_spans_cells.ipynb"
    )
    imports, model_cell = notebook.code_cell(2), notebook.code_cell(4)
    target = next(d for d in await notebook.diagnostics(model_cell) if d.code == "MRD")
    fix = await quick_fix(notebook, model_cell, target, "Dropout")
    assert fix.edit is not None
    notebook.apply(fix.edit)
    assert sorted(notebook.applied) == sorted([imports.uri, model_cell.uri])
    assert "from tensorflow.keras.layers import Dense, Dropout" in imports.text
    assert imports.text.startswith("!pip install -q tensorflow\n")  # the magic is kept
    lines = model_cell.text.splitlines()
    assert lines[4] == "model.add(Dropout(0.5))"
    assert all(d.code != "MRD" for d in await notebook.diagnostics(model_cell))


async def test_a_syntax_error_stays_in_its_cell_and_later_cells_are_analysed(
    notebook_client: LanguageClient, tmp_path: Path, pull: bool
) -> None:
    notebook = await open_notebook(
        notebook_client, tmp_path, "torch_cell_with_syntax_error.ipynb", pull=pull
    )
    broken, loop = notebook.code_cell(2), notebook.code_cell(3)
    errors = await notebook.diagnostics(broken)
    assert [d.code for d in errors] == ["SNP001"]
    assert errors[0].range.start.line == 0
    codes = {d.code for d in await notebook.diagnostics(loop)}
    assert "TRN301" in codes
    assert "SNP001" not in codes


async def test_editing_one_cell_updates_findings_in_another(
    notebook_client: LanguageClient, tmp_path: Path
) -> None:
    notebook = await open_notebook(
        notebook_client, tmp_path, "keras_softmax_single_unit_across_cells.ipynb"
    )
    model_cell, compile_cell = notebook.code_cell(4), notebook.code_cell(6)
    assert any(d.code == "LLM" for d in await notebook.diagnostics(model_cell))
    # With a loss for one-hot classes, a softmax output is what the compile cell asks for.
    line = compile_cell.text.splitlines()[1]
    start = line.index("'binary_crossentropy'")
    notebook.apply(
        types.WorkspaceEdit(
            changes={
                compile_cell.uri: [
                    types.TextEdit(
                        types.Range(
                            types.Position(1, start),
                            types.Position(1, start + len("'binary_crossentropy'")),
                        ),
                        "'mse'",
                    )
                ]
            }
        )
    )
    published = notebook.client.published  # type: ignore[attr-defined]
    before = len(published[model_cell.uri])
    await wait_until(lambda: len(published[model_cell.uri]) > before, TIMEOUT, "a new publish")
    latest = published[model_cell.uri][-1].diagnostics
    assert not any(d.code == "LLM" and "binary" in d.message for d in latest)


async def test_closing_the_notebook_clears_its_cells(
    notebook_client: LanguageClient, tmp_path: Path
) -> None:
    notebook = await open_notebook(
        notebook_client, tmp_path, "keras_softmax_single_unit_across_cells.ipynb"
    )
    model_cell = notebook.code_cell(4)
    assert await notebook.diagnostics(model_cell)
    notebook.client.notebook_document_did_close(
        types.DidCloseNotebookDocumentParams(
            notebook_document=types.NotebookDocumentIdentifier(notebook.uri),
            cell_text_documents=[types.TextDocumentIdentifier(c.uri) for c in notebook.cells],
        )
    )
    await wait_until(
        lambda: list(notebook.client.diagnostics.get(model_cell.uri, [None])) == [],
        TIMEOUT,
        "cleared diagnostics",
    )


async def test_a_cell_added_by_the_client_joins_the_program_in_its_place(
    notebook_client: LanguageClient, tmp_path: Path
) -> None:
    notebook = await open_notebook(
        notebook_client, tmp_path, "keras_softmax_single_unit_across_cells.ipynb"
    )
    compile_cell = notebook.code_cell(6)
    assert any(d.code == "REP601" for d in await notebook.diagnostics(compile_cell))
    # The user inserts a seeding cell right after the imports (a new cell 3).
    seed = Cell(
        f"{notebook.cells[0].uri.split('#')[0]}#W99sZmlsZQ%3D%3D",
        types.NotebookCellKind.Code,
        "keras.utils.set_random_seed(0)",
    )
    notebook.cells.insert(2, seed)
    notebook.version += 1
    published = notebook.client.published  # type: ignore[attr-defined]
    before = len(published[compile_cell.uri])
    notebook.client.notebook_document_did_change(
        types.DidChangeNotebookDocumentParams(
            notebook_document=types.VersionedNotebookDocumentIdentifier(
                notebook.version, notebook.uri
            ),
            change=types.NotebookDocumentChangeEvent(
                cells=types.NotebookDocumentCellChanges(
                    structure=types.NotebookDocumentCellChangeStructure(
                        array=types.NotebookCellArrayChange(
                            start=2,
                            delete_count=0,
                            cells=[types.NotebookCell(kind=seed.kind, document=seed.uri)],
                        ),
                        did_open=[types.TextDocumentItem(seed.uri, "python", 1, seed.text)],
                    )
                )
            ),
        )
    )
    await wait_until(lambda: len(published[compile_cell.uri]) > before, TIMEOUT, "a new publish")
    assert not any(d.code == "REP601" for d in published[compile_cell.uri][-1].diagnostics)
    # The model cell moved down one place; its finding is still on its own lines.
    model_cell = notebook.code_cell(5)
    llm = next(d for d in published[model_cell.uri][-1].diagnostics if d.code == "LLM")
    assert notebook.text_of(model_cell, llm.range) == "'softmax'"
