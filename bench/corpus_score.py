"""Score the engine on the Theia-rule evaluation corpus (tests/corpus), rule by rule.

    python bench/corpus_score.py           # a table and Theia-style totals
    python bench/corpus_score.py --json    # the same numbers as JSON

For every rule it counts the findings expected in the buggy programs (``# expect:`` comments),
those reported at the expected line (TP), those missed (FN), findings reported in buggy programs
that no expectation asks for (extra), and findings in the corrected programs that no expectation
asks for (false alarms). Recall is TP / expected.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
sys.path.insert(0, str(ROOT / "server"))

from dl_lsp.engine import analyze_source  # noqa: E402

THEIA_CODES = ("CNL", "INF", "INN", "IDS", "MRD", "MNL", "ICL", "IFL", "IDN", "LLM", "LOB", "IBS")
SYNTAX_CODE = "SNP001"
_EXPECT = re.compile(r"#\s*expect:\s*(?P<codes>[A-Z][A-Z0-9_]*(?:\s*,\s*[A-Z][A-Z0-9_]*)*)")
_FIXES = re.compile(r"^#\s*fixes:\s*(?P<codes>[A-Z][A-Z0-9_]*(?:\s*,\s*[A-Z][A-Z0-9_]*)*)\s*$")

Key = tuple[int, str]


@dataclass
class RuleScore:
    code: str
    expected: int = 0
    tp: int = 0
    fn: int = 0
    extra_buggy: int = 0
    expected_fixed: int = 0
    tp_fixed: int = 0
    false_alarms_fixed: int = 0
    fixed_bugs: int = 0  # expectations in buggy files whose code the fix names
    fixed_bugs_found: int = 0

    @property
    def recall(self) -> float | None:
        return self.tp / self.expected if self.expected else None


def _codes(text: str) -> list[str]:
    return [code.strip() for code in text.split(",") if code.strip()]


def expectations(text: str) -> Counter[Key]:
    expected: Counter[Key] = Counter()
    for number, line in enumerate(text.splitlines(), start=1):
        for match in _EXPECT.finditer(line):
            for code in _codes(match.group("codes")):
                expected[(number, code)] += 1
    return expected


def fixes(text: str) -> set[str]:
    match = _FIXES.match(text.splitlines()[0]) if text else None
    return set(_codes(match.group("codes"))) if match else set()


def analyse(path: Path, scope: set[str]) -> tuple[Counter[Key], str | None]:
    """The in-scope findings of one file, and an error text when the engine crashed."""
    try:
        analysis = analyze_source(path.read_text(encoding="utf-8"), path=str(path))
    except Exception as error:  # a crash is reported, not fatal: the other files still count
        return Counter(), f"{type(error).__name__}: {error}"
    found = Counter((f.span.line, f.code) for f in analysis.findings if f.code in scope)
    failed = "; ".join(f"{code}: {text}" for code, text in analysis.failures) or None
    return found, failed


def score(corpus: Path = CORPUS) -> dict[str, Any]:
    cases = sorted(p for p in corpus.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    texts = {
        (case, name): (case / name).read_text(encoding="utf-8")
        for case in cases
        for name in ("buggy.py", "fixed.py")
        if (case / name).is_file()
    }
    scope = set(THEIA_CODES) | {SYNTAX_CODE}
    for text in texts.values():
        scope.update(code for _, code in expectations(text))
    rules = {code: RuleScore(code) for code in sorted(scope, key=_order)}
    errors: dict[str, str] = {}
    misses: list[str] = []
    extras: list[str] = []

    for case in cases:
        fixed_codes = fixes(texts.get((case, "fixed.py"), ""))
        for name in ("buggy.py", "fixed.py"):
            if (case, name) not in texts:
                continue
            path = case / name
            expected = expectations(texts[(case, name)])
            found, error = analyse(path, scope)
            if error:
                errors[f"{case.name}/{name}"] = error
            hit, missed, extra = expected & found, expected - found, found - expected
            for (_line, code), n in hit.items():
                rule = rules[code]
                if name == "buggy.py":
                    rule.tp += n
                    if code in fixed_codes:
                        rule.fixed_bugs_found += n
                else:
                    rule.tp_fixed += n
            for (_line, code), n in expected.items():
                rule = rules[code]
                if name == "buggy.py":
                    rule.expected += n
                    if code in fixed_codes:
                        rule.fixed_bugs += n
                else:
                    rule.expected_fixed += n
            for (line, code), n in missed.items():
                if name == "buggy.py":
                    rules[code].fn += n
                misses.append(f"{case.name}/{name}:{line} {code}")
            for (line, code), n in extra.items():
                if name == "buggy.py":
                    rules[code].extra_buggy += n
                else:
                    rules[code].false_alarms_fixed += n
                extras.append(f"{case.name}/{name}:{line} {code}")

    totals = RuleScore("total")
    for rule in rules.values():
        for field in (
            "expected",
            "tp",
            "fn",
            "extra_buggy",
            "expected_fixed",
            "tp_fixed",
            "false_alarms_fixed",
            "fixed_bugs",
            "fixed_bugs_found",
        ):
            setattr(totals, field, getattr(totals, field) + getattr(rule, field))
    return {
        "cases": len(cases),
        "rules": [_as_dict(rule) for rule in rules.values()],
        "total": _as_dict(totals),
        "missed": misses,
        "unexpected": extras,
        "errors": errors,
    }


def _order(code: str) -> tuple[int, str]:
    return (THEIA_CODES.index(code), code) if code in THEIA_CODES else (len(THEIA_CODES), code)


def _as_dict(rule: RuleScore) -> dict[str, Any]:
    data = asdict(rule)
    data["recall"] = None if rule.recall is None else round(rule.recall, 3)
    return data


def render(result: dict[str, Any]) -> str:
    header = (
        f"{'rule':<7} {'expected':>8} {'TP':>4} {'FN':>4} {'extra':>6} "
        f"{'fixed-FA':>8} {'recall':>7}"
    )
    lines = [
        f"Theia rule corpus: {result['cases']} cases ({CORPUS.relative_to(ROOT)})",
        "",
        header,
        "-" * len(header),
    ]
    for row in [*result["rules"], result["total"]]:
        if row is result["total"]:
            lines.append("-" * len(header))
        recall = "-" if row["recall"] is None else f"{row['recall']:.0%}"
        lines.append(
            f"{row['code']:<7} {row['expected']:>8} {row['tp']:>4} {row['fn']:>4} "
            f"{row['extra_buggy']:>6} {row['false_alarms_fixed']:>8} {recall:>7}"
        )
    total = result["total"]
    lines += [
        "",
        f"located {total['tp']} of {total['expected']} structural bugs in the buggy programs "
        f"({total['fixed_bugs_found']} of {total['fixed_bugs']} that the fixes remove); "
        f"{total['extra_buggy']} unexpected findings in the buggy programs; "
        f"{total['false_alarms_fixed']} false alarms in the corrected programs "
        f"({total['tp_fixed']} of {total['expected_fixed']} expected remaining findings reported)",
    ]
    if result["missed"]:
        lines += ["", "missed:", *(f"  {item}" for item in result["missed"])]
    if result["unexpected"]:
        lines += ["", "unexpected:", *(f"  {item}" for item in result["unexpected"])]
    if result["errors"]:
        lines += ["", "errors:", *(f"  {name}: {text}" for name, text in result["errors"].items())]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = parser.parse_args(argv)
    result = score()
    print(json.dumps(result, indent=2) if args.json else render(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
