"""Probe programs: ``tests/probe/programs/*.py`` mark each finding the probe must report with a
trailing ``# probe-expect: CODE[, CODE]`` on its line."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

PROGRAMS = Path(__file__).parent / "programs"
_EXPECT = re.compile(r"#\s*probe-expect:\s*(?P<codes>[A-Z]+\d+(?:\s*,\s*[A-Z]+\d+)*)")


def expected_findings(path: Path) -> Counter[tuple[str, int]]:
    """(code, line) → how many findings of that code the line must carry."""
    expected: Counter[tuple[str, int]] = Counter()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _EXPECT.search(line)
        if match:
            for code in match.group("codes").split(","):
                expected[(code.strip(), number)] += 1
    return expected


def programs() -> list[Path]:
    return sorted(PROGRAMS.glob("*.py"))
