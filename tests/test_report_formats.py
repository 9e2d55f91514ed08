"""Text, JSON and SARIF output built from findings constructed here (no checks needed)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from dl_lsp.facts.span import Span
from dl_lsp.findings import BugType, Finding, Related, Severity
from dl_lsp.report.json_format import render_json
from dl_lsp.report.results import CheckReport, FileProblem, FileResult
from dl_lsp.report.sarif import build_sarif, sarif_level
from dl_lsp.report.text import render_text, summary_line
from dl_lsp.ruleset import load_rules

JSON_KEYS = [
    "path",
    "line",
    "column",
    "end_line",
    "end_column",
    "code",
    "name",
    "severity",
    "message",
    "bug_type",
    "fix",
]


def make_finding(
    line: int = 3,
    column: int = 8,
    *,
    code: str = "LLM",
    severity: Severity = Severity.ERROR,
    end_column: int | None = None,
    fix: str | None = None,
    related: tuple[Related, ...] = (),
    message: str = "Softmax over one unit always outputs 1.0",
) -> Finding:
    return Finding(
        code=code,
        name="labels-activation-loss-mismatch" if code == "LLM" else "learning-rate-out-of-bound",
        bug_type=BugType.MODEL if code == "LLM" else BugType.TRAINING,
        severity=severity,
        span=Span(line, column, line, column + 9 if end_column is None else end_column),
        message=message,
        fix=fix,
        related=related,
    )


def sample_report() -> CheckReport:
    """Results given out of order, as workers would finish them."""
    loss = Related(Span(9, 19, 9, 39), "the loss that expects probabilities")
    return CheckReport.from_results(
        [
            FileResult(
                "src/z model.py",
                (
                    make_finding(12, 4, code="LOB", severity=Severity.WARNING),
                    make_finding(5, 30, related=(loss,), fix="Use 'sigmoid'\n  instead."),
                    make_finding(5, 2, code="LOB", severity=Severity.HINT),
                ),
            ),
            FileResult("a.py", (make_finding(1, 0, severity=Severity.INFORMATION),)),
            FileResult("broken.py", problems=(FileProblem("broken.py", "binary file, skipped"),)),
            FileResult("clean.py"),
        ]
    )


def test_text_lines_use_one_based_columns_in_path_order() -> None:
    lines = render_text(sample_report()).splitlines()
    assert lines == [
        "a.py:1:1: LLM Softmax over one unit always outputs 1.0",
        "src/z model.py:5:3: LOB Softmax over one unit always outputs 1.0",
        "src/z model.py:5:31: LLM Softmax over one unit always outputs 1.0",
        "src/z model.py:12:5: LOB Softmax over one unit always outputs 1.0",
    ]


def test_text_keeps_one_finding_per_line() -> None:
    finding = make_finding(message="first line\nsecond   line")
    text = render_text(CheckReport.from_results([FileResult("a.py", (finding,))]))
    assert text == "a.py:3:9: LLM first line second line\n"


def test_summary_line() -> None:
    assert summary_line(sample_report()) == "Found 5 problems in 3 files"
    one = CheckReport.from_results([FileResult("a.py", (make_finding(),))])
    assert summary_line(one) == "Found 1 problem in 1 file"
    assert summary_line(CheckReport.from_results([FileResult("a.py")])) == "All checks passed"


def test_exit_codes() -> None:
    assert CheckReport.from_results([FileResult("a.py")]).exit_code() == 0
    assert CheckReport.from_results([]).exit_code() == 0
    assert sample_report().exit_code() == 1
    internal = FileProblem("a.py", "check LLM failed", internal=True)
    assert CheckReport.from_results([FileResult("a.py", problems=(internal,))]).exit_code() == 2


def test_json_has_exactly_the_documented_keys() -> None:
    records = json.loads(render_json(sample_report()))
    assert [list(record) for record in records] == [JSON_KEYS] * 4
    assert records[2] == {
        "path": "src/z model.py",
        "line": 5,
        "column": 31,
        "end_line": 5,
        "end_column": 40,
        "code": "LLM",
        "name": "labels-activation-loss-mismatch",
        "severity": "error",
        "message": "Softmax over one unit always outputs 1.0",
        "bug_type": "model",
        "fix": "Use 'sigmoid' instead.",
    }
    assert [r["severity"] for r in records] == ["information", "hint", "error", "warning"]
    assert records[0]["fix"] is None


def test_json_of_a_clean_run_is_an_empty_array() -> None:
    assert json.loads(render_json(CheckReport.from_results([FileResult("a.py")]))) == []


def sarif_of(report: CheckReport, root: Path) -> dict[str, Any]:
    log = build_sarif(report, list(load_rules().values()), root)
    # What is written must be plain JSON.
    parsed: dict[str, Any] = json.loads(json.dumps(log))
    return parsed


def test_sarif_log_and_driver(tmp_path: Path) -> None:
    log = sarif_of(sample_report(), tmp_path)
    assert log["version"] == "2.1.0"
    assert "sarif" in log["$schema"]
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "dl-lsp"
    assert driver["informationUri"].startswith("https://")
    assert [rule["id"] for rule in driver["rules"]] == list(load_rules())
    for descriptor in driver["rules"]:
        rule = load_rules()[descriptor["id"]]
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["fullDescription"]["text"]
        assert descriptor["helpUri"] == rule.url
        assert descriptor["defaultConfiguration"]["level"] == sarif_level(rule.severity)
        assert rule.bug_type.value in descriptor["properties"]["tags"]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.as_uri() + "/"


def test_sarif_results(tmp_path: Path) -> None:
    run = sarif_of(sample_report(), tmp_path)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert len(results) == 4
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["message"]["text"]
    assert [r["level"] for r in results] == ["note", "note", "error", "warning"]
    location = results[2]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "src/z%20model.py", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 5, "startColumn": 31, "endLine": 5, "endColumn": 40}
    (related,) = results[2]["relatedLocations"]
    assert related["message"]["text"] == "the loss that expects probabilities"
    assert related["physicalLocation"]["region"]["startColumn"] == 20


def test_sarif_levels() -> None:
    assert sarif_level(Severity.ERROR) == "error"
    assert sarif_level(Severity.WARNING) == "warning"
    assert sarif_level(Severity.INFORMATION) == "note"
    assert sarif_level(Severity.HINT) == "note"


def test_sarif_paths_outside_the_root_are_absolute_uris(tmp_path: Path) -> None:
    outside = tmp_path.parent / "elsewhere" / "train.py"
    report = CheckReport.from_results([FileResult(str(outside), (make_finding(),))])
    root = tmp_path / "repo"
    artifact = sarif_of(report, root)["runs"][0]["results"][0]["locations"][0]
    assert artifact["physicalLocation"]["artifactLocation"] == {"uri": outside.as_uri()}


def test_sarif_absolute_paths_inside_the_root_become_relative(tmp_path: Path) -> None:
    inside = tmp_path / "models" / "cnn.py"
    report = CheckReport.from_results([FileResult(str(inside), (make_finding(),))])
    location = sarif_of(report, tmp_path)["runs"][0]["results"][0]["locations"][0]
    assert location["physicalLocation"]["artifactLocation"]["uri"] == "models/cnn.py"


def test_sarif_invocation_reports_file_problems(tmp_path: Path) -> None:
    run = sarif_of(sample_report(), tmp_path)["runs"][0]
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is True
    (notification,) = invocation["toolExecutionNotifications"]
    assert notification["message"]["text"] == "binary file, skipped"
    uri = notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "broken.py"
    failed = CheckReport.from_results(
        [FileResult("a.py", problems=(FileProblem("a.py", "boom", internal=True),))]
    )
    assert sarif_of(failed, tmp_path)["runs"][0]["invocations"][0]["executionSuccessful"] is False


def test_sarif_describes_rules_missing_from_the_rule_data(tmp_path: Path) -> None:
    stray = Finding("ZZZ9", "made-up", BugType.API, Severity.WARNING, Span(1, 0, 1, 1), "m")
    run = sarif_of(CheckReport.from_results([FileResult("a.py", (stray,))]), tmp_path)["runs"][0]
    result = run["results"][0]
    assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == "ZZZ9"


spans = st.builds(
    lambda line, column, lines, width: Span(line, column, line + lines, column + width),
    st.integers(1, 10_000),
    st.integers(0, 500),
    st.integers(0, 3),
    st.integers(0, 80),
)
findings = st.builds(
    Finding,
    code=st.sampled_from(list(load_rules())),
    name=st.text(min_size=1, max_size=20),
    bug_type=st.sampled_from(BugType),
    severity=st.sampled_from(Severity),
    span=spans,
    message=st.text(max_size=80),
    fix=st.none() | st.text(max_size=40),
)
results = st.builds(
    FileResult,
    path=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20),
    findings=st.lists(findings, max_size=5).map(tuple),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(results, max_size=4))
def test_every_format_renders_any_report(file_results: list[FileResult]) -> None:
    report = CheckReport.from_results(file_results)
    records = json.loads(render_json(report))
    assert len(records) == len(report.findings)
    assert all(r["line"] >= 1 and r["column"] >= 1 and r["end_column"] >= 1 for r in records)
    assert all(r["fix"] is None or "\n" not in r["fix"] for r in records)
    assert render_text(report).count("\n") == len(report.findings)
    log = sarif_of(report, Path.cwd())
    for result in log["runs"][0]["results"]:
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert region["endLine"] >= region["startLine"]
