"""Notebook documents (``notebookDocument/*``): the code cells analysed as one program.

The client opens a notebook with one text document per cell (``vscode-notebook-cell:`` URIs).
The server keeps, per notebook, a program document (``dl_lsp.notebooks``: the Python code cells
one after another, IPython syntax neutralised in place) under the notebook's URI, in a document
store and scheduler of its own, so that a model defined in cell 2 and compiled in cell 5 is one
model. Diagnostics are published on the cell documents. Requests on a cell (hover, code actions,
pulled diagnostics) are moved into the program (a cell position is a program position on the
cell's lines), answered by the same handlers as for files, and their ranges and edits moved
back into the cells; an edit is split into the cells it changes.
"""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, cast
from urllib.parse import unquote

import attrs
from lsprotocol import types
from pygls.workspace import TextDocument

from dl_lsp.config import Settings
from dl_lsp.engine import Analysis, analyze_source
from dl_lsp.facts.span import Span
from dl_lsp.findings import Finding
from dl_lsp.lsp import diagnostics
from dl_lsp.lsp.analysis import AnalysisScheduler, DocumentAnalysis
from dl_lsp.lsp.documents import DocumentStore
from dl_lsp.lsp.positions import LineIndex

# dl_lsp.notebooks (reading, magics, programs of cells) loads when the first notebook opens.
if TYPE_CHECKING:
    from dl_lsp.lsp.server import DlLanguageServer
    from dl_lsp.notebooks import CellSlice, NotebookProgram

PYTHON = "python"
# Every notebook type (Jupyter, VS Code's interactive window), Python cells only.
SYNC_OPTIONS = types.NotebookDocumentSyncOptions(
    notebook_selector=[
        types.NotebookDocumentFilterWithCells(
            notebook="*", cells=[types.NotebookCellLanguage(language=PYTHON)]
        )
    ]
)

R = TypeVar("R")
Handler = Callable[["DlLanguageServer", Any], Awaitable[R]]


@dataclass
class OpenNotebook:
    """A notebook the client has open: its cells' URIs and the program built from them."""

    uri: str
    cell_uris: list[str]  # every cell of the notebook, in order (markdown cells included)
    program: NotebookProgram
    version: int  # the program document's version: one more for every change
    published: set[str] = field(default_factory=set)  # cells with diagnostics on the client

    def cell_uri(self, piece: CellSlice) -> str:
        return self.cell_uris[piece.cell]

    def slice_of(self, cell_uri: str) -> CellSlice | None:
        """The code cell of a cell URI, however the client quoted it this time."""
        wanted = unquote(cell_uri)
        for index, uri in enumerate(self.cell_uris):
            if uri == cell_uri or unquote(uri) == wanted:
                return self.program.cells.by_cell(index)
        return None


class NotebookSupport:
    """The open notebooks, their program documents, and the scheduler that analyses them."""

    def __init__(self, ls: DlLanguageServer) -> None:
        self._ls = ls
        self.notebooks: dict[str, OpenNotebook] = {}
        self.documents = DocumentStore()
        self._versions = itertools.count(1)
        # Whether the client has asked for a cell's diagnostics (textDocument/diagnostic). VS
        # Code's language client pulls only documents shown in a text tab, never notebook cells:
        # until a client pulls a cell, cell diagnostics are pushed even to a pull client.
        self.cells_pulled = False
        self.scheduler = AnalysisScheduler(
            self.documents,
            ls.settings_for,
            self._on_analysis,
            max_file_size=lambda: ls.settings.options.max_file_size,
            ready=ls.wait_for_settings,
            analyse=self._analyse,
        )

    # -- the program document ----------------------------------------------------------------

    def refresh(self, notebook_uri: str) -> OpenNotebook | None:
        """Rebuild a notebook's program from the workspace and schedule its analysis."""
        from dl_lsp.notebooks import CellSource, program_from_cells

        notebook = self._ls.workspace.get_notebook_document(notebook_uri=notebook_uri)
        if notebook is None:
            return None
        cells: list[CellSource] = []
        for index, cell in enumerate(notebook.cells):
            document = self._cell_document(cell.document)
            language = document.language_id if document is not None else None
            is_code = cell.kind == types.NotebookCellKind.Code
            if is_code and document is not None and language in (None, "", PYTHON):
                cells.append(CellSource(index, document.source))
        program = program_from_cells(cells)
        previous = self.notebooks.get(notebook_uri)
        cell_uris = [cell.document for cell in notebook.cells]
        if previous and previous.cell_uris == cell_uris and previous.program == program:
            return previous  # metadata or an execution summary changed, not the code
        state = OpenNotebook(
            notebook_uri,
            cell_uris,
            program,
            next(self._versions),
            previous.published if previous else set(),
        )
        self.notebooks[notebook_uri] = state
        self.documents.open(notebook_uri, program.text, state.version, PYTHON)
        delay = self._ls.settings.options.debounce_ms / 1000 if previous else 0.0
        self.scheduler.schedule(notebook_uri, delay)
        return state

    def close(self, notebook_uri: str) -> None:
        state = self.notebooks.pop(notebook_uri, None)
        self.documents.close(notebook_uri)
        self.scheduler.forget(notebook_uri)
        if state is not None:
            for uri in state.published:
                diagnostics.clear(self._ls, uri)

    def reanalyse(self) -> None:
        """Settings changed: analyse every open notebook again."""
        for uri in list(self.notebooks):
            self.scheduler.schedule(uri, 0.0)

    def find(self, uri: str) -> OpenNotebook | None:
        """The open notebook a notebook URI or one of its cell URIs names (for commands: the
        program is ``.program``; an edit of ``.uri`` goes through ``cell_edit``)."""
        state = self.notebooks.get(uri)
        if state is None:
            located = self.locate(uri)
            state = located[0] if located else None
        return state

    def locate(self, cell_uri: str) -> tuple[OpenNotebook, CellSlice] | None:
        """The open notebook and the code cell a cell document belongs to."""
        for state in self.notebooks.values():
            piece = state.slice_of(cell_uri)
            if piece is not None:
                return state, piece
        return None

    def _analyse(self, text: str, path: str | None, settings: Settings) -> Analysis:
        """Runs in the analysis worker: the notebook analysis of the program this text is."""
        from dl_lsp.notebooks import analyze_notebook

        for state in list(self.notebooks.values()):
            if state.program.text is text:
                return analyze_notebook(state.program, path, settings)
        return analyze_source(text, path, settings)  # superseded meanwhile: never published

    # -- diagnostics ----------------------------------------------------------------------------

    def _on_analysis(self, result: DocumentAnalysis) -> None:
        state = self.notebooks.get(result.uri)
        if state is None or state.version != result.version:
            return
        if result.error:
            self._ls.log_error(f"analysing notebook {result.uri} failed: {result.error}")
        if result.skipped:
            self._ls.log_once(f"dl-lsp: not analysing {result.uri}: {result.skipped}")
        by_cell = self.cell_diagnostics(state, result)
        if self._ls.pull_diagnostics and self.cells_pulled:
            if self._ls.supports_diagnostic_refresh:
                self._ls.workspace_diagnostic_refresh(None)
            return
        self.push(state, by_cell)

    def push(self, state: OpenNotebook, by_cell: dict[str, list[types.Diagnostic]]) -> None:
        """Publish the cells' diagnostics (and clear those of cells that have none now)."""
        for uri in sorted(set(by_cell) | state.published):
            items = by_cell.get(uri, [])
            self._ls.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(
                    uri=uri, diagnostics=items, version=self.cell_version(uri)
                )
            )
        state.published = {uri for uri, items in by_cell.items() if items}

    def cell_diagnostics(
        self, state: OpenNotebook, result: DocumentAnalysis
    ) -> dict[str, list[types.Diagnostic]]:
        """The diagnostics of every code cell, by cell URI (empty lists for clean cells)."""
        by_cell: dict[str, list[types.Diagnostic]] = {
            state.cell_uri(piece): [] for piece in state.program.cells.slices
        }
        indexes: dict[str, LineIndex] = {}
        for finding in result.findings or ():
            placed = self._placed(state, finding.span)
            if placed is None:
                continue
            uri, span = placed
            index = indexes.setdefault(uri, LineIndex(self.cell_text(uri)))
            diagnostic = diagnostics.to_diagnostic(
                finding,
                uri,
                index,
                self._ls.encoding,
                result.version,
                self._ls.diagnostic_support,
            )
            diagnostic.range = index.range(span, self._ls.encoding)
            diagnostic.related_information = self._related(state, finding, indexes)
            by_cell[uri].append(diagnostic)
        return by_cell

    def _placed(self, state: OpenNotebook, span: Span) -> tuple[str, Span] | None:
        found = state.program.cells.to_cell(span)
        if found is None:
            return None
        return state.cell_uri(found.cell), found.span

    def _related(
        self, state: OpenNotebook, finding: Finding, indexes: dict[str, LineIndex]
    ) -> list[types.DiagnosticRelatedInformation] | None:
        if not finding.related or not self._ls.diagnostic_support.related_information:
            return None
        related: list[types.DiagnosticRelatedInformation] = []
        for item in finding.related:
            placed = self._placed(state, item.span)
            if placed is None:
                continue
            uri, span = placed
            index = indexes.setdefault(uri, LineIndex(self.cell_text(uri)))
            location = types.Location(uri, index.range(span, self._ls.encoding))
            related.append(types.DiagnosticRelatedInformation(location, item.message))
        return related or None

    def _cell_document(self, uri: str) -> TextDocument | None:
        # pygls keeps documents under their unquoted URIs; the client's own spelling of a URI
        # (``%3D`` in VS Code's cell fragments) is what goes back to it.
        document: TextDocument | None = self._ls.workspace.text_documents.get(unquote(uri))
        return document

    def cell_text(self, uri: str) -> str:
        document = self._cell_document(uri)
        return document.source if document is not None else ""

    def cell_version(self, uri: str) -> int | None:
        document = self._cell_document(uri)
        return document.version if document is not None else None

    # -- moving requests into the program and answers back into cells ---------------------

    def to_program(self, piece: CellSlice, where: types.Range) -> types.Range:
        shift = piece.first_line - 1
        return types.Range(_moved(where.start, shift), _moved(where.end, shift))

    def to_cell(self, piece: CellSlice, where: types.Range) -> types.Range:
        """A program range on the cell's lines as a cell range (clipped to the cell)."""
        shift = 1 - piece.first_line
        start, end = _moved(where.start, shift), _moved(where.end, shift)
        if end.line >= piece.line_count:
            end = types.Position(piece.line_count, 0)
        return types.Range(start, end)

    def cell_edit(self, state: OpenNotebook, edit: types.WorkspaceEdit) -> types.WorkspaceEdit:
        """A workspace edit of the program document as edits of the cells it changes."""
        from dl_lsp.notebooks import sources_from_program

        program_edits = _edits_for(edit, state.uri)
        if program_edits is None:
            return edit  # it edits other documents only
        index = LineIndex(state.program.text)
        new_text = _applied(state.program.text, program_edits, index, self._ls.encoding)
        changes: list[tuple[str, types.TextEdit]] = []
        for cell, source in sorted(sources_from_program(state.program, new_text).items()):
            piece = state.program.cells.by_cell(cell)
            if piece is None:
                continue
            uri = state.cell_uri(piece)
            old = "\n".join(state.program.cell_lines(piece))
            changes.extend((uri, change) for change in self._minimal(uri, old, source))
        others = _other_changes(edit, state.uri)
        if self._ls.supports_document_changes:
            documents: list[Any] = [
                types.TextDocumentEdit(
                    types.OptionalVersionedTextDocumentIdentifier(
                        uri=uri, version=self.cell_version(uri)
                    ),
                    [change for target, change in changes if target == uri],
                )
                for uri in dict.fromkeys(uri for uri, _ in changes)
            ]
            return types.WorkspaceEdit(document_changes=[*documents, *others])
        grouped: dict[str, list[types.TextEdit]] = {}
        for uri, change in changes:
            grouped.setdefault(uri, []).append(change)
        return types.WorkspaceEdit(changes=grouped)

    def _minimal(self, uri: str, old: str, new: str) -> list[types.TextEdit]:
        from dl_lsp.fixes.edits import minimal_edit

        if "\r\n" in self.cell_text(uri):
            new = new.replace("\n", "\r\n")
            old = old.replace("\n", "\r\n")
        edit = minimal_edit(old, new)
        if edit is None:
            return []
        index = LineIndex(self.cell_text(uri))
        return [types.TextEdit(index.range(edit.span, self._ls.encoding), edit.new_text)]


def _moved(position: types.Position, lines: int) -> types.Position:
    return types.Position(max(position.line + lines, 0), position.character)


def _edits_for(edit: types.WorkspaceEdit, uri: str) -> list[types.TextEdit] | None:
    found: list[types.TextEdit] | None = None
    if edit.changes and uri in edit.changes:
        found = list(edit.changes[uri])
    for change in edit.document_changes or ():
        if isinstance(change, types.TextDocumentEdit) and change.text_document.uri == uri:
            found = (found or []) + [e for e in change.edits if isinstance(e, types.TextEdit)]
    return found


def _other_changes(edit: types.WorkspaceEdit, uri: str) -> list[Any]:
    return [
        change
        for change in edit.document_changes or ()
        if not (isinstance(change, types.TextDocumentEdit) and change.text_document.uri == uri)
    ]


def _applied(text: str, edits: Sequence[types.TextEdit], index: LineIndex, encoding: str) -> str:
    """The text with non-overlapping LSP edits applied (all ranges refer to ``text``)."""
    spans = sorted(
        (
            (index.offset(e.range.start, encoding), index.offset(e.range.end, encoding), e.new_text)
            for e in edits
        ),
        key=lambda item: (item[0], item[1]),
    )
    pieces: list[str] = []
    position = 0
    for start, end, new_text in spans:
        start = max(start, position)
        pieces.append(text[position:start])
        pieces.append(new_text)
        position = max(end, start)
    pieces.append(text[position:])
    return "".join(pieces)


# -- the server's handlers, made to work on cell documents -----------------------------------


class _ProgramView:
    """The server as the request handlers see it, with the notebooks' program documents in
    place of the open files (everything else is the server's)."""

    def __init__(self, ls: DlLanguageServer) -> None:
        self._ls = ls
        self.documents = ls.notebooks.documents
        self.scheduler = ls.notebooks.scheduler

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ls, name)


def _view(ls: DlLanguageServer) -> DlLanguageServer:
    return cast("DlLanguageServer", _ProgramView(ls))


def in_cells_hover(
    handler: Handler[types.Hover | None],
) -> Handler[types.Hover | None]:
    """textDocument/hover on a cell: asked of the program, the range moved back."""

    async def on_hover(ls: DlLanguageServer, params: types.HoverParams) -> types.Hover | None:
        place = ls.notebooks.locate(params.text_document.uri)
        if place is None:
            return await handler(ls, params)
        state, piece = place
        shift = piece.first_line - 1
        moved = types.HoverParams(
            text_document=types.TextDocumentIdentifier(state.uri),
            position=_moved(params.position, shift),
        )
        hover = await handler(_view(ls), moved)
        if hover is not None and hover.range is not None:
            hover.range = ls.notebooks.to_cell(piece, hover.range)
        return hover

    return on_hover


def in_cells_code_actions(
    handler: Handler[list[types.CodeAction] | None],
) -> Handler[list[types.CodeAction] | None]:
    """textDocument/codeAction on a cell: the cell's diagnostics and range moved into the
    program, the actions' edits split into cell edits."""

    async def on_code_action(
        ls: DlLanguageServer, params: types.CodeActionParams
    ) -> list[types.CodeAction] | None:
        place = ls.notebooks.locate(params.text_document.uri)
        if place is None:
            return await handler(ls, params)
        state, piece = place
        support = ls.notebooks
        originals = list(params.context.diagnostics)
        moved_diagnostics = [
            attrs.evolve(d, range=support.to_program(piece, d.range)) for d in originals
        ]
        moved = types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(state.uri),
            range=support.to_program(piece, params.range),
            context=attrs.evolve(params.context, diagnostics=moved_diagnostics),
        )
        actions = await handler(_view(ls), moved)
        if actions is None:
            return None
        for action in actions:
            if action.diagnostics:
                action.diagnostics = [
                    originals[moved_diagnostics.index(d)] if d in moved_diagnostics else d
                    for d in action.diagnostics
                ]
            if action.edit is not None:
                action.edit = support.cell_edit(state, action.edit)
        return actions

    return on_code_action


def in_cells_resolve(handler: Handler[types.CodeAction]) -> Handler[types.CodeAction]:
    """codeAction/resolve of an action on a notebook (its data names the notebook)."""

    async def on_resolve(ls: DlLanguageServer, action: types.CodeAction) -> types.CodeAction:
        data = action.data if isinstance(action.data, dict) else {}
        state = ls.notebooks.notebooks.get(str(data.get("uri")))
        if state is None:
            return await handler(ls, action)
        resolved = await handler(_view(ls), action)
        if resolved.edit is not None:
            resolved.edit = ls.notebooks.cell_edit(state, resolved.edit)
        return resolved

    return on_resolve


def in_cells_diagnostic(
    handler: Handler[types.DocumentDiagnosticReport],
) -> Handler[types.DocumentDiagnosticReport]:
    """textDocument/diagnostic on a cell: that cell's part of the notebook's diagnostics."""

    async def on_diagnostic(
        ls: DlLanguageServer, params: types.DocumentDiagnosticParams
    ) -> types.DocumentDiagnosticReport:
        place = ls.notebooks.locate(params.text_document.uri)
        if place is None:
            return await handler(ls, params)
        state, _ = place
        if not ls.notebooks.cells_pulled:
            # This client pulls cells: from now on it gets them only so (never both ways).
            ls.notebooks.cells_pulled = True
            for notebook in ls.notebooks.notebooks.values():
                ls.notebooks.push(notebook, {})
        result = await ls.notebooks.scheduler.current(state.uri)
        current = ls.notebooks.notebooks.get(state.uri)
        if result is None or current is None:
            return types.RelatedFullDocumentDiagnosticReport(items=[])
        if params.previous_result_id == result.result_id:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result.result_id)
        items = ls.notebooks.cell_diagnostics(current, result).get(params.text_document.uri, [])
        return types.RelatedFullDocumentDiagnosticReport(items=items, result_id=result.result_id)

    return on_diagnostic


# -- notebookDocument/* --------------------------------------------------------------------------


def on_did_open(ls: DlLanguageServer, params: types.DidOpenNotebookDocumentParams) -> None:
    uri = params.notebook_document.uri
    ls.log_debug(f"opened notebook {uri} v{params.notebook_document.version}")
    ls.notebooks.refresh(uri)


def on_did_change(ls: DlLanguageServer, params: types.DidChangeNotebookDocumentParams) -> None:
    uri = params.notebook_document.uri
    structure = params.change.cells.structure if params.change.cells else None
    state = ls.notebooks.notebooks.get(uri)
    if state is not None and structure is not None:
        for cell in structure.did_close or ():
            if cell.uri in state.published:
                state.published.discard(cell.uri)
                diagnostics.clear(ls, cell.uri)
    ls.notebooks.refresh(uri)


def on_did_close(ls: DlLanguageServer, params: types.DidCloseNotebookDocumentParams) -> None:
    ls.notebooks.close(params.notebook_document.uri)


def register(ls: DlLanguageServer) -> None:
    ls.feature(types.NOTEBOOK_DOCUMENT_DID_OPEN)(on_did_open)
    ls.feature(types.NOTEBOOK_DOCUMENT_DID_CHANGE)(on_did_change)
    ls.feature(types.NOTEBOOK_DOCUMENT_DID_CLOSE)(on_did_close)
