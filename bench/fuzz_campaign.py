"""The long fuzzing campaign: the properties of ``tests/fuzzing.py`` over many more inputs.

Runs each target (arbitrary Python source, generated Keras/PyTorch programs, half-typed
programs) for ``--examples`` inputs with Hypothesis, or under atheris's coverage-guided
mutation when ``--atheris`` is given and atheris is installed (``pip install atheris``). Prints,
per target, the inputs tried, the findings and fixes exercised, and the failures (a failing input
is shrunk by Hypothesis and printed). Exit status 1 when a property fails.

Usage: python bench/fuzz_campaign.py [--examples 2000] [--seed N] [--target NAME] [--atheris]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from tests.fuzzing import (
    check_analysis,
    check_fix_all,
    check_fixes,
    damaged,
    dl_programs,
    python_source,
    settings_variants,
)

from dl_lsp.config import Settings
from dl_lsp.engine import analyze_source
from dl_lsp.fixes import fixes_for

Statistics = Counter[str]


def count(text: str, stats: Statistics, chosen: Settings | None = None) -> None:
    """What an input exercised: findings per code, fixes offered."""
    stats["inputs"] += 1
    stats["lines"] += text.count("\n") + 1
    for finding in analyze_source(text, path="fuzz.py", settings=chosen).findings:
        stats[f"finding:{finding.code}"] += 1
        stats["fixes offered"] += len(fixes_for(text, finding))


def python_target(stats: Statistics) -> Callable[..., None]:
    @given(python_source(), settings_variants)
    def target(text: str, chosen: Settings) -> None:
        count(text, stats, chosen)
        check_fixes(text, chosen)

    return target


def programs_target(stats: Statistics) -> Callable[..., None]:
    @given(dl_programs(), settings_variants)
    def target(text: str, chosen: Settings) -> None:
        count(text, stats, chosen)
        check_fixes(text, chosen)
        check_fix_all(text, chosen)

    return target


def damaged_target(stats: Statistics) -> Callable[..., None]:
    @given(st.one_of(damaged(dl_programs()), damaged(python_source())))
    def target(text: str) -> None:
        count(text, stats)
        check_analysis(text)
        check_fixes(text)

    return target


TARGETS: dict[str, Callable[[Statistics], Callable[..., None]]] = {
    "python": python_target,
    "programs": programs_target,
    "damaged": damaged_target,
}


def run_target(
    name: str, examples: int, chosen_seed: int | None, use_atheris: bool
) -> dict[str, Any]:
    stats: Statistics = Counter()
    test = TARGETS[name](stats)
    configured = settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
        print_blob=True,
    )(test)
    if chosen_seed is not None:
        configured = seed(chosen_seed)(configured)
    started = time.perf_counter()
    failure = None
    try:
        if use_atheris:
            _run_atheris(configured, examples)
        else:
            configured()
    except Exception:
        failure = traceback.format_exc(limit=8)
    seconds = time.perf_counter() - started
    findings = {
        key.split(":", 1)[1]: value for key, value in stats.items() if key.startswith("finding:")
    }
    return {
        "target": name,
        "inputs": stats["inputs"],
        "lines": stats["lines"],
        "seconds": round(seconds, 1),
        "inputs_per_s": round(stats["inputs"] / seconds, 1) if seconds else None,
        "findings": sum(findings.values()),
        "rules_seen": len(findings),
        "fixes_offered": stats["fixes offered"],
        "failure": failure,
    }


def _run_atheris(test: Any, examples: int) -> None:
    import atheris  # type: ignore[import-not-found]  # optional: pip install atheris

    atheris.Setup(
        [sys.argv[0], f"-runs={examples}"],
        test.hypothesis.fuzz_one_input,
        enable_python_coverage=True,
    )
    atheris.Fuzz()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=2000, help="inputs per target")
    parser.add_argument("--seed", type=int, help="Hypothesis seed (reproducible campaigns)")
    parser.add_argument("--target", choices=sorted(TARGETS), action="append")
    parser.add_argument("--atheris", action="store_true", help="coverage-guided (needs atheris)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    results = [
        run_target(name, args.examples, args.seed, args.atheris) for name in args.target or TARGETS
    ]
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        for result in results:
            verdict = "FAILED" if result["failure"] else "ok"
            print(
                f"{result['target']:<9} {verdict:<6} {result['inputs']:>6} inputs "
                f"({result['lines']:,} lines) in {result['seconds']} s, "
                f"{result['findings']} findings of {result['rules_seen']} rules, "
                f"{result['fixes_offered']} fixes checked"
            )
            if result["failure"]:
                print(result["failure"])
    return 1 if any(result["failure"] for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
