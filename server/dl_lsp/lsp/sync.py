"""Document sync: textDocument/didOpen, didChange, didSave and didClose."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.uris import to_fs_path

from dl_lsp.lsp.diagnostics import clear
from dl_lsp.lsp.settings import is_pyproject, pyproject_changed

if TYPE_CHECKING:
    from dl_lsp.lsp.server import DlLanguageServer

# Features that act on save (the probe's probeOnSave): called with the saved document's uri.
_save_listeners: list[Callable[[DlLanguageServer, str], None]] = []


def add_save_listener(listener: Callable[[DlLanguageServer, str], None]) -> None:
    _save_listeners.append(listener)


def on_did_open(ls: DlLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
    item = params.text_document
    ls.documents.open(item.uri, item.text, item.version, item.language_id)
    ls.log_debug(f"opened {item.uri} v{item.version}")
    ls.request_analysis(item.uri, immediate=True)


def on_did_change(ls: DlLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
    uri, version = params.text_document.uri, params.text_document.version
    document = ls.documents.get(uri)
    if document is None:
        ls.log_warning(f"dl-lsp: ignored didChange for {uri}: it was never opened")
        return
    if version <= document.version:
        # The changes are deltas against the client's text, so they still apply; the version
        # only labels the result. Later changes win, whatever their number.
        ls.log_warning(
            f"dl-lsp: didChange for {uri} has version {version} after {document.version}"
        )
    ls.documents.change(uri, version, params.content_changes, ls.encoding)
    ls.request_analysis(uri)


def on_did_save(ls: DlLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
    document = ls.documents.get(params.text_document.uri)
    path = document.path if document else to_fs_path(params.text_document.uri)
    if is_pyproject(path):
        pyproject_changed(ls, path)
    for listener in _save_listeners:
        listener(ls, params.text_document.uri)


def on_did_close(ls: DlLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    if ls.documents.close(uri) is None:
        ls.log_warning(f"dl-lsp: ignored didClose for {uri}: it was not open")
        return
    ls.scheduler.forget(uri)
    clear(ls, uri)


def register(ls: DlLanguageServer) -> None:
    ls.feature(types.TEXT_DOCUMENT_DID_OPEN)(on_did_open)
    ls.feature(types.TEXT_DOCUMENT_DID_CHANGE)(on_did_change)
    ls.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))(on_did_save)
    ls.feature(types.TEXT_DOCUMENT_DID_CLOSE)(on_did_close)
