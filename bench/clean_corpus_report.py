"""Count the findings on the clean corpus (tests/clean_corpus), rule by rule and by severity.

    python bench/clean_corpus_report.py            # a table, then the blocking findings
    python bench/clean_corpus_report.py --json     # the same numbers as JSON
    python bench/clean_corpus_report.py --all      # list every finding, not only the blocking ones

The clean corpus holds correct, idiomatic training scripts: every rule must report nothing at
error or warning severity on them (tests/test_clean_corpus.py enforces it, with known false
alarms as strict xfails). Information and hint findings are allowed and counted here, so a
closing note can quote how much a user sees on good code.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "clean_corpus"
sys.path.insert(0, str(ROOT / "server"))

from dl_lsp.engine import all_rules, analyze_source  # noqa: E402

SEVERITIES = ("error", "warning", "information", "hint")
BLOCKING = frozenset({"error", "warning"})


def collect(corpus: Path = CORPUS) -> dict[str, Any]:
    """Analyse every script of the corpus and tally the findings per rule and severity."""
    paths = sorted(corpus.glob("*.py"))
    counts: dict[str, Counter[str]] = {rule.code: Counter() for rule in all_rules()}
    files_per_rule: dict[str, set[str]] = {code: set() for code in counts}
    findings: list[dict[str, Any]] = []
    failures: list[dict[str, str]] = []
    for path in paths:
        analysis = analyze_source(path.read_text(encoding="utf-8"), path=str(path))
        for code, error in analysis.failures:
            failures.append({"file": path.name, "check": code, "error": error})
        for finding in analysis.findings:
            severity = finding.severity.value
            counts.setdefault(finding.code, Counter())[severity] += 1
            files_per_rule.setdefault(finding.code, set()).add(path.name)
            findings.append(
                {
                    "file": path.name,
                    "line": finding.span.line,
                    "column": finding.span.column,
                    "code": finding.code,
                    "severity": severity,
                    "message": finding.message,
                }
            )
    rules = [
        {
            "code": code,
            **{severity: tally[severity] for severity in SEVERITIES},
            "total": sum(tally.values()),
            "files": len(files_per_rule[code]),
        }
        for code, tally in counts.items()
    ]
    total = {
        "code": "total",
        **{severity: sum(row[severity] for row in rules) for severity in SEVERITIES},
        "total": len(findings),
        "files": len({finding["file"] for finding in findings}),
    }
    blocking_files = sorted({f["file"] for f in findings if f["severity"] in BLOCKING})
    return {
        "corpus": str(corpus.relative_to(ROOT)) if corpus.is_relative_to(ROOT) else str(corpus),
        "scripts": len(paths),
        "rules": rules,
        "total": total,
        "files_with_blocking_findings": blocking_files,
        "findings": findings,
        "failures": failures,
    }


def render(result: dict[str, Any], show_all: bool = False) -> str:
    header = f"{'rule':<8}" + "".join(f"{s:>13}" for s in SEVERITIES) + f"{'total':>8}{'files':>7}"
    rule_line = "-" * len(header)
    lines = [
        f"Clean corpus: {result['scripts']} scripts ({result['corpus']})",
        "",
        header,
        rule_line,
    ]
    for row in [*result["rules"], result["total"]]:
        if row is result["total"]:
            lines.append(rule_line)
        lines.append(
            f"{row['code']:<8}"
            + "".join(f"{row[s]:>13}" for s in SEVERITIES)
            + f"{row['total']:>8}{row['files']:>7}"
        )
    blocking = [f for f in result["findings"] if f["severity"] in BLOCKING]
    lines += [
        "",
        f"{len(blocking)} finding(s) at error/warning severity in "
        f"{len(result['files_with_blocking_findings'])} of {result['scripts']} scripts "
        "(each is a false alarm: the corpus is correct code)",
    ]
    shown = result["findings"] if show_all else blocking
    if shown:
        lines.append("")
        lines += [
            f"  {f['file']}:{f['line']}:{f['column']} {f['code']} [{f['severity']}] {f['message']}"
            for f in shown
        ]
    if result["failures"]:
        lines += ["", "check failures:"]
        lines += [f"  {f['file']}: {f['check']}: {f['error']}" for f in result["failures"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the counts as JSON")
    parser.add_argument(
        "--all", action="store_true", help="list every finding, information and hints included"
    )
    args = parser.parse_args(argv)
    result = collect()
    print(json.dumps(result, indent=2) if args.json else render(result, show_all=args.all))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
