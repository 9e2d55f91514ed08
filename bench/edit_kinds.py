"""What an edit costs the analysis, by kind of edit: incremental (the previous version's parse and
extraction re-used) against a fresh analysis of the same text, in this process.

For synthetic Keras programs (bench/server_latency.py's) of 1,000, 5,000 and 20,000 lines, in the
middle of the file:

- ``type``: a character typed in a function's statement (``model = `` becomes ``xmodel = ``);
- ``comment``: a line commented out and back in;
- ``enter``: a new line (every statement after it moves: parsed again);
- ``open bracket``: ``(`` typed at the end of a line, the file broken until it is closed;
- ``module constant``: a module-level assignment changed (every function's results renewed);
- ``import``: an import added at the top (the same, and every name qualified again).

Each edit is applied to the previous version, alternating with its undo, and the analysis of
each version is given the previous one. Prints the median and the 95th percentile in ms, next
to the fresh analysis of the same texts and ``ast.parse`` of the file. Not a test: it prints
numbers. Usage: python bench/edit_kinds.py [--sizes 1000 5000] [--edits 20] [--json]
"""

from __future__ import annotations

import argparse
import ast
import gc
import json
import statistics
import time
from collections.abc import Callable
from functools import partial

from dl_lsp.engine import Analysis, analyze_source
from server_latency import synthetic_program

Edit = Callable[[list[str], int], list[str]]


def _statement_line(lines: list[str], start: int) -> int:
    """The first line from ``start`` that is a plain statement inside a function."""
    for index in range(start, len(lines)):
        line = lines[index]
        stripped = line.strip()
        if (
            line.startswith("    ")
            and not line.startswith("        ")
            and stripped
            and "=" in stripped
            and not stripped.endswith(("(", "[", ",", ":"))
        ):
            return index
    raise ValueError("no statement line")


def _module_constant(lines: list[str]) -> int:
    for index, line in enumerate(lines):
        if line.startswith("SEED = "):
            return index
    raise ValueError("no module constant")


EDITS: dict[str, Edit] = {
    "type": lambda lines, at: _replace(lines, at, "    x" + lines[at][4:]),
    "comment": lambda lines, at: _replace(lines, at, "#" + lines[at]),
    "enter": lambda lines, at: [*lines[: at + 1], "", *lines[at + 1 :]],
    "open bracket": lambda lines, at: _replace(lines, at, lines[at] + "("),
    "module constant": lambda lines, _: _appended(lines, _module_constant(lines), "1"),
    "import": lambda lines, _: ["import os.path", *lines],
}


def _appended(lines: list[str], at: int, text: str) -> list[str]:
    return _replace(lines, at, lines[at] + text)


def _replace(lines: list[str], at: int, line: str) -> list[str]:
    return [*lines[:at], line, *lines[at + 1 :]]


def _timed(analyse: Callable[[], Analysis]) -> tuple[float, Analysis]:
    started = time.perf_counter()
    result = analyse()
    return time.perf_counter() - started, result


def measure(size: int, edits: int) -> dict[str, object]:
    text = synthetic_program(size)
    lines = text.split("\n")
    at = _statement_line(lines, len(lines) // 2)
    row: dict[str, object] = {"lines": text.count("\n"), "ast_parse_ms": _ms(_parse_floor(text))}
    for kind, edit in EDITS.items():
        versions = ["\n".join(edit(lines, at)), text]
        previous = analyze_source(text).source
        incremental: list[float] = []
        fresh: list[float] = []
        for step in range(edits):
            version = versions[step % 2]
            seconds, result = _timed(partial(analyze_source, version, previous=previous))
            incremental.append(seconds)
            previous = result.source
            if step < 4:  # the fresh analysis is the same every time: a few suffice
                fresh.append(_timed(partial(analyze_source, version))[0])
        row[kind] = {
            "incremental_p50_ms": _ms(statistics.median(incremental)),
            "incremental_p95_ms": _ms(_percentile(incremental, 0.95)),
            "fresh_p50_ms": _ms(statistics.median(fresh)),
        }
    return row


def _parse_floor(text: str) -> float:
    """The fastest of five ``ast.parse`` of the text (the cyclic collector paused, as the
    analysis pauses it)."""
    gc.disable()
    try:
        return min(_timed_parse(text) for _ in range(5))
    finally:
        gc.enable()


def _timed_parse(text: str) -> float:
    started = time.perf_counter()
    ast.parse(text)
    return time.perf_counter() - started


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 5_000, 20_000])
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    gc.collect()
    results = {size: measure(size, args.edits) for size in args.sizes}
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"{'lines':>7} {'edit':<16} {'incremental p50':>16} {'p95':>8} {'fresh p50':>10}")
    for row in results.values():
        for kind in EDITS:
            figures = row[kind]
            assert isinstance(figures, dict)
            print(
                f"{row['lines']:>7} {kind:<16} {figures['incremental_p50_ms']:>14.1f}ms "
                f"{figures['incremental_p95_ms']:>6.1f}ms {figures['fresh_p50_ms']:>8.1f}ms"
            )
        print(f"{row['lines']:>7} {'ast.parse':<16} {row['ast_parse_ms']:>14.1f}ms")


if __name__ == "__main__":
    main()
