"""How fast ``dl-lsp check`` is, next to bare ``ast.parse`` on the same files.

Generates the corpus of bench/make_corpus.py into a temporary folder, then measures, in lines
per second: ``ast.parse`` (one core), the full analysis (``analyze_source`` per file, parse
included, one core), and ``dl-lsp check`` as a subprocess on all cores (start-up included).
The target is an analysis within 3x of ``ast.parse``.

Usage: python bench/check_speed.py [--quick] [--json] [--repeat N]
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

from dl_lsp.engine import analyze_source
from make_corpus import make_corpus

FULL_LINES = 120_000
QUICK_LINES = 12_000
TARGET_RATIO = 3.0


def best_time(run: Callable[[], object], repeat: int) -> float:
    """The fastest of ``repeat`` runs, in seconds (the least disturbed by other work)."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def parse_all(texts: list[str]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for text in texts:
            ast.parse(text)


def analyze_all(texts: list[str], paths: list[Path]) -> None:
    for text, path in zip(texts, paths, strict=True):
        analysis = analyze_source(text, path=str(path))
        if analysis.failures:
            raise RuntimeError(f"{path}: analysis failed: {analysis.failures}")


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


def measure(total_lines: int, repeat: int) -> dict[str, object]:
    """Every measurement, as a JSON-ready dict."""
    with tempfile.TemporaryDirectory(prefix="dl-lsp-bench-") as folder:
        directory = Path(folder)
        paths = make_corpus(directory, total_lines)
        texts = [path.read_text(encoding="utf-8") for path in paths]
        lines = sum(text.count("\n") for text in texts)
        analyze_all(texts[:5], paths[:5])  # warm up: imports, rule data, caches
        parse_seconds = best_time(lambda: parse_all(texts), repeat)
        analysis_seconds = best_time(lambda: analyze_all(texts, paths), repeat)
        cli_seconds = best_time(lambda: run_cli(directory), repeat)
    return {
        "files": len(paths),
        "lines": lines,
        "cores": os.cpu_count(),
        "ast_parse_lines_per_s": round(lines / parse_seconds),
        "analysis_lines_per_s": round(lines / analysis_seconds),
        "cli_lines_per_s": round(lines / cli_seconds),
        "analysis_over_parse": round(analysis_seconds / parse_seconds, 2),
        "target_ratio": TARGET_RATIO,
        "within_target": analysis_seconds / parse_seconds <= TARGET_RATIO,
        "seconds": {
            "ast_parse": round(parse_seconds, 3),
            "analysis": round(analysis_seconds, 3),
            "cli": round(cli_seconds, 3),
        },
    }


def print_table(result: dict[str, object]) -> None:
    print(f"corpus: {result['files']} files, {result['lines']} lines; {result['cores']} cores")
    print(f"ast.parse (1 core)            {result['ast_parse_lines_per_s']:>10,} lines/s")
    print(f"analyze_source (1 core)       {result['analysis_lines_per_s']:>10,} lines/s")
    print(f"dl-lsp check (all cores, CLI) {result['cli_lines_per_s']:>10,} lines/s")
    verdict = "within" if result["within_target"] else "OVER"
    print(
        f"analysis / ast.parse: {result['analysis_over_parse']}x "
        f"({verdict} the {TARGET_RATIO:g}x target)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_LINES:,} lines, one run")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    parser.add_argument("--repeat", type=int, help="runs per measurement (best is kept)")
    args = parser.parse_args()
    total = QUICK_LINES if args.quick else FULL_LINES
    repeat = args.repeat or (1 if args.quick else 3)
    result = measure(total, repeat)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_table(result)


if __name__ == "__main__":
    main()
