"""Checking files one by one or across processes, turning every failure into a per-file problem."""

from __future__ import annotations

import os
import traceback
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass

from dl_lsp.config import Settings
from dl_lsp.engine import Analysis, analyze_source
from dl_lsp.files import ReadProblem, SourceFile, read_source
from dl_lsp.notebooks import analyze_notebook, is_notebook_path, notebook_program, read_notebook
from dl_lsp.report.results import CheckReport, FileProblem, FileResult

# Below this many files a process pool costs more than it saves.
PARALLEL_THRESHOLD = 8
_TOO_DEEP = "code nested too deeply to analyse (recursion limit reached), skipped"


@dataclass(frozen=True)
class CheckTask:
    """One file and the settings that apply to it (picklable, for worker processes)."""

    file: SourceFile
    settings: Settings


def check_task(task: CheckTask) -> FileResult:
    """Read and analyse one file; never raises."""
    display = task.file.display
    try:
        return _check(task)
    except Exception as error:  # the last line of defence: one file never stops the run
        return FileResult(display, problems=(_internal(display, error),))


def _check(task: CheckTask) -> FileResult:
    display = task.file.display
    if is_notebook_path(task.file.path):
        return _check_notebook(task)
    source = read_source(task.file.path)
    if isinstance(source, ReadProblem):
        return FileResult(display, problems=(FileProblem(display, source.message),))
    try:
        analysis = analyze_source(source.text, path=str(task.file.path), settings=task.settings)
    except RecursionError:
        return FileResult(display, problems=(FileProblem(display, _TOO_DEEP),))
    except MemoryError:
        return FileResult(display, problems=(FileProblem(display, "too large to analyse"),))
    return FileResult(display, analysis.findings, _failure_problems(display, analysis))


def _check_notebook(task: CheckTask) -> FileResult:
    """A notebook's code cells as one program; findings keep program spans and the cell map."""
    display = task.file.display
    notebook = read_notebook(task.file.path)
    if isinstance(notebook, ReadProblem):
        return FileResult(display, problems=(FileProblem(display, notebook.message),))
    program = notebook_program(notebook)
    try:
        analysis = analyze_notebook(program, path=str(task.file.path), settings=task.settings)
    except RecursionError:
        return FileResult(display, problems=(FileProblem(display, _TOO_DEEP),))
    except MemoryError:
        return FileResult(display, problems=(FileProblem(display, "too large to analyse"),))
    problems = _failure_problems(display, analysis)
    return FileResult(display, analysis.findings, problems, cells=program.cells)


def _failure_problems(display: str, analysis: Analysis) -> tuple[FileProblem, ...]:
    problems: list[FileProblem] = []
    for code, text in analysis.failures:
        stage = "fact extraction" if code == "extract" else f"check {code}"
        if text.startswith("RecursionError"):
            message = f"code nested too deeply to analyse ({stage} reached the recursion limit)"
            problems.append(FileProblem(display, message))
        else:
            problems.append(FileProblem(display, f"{stage} failed: {text}", internal=True))
    return tuple(problems)


def _internal(display: str, error: BaseException) -> FileProblem:
    frames = traceback.extract_tb(error.__traceback__)
    where = f" (at {os.path.basename(frames[-1].filename)}:{frames[-1].lineno})" if frames else ""
    return FileProblem(display, f"{type(error).__name__}: {error}{where}", internal=True)


def check_files(tasks: Sequence[CheckTask], jobs: int | None = None) -> CheckReport:
    """Check every task, in parallel when there are enough files and ``jobs`` allows it."""
    workers = min(jobs or os.cpu_count() or 1, len(tasks))
    if workers <= 1 or len(tasks) < PARALLEL_THRESHOLD:
        return CheckReport.from_results(check_task(task) for task in tasks)
    return CheckReport.from_results(_check_in_pool(tasks, workers))


def _check_in_pool(tasks: Sequence[CheckTask], workers: int) -> list[FileResult]:
    try:
        executor = ProcessPoolExecutor(max_workers=workers)
    except (OSError, NotImplementedError, ImportError):
        # No working multiprocessing here (no /dev/shm, a sandbox): check sequentially.
        return [check_task(task) for task in tasks]
    with executor:
        # The largest files first, so that no worker is left with a big one at the end.
        ordered = sorted(tasks, key=_size, reverse=True)
        futures = [(task, executor.submit(check_task, task)) for task in ordered]
        return [_outcome(task, future) for task, future in futures]


def _outcome(task: CheckTask, future: Future[FileResult]) -> FileResult:
    try:
        return future.result()
    except Exception as error:  # a worker died (killed, out of memory, a crash in C code)
        display = task.file.display
        message = f"worker process failed: {type(error).__name__}: {error}"
        return FileResult(display, problems=(FileProblem(display, message, internal=True),))


def _size(task: CheckTask) -> int:
    try:
        return os.stat(task.file.path).st_size
    except OSError:
        return 0
