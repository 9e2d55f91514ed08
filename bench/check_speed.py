"""How fast ``dl-lsp check`` is, next to bare ``ast.parse`` on the same files.

Two corpora: the small snippets of ``tests/corpus`` and ``tests/clean_corpus`` (where the
per-file fixed costs show) and the larger programs of bench/make_corpus.py, generated into a
temporary folder. For each it measures, on one core: ``ast.parse``, the full analysis
(``analyze_source`` per file, parse included) and their ratio, and the share of the analysis
spent running the checks (``run_checks`` on the facts already extracted). On the generated
corpus it also times ``dl-lsp check`` as a subprocess on all cores (start-up included).
Every time is the best of several runs: the least disturbed by other work on the machine.
The target is an analysis within 3x of ``ast.parse``.

Usage: python bench/check_speed.py [--quick] [--json] [--repeat N]
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from dl_lsp.config import Settings
from dl_lsp.engine import analyze_source, run_checks, settings_with_pragmas
from dl_lsp.facts import ProgramFacts
from make_corpus import make_corpus

FULL_LINES = 120_000
QUICK_LINES = 12_000
TARGET_RATIO = 3.0
ROOT = Path(__file__).resolve().parents[1]
SNIPPET_FOLDERS = ("tests/corpus", "tests/clean_corpus")


def best_time(run: Callable[[], object], repeat: int) -> float:
    """The fastest of ``repeat`` runs, in seconds (the least disturbed by other work)."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def parse_all(texts: Sequence[str]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for text in texts:
            # Some snippets do not parse: the failed attempt is the floor's cost.
            with contextlib.suppress(SyntaxError):
                ast.parse(text)


def analyze_all(texts: Sequence[str], paths: Sequence[Path]) -> None:
    for text, path in zip(texts, paths, strict=True):
        analysis = analyze_source(text, path=str(path))
        if analysis.failures:
            raise RuntimeError(f"{path}: analysis failed: {analysis.failures}")


def extracted(texts: Sequence[str], paths: Sequence[Path]) -> list[tuple[ProgramFacts, Settings]]:
    """Each file's facts and effective settings: what ``run_checks`` receives."""
    inputs = []
    for text, path in zip(texts, paths, strict=True):
        analysis = analyze_source(text, path=str(path))
        inputs.append((analysis.facts, settings_with_pragmas(Settings(), analysis.source)))
    return inputs


def check_all(inputs: Sequence[tuple[ProgramFacts, Settings]]) -> None:
    for facts, settings in inputs:
        run_checks(facts, settings)


@dataclass(frozen=True)
class CorpusTimes:
    """The best times on one corpus, in seconds, and what they say."""

    files: int
    lines: int
    ast_parse: float
    analysis: float
    run_checks: float

    @property
    def ratio(self) -> float:
        return self.analysis / self.ast_parse

    def as_json(self) -> dict[str, object]:
        return {
            "files": self.files,
            "lines": self.lines,
            "ast_parse_lines_per_s": round(self.lines / self.ast_parse),
            "analysis_lines_per_s": round(self.lines / self.analysis),
            "analysis_over_parse": round(self.ratio, 2),
            "run_checks_share": round(self.run_checks / self.analysis, 3),
            "within_target": self.ratio <= TARGET_RATIO,
            "seconds": self.seconds_json(),
        }

    def seconds_json(self) -> dict[str, float]:
        return {
            "ast_parse": round(self.ast_parse, 4),
            "analysis": round(self.analysis, 4),
            "run_checks": round(self.run_checks, 4),
        }


def measure_analysis(paths: Sequence[Path], repeat: int) -> CorpusTimes:
    """ast.parse, the analysis and the checks on these files, one core."""
    texts = [path.read_text(encoding="utf-8") for path in paths]
    analyze_all(texts, paths)  # warm up: imports, rule data, caches
    inputs = extracted(texts, paths)
    return CorpusTimes(
        files=len(paths),
        lines=sum(text.count("\n") for text in texts),
        ast_parse=best_time(lambda: parse_all(texts), repeat),
        analysis=best_time(lambda: analyze_all(texts, paths), repeat),
        run_checks=best_time(lambda: check_all(inputs), repeat),
    )


def run_cli(directory: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "dl_lsp", "check", "--format", "json", str(directory)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    if completed.returncode not in (0, 1):
        raise RuntimeError(f"dl-lsp check failed ({completed.returncode}): {completed.stderr}")


def snippet_paths() -> list[Path]:
    return sorted(path for folder in SNIPPET_FOLDERS for path in (ROOT / folder).rglob("*.py"))


def measure(total_lines: int, repeat: int) -> tuple[CorpusTimes, CorpusTimes, float]:
    """The snippets, the generated corpus, and the CLI's time on the generated corpus."""
    snippets = measure_analysis(snippet_paths(), repeat * 2)  # small: more runs are cheap
    with tempfile.TemporaryDirectory(prefix="dl-lsp-bench-") as folder:
        directory = Path(folder)
        generated = measure_analysis(make_corpus(directory, total_lines), repeat)
        cli_seconds = best_time(lambda: run_cli(directory), repeat)
    return snippets, generated, cli_seconds


def as_json(snippets: CorpusTimes, generated: CorpusTimes, cli_seconds: float) -> dict[str, object]:
    """The generated corpus at the top level (with the CLI), the snippets under ``snippets``."""
    result = generated.as_json()
    result.update(
        seconds={**generated.seconds_json(), "cli": round(cli_seconds, 3)},
        cores=os.cpu_count(),
        cli_lines_per_s=round(generated.lines / cli_seconds),
        target_ratio=TARGET_RATIO,
        snippets=snippets.as_json(),
    )
    return result


def print_corpus(title: str, times: CorpusTimes) -> None:
    print(f"{title}: {times.files} files, {times.lines:,} lines")
    for name, seconds in (("ast.parse", times.ast_parse), ("analyze_source", times.analysis)):
        speed = round(times.lines / seconds)
        print(f"  {name:<16} (1 core) {speed:>10,} lines/s {seconds * 1000:9.1f} ms")
    share = times.run_checks / times.analysis
    print(f"  of which run_checks      {share:>10.1%}         {times.run_checks * 1000:9.1f} ms")
    verdict = "within" if times.ratio <= TARGET_RATIO else "OVER"
    print(f"  analysis / ast.parse: {times.ratio:.2f}x ({verdict} the {TARGET_RATIO:g}x target)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_LINES:,} lines, one run")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    parser.add_argument("--repeat", type=int, help="runs per measurement (best is kept)")
    args = parser.parse_args()
    total = QUICK_LINES if args.quick else FULL_LINES
    repeat = args.repeat or (1 if args.quick else 3)
    snippets, generated, cli_seconds = measure(total, repeat)
    if args.json:
        print(json.dumps(as_json(snippets, generated, cli_seconds), indent=2))
        return
    print_corpus("snippets (" + " + ".join(SNIPPET_FOLDERS) + ")", snippets)
    print_corpus("generated (bench/make_corpus.py)", generated)
    speed = round(generated.lines / cli_seconds)
    print(f"  dl-lsp check (CLI, all {os.cpu_count()} cores) {speed:>10,} lines/s")


if __name__ == "__main__":
    main()
