"""The files of the workspace that are not open, for workspace/diagnostic.

Each closed file is read and analysed in the worker, one at a time (so that the analysis of a
document being edited never waits behind a whole scan), and the result is kept per (file,
modification stamp, settings): a client that asks again gets "unchanged" for every file that is.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.uris import to_fs_path

from dl_lsp.config import Settings
from dl_lsp.engine import analyze_source
from dl_lsp.findings import Finding
from dl_lsp.lsp.positions import LineIndex

if TYPE_CHECKING:
    from dl_lsp.lsp.server import DlLanguageServer

MAX_FILES = 2_000
_serials = itertools.count(1)


# Turns a file's findings into diagnostics (given its uri and line index).
ToDiagnostics = Callable[[Sequence[Finding], str, LineIndex], list[types.Diagnostic]]


@dataclass(frozen=True)
class ClosedFile:
    """The diagnostics of a file on disk, as of its stamp. Its text is not kept."""

    path: Path
    stamp: tuple[int, int]
    settings: Settings
    diagnostics: tuple[types.Diagnostic, ...]
    serial: int = field(default_factory=lambda: next(_serials))

    @property
    def result_id(self) -> str:
        return f"file.{self.serial}"


def stamp_of(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)


def workspace_files(folders: Iterable[str], limit: int = MAX_FILES) -> list[Path]:
    """The Python files under the workspace folders (skipping virtualenvs, build output, dot
    folders), at most ``limit``."""
    existing = [folder for folder in folders if os.path.isdir(folder)]
    if not existing:
        return []
    from dl_lsp.files import discover_python_files  # on the first workspace diagnostic

    # Closed notebooks have no cell documents to attach diagnostics to.
    found = [s for s in discover_python_files(existing).files if s.path.suffix != ".ipynb"]
    return [source.path for source in found[:limit]]


def analyse_file(
    path: Path, settings: Settings, max_size: int, to_diagnostics: ToDiagnostics
) -> ClosedFile | None:
    """Read and analyse one file (in the worker); None when it cannot be read or is too large."""
    stamp = stamp_of(path)
    if stamp is None or stamp[1] > max_size * 4:  # a size in bytes, a limit in characters
        return None
    from dl_lsp.files import ReadProblem, read_source

    source = read_source(path)
    if isinstance(source, ReadProblem) or len(source.text) > max_size:
        return None
    analysis = analyze_source(source.text, str(path), settings)
    items = to_diagnostics(analysis.findings, path.as_uri(), LineIndex(source.text))
    return ClosedFile(path, stamp, settings, tuple(items))


class ClosedFiles:
    """The last analysis of every closed workspace file that was asked for."""

    def __init__(self) -> None:
        self._files: dict[Path, ClosedFile] = {}

    def fresh(self, path: Path, settings: Settings) -> ClosedFile | None:
        """The kept analysis, if the file and its settings did not change since."""
        kept = self._files.get(path)
        if kept is None or kept.settings != settings or kept.stamp != stamp_of(path):
            return None
        return kept

    def keep(self, result: ClosedFile) -> None:
        self._files[result.path] = result

    def forget_missing(self, present: Iterable[Path]) -> None:
        keep = set(present)
        for path in [p for p in self._files if p not in keep]:
            del self._files[path]


def folder_paths(folders: Iterable[types.WorkspaceFolder], root: str | None) -> list[str]:
    """The workspace folders as paths (the root path when the client named no folders)."""
    paths = [path for folder in folders if (path := to_fs_path(folder.uri))]
    if not paths and root:
        paths.append(root)
    return paths


async def closed_file_diagnostics(
    ls: DlLanguageServer, to_diagnostics: ToDiagnostics
) -> list[ClosedFile]:
    """The diagnostics of every workspace Python file that is not open: kept ones where the file
    and its settings did not change, the others analysed now, one file at a time."""
    folders = folder_paths(ls.workspace.folders.values(), ls.workspace.root_path)
    paths = await ls.scheduler.run(workspace_files, folders)
    ls.closed_files.forget_missing(paths)
    results: list[ClosedFile] = []
    for path in paths:
        if ls.documents.get(path.as_uri()) is not None:
            continue
        settings = ls.settings.for_path(str(path))
        found = ls.closed_files.fresh(path, settings)
        if found is None:
            limit = ls.settings.options.max_file_size
            found = await ls.scheduler.run(analyse_file, path, settings, limit, to_diagnostics)
            if found is None:
                continue
            ls.closed_files.keep(found)
        results.append(found)
    return results
