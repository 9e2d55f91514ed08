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

Compiled bytecode: an installed package has its ``.pyc`` files, but with
``PYTHONDONTWRITEBYTECODE`` set (as on this project's shared machines) a source checkout is
compiled again at every start. ``--bytecode`` gives every spawned interpreter a cache of its
own (``PYTHONPYCACHEPREFIX`` in a temporary folder, filled by the first start),
which is what users of an installed server get.

dl-lsp's own caches (the rule data, and the code attrs, cattrs and dataclasses generate: see
``dl_lsp/codecache.py``) live in a temporary ``DL_LSP_CACHE_DIR`` of the run: a first start,
shown apart, fills them (and the bytecode cache), as a user's first start does; the figures
above it are the starts after.

Not a test: it prints numbers.
Usage: python bench/startup_profile.py [--runs N] [--imports K] [--bytecode] [--json]
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

from server_latency import Client, fresh_caches, server_command, synthetic_program

# (label, modules): imported in this order inside one interpreter, as ``dl-lsp serve`` does:
# the entry point installs the compiled-code cache (dl_lsp/codecache.py) for dataclasses,
# then the serve command sets up the collector and the cache for attrs and cattrs (importing
# them, and asyncio) before the server's modules.
IMPORT_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("dl_lsp.cli (the entry point)", ("dl_lsp.cli",)),
    ("serve's set-up (asyncio, attrs, cattrs)", ()),
    ("lsprotocol.types", ("lsprotocol.types",)),
    ("pygls", ("pygls.lsp.server", "pygls.protocol")),
    ("dl_lsp.lsp.server", ("dl_lsp.lsp.server",)),
)

# Runs in a fresh interpreter: prints a JSON object of [wall, CPU] seconds per phase.
_CHILD = """
import importlib, json, sys, time
groups = json.loads(sys.argv[1])
text = open(sys.argv[2], encoding="utf-8").read()
phases = {}
def timed(label, work):
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    phases[label] = [time.perf_counter() - wall, time.process_time() - cpu]
def serve_set_up():  # what cli.run_serve does before importing the server
    importlib.import_module("dl_lsp.cli").prepare_server_start()
for label, modules in groups:
    work = (lambda: [importlib.import_module(module) for module in modules]) if modules else serve_set_up
    timed(label, work)
from dl_lsp.lsp import collector, server
timed("create_server()", server.create_server)
collector.started()
from dl_lsp.config import Settings
from dl_lsp.engine import analyze_source
for label in ("first analysis (300 lines)", "second analysis"):
    timed(label, lambda: analyze_source(text, "/bench/cold.py", Settings()))
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


def in_process_phases(text_file: Path, runs: int) -> dict[str, list[float]]:
    """The best [wall, CPU] seconds of each import group and start-up step, each run in a
    fresh interpreter."""
    best: dict[str, list[float]] = {}
    for _ in range(runs):
        output = subprocess.run(
            [sys.executable, "-c", _CHILD, json.dumps(IMPORT_GROUPS), str(text_file)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        for label, seconds in json.loads(output).items():
            known = best.get(label, seconds)
            best[label] = [min(seconds[0], known[0]), min(seconds[1], known[1])]
    return best


def cpu_seconds(pid: int) -> float | None:
    """The CPU time (user and system, every thread) the process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def end_to_end(text: str, runs: int) -> dict[str, list[list[float]]]:
    """Seconds from spawning ``dl-lsp serve`` to the initialize response and to the first
    diagnostics: [wall, the server's CPU time] per run (CPU time where /proc has it)."""
    initialize: list[list[float]] = []
    diagnostics: list[list[float]] = []
    uri = "file:///bench/cold.py"
    for _ in range(runs):
        client = Client(server_command())
        client.initialize()
        wall = time.perf_counter() - client.started
        initialize.append([wall, cpu_seconds(client.process.pid) or float("nan")])
        client.open(uri, text)
        wall = client.diagnostics(uri, 1) - client.started
        diagnostics.append([wall, cpu_seconds(client.process.pid) or float("nan")])
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
    parser.add_argument(
        "--bytecode", action="store_true", help="let the spawned interpreters cache bytecode"
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()
    with fresh_caches(bytecode=args.bytecode):
        # The first start fills the caches, as a user's first start does: shown apart.
        first = end_to_end(synthetic_program(300), 1)["first diagnostics"][0]
        profile(args, first)


def bytecode_cached() -> bool:
    return bool(os.environ.get("PYTHONPYCACHEPREFIX")) or not os.environ.get(
        "PYTHONDONTWRITEBYTECODE"
    )


def profile(args: argparse.Namespace, first_start: list[float]) -> None:
    text = synthetic_program(300)
    text_file = Path(os.environ.get("TMPDIR", "/tmp")) / f"dl-lsp-cold-{os.getpid()}.py"
    text_file.write_text(text, encoding="utf-8")
    try:
        results: dict[str, Any] = {
            "server": server_command(),
            "bytecode_cached": bytecode_cached(),
            "interpreter_s": interpreter_start(args.runs),
            "phases_s": in_process_phases(text_file, args.runs),
        }
    finally:
        text_file.unlink()
    results["end_to_end_s"] = end_to_end(text, args.runs)
    results["first_start_s"] = first_start
    if args.imports:
        table = import_table(args.runs)
        slowest = sorted(table.items(), key=lambda item: -item[1][0])[: args.imports]
        results["slowest_imports_s"] = {name: list(times) for name, times in slowest}
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"dl-lsp cold start, best of {args.runs} ({' '.join(results['server'])})")
    print(
        "  bytecode: "
        + (
            "cached"
            if results["bytecode_cached"]
            else "compiled at every start (--bytecode: cached)"
        )
    )
    print(f"  {'phase':<44} {'wall':>9} {'CPU':>9}")
    print(f"  {'interpreter start (python -c pass)':<44} {results['interpreter_s'] * 1000:6.1f} ms")
    for label, (wall, cpu) in results["phases_s"].items():
        print(f"  {label:<44} {wall * 1000:6.1f} ms {cpu * 1000:6.1f} ms")
    counted = [times for label, times in results["phases_s"].items() if label != "second analysis"]
    wall_sum = results["interpreter_s"] + sum(wall for wall, _ in counted)
    cpu_sum = sum(cpu for _, cpu in counted)
    print(
        f"  {'sum up to the first analysis':<44} {wall_sum * 1000:6.1f} ms {cpu_sum * 1000:6.1f} ms"
        " (CPU without the interpreter start)"
    )
    print("end to end, from spawn (wall best / median; the server's CPU time, best):")
    for label, runs in results["end_to_end_s"].items():
        walls = [wall for wall, _ in runs]
        cpu = min(cpu for _, cpu in runs)
        print(
            f"  {label:<44} {min(walls) * 1000:6.1f} ms / {statistics.median(walls) * 1000:.1f} ms"
            f"; CPU {cpu * 1000:.0f} ms"
        )
    wall, cpu = results["first_start_s"]
    print(
        f"  {'first diagnostics, first start (empty caches)':<44} {wall * 1000:6.1f} ms"
        f"; CPU {cpu * 1000:.0f} ms"
    )
    if args.imports:
        print(f"slowest imports (self / cumulative, best of {args.runs}, under -X importtime):")
        for name, (own, cumulative) in results["slowest_imports_s"].items():
            print(f"  {name:<44} {own * 1000:7.1f} ms / {cumulative * 1000:.1f} ms")
    print("target: first diagnostics ≤ 500 ms from spawn")


if __name__ == "__main__":
    main()
