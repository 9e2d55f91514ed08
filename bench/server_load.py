"""The language server under load: 500 open documents and 10,000 edits with hovers and code
actions in between, then the misbehaving clients (one that disconnects mid-request, one that
never reads its output). Prints what it saw, phase by phase as each ends: answers, memory,
time, exit codes; the JSON of every phase at the end with ``--json``.

Usage: python bench/server_load.py [--documents 500] [--edits 10000] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.lsp.load import LoadReport, client_that_never_reads, disconnect_mid_request, storm
from tests.lsp.rpc import RawServer


def run_storm(
    documents: int, edits: int, requests_every: int, rounds: int
) -> tuple[LoadReport, float]:
    """The storm on one server, then shutdown and exit: the report and the shutdown's time."""
    server = RawServer()
    try:
        report = storm(server, documents, edits, requests_every, rounds=rounds)
        started = time.perf_counter()
        report.exit_code = server.shutdown_and_exit(timeout=120)
        return report, time.perf_counter() - started
    finally:
        server.close()


def mb(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f} MB"


def say(text: str) -> None:
    print(text, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=500)
    parser.add_argument("--edits", type=int, default=10_000)
    parser.add_argument("--requests-every", type=int, default=10)
    parser.add_argument(
        "--rounds", type=int, default=4, help="edits in rounds, the server's memory after each"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result: dict[str, Any] = {}

    report, shutdown_s = run_storm(args.documents, args.edits, args.requests_every, args.rounds)
    result["storm"] = {**asdict(report), "shutdown_s": round(shutdown_s, 2)}
    say(
        f"{report.documents} documents, {report.edits} edits, {report.requests} hovers and "
        f"code actions: {report.answered} answered, {len(report.errors)} errors, "
        f"{report.seconds:.1f} s; RSS {mb(report.rss_after_open_mb)} after opening, "
        f"{mb(report.rss_after_edits_mb)} after the edits, peak {mb(report.rss_peak_mb)}; "
        f"shutdown+exit → {report.exit_code} in {shutdown_s:.2f} s"
    )
    say(
        f"RSS after each round of {args.edits // args.rounds} edits: "
        + ", ".join(mb(value) for value in report.rss_after_rounds_mb)
    )

    started = time.perf_counter()
    disconnect_code = disconnect_mid_request(documents=50, requests=1000)
    disconnect_s = time.perf_counter() - started
    result["disconnect_mid_request"] = {
        "exit_code": disconnect_code,
        "seconds": round(disconnect_s, 2),
    }
    say(f"client disconnecting mid-request: exit {disconnect_code} in {disconnect_s:.2f} s")

    started = time.perf_counter()
    silent = client_that_never_reads(documents=200, requests=5000)
    silent_s = time.perf_counter() - started
    result["client_that_never_reads"] = {**asdict(silent), "seconds": round(silent_s, 2)}
    say(
        f"client that never reads: the server stopped reading after {silent.messages_sent} "
        f"messages ({'its output full' if silent.server_stopped_reading else 'never'}); "
        f"RSS {mb(silent.rss_before_mb)} → {mb(silent.rss_after_mb)}, exit {silent.exit_code} "
        f"in {silent_s:.2f} s"
    )

    if args.json:
        print(json.dumps(result, indent=2))
    ok = (
        report.exit_code == 0
        and report.answered == report.requests
        and not report.errors
        and disconnect_code == 0
        and silent.exit_code == 0
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
