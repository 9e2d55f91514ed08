"""The analysis makes no reference cycles: reference counting alone frees an old version's tree
and facts. The language server relies on it (lsp/collector.py freezes analysis results out of
the cyclic collector's sight), so a cycle added anywhere in parsing, extraction or the checks
would make memory grow with every edit."""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dl_lsp.engine import analyze_source

TESTS = Path(__file__).resolve().parents[1]
PROGRAMS = sorted(
    [
        *TESTS.glob("corpus/*/buggy.py"),
        *TESTS.glob("lsp/programs/*.py"),
        *(TESTS.parent / "examples").glob("*.py"),
    ]
)


@contextmanager
def cyclic_garbage() -> Iterator[list[object]]:
    """The objects the block left behind that only the cyclic collector could free."""
    gc.collect()
    collecting = gc.isenabled()
    gc.disable()
    found: list[object] = []
    try:
        yield found
    finally:
        gc.set_debug(gc.DEBUG_SAVEALL)
        try:
            gc.collect()
            found.extend(gc.garbage)
            gc.garbage.clear()
        finally:
            gc.set_debug(0)
            if collecting:
                gc.enable()


def _kinds(objects: list[object]) -> list[tuple[str, int]]:
    return Counter(type(item).__qualname__ for item in objects).most_common(10)


def test_the_corpus_programs_have_programs_to_analyse() -> None:
    assert len(PROGRAMS) > 20


def test_fresh_analyses_leave_no_cycles() -> None:
    with cyclic_garbage() as garbage:
        for program in PROGRAMS:
            analyze_source(program.read_text(encoding="utf-8"), str(program))
    assert not garbage, _kinds(garbage)


def test_incremental_analyses_leave_no_cycles_even_through_broken_versions() -> None:
    with cyclic_garbage() as garbage:
        for program in PROGRAMS:
            text = program.read_text(encoding="utf-8")
            lines = text.split("\n")
            middle = len(lines) // 2
            versions = [
                "\n".join([*lines[:middle], "# " + lines[middle], *lines[middle + 1 :]]),
                "\n".join([*lines[:middle], lines[middle] + " (", *lines[middle + 1 :]]),
                "import numpy as np\n" + text,
                text,
            ]
            analysis = analyze_source(text, str(program))
            for version in versions:
                analysis = analyze_source(version, str(program), previous=analysis.source)
    assert not garbage, _kinds(garbage)
