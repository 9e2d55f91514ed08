"""The outcome of checking a set of files: findings per file and problems with files."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from dl_lsp.findings import Finding

if TYPE_CHECKING:  # a type only: the notebook support loads when a notebook is checked
    from dl_lsp.notebooks.program import CellMap

EXIT_CLEAN = 0
EXIT_REPORTED = 1
EXIT_FAILED = 2


@dataclass(frozen=True)
class FileProblem:
    """A file that could not be (fully) checked; ``internal`` when the tool is to blame."""

    path: str
    message: str
    internal: bool = False

    def describe(self) -> str:
        """The ``path: error: message`` line written on stderr."""
        kind = "internal error" if self.internal else "error"
        return f"{self.path}: {kind}: {self.message}"


@dataclass(frozen=True)
class FileResult:
    """What checking one file produced."""

    path: str
    findings: tuple[Finding, ...] = ()
    problems: tuple[FileProblem, ...] = ()
    # For a notebook: where its code cells sit in the program the findings' spans refer to.
    cells: CellMap | None = None


@dataclass(frozen=True)
class PathFinding:
    """A finding together with the path of the file it is in."""

    path: str
    finding: Finding
    cells: CellMap | None = None  # set for notebooks (see dl_lsp.report.locations)


@dataclass(frozen=True)
class CheckReport:
    """Every file's result, sorted by path, with findings sorted by position."""

    results: tuple[FileResult, ...]

    @classmethod
    def from_results(cls, results: Iterable[FileResult]) -> CheckReport:
        """Sort results so that output never depends on the order files finished in."""
        ordered = sorted(results, key=lambda result: result.path)
        return cls(
            tuple(replace(result, findings=_sorted_findings(result.findings)) for result in ordered)
        )

    @property
    def findings(self) -> list[PathFinding]:
        """Every finding, in output order (path, line, column)."""
        return [
            PathFinding(result.path, finding, result.cells)
            for result in self.results
            for finding in result.findings
        ]

    @property
    def problems(self) -> list[FileProblem]:
        """Every problem with a file, in path order."""
        return [problem for result in self.results for problem in result.problems]

    @property
    def failed(self) -> bool:
        """Whether the tool itself failed on some file."""
        return any(problem.internal for problem in self.problems)

    @property
    def files_with_problems(self) -> int:
        """How many files have at least one finding or problem."""
        return sum(1 for result in self.results if result.findings or result.problems)

    def exit_code(self) -> int:
        """0 when clean, 1 when anything was reported, 2 when the tool itself failed."""
        if self.failed:
            return EXIT_FAILED
        if any(result.findings or result.problems for result in self.results):
            return EXIT_REPORTED
        return EXIT_CLEAN


def _sorted_findings(findings: tuple[Finding, ...]) -> tuple[Finding, ...]:
    return tuple(sorted(findings, key=lambda f: (f.span.line, f.span.column, f.code, f.message)))
