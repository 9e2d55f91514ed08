"""Score ``dl-lsp repro`` on the Stack Overflow-shaped snippets in tests/repro_corpus.

    python bench/repro_score.py                 # parses / no undefined names, per snippet
    python bench/repro_score.py --run           # and whether each result runs to the end
    python bench/repro_score.py --run --jobs 2 --timeout 180 --json

Prints the share of results that parse, the share with no undefined names left, and (with
--run) the share that run to the end in a subprocess with a timeout (targets: all, 90%, 70%).
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "repro_corpus"
sys.path.insert(0, str(ROOT / "server"))

from dl_lsp.repro import Options, make_reproducible  # noqa: E402
from dl_lsp.repro.import_search import jedi_import_search  # noqa: E402
from dl_lsp.repro.names import undefined_names  # noqa: E402
from dl_lsp.repro.runner import run_program  # noqa: E402


@dataclass
class Score:
    name: str
    parses: bool
    undefined: list[str]
    seconds: float
    run: str = ""
    ran: bool | None = None


def score(path: Path, run: bool, timeout: float, python: str | None) -> Score:
    text = path.read_text(encoding="utf-8")
    start = time.perf_counter()
    result = make_reproducible(
        text, Options(base_dir=path.parent, search_import=jedi_import_search(python))
    )
    seconds = time.perf_counter() - start
    try:
        tree = ast.parse(result.text)
        parses, undefined = True, list(undefined_names(tree))
    except SyntaxError:
        parses, undefined = False, ["<does not parse>"]
    item = Score(path.stem, parses, undefined, seconds)
    if run:
        outcome = run_program(result.text, timeout, python, path.parent)
        item.ran, item.run = outcome.completed, outcome.describe()
    return item


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", action="store_true", help="run every result")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds per run")
    parser.add_argument("--jobs", type=int, default=1, help="runs at the same time")
    parser.add_argument("--python", help="the interpreter to run the results with")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("names", nargs="*", help="only these snippets (file stems)")
    args = parser.parse_args()
    paths = sorted(CORPUS.glob("*.py"))
    if args.names:
        paths = [p for p in paths if p.stem in args.names]
    # Transform in order (jedi's cache is shared), run in parallel.
    scores = [score(path, False, args.timeout, args.python) for path in paths]
    if args.run:
        texts = {p.stem: p for p in paths}

        def runner(item: Score) -> Score:
            done = score(texts[item.name], True, args.timeout, args.python)
            print(f"  ran {done.name}: {done.run}", file=sys.stderr, flush=True)
            return done

        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            scores = list(pool.map(runner, scores))
    total = len(scores)
    parsed = sum(s.parses for s in scores)
    defined = sum(s.parses and not s.undefined for s in scores)
    ran = sum(bool(s.ran) for s in scores)
    summary = {
        "snippets": total,
        "parse": parsed / total if total else 0.0,
        "no_undefined_names": defined / total if total else 0.0,
        "run_to_end": (ran / total if total else 0.0) if args.run else None,
        "mean_transform_seconds": sum(s.seconds for s in scores) / total if total else 0.0,
    }
    if args.json:
        print(json.dumps({"summary": summary, "snippets": [asdict(s) for s in scores]}, indent=2))
        return 0
    for item in scores:
        flags = ("parses" if item.parses else "BROKEN") + (
            "" if not item.undefined else f", undefined: {', '.join(item.undefined)}"
        )
        run = f" | {item.run}" if args.run else ""
        print(f"{item.name:45s} {flags}{run}")
    print()
    print(f"snippets:               {total}")
    print(f"parse:                  {parsed}/{total} = {summary['parse']:.0%}")
    print(f"no undefined names:     {defined}/{total} = {summary['no_undefined_names']:.0%}")
    if args.run:
        print(f"run to the end:         {ran}/{total} = {ran / total:.0%}")
    print(f"mean transform time:    {summary['mean_transform_seconds']:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
