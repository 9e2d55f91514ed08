"""Per-rule fixtures, TorchFix style: adding a rule means adding fixture files, not tests.

``tests/fixtures/rules/<CODE>/bad/*.py`` mark every expected finding of ``<CODE>`` with a
trailing ``# expect: CODE`` on its anchor line; ``good/*.py`` must produce no finding of that
rule. A fixture whose first line is ``# xfail: <reason>`` documents a known disagreement
between the implementation and the contract (docs/theia-rules-static.md); it must fail until
the implementation is fixed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from dl_lsp.engine import Analysis, analyze_source
from dl_lsp.ruleset import load_rules

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "rules"
RULES = ROOT / "rules"
# Rules whose behaviour is not a Theia model/training check and have no fixture folder.
RULES_WITHOUT_FIXTURES = frozenset({"SNP001"})
MIN_FIXTURES = 2

_EXPECT = re.compile(r"#\s*expect:\s*(?P<codes>[A-Z][A-Z0-9]*(?:\s*,\s*[A-Z][A-Z0-9]*)*)")
_XFAIL = re.compile(r"#\s*xfail:\s*(?P<reason>.+)")

FIX_ACTIONS = frozenset(
    {
        "replace_value",
        "set_keyword",
        "remove_keyword",
        "remove_layer",
        "insert_layer_after",
        "wrap_call",
        "wrap_value",
        "rename_keyword",
        "replace_name",
        "replace_expression",
        "merge_arguments",
    }
)
SPAN_KEYS = frozenset({"span", "call", "layer"})


@dataclass(frozen=True)
class Fixture:
    path: Path
    code: str
    verdict: str  # 'bad' or 'good'

    @property
    def id(self) -> str:
        return f"{self.code}/{self.verdict}/{self.path.stem}"

    @property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")

    def expected_lines(self) -> Counter[int]:
        """Lines carrying ``# expect: ...`` for this fixture's rule, with multiplicity."""
        expected: Counter[int] = Counter()
        for number, line in enumerate(self.text.splitlines(), start=1):
            for match in _EXPECT.finditer(line):
                codes = [code.strip() for code in match.group("codes").split(",")]
                expected[number] += codes.count(self.code)
        return +expected

    def xfail_reason(self) -> str | None:
        lines = self.text.splitlines()
        match = _XFAIL.match(lines[0]) if lines else None
        return match.group("reason").strip() if match else None


def discover() -> list[Fixture]:
    return [
        Fixture(path, path.parent.parent.name, path.parent.name)
        for path in sorted(FIXTURES.glob("*/*/*.py"))
        if path.parent.name in ("bad", "good")
    ]


def rule_codes() -> list[str]:
    # rules/ also holds data tables (api_migrations.toml): only files with a code are rules.
    return sorted(load_rules())


@cache
def analyse(path: Path) -> Analysis:
    return analyze_source(path.read_text(encoding="utf-8"), path=str(path))


def _param(fixture: Fixture) -> Any:
    reason = fixture.xfail_reason()
    marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
    return pytest.param(fixture, id=fixture.id, marks=marks)


ALL_FIXTURES = discover()


def test_fixtures_are_discovered() -> None:
    assert ALL_FIXTURES, f"no fixtures under {FIXTURES}"


@pytest.mark.parametrize("fixture", [_param(f) for f in ALL_FIXTURES])
def test_fixture_findings_match_expectations(fixture: Fixture) -> None:
    analysis = analyse(fixture.path)
    assert not analysis.failures, f"a check or extractor raised: {analysis.failures}"
    found = Counter(f.span.line for f in analysis.findings if f.code == fixture.code)
    expected = fixture.expected_lines()
    if fixture.verdict == "good":
        assert not expected, "good fixtures must not carry '# expect:' for their own rule"
    else:
        assert expected, "bad fixtures must mark at least one '# expect:' line"
    messages = [f"{f.span.line}: {f.message}" for f in analysis.findings if f.code == fixture.code]
    assert found == expected, f"expected lines {sorted(expected.elements())}, got {messages}"


def static_rule_codes() -> list[str]:
    """Rules a static check reports. The probe's rules (family "probe", rules/probe.toml) are
    seen only when a script runs: tests/probe/programs holds a program for each of them."""
    rules = load_rules()
    return [
        c for c in rule_codes() if c not in RULES_WITHOUT_FIXTURES and rules[c].family != "probe"
    ]


@pytest.mark.parametrize("code", static_rule_codes())
def test_every_rule_has_bad_and_good_fixtures(code: str) -> None:
    bad = [f for f in ALL_FIXTURES if f.code == code and f.verdict == "bad"]
    good = [f for f in ALL_FIXTURES if f.code == code and f.verdict == "good"]
    assert len(bad) >= MIN_FIXTURES, f"{code} needs at least {MIN_FIXTURES} bad fixtures"
    assert len(good) >= MIN_FIXTURES, f"{code} needs at least {MIN_FIXTURES} good fixtures"


def test_fixture_folders_name_known_rules() -> None:
    known = set(rule_codes())
    folders = {path.name for path in FIXTURES.iterdir() if path.is_dir()}
    assert folders <= known, f"fixture folders without a rule: {sorted(folders - known)}"


def _check_span(value: object, line_count: int, where: str) -> None:
    assert isinstance(value, list), f"{where}: a span is a list, got {value!r}"
    assert len(value) == 4, f"{where}: a span has 4 ints, got {value!r}"
    assert all(isinstance(n, int) and not isinstance(n, bool) for n in value), where
    line, column, end_line, end_column = value
    assert 1 <= line <= end_line <= line_count, f"{where}: lines {value} outside the file"
    assert column >= 0 and end_column >= 0, f"{where}: negative column in {value}"
    assert (line, column) <= (end_line, end_column), f"{where}: span {value} ends before it starts"


def check_fix_data(fix_data: dict[str, Any], line_count: int) -> None:
    """Assert that a finding's fix_data follows the quick-fix contract."""
    assert set(fix_data) == {"fixes"}, f"unexpected keys {sorted(fix_data)}"
    proposals = fix_data["fixes"]
    assert isinstance(proposals, list)
    for proposal in proposals:
        assert isinstance(proposal, dict)
        assert isinstance(proposal.get("title"), str) and proposal["title"], proposal
        assert isinstance(proposal.get("safe"), bool), proposal
        edits = proposal.get("edits")
        assert isinstance(edits, list) and edits, f"a fix needs edits: {proposal}"
        for edit in edits:
            assert isinstance(edit, dict), edit
            assert edit.get("action") in FIX_ACTIONS, f"unknown action in {edit}"
            spans = SPAN_KEYS & set(edit)
            assert spans, f"an edit needs a span: {edit}"
            for key in spans:
                _check_span(edit[key], line_count, f"{edit['action']}.{key}")


@pytest.mark.parametrize("fixture", [pytest.param(f, id=f.id) for f in ALL_FIXTURES])
def test_fix_data_follows_the_contract(fixture: Fixture) -> None:
    analysis = analyse(fixture.path)
    line_count = len(fixture.text.splitlines())
    for finding in analysis.findings:
        if finding.fix_data:
            check_fix_data(finding.fix_data, line_count)


@pytest.mark.parametrize(
    "fix_data",
    [
        {"fixes": [{"title": "t", "safe": "yes", "edits": []}]},
        {"fixes": [{"title": "t", "safe": True, "edits": [{"action": "rewrite"}]}]},
        {"fixes": [{"title": "t", "safe": True, "edits": [{"action": "replace_value"}]}]},
        {
            "fixes": [
                {
                    "title": "t",
                    "safe": False,
                    "edits": [{"action": "remove_layer", "layer": [1, 0, 99, 0]}],
                }
            ]
        },
    ],
    ids=["safe-not-bool", "unknown-action", "no-span", "span-outside-file"],
)
def test_fix_data_checker_rejects_broken_data(fix_data: dict[str, Any]) -> None:
    with pytest.raises(AssertionError):
        check_fix_data(fix_data, line_count=10)
