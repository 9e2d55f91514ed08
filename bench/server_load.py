"""The language server under load: 500 open documents and 10,000 edits with hovers and code
actions in between, then the misbehaving clients (one that disconnects mid-request, one that
never reads its output). Prints what it saw: answers, memory, time, exit codes.

Usage: python bench/server_load.py [--documents 500] [--edits 10000] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.lsp.load import client_that_never_reads, disconnect_mid_request, storm
from tests.lsp.rpc import RawServer


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=500)
    parser.add_argument("--edits", type=int, default=10_000)
    parser.add_argument("--requests-every", type=int, default=10)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    server = RawServer()
    try:
        report = storm(server, args.documents, args.edits, args.requests_every)
        started = time.perf_counter()
        report.exit_code = server.shutdown_and_exit(timeout=120)
        shutdown_s = time.perf_counter() - started
    finally:
        server.close()
    started = time.perf_counter()
    disconnect_code = disconnect_mid_request(documents=50, requests=1000)
    disconnect_s = time.perf_counter() - started
    silent = client_that_never_reads(documents=200, requests=5000)
    result = {
        "storm": asdict(report),
        "shutdown_s": round(shutdown_s, 2),
        "disconnect_mid_request": {"exit_code": disconnect_code, "seconds": round(disconnect_s, 2)},
        "client_that_never_reads": asdict(silent),
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(
            f"{report.documents} documents, {report.edits} edits, {report.requests} hovers and "
            f"code actions: {report.answered} answered, {len(report.errors)} errors, "
            f"{report.seconds:.1f} s; RSS {report.rss_after_open_mb} MB after opening, "
            f"{report.rss_after_edits_mb} MB after the edits; shutdown+exit → {report.exit_code} "
            f"in {shutdown_s:.2f} s"
        )
        print(f"client disconnecting mid-request: exit {disconnect_code} in {disconnect_s:.2f} s")
        print(
            f"client that never reads: RSS {silent.rss_before_mb} → {silent.rss_after_mb} MB, "
            f"exit {silent.exit_code}"
        )
    ok = (
        report.exit_code == 0
        and not report.errors
        and disconnect_code == 0
        and silent.exit_code == 0
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
