"""``dl-lsp serve``: the language server over stdio. Wiring only; each feature has its module."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any, BinaryIO, cast

import cattrs
from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.protocol import default_converter

from dl_lsp import __version__, codecache
from dl_lsp.config import Settings
from dl_lsp.lsp import (
    code_actions,
    collector,
    diagnostics,
    hover,
    lifecycle,
    notebooks,
    settings,
    sync,
)
from dl_lsp.lsp.analysis import NOT_PYTHON, AnalysisScheduler, DocumentAnalysis
from dl_lsp.lsp.diagnostics import DiagnosticSupport
from dl_lsp.lsp.documents import Document, DocumentStore
from dl_lsp.lsp.extensions import extension_modules
from dl_lsp.lsp.positions import UTF16
from dl_lsp.lsp.protocol import DlLspProtocol
from dl_lsp.lsp.published_json import PublishedJson
from dl_lsp.lsp.settings import SettingsStore
from dl_lsp.lsp.transport import ClientOutput
from dl_lsp.lsp.workspace import ClosedFiles

_LEVELS = {"error": 1, "warning": 2, "info": 3, "debug": 4}


def json_converter() -> cattrs.Converter:
    """pygls' converter, passing plain dicts (``Diagnostic.data``, other LSPAny values) through
    as they are: they are JSON already, and cattrs walking them cost more than building the
    diagnostics (3 ms for 90 diagnostics). json.dumps still serialises any LSP object in them."""
    converter: cattrs.Converter = default_converter()  # type: ignore[no-untyped-call]
    converter.register_unstructure_hook(dict, lambda value: value)
    return converter


class DlLanguageServer(LanguageServer):
    """The server's state: open documents, settings, the analysis scheduler, client abilities."""

    protocol: DlLspProtocol

    def __init__(self) -> None:
        super().__init__(
            "dl-lsp",
            __version__,
            protocol_cls=DlLspProtocol,
            converter_factory=json_converter,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            notebook_document_sync=notebooks.SYNC_OPTIONS,
        )
        self.documents = DocumentStore()
        self.closed_files = ClosedFiles()
        self.settings = SettingsStore(warn=self.show_warning, inform=self.log_info)
        self.scheduler = AnalysisScheduler(
            self.documents,
            self.settings_for,
            self.on_analysis,
            max_file_size=lambda: self.settings.options.max_file_size,
            ready=self.wait_for_settings,
        )
        self.notebooks = notebooks.NotebookSupport(self)
        self.published_json = PublishedJson()  # pushed diagnostics, re-used across versions
        # Filled in from the client's capabilities at initialize.
        self.encoding = UTF16
        self.pull_diagnostics = False
        self.diagnostic_support = DiagnosticSupport()
        self.supports_document_changes = False
        self.supports_code_action_resolve = False
        self.supports_configuration = False
        self.supports_diagnostic_refresh = False
        self.exit_requested = False
        self.settings_ready = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: int | None = None
        self._said_once: set[str] = set()
        self._started = False  # True once the first diagnostics are out
        self._failures: dict[str, tuple[tuple[str, str], ...]] = {}
        # Called (on the event loop) once the client's settings are in, after initialized.
        self.initialized_hooks: list[Callable[[], None]] = []

    # -- analysis ---------------------------------------------------------------------------

    def settings_for(self, document: Document) -> Settings:
        return self.settings.for_path(document.path)

    async def wait_for_settings(self) -> None:
        """Until the client's settings arrived (or 3 s passed): the first results use them."""
        if not self.settings_ready.is_set():
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.settings_ready.wait(), 3.0)

    def request_analysis(self, uri: str, *, immediate: bool = False) -> None:
        delay = 0.0 if immediate else self.settings.options.debounce_ms / 1000
        self.scheduler.schedule(uri, delay)

    def reanalyse_open_documents(self) -> None:
        """Settings changed: push clients get fresh diagnostics, pull clients a refresh."""
        if self.pull_diagnostics:
            if self.supports_diagnostic_refresh:
                self.workspace_diagnostic_refresh(None)
            return
        for document in self.documents:
            self.request_analysis(document.uri, immediate=True)
        self.notebooks.reanalyse()

    def on_analysis(self, result: DocumentAnalysis) -> None:
        """A fresh analysis of a document's current text: log what went wrong, publish."""
        name = result.uri.rsplit("/", 1)[-1]
        if result.error:
            self.log_error(f"analysing {name} v{result.version} failed: {result.error}")
        if result.skipped == NOT_PYTHON:
            self.log_debug(f"not analysing {result.uri}: {result.skipped}")
        elif result.skipped:
            self.log_once(f"dl-lsp: not analysing {result.uri}: {result.skipped}")
        if result.findings is not None:
            if result.failures and self._failures.get(result.uri) != result.failures:
                for code, error in result.failures:
                    self.log_warning(f"rule {code} raised on {name} v{result.version}: {error}")
            self._failures[result.uri] = result.failures
            self.log_debug(
                f"analysed {name} v{result.version} in {result.seconds * 1000:.1f} ms: "
                f"{len(result.findings)} findings"
            )
        diagnostics.publish(self, result)
        if not self._started:
            self._started = True
            self._after_first_diagnostics()

    def _after_first_diagnostics(self) -> None:
        """The start-up is over: keep the code it generated for the next start, and collect
        the garbage it left (``collector.starting``); what is left lives as long as the
        server, out of the collector's sight."""
        codecache.save()
        collector.collect_everything()

    # -- messages to the client -------------------------------------------------------------

    def bind_loop(self) -> None:
        """Remember the event loop, so that worker threads can log through it."""
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()

    def _send_log(self, level: str, message: str) -> None:
        if _LEVELS[level] > _LEVELS[self.settings.options.log_level]:
            return
        params = types.LogMessageParams(type=types.MessageType(_LEVELS[level]), message=message)
        if self._loop is not None and threading.get_ident() != self._loop_thread:
            self._loop.call_soon_threadsafe(self.window_log_message, params)
        else:
            self.window_log_message(params)

    def log_error(self, message: str) -> None:
        self._send_log("error", message)

    def log_warning(self, message: str) -> None:
        self._send_log("warning", message)

    def log_info(self, message: str) -> None:
        self._send_log("info", message)

    def log_debug(self, message: str) -> None:
        self._send_log("debug", message)

    def log_once(self, message: str) -> None:
        if message not in self._said_once:
            self._said_once.add(message)
            self.log_warning(message)

    def show_warning(self, message: str) -> None:
        """A problem the user must fix (bad settings): a visible message, and the log."""
        self.window_show_message(
            types.ShowMessageParams(type=types.MessageType.Warning, message=message)
        )
        self.log_warning(message)

    def report_server_error(self, error: Exception, source: Any) -> None:
        """Errors outside a request: log them; a body that is not JSON gets a ParseError."""
        if isinstance(error, (json.JSONDecodeError, UnicodeDecodeError)):
            self.protocol.send_error(None, -32700, f"Parse error: {error}")
            self.log_warning(f"dl-lsp: a message was not valid JSON: {error}")
            return
        self.log_error(f"dl-lsp: {type(error).__name__}: {error}")

    def exit_code(self) -> int:
        """0 after shutdown (or when the client closed stdin), 1 for exit without shutdown."""
        return 1 if self.exit_requested and not self.protocol._shutdown else 0


def create_server() -> DlLanguageServer:
    """A server with every feature registered."""
    ls = DlLanguageServer()
    lifecycle.register(ls)
    sync.register(ls)
    settings.register(ls)
    notebooks.register(ls)
    # Requests on notebook cells are answered on the notebook's program (lsp/notebooks.py).
    ls.feature(types.TEXT_DOCUMENT_DIAGNOSTIC, diagnostics.OPTIONS)(
        notebooks.in_cells_diagnostic(diagnostics.on_document_diagnostic)
    )
    ls.feature(types.WORKSPACE_DIAGNOSTIC)(diagnostics.on_workspace_diagnostic)
    ls.feature(types.TEXT_DOCUMENT_HOVER)(notebooks.in_cells_hover(hover.on_hover))
    for extension in extension_modules():
        extension.register(ls)
    ls.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=code_actions.kinds(), resolve_provider=True),
    )(notebooks.in_cells_code_actions(code_actions.on_code_action))
    ls.feature(types.CODE_ACTION_RESOLVE)(notebooks.in_cells_resolve(code_actions.on_resolve))
    return ls


def protocol_streams() -> tuple[BinaryIO, BinaryIO]:
    """stdin and stdout for LSP alone: anything else that writes to stdout (a print in a rule, a
    C library) lands on stderr instead of corrupting the protocol stream."""
    try:
        sys.stdout.flush()
        descriptor = sys.stdout.fileno()
        transport = ClientOutput(os.dup(descriptor), _input_descriptor())
        os.dup2(sys.stderr.fileno(), descriptor)
    except (OSError, ValueError, AttributeError):  # no real file descriptors: leave them be
        return sys.stdin.buffer, sys.stdout.buffer
    return sys.stdin.buffer, cast(BinaryIO, transport)


def _input_descriptor() -> int | None:
    try:
        return sys.stdin.fileno()
    except (OSError, ValueError, AttributeError):
        return None


def main(argv: Sequence[str] | None = None) -> int:
    """Serve LSP over stdin/stdout until the client says exit (or closes stdin)."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="dl-lsp: %(message)s")
    stdin, stdout = protocol_streams()
    ls = create_server()
    collector.started()
    ls.start_io(stdin, stdout)
    return ls.exit_code()


if __name__ == "__main__":
    raise SystemExit(main())
