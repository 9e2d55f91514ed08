"""The probe on real-shaped programs: each one's ``# probe-expect:`` marks are exactly what the
probe reports (code and line), and every PRB rule has a program that shows it.

These run the worker for real (torch 2.13.0 and tensorflow-cpu 2.21.0 from the test set-up); the
programs that need no framework (hangs, memory, exit, output) take a second each.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from tests.probe.expectations import expected_findings, programs

from dl_lsp.probe.results import ProbeResult, result_from_json
from dl_lsp.probe.runner import ProbeOptions, run_probe
from dl_lsp.ruleset import load_rules

# Generous: the CI machine may be slow to import the frameworks. The hanging program has its own.
TIMEOUT_S = 120.0
OPTIONS = {
    "script_waits_forever.py": ProbeOptions(timeout=4.0),
    "script_allocates_without_bound.py": ProbeOptions(timeout=60.0, memory_bytes=512 * 1024**2),
}
_results: dict[str, ProbeResult] = {}


def probe(path: Path) -> ProbeResult:
    if path.name not in _results:
        options = OPTIONS.get(path.name, ProbeOptions(timeout=TIMEOUT_S))
        _results[path.name] = run_probe(path, options=options)
    return _results[path.name]


def found_findings(result: ProbeResult) -> Counter[tuple[str, int]]:
    return Counter((f.code, f.line) for f in result.findings if f.code.startswith("PRB"))


@pytest.mark.parametrize("path", programs(), ids=lambda p: p.stem)
def test_probe_reports_what_the_program_marks(path: Path) -> None:
    result = probe(path)
    messages = [f"{f.line}: {f.code} {f.message}" for f in result.findings]
    assert result.error is None or result.status == "timeout", result.error
    assert found_findings(result) == expected_findings(path), messages


def test_every_probe_rule_has_a_program() -> None:
    codes = {code for code, rule in load_rules().items() if rule.family == "probe"}
    shown = {code for path in programs() for code, _ in expected_findings(path)}
    assert codes, "rules/probe.toml defines no rule"
    assert codes <= shown, f"PRB rules without a program: {sorted(codes - shown)}"


def test_results_survive_their_json_form() -> None:
    result = probe(Path(__file__).parent / "programs" / "torch_batch_left_on_cpu.py")
    assert result_from_json(result.to_json()) == result
