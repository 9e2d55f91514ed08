"""The probe in the editor: the ``dl-lsp.probe`` command, PRB7xx diagnostics, a report document
and ``probeOnSave``.

The probe runs the user's code, so it runs only on the explicit command or, when the client's
``probeOnSave`` setting is true, on save; never when the client says the workspace is not
trusted (``workspaceTrusted: false`` in the ``dl-lsp`` section or initializationOptions; VS Code
sends it, editors without workspace trust send nothing and are trusted). ``probeOnSave`` is read
from the client only, never from a project's pyproject.toml: a cloned repository must not be
able to make the editor run its code. The worker is a separate process driven from a thread, so
the event loop keeps answering while it runs; the heavy frameworks are never imported here.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.exceptions import JsonRpcInvalidParams, JsonRpcInvalidRequest
from pygls.uris import from_fs_path, to_fs_path

from dl_lsp.atomic import write_text_atomically
from dl_lsp.facts.span import Span
from dl_lsp.findings import BugType, Finding, Severity
from dl_lsp.lsp import diagnostics, sync

# The probe's own modules load on the first probe, not with the server.
if TYPE_CHECKING:
    from dl_lsp.lsp.server import DlLanguageServer
    from dl_lsp.probe.results import ProbeFinding, ProbeResult

COMMAND = "dl-lsp.probe"
MAX_TIMEOUT_S = 600.0
T = TypeVar("T")


@dataclass(frozen=True)
class ProbeRequestArguments:
    uri: str
    device: str = "all"
    timeout: float | None = None


def parse_arguments(arguments: tuple[Any, ...]) -> ProbeRequestArguments:
    """The command's one JSON object, checked; a clear error for anything else."""
    if len(arguments) != 1 or not isinstance(arguments[0], dict):
        raise ValueError(f"{COMMAND} takes one object: {{uri, device?, timeout?}}")
    given = arguments[0]
    uri = given.get("uri")
    if not isinstance(uri, str) or not uri:
        raise ValueError(f"{COMMAND}: 'uri' must be a document URI")
    from dl_lsp.probe.protocol import DEVICE_CHOICES

    device = given.get("device", "all")
    if device not in DEVICE_CHOICES:
        raise ValueError(f"{COMMAND}: 'device' must be one of {', '.join(DEVICE_CHOICES)}")
    timeout = given.get("timeout")
    if timeout is not None and (
        isinstance(timeout, bool)
        or not isinstance(timeout, (int, float))
        or not 0 < timeout <= MAX_TIMEOUT_S
    ):
        raise ValueError(
            f"{COMMAND}: 'timeout' must be a number of seconds in (0, {MAX_TIMEOUT_S:g}]"
        )
    return ProbeRequestArguments(uri, device, float(timeout) if timeout is not None else None)


@dataclass(frozen=True)
class ProbeRecord:
    """A finished probe of one document and the text it ran (to follow later edits)."""

    lines: tuple[str, ...]
    result: ProbeResult


@dataclass
class ProbeState:
    """The last probe of each document, and the probes running now."""

    records: dict[str, ProbeRecord] = field(default_factory=dict)
    running: dict[str, threading.Event] = field(default_factory=dict)
    workers: set[int] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def findings_for(self, uri: str, text: str) -> list[Finding]:
        """The last probe's findings on the current text (a finding whose line changed is
        moved to the one identical line, or dropped)."""
        record = self.records.get(uri)
        if record is None:
            return []
        current = text.splitlines()
        return [
            finding
            for item in record.result.findings
            if (finding := relocated(item, record.lines, current)) is not None
        ]

    def kill_all(self) -> None:
        if not self.running and not self.workers:
            return
        from dl_lsp.probe.runner import kill_tree

        for event in self.running.values():
            event.set()
        with self.lock:
            workers = list(self.workers)
        for pid in workers:
            kill_tree(pid)


def relocated(item: ProbeFinding, before: tuple[str, ...], now: list[str]) -> Finding | None:
    """A probe finding on the current lines: where its line is now (identical text, found
    once), or None when it is gone. Findings about the whole file go on the first line."""
    line = item.line or 1
    if item.line and 0 < line <= len(before):
        original = before[line - 1]
        if not (line <= len(now) and now[line - 1] == original):
            matches = [index + 1 for index, text in enumerate(now) if text == original]
            if len(matches) != 1:
                return None
            line = matches[0]
    if now and line > len(now):
        return None
    text = now[line - 1] if now else ""
    start = item.column or len(text) - len(text.lstrip())
    end = len(text) if item.end_column is None else item.end_column
    start, end = min(start, len(text)), min(max(end, start), len(text))
    return Finding(
        code=item.code,
        name=item.name,
        bug_type=BugType(item.bug_type),
        severity=Severity(item.severity),
        span=Span(line, start, line, end),
        message=item.message,
    )


def trusted(ls: DlLanguageServer) -> bool:
    return ls.settings.client_option("workspace-trusted", True) is not False


def probe_on_save_enabled(ls: DlLanguageServer) -> bool:
    return ls.settings.client_option("probe-on-save", False) is True


async def in_thread(function: Callable[[], T]) -> T:
    """Run ``function`` in a daemon thread (a probe must never hold up the server's exit)."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle(value: Any, failed: bool) -> None:
        if future.done():
            return
        if failed:
            future.set_exception(value)
        else:
            future.set_result(value)

    def work() -> None:
        try:
            value = function()
        except BaseException as error:  # handed to the awaiting request
            loop.call_soon_threadsafe(settle, error, True)
        else:
            loop.call_soon_threadsafe(settle, value, False)

    threading.Thread(target=work, name="dl-lsp-probe", daemon=True).start()
    return await future


async def probe_document(
    ls: DlLanguageServer, state: ProbeState, request: ProbeRequestArguments
) -> tuple[ProbeResult, str]:
    """Probe one document (its current text), store and publish the findings."""
    from dl_lsp.probe.report import render_markdown
    from dl_lsp.probe.runner import ProbeOptions, run_probe

    document = ls.documents.get(request.uri)
    path = document.path if document is not None else to_fs_path(request.uri)
    if not path or (document is None and not os.path.isfile(path)):
        raise JsonRpcInvalidParams(message=f"{COMMAND}: unknown document {request.uri}")
    try:
        text = document.text if document is not None else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise JsonRpcInvalidParams(message=f"{COMMAND}: cannot read {path}: {error}") from None
    options = ProbeOptions(device=request.device)
    if request.timeout is not None:
        options = replace(options, timeout=request.timeout)
    previous = state.running.get(request.uri)
    if previous is not None:
        previous.set()  # the newer probe of the same document wins
    cancel = threading.Event()
    state.running[request.uri] = cancel

    pids: list[int] = []

    def started(pid: int) -> None:
        pids.append(pid)
        with state.lock:
            state.workers.add(pid)

    try:
        result = await in_thread(
            lambda: run_probe(path, text, options, cancel=cancel, on_start=started)
        )
    except asyncio.CancelledError:  # the client cancelled the request: stop the worker too
        cancel.set()
        raise
    finally:
        if state.running.get(request.uri) is cancel:
            del state.running[request.uri]
        with state.lock:
            state.workers.difference_update(pids)
    if not cancel.is_set():
        state.records[request.uri] = ProbeRecord(tuple(text.splitlines()), result)
        diagnostics.extra_findings_changed()
        diagnostics.republish(ls, request.uri)
    ls.log_info(
        f"dl-lsp: probe of {request.uri.rsplit('/', 1)[-1]}: {result.status}, "
        f"{len(result.findings)} findings in {result.seconds:.1f} s"
    )
    return result, render_markdown(result)


def write_report(path: str, markdown: str) -> str:
    """Write the report beside nothing of the user's: a temporary folder, atomically."""
    folder = Path(tempfile.gettempdir()) / "dl-lsp-probe-reports"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{Path(path).stem}-probe.md"
    write_text_atomically(target, markdown)
    return str(target)


def register(ls: DlLanguageServer) -> None:
    state = ProbeState()
    atexit.register(state.kill_all)
    diagnostics.add_findings_source(state.findings_for)

    server = ls

    # pygls resolves the handler's annotations at call time: only names of this module's globals.
    @ls.command(COMMAND)
    async def probe_command(ls: Any, *arguments: Any) -> dict[str, Any]:
        return await answer_probe_command(server, state, arguments)

    def on_save(ls: DlLanguageServer, uri: str) -> None:
        if not uri.endswith(".py") or not probe_on_save_enabled(ls) or not trusted(ls):
            return
        task = asyncio.ensure_future(probe_document(ls, state, ProbeRequestArguments(uri)))
        task.add_done_callback(lambda done: done.cancelled() or done.exception())

    sync.add_save_listener(on_save)


async def answer_probe_command(
    ls: DlLanguageServer, state: ProbeState, arguments: tuple[Any, ...]
) -> dict[str, Any]:
    """``workspace/executeCommand`` dl-lsp.probe: ``{markdown, result}`` (and ``reportUri``)."""
    try:
        request = parse_arguments(arguments)
    except ValueError as error:
        raise JsonRpcInvalidParams(message=str(error)) from None
    if not trusted(ls):
        raise JsonRpcInvalidRequest(
            message=f"{COMMAND}: the workspace is not trusted; the probe runs the file's "
            "code and is disabled there"
        )
    result, markdown = await probe_document(ls, state, request)
    answer: dict[str, Any] = {"markdown": markdown, "result": result.to_json()}
    if get_capability(ls.client_capabilities, "window.show_document.support", False):
        report = write_report(result.file, markdown)
        answer["reportUri"] = from_fs_path(report)
        ls.window_show_document(
            types.ShowDocumentParams(uri=answer["reportUri"], external=False, take_focus=False)
        )
    return answer
