"""Triage accuracy on the hand-labelled corpus (tests/triage), next to dlRepro's tag-only tool.

Baseline (seed paper 001, §5.2): an exact Table-1 tag match, else the argmax of all-MiniLM-L6-v2
cosine similarity between the report's tags and the taxonomy's tags, with no threshold and no
`unknown`; the final tool had no GPU type. A report without tags gets no answer ("no tags").

The `unknown` threshold is calibrated on every third report (name order) and the accuracy is
reported on the other two thirds and on all reports. Run with and without the embedding extra:
    PYTHONPATH=server python bench/triage_score.py            # MiniLM when installed
    PYTHONPATH=server python bench/triage_score.py --no-embeddings
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import tomllib

from dl_lsp.findings import BugType
from dl_lsp.taxonomy import load_taxonomy
from dl_lsp.triage import BugReport, TriageOptions, parse_report, triage_report
from dl_lsp.triage.calibration import calibrate_threshold
from dl_lsp.triage.embedding import EmbeddingClient, cosine, shared_client
from dl_lsp.triage.tables import load_tables

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "triage" / "corpus"
LABELS = ROOT / "tests" / "triage" / "labels.toml"
TYPES = [bug_type.value for bug_type in BugType]
NO_TAGS = "no tags"


@dataclass(frozen=True)
class Case:
    name: str
    label: str
    report: BugReport


def load_cases() -> list[Case]:
    labels = tomllib.loads(LABELS.read_text(encoding="utf-8"))["report"]
    return [
        Case(name, entry["bug_type"], parse_report((CORPUS / name).read_bytes()))
        for name, entry in sorted(labels.items())
    ]


def baseline(tags: Sequence[str], client: EmbeddingClient | None, with_gpu: bool) -> str:
    """dlRepro's tag-only classification."""
    taxonomy = load_taxonomy()
    allowed = {t for t in TYPES if with_gpu or t != "gpu"}
    for tag in tags:
        found = taxonomy.bug_type_for_tag(tag)
        if found is not None and found.value in allowed:
            return found.value
    if not tags:
        return NO_TAGS
    if client is None:
        return NO_TAGS  # without the model the tool has nothing to go on
    known = [tag for tag, bug_type in taxonomy.tags.items() if bug_type.value in allowed]
    vectors = client.embed([*tags, *known])
    if vectors is None:
        return NO_TAGS
    report_vectors, known_vectors = vectors[: len(tags)], vectors[len(tags) :]
    best = max(
        (
            (cosine(r, k), tag)
            for r in report_vectors
            for k, tag in zip(known_vectors, known, strict=True)
        ),
    )
    return taxonomy.tags[best[1]].value


def accuracy(rows: Sequence[tuple[str, str]]) -> str:
    if not rows:
        return "   —  "
    right = sum(1 for label, answer in rows if label == answer)
    return f"{100 * right / len(rows):5.1f}%"


def print_table(title: str, cases: Sequence[Case], answers: dict[str, dict[str, str]]) -> None:
    print(f"\n{title} ({len(cases)} reports)")
    header = f"{'type':<10}{'n':>4}" + "".join(f"{name:>22}" for name in answers)
    print(header)
    for bug_type in [*TYPES, "all"]:
        subset = [c for c in cases if bug_type == "all" or c.label == bug_type]
        cells = "".join(
            f"{accuracy([(c.label, answers[name][c.name]) for c in subset]):>22}"
            for name in answers
        )
        print(f"{bug_type:<10}{len(subset):>4}{cells}")


def print_bad_input_times(options: TriageOptions) -> None:
    """Time the triage on the bad inputs of the issue (a bound the tests do not time)."""
    inputs = {
        "empty": b"",
        "1 MB of log lines": ("Loss is nan\n\n" + "Epoch 1/1 - loss: nan\n" * 48_000).encode(),
        "1 MB of code": (
            "```python\n" + "x = model(torch.zeros(1, 3))\n" * 36_000 + "```\n"
        ).encode(),
        "1 MB binary": bytes(range(256)) * 4096,
        "non-English": "训练时损失不下降，准确率一直是百分之十。请问是什么原因？".encode(),
        "unparsable code": b"Title\n\n```python\ndef f(:\n  model.fit(x,, y\n```\n",
    }
    cells = []
    for name, data in inputs.items():
        begin = time.perf_counter()
        result = triage_report(parse_report(data), options)
        cells.append(f"{name} {1000 * (time.perf_counter() - begin):.0f} ms ({result.bug_type})")
    print("bad input: " + "; ".join(cells))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-embeddings", action="store_true")
    parser.add_argument("--show", action="store_true", help="print every report's answers")
    args = parser.parse_args(argv)
    client = None if args.no_embeddings else shared_client()
    if client is not None and not client.available:
        print(f"note: {client.unavailable}; running without embeddings")
        client = None
    cases = load_cases()
    calibration = [case for index, case in enumerate(cases) if index % 3 == 0]
    evaluation = [case for index, case in enumerate(cases) if index % 3 != 0]
    typed = sum(
        1 for case in cases if any(load_taxonomy().bug_type_for_tag(t) for t in case.report.tags)
    )
    print(f"corpus: {len(cases)} reports, {Counter(c.label for c in cases)}")
    print(
        f"  with a Table-1 tag: {typed}; without usable tags: {len(cases) - typed} "
        f"({100 * (len(cases) - typed) / len(cases):.0f}%)"
    )
    print(f"embeddings: {'all-MiniLM-L6-v2 (worker process)' if client else 'off'}")

    options = TriageOptions(embeddings=client, unknown_below=0.0)
    started = time.perf_counter()
    if client is not None:
        # The model load and the type descriptions are embedded once per process, not per report.
        tables = load_tables()
        client.embed([sentence for texts in tables.descriptions.values() for sentence in texts])
    load_s = time.perf_counter() - started
    raw = {}
    times = []
    for case in cases:
        begin = time.perf_counter()
        raw[case.name] = triage_report(case.report, options)
        times.append(time.perf_counter() - begin)
    times.sort()
    threshold = calibrate_threshold(
        [(raw[c.name].confidence, raw[c.name].bug_type == c.label) for c in calibration]
    )
    tables = load_tables()
    shipped = tables.unknown_below_with_embeddings if client else tables.unknown_below
    print(
        f"model load {load_s:.1f} s; per report: median {times[len(times) // 2] * 1000:.0f} ms, "
        f"slowest {times[-1] * 1000:.0f} ms"
    )
    print_bad_input_times(options)
    print(
        f"calibrated unknown threshold (on {len(calibration)} held-out reports): {threshold:.3f}; "
        f"shipped in taxonomy/triage.toml: {shipped:.3f}"
    )

    def ours(threshold_used: float) -> dict[str, str]:
        return {
            name: (result.bug_type if result.confidence >= threshold_used else "unknown")
            for name, result in raw.items()
        }

    answers = {
        "baseline (no GPU)": {c.name: baseline(c.report.tags, client, False) for c in cases},
        "baseline (+GPU tags)": {c.name: baseline(c.report.tags, client, True) for c in cases},
        "ours (calibrated)": ours(threshold),
        "ours (shipped)": ours(shipped),
        "ours (no unknown)": ours(0.0),
    }
    print_table("evaluation part", evaluation, answers)
    print_table("all reports", cases, answers)
    for name, given in answers.items():
        unknown = sum(1 for answer in given.values() if answer in ("unknown", NO_TAGS))
        print(f"{name:<22} unanswered ('unknown' or 'no tags'): {unknown}")
    with_code = [c for c in cases if c.report.code_blocks or c.report.logs]
    no_tags = sum(1 for c in with_code if answers["ours (shipped)"][c.name] == NO_TAGS)
    print(
        f"reports with code or a traceback: {len(with_code)}; answered 'no tags' by ours: {no_tags}"
    )
    if args.show:
        for case in cases:
            cells = "  ".join(f"{given[case.name]:<8}" for given in answers.values())
            print(f"{case.label:<9} {cells} {raw[case.name].confidence:.2f} {case.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
