"""``dl-lsp check --fix``: the safe fixes applied to files on disk, written atomically.

The fixes are those of the language server's ``source.fixAll.dl-lsp`` (``dl_lsp.fixes.fix_all``:
the safe preferred fix of each finding, re-analysing between rounds). A file is written only
when all of these hold; otherwise it is left exactly as it was and the reason is reported:

- it could be read and decoded (a file that is reported unreadable is never touched);
- the fixed text parses (a snippet that does not parse keeps its syntax errors: untouched);
- the fixed text can be encoded in the file's own encoding;
- the file did not change on disk while the fixes were computed.

The write goes to a temporary file in the same folder, which takes the original's permission
bits and is then renamed over it (``os.replace``), so a reader never sees half a file and a
crash leaves the original. A symbolic link is followed: its target is rewritten, the link kept.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from dl_lsp.config import Settings
from dl_lsp.files import ReadProblem, SourceFile, read_source
from dl_lsp.findings import Finding

if TYPE_CHECKING:  # the fix engine brings libcst: imported only when a file is fixed
    from dl_lsp.fixes import FixProposal

# Below this many files a process pool costs more than it saves (as for checking).
PARALLEL_THRESHOLD = 8


@dataclass(frozen=True)
class AppliedFix:
    """One fix written to a file: the rule code and the fix's title."""

    code: str
    title: str


@dataclass(frozen=True)
class FileFixes:
    """What ``--fix`` did to one file: the fixes written, or why it was left untouched."""

    display: str
    applied: tuple[AppliedFix, ...] = ()
    skipped: str | None = None  # why the file was not written (None: written, or nothing to do)

    @property
    def changed(self) -> bool:
        return bool(self.applied) and self.skipped is None

    def describe(self) -> str | None:
        """The line reported on stderr, or None when there is nothing to say."""
        if self.skipped is not None:
            return f"{self.display}: not fixed: {self.skipped}"
        if not self.applied:
            return None
        count = len(self.applied)
        codes = ", ".join(sorted({fix.code for fix in self.applied}))
        return f"{self.display}: fixed {count} problem{'s' if count != 1 else ''} ({codes})"


def fix_file(file: SourceFile, settings: Settings) -> FileFixes:
    """Apply the safe fixes to one file; never raises."""
    try:
        return _fix_file(file, settings)
    except Exception as error:  # the last line of defence: the file is left as it was
        return FileFixes(file.display, skipped=f"internal error: {type(error).__name__}: {error}")


def _fix_file(file: SourceFile, settings: Settings) -> FileFixes:
    display = file.display
    source = read_source(file.path)
    if isinstance(source, ReadProblem):
        return FileFixes(display, skipped=source.message)
    fixed, applied = fixed_text(source.text, str(file.path), settings)
    if not applied or fixed == source.text:
        return FileFixes(display)
    fixes = tuple(AppliedFix(proposal.code, proposal.title) for proposal in applied)
    from dl_lsp.fixes.edits import parses

    if not parses(fixed):
        return FileFixes(display, fixes, skipped="the fixed text would not parse, file unchanged")
    try:
        data = fixed.encode(source.encoding)
    except (UnicodeEncodeError, LookupError):
        reason = f"the fixed text cannot be written in the file's encoding ({source.encoding})"
        return FileFixes(display, fixes, skipped=reason)
    problem = write_atomically(file.path, data, expected=source.text, encoding=source.encoding)
    return FileFixes(display, fixes, skipped=problem)


def fixed_text(text: str, path: str | None, settings: Settings) -> tuple[str, list[FixProposal]]:
    """The text with every safe fix applied (fix-all rounds), and the fixes applied."""
    from dl_lsp.engine import analyze_source
    from dl_lsp.fixes import fix_all

    def findings_for(current: str) -> Sequence[Finding]:
        return analyze_source(current, path, settings).findings

    new_text, applied = fix_all(text, findings_for)
    return new_text, list(applied)


def write_atomically(path: Path, data: bytes, *, expected: str, encoding: str) -> str | None:
    """Replace the file's content by ``data`` through a temporary file and a rename.

    Returns None when written, or why the file was left alone: it changed since it was read
    (its text is no longer ``expected``), or the folder cannot be written to.
    """
    target = Path(os.path.realpath(path))  # a symbolic link keeps pointing at the fixed file
    try:
        info = os.stat(target)
        current = target.read_bytes().decode(encoding)
    except (OSError, UnicodeDecodeError, LookupError) as error:
        return f"cannot read it again before writing: {_reason(error)}, file unchanged"
    if current != expected:
        return "the file changed while it was being fixed, file unchanged"
    try:
        descriptor, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".dl-lsp-fix"
        )
    except OSError as error:
        return f"cannot write in its folder: {_reason(error)}, file unchanged"
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, stat.S_IMODE(info.st_mode))
        os.replace(temporary, target)
    except OSError as error:
        _remove(temporary)
        return f"cannot write it: {_reason(error)}, file unchanged"
    except BaseException:
        _remove(temporary)
        raise
    return None


def fix_files(tasks: Sequence[tuple[SourceFile, Settings]], jobs: int | None) -> list[FileFixes]:
    """Fix every file, across processes when there are enough of them; in the tasks' order."""
    workers = min(jobs or os.cpu_count() or 1, len(tasks))
    if workers <= 1 or len(tasks) < PARALLEL_THRESHOLD:
        return [fix_file(file, settings) for file, settings in tasks]
    try:
        executor = ProcessPoolExecutor(max_workers=workers)
    except (OSError, NotImplementedError, ImportError):
        return [fix_file(file, settings) for file, settings in tasks]
    with executor:
        futures = [executor.submit(fix_file, file, settings) for file, settings in tasks]
        results: list[FileFixes] = []
        for (file, _), future in zip(tasks, futures, strict=True):
            try:
                results.append(future.result())
            except Exception as error:  # a worker died: that file is left as it was
                reason = f"worker process failed: {type(error).__name__}: {error}"
                results.append(FileFixes(file.display, skipped=reason))
        return results


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower()
    return str(error) or type(error).__name__


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)
