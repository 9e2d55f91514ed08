"""What the version migration does to real-world shaped programs, and how fast.

Over the rule fixtures (every family, bad and good) and the corpus: how many files
``migrate_source`` changes, how many changes it applies, whether every output that should parse
does, whether a second run changes nothing, and the time per file; then ``migrate_to_tf2`` in
both styles over the files with TensorFlow 1 code: how many get the idiomatic Keras version and
why the others fall back (the first words of the reason).

Usage: python bench/migrate_score.py [--json]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

from dl_lsp.fixes.edits import parses
from dl_lsp.migrate import migrate_source, migrate_to_tf2
from dl_lsp.migrate.tf2 import tf1_lines

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("tests/fixtures/rules/*/*/*.py", "tests/corpus/*/*.py", "tests/migrate/programs/*.py")


def score() -> dict[str, object]:
    paths = sorted({path for pattern in SOURCES for path in ROOT.glob(pattern)})
    changed = changes = broken = unstable = 0
    seconds = 0.0
    tf1: list[str] = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        started = time.perf_counter()
        result = migrate_source(text)
        seconds += time.perf_counter() - started
        changed += result.text != text
        changes += len(result.applied)
        broken += parses(text) and not parses(result.text)
        unstable += migrate_source(result.text).text != result.text
        if tf1_lines(text):
            tf1.append(text)
    idiomatic = 0
    reasons: Counter[str] = Counter()
    tf2_broken = 0
    for text in tf1:
        for style in ("minimal", "idiomatic"):
            result = migrate_to_tf2(text, style)
            tf2_broken += parses(text) and not parses(result.text)
            fallback = next((n for n in result.notes if n.startswith("no idiomatic")), None)
            if style == "idiomatic":
                if fallback is None:
                    idiomatic += 1
                else:
                    reasons[" ".join(fallback.split("(", 1)[1].split()[:4])] += 1
    return {
        "files": len(paths),
        "api_changed_files": changed,
        "api_changes": changes,
        "api_broken_outputs": broken,
        "api_not_idempotent": unstable,
        "api_ms_per_file": round(1000 * seconds / max(1, len(paths)), 1),
        "tf1_files": len(tf1),
        "tf2_broken_outputs": tf2_broken,
        "tf2_idiomatic": idiomatic,
        "tf2_fallback_reasons": dict(reasons.most_common(8)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures = score()
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    for name, value in figures.items():
        print(f"{name:>24}: {value}")


if __name__ == "__main__":
    main()
