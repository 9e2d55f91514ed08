"""``dl-lsp.makeReproducible`` and ``dl-lsp.addMissingImports`` (also the code action
``source.addMissingImports``): dlRepro's edit actions from the editor.

The work (libcst, the analysis, jedi) runs on the analysis worker, imported only when asked
for; nothing here imports a deep-learning framework.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.exceptions import JsonRpcInvalidParams

from dl_lsp.atomic import write_text_atomically
from dl_lsp.lsp.analysis import DocumentAnalysis
from dl_lsp.lsp.code_actions import add_provider, workspace_edit

if TYPE_CHECKING:
    from dl_lsp.lsp.documents import Document
    from dl_lsp.lsp.server import DlLanguageServer

MAKE_REPRODUCIBLE = "dl-lsp.makeReproducible"
ADD_MISSING_IMPORTS = "dl-lsp.addMissingImports"
ADD_MISSING_IMPORTS_KIND = "source.addMissingImports"
ADD_MISSING_IMPORTS_TITLE = "dl-lsp: add missing imports"


def register(ls: DlLanguageServer) -> None:
    ls.command(MAKE_REPRODUCIBLE)(make_reproducible_command)
    ls.command(ADD_MISSING_IMPORTS)(add_missing_imports_command)
    add_provider(ADD_MISSING_IMPORTS_KIND, missing_imports_actions)


def _document(ls: DlLanguageServer, arguments: Sequence[Any]) -> Document:
    """The open document the command's one argument ``{uri}`` names (a JSON-RPC error if not)."""
    if len(arguments) != 1 or not isinstance(arguments[0], dict):
        raise JsonRpcInvalidParams(message="expected one argument: {uri: string}")
    uri = arguments[0].get("uri")
    if not isinstance(uri, str):
        raise JsonRpcInvalidParams(message="the argument needs a string 'uri'")
    document = ls.documents.get(uri)
    if document is None:
        raise JsonRpcInvalidParams(message=f"unknown document (not open in the server): {uri}")
    return document


def _folder(document: Document) -> Path:
    path = document.path
    return Path(path).parent if path else Path.cwd()


def _reproduce(text: str, folder: Path) -> tuple[str, str]:
    """The reproducible program and its Markdown report (runs on the worker)."""
    from dl_lsp.repro import Options, make_reproducible
    from dl_lsp.repro.import_search import jedi_import_search, project_interpreter
    from dl_lsp.repro.report import render_report

    search = jedi_import_search(project_interpreter(folder))
    result = make_reproducible(text, Options(base_dir=folder, search_import=search))
    return result.text, render_report(result, markdown=True)


# pygls reads the command handlers' annotations at run time, where the server class cannot be
# imported (it imports this module): the handlers take ``ls: Any``.


async def make_reproducible_command(ls: Any, *arguments: Any) -> dict[str, Any]:
    """workspace/executeCommand dl-lsp.makeReproducible {uri} → {text, markdown, uri?}."""
    document = _document(ls, arguments)
    text, markdown = await ls.scheduler.run(_reproduce, document.text, _folder(document))
    answer: dict[str, Any] = {"text": text, "markdown": markdown}
    if get_capability(ls.client_capabilities, "window.show_document.support", False):
        target = _write_beside(document, text)
        answer["uri"] = target.as_uri()
        await ls.window_show_document_async(
            types.ShowDocumentParams(uri=answer["uri"], take_focus=True)
        )
    return answer


def _write_beside(document: Document, text: str) -> Path:
    """A temporary file for the program, written atomically."""
    stem = Path(document.path or "snippet.py").stem
    folder = Path(tempfile.mkdtemp(prefix="dl-lsp-repro-"))
    target = folder / f"{stem}.repro.py"
    write_text_atomically(target, text)
    return target


def _imports_edit(text: str, folder: Path | None, search: bool) -> tuple[str, tuple[str, ...]]:
    from dl_lsp.repro.whole_file_imports import add_missing_imports

    lookup = None
    if search and folder is not None:
        from dl_lsp.repro.import_search import jedi_import_search, project_interpreter

        lookup = jedi_import_search(project_interpreter(folder))
    edit = add_missing_imports(text, lookup)
    return edit.text, edit.imports


def _text_edits(ls: DlLanguageServer, old: str, new: str, index: Any) -> list[types.TextEdit]:
    from dl_lsp.fixes.edits import minimal_edit

    edit = minimal_edit(old, new)
    if edit is None:
        return []
    return [types.TextEdit(range=index.range(edit.span, ls.encoding), new_text=edit.new_text)]


async def add_missing_imports_command(ls: Any, *arguments: Any) -> dict[str, Any]:
    """workspace/executeCommand dl-lsp.addMissingImports {uri} → {applied, imports}."""
    document = _document(ls, arguments)
    version, text, index = document.version, document.text, document.index
    new_text, imports = await ls.scheduler.run(_imports_edit, text, _folder(document), True)
    if not imports:
        return {"applied": False, "imports": []}
    if document.version != version:
        return {"applied": False, "imports": list(imports)}  # the document changed meanwhile
    edits = _text_edits(ls, text, new_text, index)
    edit = workspace_edit(document.uri, version, edits, ls.supports_document_changes)
    response = await ls.workspace_apply_edit_async(types.ApplyWorkspaceEditParams(edit=edit))
    return {"applied": bool(response and response.applied), "imports": list(imports)}


async def missing_imports_actions(
    ls: DlLanguageServer, params: types.CodeActionParams, result: DocumentAnalysis
) -> list[types.CodeAction]:
    """The ``source.addMissingImports`` action: the curated table only, so it stays quick."""
    new_text, imports = await ls.scheduler.run(_imports_edit, result.text, None, False)
    if not imports:
        return []
    edits = _text_edits(ls, result.text, new_text, result.index)
    edit = workspace_edit(result.uri, result.version, edits, ls.supports_document_changes)
    title = f"{ADD_MISSING_IMPORTS_TITLE} ({', '.join(imports)})"
    return [types.CodeAction(title=title, kind=ADD_MISSING_IMPORTS_KIND, edit=edit)]
