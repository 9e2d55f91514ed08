"""Where the language server's cold start goes: the phases from spawn to the first diagnostics.

bench/server_latency.py gives one figure for the cold start (spawn ``dl-lsp serve`` →
initialize → didOpen of a 300-line program → publishDiagnostics); this script splits it up:

- interpreter: spawn ``python -c pass`` (the interpreter and ``site``) and wait for its exit;
- imports, group by group, in the order the server meets them (a group's time leaves out what
  an earlier group imported already), then building the server (``create_server``), the first
  analysis of the program (rule data and tables built on first use) and a second one (the
  steady state): timed inside one fresh interpreter per run;
- end to end, from a client over stdio: the initialize response, then the first diagnostics.

Each figure is the best of ``--runs`` runs (the machine's noise only ever adds time); the end
to end figures also give the median. ``--imports`` adds the modules whose own import time is
largest (``python -X importtime``, best of the runs per module; that instrumentation itself
adds a little per module).

Not a test: it prints numbers. Usage: python bench/startup_profile.py [--runs N] [--imports K]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from server_latency import Client, server_command, synthetic_program

# (label, modules): imported in this order inside one interpreter.
IMPORT_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("stdlib (asyncio, json, logging, ...)", ("asyncio", "json", "logging", "concurrent.futures")),
    ("attrs + cattrs", ("attrs", "cattrs")),
    ("lsprotocol.types", ("lsprotocol.types",)),
    ("pygls", ("pygls.lsp.server", "pygls.protocol")),
    ("dl_lsp.cli (the entry point)", ("dl_lsp.cli",)),
    ("dl_lsp.lsp.server", ("dl_lsp.lsp.server",)),
)

# Runs in a fresh interpreter: prints a JSON object of seconds per phase.
_CHILD = """
import json, sys, time
started = time.perf_counter()
groups = json.loads(sys.argv[1])
text = open(sys.argv[2], encoding="utf-8").read()
phases = {}
import importlib
for label, modules in groups:
    before = time.perf_counter()
    for module in modules:
        importlib.import_module(module)
    phases[label] = time.perf_counter() - before
from dl_lsp.lsp import server
before = time.perf_counter()
server.create_server()
phases["create_server()"] = time.perf_counter() - before
from dl_lsp.config import Settings
from dl_lsp.engine import analyze_source
for label in ("first analysis (300 lines)", "second analysis"):
    before = time.perf_counter()
    analyze_source(text, "/bench/cold.py", Settings())
    phases[label] = time.perf_counter() - before
print(json.dumps(phases))
"""


def interpreter_start(runs: int) -> float:
    """The fastest spawn-to-exit of ``python -c pass``."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        times.append(time.perf_counter() - started)
    return min(times)


def in_process_phases(text_file: Path, runs: int) -> dict[str, float]:
    """The best time of each import group and start-up step, each run in a fresh interpreter."""
    best: dict[str, float] = {}
    for _ in range(runs):
        output = subprocess.run(
            [sys.executable, "-c", _CHILD, json.dumps(IMPORT_GROUPS), str(text_file)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        for label, seconds in json.loads(output).items():
            best[label] = min(seconds, best.get(label, seconds))
    return best


def end_to_end(text: str, runs: int) -> dict[str, list[float]]:
    """Seconds from spawning ``dl-lsp serve`` to the initialize response and the diagnostics."""
    initialize: list[float] = []
    diagnostics: list[float] = []
    uri = "file:///bench/cold.py"
    for _ in range(runs):
        client = Client(server_command())
        client.initialize()
        initialize.append(time.perf_counter() - client.started)
        client.open(uri, text)
        diagnostics.append(client.diagnostics(uri, 1) - client.started)
        client.close()
    return {"initialize response": initialize, "first diagnostics": diagnostics}


def import_table(runs: int) -> dict[str, tuple[float, float]]:
    """Per module, the best (self, cumulative) import seconds of the server's imports."""
    best: dict[str, tuple[float, float]] = {}
    code = "import dl_lsp.cli, dl_lsp.lsp.server"
    for _ in range(runs):
        stderr = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", code],
            check=True,
            capture_output=True,
            text=True,
        ).stderr
        for line in stderr.splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            own, cumulative, name = line.removeprefix("import time:").split("|")
            module = name.strip()
            figures = (int(own) / 1e6, int(cumulative) / 1e6)
            if module not in best or figures[0] < best[module][0]:
                best[module] = figures
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (best is shown)")
    parser.add_argument(
        "--imports", type=int, default=0, metavar="K", help="also list the K slowest imports"
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()
    text = synthetic_program(300)
    text_file = Path(os.environ.get("TMPDIR", "/tmp")) / f"dl-lsp-cold-{os.getpid()}.py"
    text_file.write_text(text, encoding="utf-8")
    try:
        results: dict[str, Any] = {
            "server": server_command(),
            "interpreter_s": interpreter_start(args.runs),
            "phases_s": in_process_phases(text_file, args.runs),
        }
    finally:
        text_file.unlink()
    results["end_to_end_s"] = end_to_end(text, args.runs)
    if args.imports:
        table = import_table(args.runs)
        slowest = sorted(table.items(), key=lambda item: -item[1][0])[: args.imports]
        results["slowest_imports_s"] = {name: list(times) for name, times in slowest}
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"dl-lsp cold start, best of {args.runs} ({' '.join(results['server'])})")
    print(f"  {'interpreter start (python -c pass)':<44} {results['interpreter_s'] * 1000:7.1f} ms")
    for label, seconds in results["phases_s"].items():
        print(f"  {label:<44} {seconds * 1000:7.1f} ms")
    print("end to end, from spawn (best / median):")
    for label, times in results["end_to_end_s"].items():
        print(
            f"  {label:<44} {min(times) * 1000:7.1f} ms / {statistics.median(times) * 1000:.1f} ms"
        )
    if args.imports:
        print(f"slowest imports (self / cumulative, best of {args.runs}, under -X importtime):")
        for name, (own, cumulative) in results["slowest_imports_s"].items():
            print(f"  {name:<44} {own * 1000:7.1f} ms / {cumulative * 1000:.1f} ms")
    print("target: first diagnostics ≤ 500 ms from spawn")


if __name__ == "__main__":
    main()
