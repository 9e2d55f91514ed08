"""The clean corpus: correct, idiomatic training scripts on which no rule may warn.

``tests/clean_corpus/*.py`` are deep-learning scripts written the way careful engineers write
them (normalised inputs, sane learning rates and batch sizes, matching output activation and
loss, ``zero_grad``/``backward``/``step``, ``model.eval()`` with ``torch.no_grad()``, guarded
devices, seeds, shuffled training data, scalers fitted after the split). Every rule, present and
future, must report nothing at warning or error severity on them: a linter people turn off is
worthless. Information and hint findings are allowed (``bench/clean_corpus_report.py`` counts
them).

A script on which the checker is wrong is listed in ``KNOWN_FALSE_ALARMS`` with the reason; its
case is a strict xfail, so fixing the checker turns it into an unexpected pass that asks for the
entry to be removed. Never change a corpus script to quieten the checker.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dl_lsp.engine import Analysis, analyze_source
from dl_lsp.findings import Finding

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "clean_corpus"
MIN_SCRIPTS = 30
FORBIDDEN_SEVERITIES = frozenset({"error", "warning"})

# File name -> why the checker, not the script, is wrong.
KNOWN_FALSE_ALARMS: dict[str, str] = {}


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.py"))


def _describe(finding: Finding) -> str:
    span = finding.span
    return f"{span.line}:{span.column} {finding.code} [{finding.severity.value}] {finding.message}"


def _report(path: Path, analysis: Analysis, blocking: list[Finding]) -> str:
    lines = [f"{path.name}: {len(blocking)} finding(s) at warning/error severity"]
    lines += [f"  {_describe(finding)}" for finding in blocking]
    if analysis.failures:
        lines.append("  check failures:")
        lines += [f"  {code}: {error}" for code, error in analysis.failures]
    others = [f for f in analysis.findings if f not in blocking]
    if others:
        lines.append("  (allowed information/hint findings:)")
        lines += [f"  {_describe(finding)}" for finding in others]
    return "\n".join(lines)


def _cases() -> list[object]:
    cases: list[object] = []
    for path in corpus_files():
        reason = KNOWN_FALSE_ALARMS.get(path.name)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        cases.append(pytest.param(path, id=path.stem, marks=marks))
    return cases


@pytest.mark.parametrize("path", _cases())
def test_no_warning_or_error_on_clean_script(path: Path) -> None:
    analysis = analyze_source(path.read_text(encoding="utf-8"), path=str(path))
    blocking = [f for f in analysis.findings if f.severity.value in FORBIDDEN_SEVERITIES]
    assert not blocking and not analysis.failures, _report(path, analysis, blocking)


def test_corpus_is_large_enough() -> None:
    assert len(corpus_files()) >= MIN_SCRIPTS


def test_false_alarm_table_names_existing_files() -> None:
    names = {path.name for path in corpus_files()}
    assert set(KNOWN_FALSE_ALARMS) <= names


def test_scripts_are_documented_and_sized() -> None:
    """Each script opens with a docstring saying what it is and stays 40-150 lines long."""
    problems = []
    for path in corpus_files():
        lines = path.read_text(encoding="utf-8").splitlines()
        if not lines or not lines[0].startswith('"""'):
            problems.append(f"{path.name}: no docstring on the first line")
        if not 40 <= len(lines) <= 150:
            problems.append(f"{path.name}: {len(lines)} lines")
    assert not problems, "\n".join(problems)
