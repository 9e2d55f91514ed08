"""When to analyse: debounced per document, newest text wins, the engine runs in a worker thread.

Every accepted change gives a document a new generation. ``schedule`` starts a job for the
current generation after a short debounce; a newer change replaces a job that has not started,
and a job that finds itself superseded (before or inside the worker) gives up. Results are
cached per (document, generation, settings), and only a result for the document's current
generation is ever handed to ``on_ready`` (which publishes it).
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from dl_lsp.config import Settings
from dl_lsp.engine import Analysis, analyze_source
from dl_lsp.findings import Finding
from dl_lsp.lsp.collector import ResultFreezer
from dl_lsp.lsp.documents import Document, DocumentStore
from dl_lsp.lsp.positions import LineIndex
from dl_lsp.source import ParsedSource

AnalyseSource = Callable[[str, "str | None", Settings], Analysis]
T = TypeVar("T")

_serials = itertools.count(1)
NOT_PYTHON = "not a Python document"
_KEPT_SOURCES = 4


@dataclass(frozen=True)
class DocumentAnalysis:
    """The analysis of one generation of a document, with the index to convert its spans."""

    uri: str
    version: int
    generation: int
    settings: Settings
    index: LineIndex
    # None when the document was not analysed. Only the findings are kept, not the syntax tree
    # and facts behind them: with many documents open, the trees would dominate memory.
    findings: tuple[Finding, ...] | None
    failures: tuple[tuple[str, str], ...] = ()
    # Why there is no analysis: the document is too large, not Python, or the engine raised.
    skipped: str | None = None
    error: str | None = None
    seconds: float = 0.0
    serial: int = field(default_factory=lambda: next(_serials))

    @property
    def result_id(self) -> str:
        """Unique per result: what pull diagnostics compare with ``previousResultId``."""
        return f"{self.generation}.{self.serial}"

    @property
    def text(self) -> str:
        return self.index.text


@dataclass
class _Job:
    generation: int
    settings: Settings
    delay: float
    started: bool = False
    task: asyncio.Task[DocumentAnalysis | None] = field(init=False)


class AnalysisScheduler:
    """Debounces, runs and caches the analysis of open documents."""

    def __init__(
        self,
        documents: DocumentStore,
        settings_for: Callable[[Document], Settings],
        on_ready: Callable[[DocumentAnalysis], None],
        *,
        max_file_size: Callable[[], int],
        ready: Callable[[], Awaitable[object]] | None = None,
        analyse: AnalyseSource | None = None,
        executor: Executor | None = None,
    ) -> None:
        self._documents = documents
        self._settings_for = settings_for
        self._on_ready = on_ready
        self._max_file_size = max_file_size
        self._ready = ready  # awaited before the first analysis (the client's settings)
        self._analyse = analyse  # None: dl_lsp.engine.analyze_source, looked up per call
        # One worker: the engine is CPU-bound and holds the GIL, more threads only add switching.
        self._executor = executor or ThreadPoolExecutor(1, thread_name_prefix="dl-lsp-analysis")
        self._jobs: dict[str, _Job] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._results: dict[str, DocumentAnalysis] = {}
        # The parses of the documents analysed last, newest last: the next analysis of one of
        # them re-parses only what the edit touched. A few only, for memory's sake: a tree
        # weighs about a hundred times its text. Touched by the worker thread alone.
        self._sources: OrderedDict[str, ParsedSource] = OrderedDict()
        self._freezer = ResultFreezer()  # keeps the collector off those parses

    def cached(self, uri: str) -> DocumentAnalysis | None:
        """The latest result for a document, whatever its generation."""
        return self._results.get(uri)

    def schedule(self, uri: str, delay: float) -> _Job | None:
        """Make sure the current text of ``uri`` gets analysed within ``delay`` seconds."""
        document = self._documents.get(uri)
        if document is None:
            return None
        settings = self._settings_for(document)
        cached = self._results.get(uri)
        if cached and cached.generation == document.generation and cached.settings == settings:
            return None
        job = self._jobs.get(uri)
        if job and job.task.done():
            job = None
        same = (
            job is not None and job.generation == document.generation and job.settings == settings
        )
        if job is not None and same and (job.started or job.delay <= delay):
            return job
        if job and not job.started:
            job.task.cancel()
        job = _Job(document.generation, settings, delay)
        job.task = asyncio.ensure_future(self._run(uri, job))
        self._jobs[uri] = job
        return job

    async def current(self, uri: str) -> DocumentAnalysis | None:
        """The analysis of the document's current text, waiting for it if needed."""
        while True:
            document = self._documents.get(uri)
            if document is None:
                return None
            settings = self._settings_for(document)
            cached = self._results.get(uri)
            if cached and cached.generation == document.generation and cached.settings == settings:
                return cached
            job = self.schedule(uri, delay=0.0)
            if job is None:
                continue
            # asyncio.wait: a cancelled request must not cancel the shared job.
            await asyncio.wait({job.task})
            if not job.task.cancelled() and job.task.exception() is not None:
                return None

    def forget(self, uri: str) -> None:
        """The document was closed: drop its pending job and its results."""
        job = self._jobs.pop(uri, None)
        if job and not job.started:
            job.task.cancel()
        self._results.pop(uri, None)
        self._locks.pop(uri, None)
        self._sources.pop(uri, None)

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        """Run other CPU-bound work (quick fixes) on the analysis worker."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, function, *args)

    def shutdown(self) -> None:
        for job in self._jobs.values():
            if not job.started:
                job.task.cancel()
        self._executor.shutdown(wait=False, cancel_futures=True)

    async def _run(self, uri: str, job: _Job) -> DocumentAnalysis | None:
        try:
            return await self._run_job(uri, job)
        finally:
            if self._jobs.get(uri) is job:
                del self._jobs[uri]

    async def _run_job(self, uri: str, job: _Job) -> DocumentAnalysis | None:
        if job.delay > 0:
            await asyncio.sleep(job.delay)
        if self._ready is not None:
            await self._ready()
        lock = self._locks.setdefault(uri, asyncio.Lock())
        async with lock:  # one analysis per document at a time; the newest job runs next
            document = self._documents.get(uri)
            if self._jobs.get(uri) is not job or document is None:
                return None
            if document.generation != job.generation:
                return None
            job.started = True
            loop = asyncio.get_running_loop()
            result = await loop.run_in_executor(
                self._executor,
                self._analyse_in_worker,
                uri,
                document.index,
                document.version,
                document.generation,
                document.path,
                document.is_python,
                job.settings,
            )
        if result is None or self._documents.generation_of(uri) != result.generation:
            return None  # superseded while it ran: never publish a stale result
        self._results[uri] = result
        self._on_ready(result)
        return result

    def _analyse_in_worker(
        self,
        uri: str,
        index: LineIndex,
        version: int,
        generation: int,
        path: str | None,
        is_python: bool,
        settings: Settings,
    ) -> DocumentAnalysis | None:
        if self._documents.generation_of(uri) != generation:
            return None  # a newer change arrived while this job waited for the worker
        text = index.text
        result = DocumentAnalysis(uri, version, generation, settings, index, None)
        limit = self._max_file_size()
        if not is_python:
            return replace(result, skipped=NOT_PYTHON)
        if len(text) > limit:
            size = f"{len(text):,} characters is over max-file-size ({limit:,})"
            return replace(result, skipped=size)
        started = time.perf_counter()
        try:
            analysis = self._analyse_text(uri, text, path, settings)
        except Exception as error:  # the engine must never take the server down
            self._sources.pop(uri, None)
            return replace(result, error=f"{type(error).__name__}: {error}")
        return replace(
            result,
            findings=analysis.findings,
            failures=analysis.failures,
            seconds=time.perf_counter() - started,
        )

    def _analyse_text(self, uri: str, text: str, path: str | None, settings: Settings) -> Analysis:
        if self._analyse is not None:
            return self._analyse(text, path, settings)
        with self._freezer.around_analysis():
            previous = self._sources.pop(uri, None)
            analysis = analyze_source(text, path, settings, previous=previous)
        self._sources[uri] = analysis.source
        while len(self._sources) > _KEPT_SOURCES:
            self._sources.popitem(last=False)
        return analysis
