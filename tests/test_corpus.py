"""The evaluation corpus for Theia's 12 structural rules (tests/corpus).

Each case is a directory with ``buggy.py`` (a Stack Overflow style program with structural bugs)
and ``fixed.py`` (its corrected twin). Every finding the contract (docs/theia-rules-static.md)
implies is written as a trailing ``# expect: CODE[, CODE]`` comment on the line where the finding
is anchored; ``fixed.py`` starts with ``# fixes: CODE[, CODE]``, the rules the fix removes.

The expectations were written from the contract alone, independently of the checks, so this test
is an end-to-end check of the extractor and the checks together: both missing and unexpected
findings fail.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from dl_lsp.engine import analyze_source

CORPUS = Path(__file__).parent / "corpus"

THEIA_CODES = ("CNL", "INF", "INN", "IDS", "MRD", "MNL", "ICL", "IFL", "IDN", "LLM", "LOB", "IBS")
SYNTAX_CODE = "SNP001"

_EXPECT = re.compile(r"#\s*expect:\s*(?P<codes>[A-Z][A-Z0-9_]*(?:\s*,\s*[A-Z][A-Z0-9_]*)*)")
_FIXES = re.compile(r"^#\s*fixes:\s*(?P<codes>[A-Z][A-Z0-9_]*(?:\s*,\s*[A-Z][A-Z0-9_]*)*)\s*$")
_CASE = re.compile(
    r"^# case: (?P<description>[^;]+); framework: (?P<framework>keras|torch); "
    r"problem: (?P<problem>binary|multiclass|multilabel|regression); "
    r"input: (?P<input>color|grayscale|tabular|sequence)$"
)


def _split_codes(text: str) -> list[str]:
    return [code.strip() for code in text.split(",") if code.strip()]


@dataclass(frozen=True)
class CorpusFile:
    """One corpus program and what the contract says about it."""

    path: Path
    text: str
    expected: Counter[tuple[int, str]]
    fixes: tuple[str, ...]  # only for fixed.py

    @property
    def case(self) -> str:
        return self.path.parent.name

    @property
    def is_fixed(self) -> bool:
        return self.path.name == "fixed.py"


def parse_expectations(text: str) -> Counter[tuple[int, str]]:
    """The multiset of (line, code) written as ``# expect:`` comments."""
    expected: Counter[tuple[int, str]] = Counter()
    for number, line in enumerate(text.splitlines(), start=1):
        for match in _EXPECT.finditer(line):
            for code in _split_codes(match.group("codes")):
                expected[(number, code)] += 1
    return expected


def parse_fixes(text: str) -> tuple[str, ...]:
    first = text.splitlines()[0] if text else ""
    match = _FIXES.match(first)
    return tuple(_split_codes(match.group("codes"))) if match else ()


def load_file(path: Path) -> CorpusFile:
    text = path.read_text(encoding="utf-8")
    fixes = parse_fixes(text) if path.name == "fixed.py" else ()
    return CorpusFile(path, text, parse_expectations(text), fixes)


def case_dirs() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def corpus_files() -> list[CorpusFile]:
    return [load_file(case / name) for case in case_dirs() for name in ("buggy.py", "fixed.py")]


FILES = corpus_files()

# The codes this corpus speaks about: Theia's rules, the syntax error, and anything an
# expectation names. Findings of other rule families are outside the corpus' scope.
SCOPE = frozenset(THEIA_CODES) | {SYNTAX_CODE} | {code for f in FILES for _, code in f.expected}


def _describe(items: Counter[tuple[int, str]], lines: list[str]) -> str:
    rows = []
    for (line, code), count in sorted(items.items()):
        source = lines[line - 1].strip() if 0 < line <= len(lines) else ""
        times = f" x{count}" if count > 1 else ""
        rows.append(f"    line {line:3d} {code}{times}: {source[:90]}")
    return "\n".join(rows)


@pytest.mark.parametrize("item", FILES, ids=[f"{f.case}/{f.path.name}" for f in FILES])
def test_corpus_findings_match_expectations(item: CorpusFile) -> None:
    analysis = analyze_source(item.text, path=str(item.path))
    found_all = Counter((f.span.line, f.code) for f in analysis.findings)
    found = Counter({key: n for key, n in found_all.items() if key[1] in SCOPE})

    missing = item.expected - found
    unexpected = found - item.expected
    lines = item.text.splitlines()
    problems = []
    if missing:
        problems.append("missing (expected, not reported):\n" + _describe(missing, lines))
    if unexpected:
        problems.append("unexpected (reported, not expected):\n" + _describe(unexpected, lines))
    if analysis.failures:
        problems.append(
            "checks that raised:\n"
            + "\n".join(f"    {code}: {error}" for code, error in analysis.failures)
        )
    assert not missing and not unexpected, f"{item.case}/{item.path.name}\n" + "\n".join(problems)

    if item.is_fixed:
        still = sorted(
            (f.span.line, f.code) for f in analysis.findings if f.code in set(item.fixes)
        )
        assert not still, f"{item.case}/fixed.py still reports the fixed rules: {still}"


def test_corpus_shape() -> None:
    cases = case_dirs()
    assert len(cases) >= 40, f"the corpus has {len(cases)} cases, expected at least 40"

    problems: list[str] = []
    buggy_files_per_code: dict[str, set[str]] = {code: set() for code in THEIA_CODES}
    for case in cases:
        buggy, fixed = case / "buggy.py", case / "fixed.py"
        if not buggy.is_file() or not fixed.is_file():
            problems.append(f"{case.name}: needs both buggy.py and fixed.py")
            continue
        buggy_file, fixed_file = load_file(buggy), load_file(fixed)
        header = buggy_file.text.splitlines()[0] if buggy_file.text else ""
        if not _CASE.match(header):
            problems.append(f"{case.name}/buggy.py: first line is not a '# case: ...' header")
        if not buggy_file.expected:
            problems.append(f"{case.name}/buggy.py: no '# expect:' annotation")
        if not fixed_file.fixes:
            problems.append(f"{case.name}/fixed.py: first line is not '# fixes: CODE[, CODE]'")
        buggy_codes = {code for _, code in buggy_file.expected}
        fixed_codes = {code for _, code in fixed_file.expected}
        for code in fixed_file.fixes:
            if code not in buggy_codes:
                problems.append(f"{case.name}: fixes {code} but buggy.py does not expect it")
            if code in fixed_codes:
                problems.append(f"{case.name}: fixes {code} but fixed.py still expects it")
        for code in buggy_codes & set(THEIA_CODES):
            buggy_files_per_code[code].add(case.name)

    for code, names in buggy_files_per_code.items():
        if len(names) < 2:
            problems.append(f"{code} is expected in {len(names)} buggy file(s), needs at least 2")
    assert not problems, "\n".join(problems)
