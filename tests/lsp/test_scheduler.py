"""The analysis scheduler alone: debounce, newest text wins, never a stale result."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

from lsprotocol import types

from dl_lsp.config import Settings
from dl_lsp.engine import Analysis, analyze_source
from dl_lsp.lsp.analysis import AnalysisScheduler, DocumentAnalysis
from dl_lsp.lsp.documents import DocumentStore

URI = "file:///tmp/scheduler/model.py"


class Recorder:
    def __init__(self, delay: float = 0.0) -> None:
        self.analysed: list[str] = []
        self.ready: list[DocumentAnalysis] = []
        self.delay = delay
        self.lock = threading.Lock()

    def analyse(self, text: str, path: str | None, settings: Settings) -> Analysis:
        with self.lock:
            self.analysed.append(text)
        time.sleep(self.delay)
        return analyze_source(text, path, settings)


def make(recorder: Recorder, max_size: int = 1_000_000) -> tuple[DocumentStore, AnalysisScheduler]:
    store = DocumentStore()
    scheduler = AnalysisScheduler(
        store,
        lambda document: Settings(),
        recorder.ready.append,
        max_file_size=lambda: max_size,
        analyse=recorder.analyse,
    )
    return store, scheduler


def edit(store: DocumentStore, version: int, text: str) -> None:
    store.change(URI, version, [types.TextDocumentContentChangeWholeDocument(text=text)], "utf-16")


async def test_a_burst_of_changes_is_analysed_once() -> None:
    recorder = Recorder()
    store, scheduler = make(recorder)
    store.open(URI, "x = 0\n", 1, "python")
    for version in range(2, 12):
        edit(store, version, f"x = {version}\n")
        scheduler.schedule(URI, delay=0.05)
    result = await scheduler.current(URI)
    assert result is not None and result.version == 11
    await asyncio.sleep(0.1)
    assert recorder.analysed == ["x = 11\n"]
    assert [r.version for r in recorder.ready] == [11]


async def test_a_change_during_the_analysis_wins_and_the_stale_result_is_dropped() -> None:
    recorder = Recorder(delay=0.2)
    store, scheduler = make(recorder)
    store.open(URI, "x = (\n", 1, "python")
    scheduler.schedule(URI, delay=0.0)
    await asyncio.sleep(0.05)  # the analysis of version 1 is running
    edit(store, 2, "x = 1\n")
    scheduler.schedule(URI, delay=0.0)
    result = await scheduler.current(URI)
    assert result is not None and result.version == 2
    assert result.findings == ()
    assert [r.version for r in recorder.ready] == [2]  # version 1 was never handed out


async def test_a_cancelled_waiter_does_not_cancel_the_analysis() -> None:
    recorder = Recorder(delay=0.2)
    store, scheduler = make(recorder)
    store.open(URI, "x = (\n", 1, "python")
    waiter = asyncio.ensure_future(scheduler.current(URI))
    await asyncio.sleep(0.05)
    waiter.cancel()
    result = await scheduler.current(URI)
    assert result is not None and result.version == 1
    assert len(recorder.analysed) == 1


async def test_results_are_cached_per_generation() -> None:
    recorder = Recorder()
    store, scheduler = make(recorder)
    store.open(URI, "x = 1\n", 1, "python")
    first = await scheduler.current(URI)
    again = await scheduler.current(URI)
    assert first is again and len(recorder.analysed) == 1


async def test_large_and_non_python_documents_are_skipped() -> None:
    recorder = Recorder()
    store, scheduler = make(recorder, max_size=10)
    store.open(URI, "x = 1  # more than ten characters\n", 1, "python")
    result = await scheduler.current(URI)
    assert result is not None and result.findings is None
    assert result.skipped is not None and "max-file-size" in result.skipped
    store.open("file:///tmp/scheduler/notes.md", "# notes\n", 1, "markdown")
    notes = await scheduler.current("file:///tmp/scheduler/notes.md")
    assert notes is not None and notes.skipped == "not a Python document"
    assert recorder.analysed == []


async def test_closed_documents_have_no_analysis(tmp_path: Path) -> None:
    recorder = Recorder()
    store, scheduler = make(recorder)
    store.open(URI, "x = 1\n", 1, "python")
    await scheduler.current(URI)
    store.close(URI)
    scheduler.forget(URI)
    assert await scheduler.current(URI) is None
    assert scheduler.cached(URI) is None
