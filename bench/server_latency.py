"""How fast ``dl-lsp serve`` answers, measured from a client over stdio.

For synthetic Keras programs of 300, 1,000, 5,000 and 20,000 lines (bench/make_corpus.py's
building blocks), it measures:

- cold start: spawn the server → initialize → didOpen → first publishDiagnostics, as an
  installed server starts after its first start (bytecode compiled, dl-lsp's caches filled:
  see ``as_installed``);
- edit latency: didChange (one incremental edit) → publishDiagnostics for that version, p50 and
  p95 over 200 edits (fewer where they would take longer than ``--budget`` seconds), each sent
  after the previous one's diagnostics arrived. Measured with ``debounce-ms`` 0 (the server's own
  work: apply the change, analyse, publish) and, at 1,000 lines, with the default debounce too
  (what a user waits for; the debounce is part of it). Next to it, ``ast.parse`` of the same
  text in this process: the floor no analysis goes below, to compare machines;
- memory: the server's RSS after opening 200 files of the benchmark corpus.

Targets: cold start ≤ 0.5 s, p95 ≤ 30 ms at 1,000 lines and ≤ 150 ms at 20,000 lines, RSS ≤
150 MB. Not a test: it prints numbers.

Usage: python bench/server_latency.py [--quick] [--json] [--edits N]
       python bench/server_latency.py --cold-start [--repeat N]   (300 lines only; the phases
       of a cold start: bench/startup_profile.py)
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import json
import os
import queue
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from make_corpus import KERAS_DATA, KERAS_HEADER, helper, keras_model, keras_training, make_corpus

SIZES = (300, 1_000, 5_000, 20_000)
TARGETS = {"cold_start_s": 0.5, "p95_ms_1000": 30.0, "p95_ms_20000": 150.0, "rss_mb": 150.0}


def server_command() -> list[str]:
    script = Path(sys.executable).parent / "dl-lsp"
    if script.exists():
        return [str(script), "serve"]
    return [sys.executable, "-m", "dl_lsp.lsp.server"]


def synthetic_program(lines: int, seed: int = 0) -> str:
    """A Keras program of about ``lines`` lines: models, training functions and helpers."""
    rng = random.Random(seed)
    data = "mnist"
    parts = [
        KERAS_HEADER.format(name=f"bench_{lines}", task=data, seed=seed),
        KERAS_DATA[data].format(scale=" / 255.0"),
    ]
    index = 0
    while "\n\n".join(parts).count("\n") < lines:
        parts += [keras_model(rng, data, index), keras_training(rng, data, index)]
        parts += [helper(rng, index * 10 + n) for n in range(rng.randint(0, 2))]
        index += 1
    return "\n\n".join(parts) + "\n"


class Client:
    """A minimal LSP client over the server's stdio; messages read by a thread."""

    def __init__(self, command: list[str]) -> None:
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self.inbox: queue.Queue[tuple[float, dict[str, Any]]] = queue.Queue()
        self._ids = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = 0
            while True:
                line = stream.readline()
                if not line:
                    return
                if line == b"\r\n":
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            message = json.loads(stream.read(length))
            self.inbox.put((time.perf_counter(), message))

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps(message).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.process.stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params: Any) -> Any:
        self._ids += 1
        self.send({"jsonrpc": "2.0", "id": self._ids, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == self._ids and "method" not in m)[1]

    def wait(self, wanted: Any, timeout: float = 120.0) -> tuple[float, dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while True:
            arrived, message = self.inbox.get(timeout=max(0.0, deadline - time.monotonic()))
            if wanted(message):
                return arrived, message

    def diagnostics(self, uri: str, version: int) -> float:
        """When the diagnostics of ``uri`` at ``version`` arrived."""

        def wanted(message: dict[str, Any]) -> bool:
            params = message.get("params") or {}
            return (
                message.get("method") == "textDocument/publishDiagnostics"
                and params.get("uri") == uri
                and params.get("version") == version
            )

        return self.wait(wanted)[0]

    def initialize(self, options: dict[str, Any] | None = None) -> None:
        self.request(
            "initialize",
            {
                "processId": None,
                "rootUri": None,
                "capabilities": {},
                "initializationOptions": {"dl-lsp": options or {}},
            },
        )
        self.notify("initialized", {})

    def open(self, uri: str, text: str) -> None:
        item = {"uri": uri, "languageId": "python", "version": 1, "text": text}
        self.notify("textDocument/didOpen", {"textDocument": item})

    def rss_mb(self) -> float | None:
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return None
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return None

    def close(self) -> None:
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self.process.wait(10)
        except Exception:
            self.process.kill()
            self.process.wait()


@contextlib.contextmanager
def fresh_caches(bytecode: bool = True) -> Iterator[None]:
    """Spawned servers get dl-lsp's own caches (rule data, generated code) in a temporary
    folder, empty at first, and with ``bytecode`` a bytecode cache there too (pip compiles
    bytecode at install; with ``PYTHONDONTWRITEBYTECODE`` set, as on this project's machines,
    a source checkout would compile every module at each start). The environment is restored
    afterwards."""
    saved = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="dl-lsp-bench-") as folder:
        os.environ["DL_LSP_CACHE_DIR"] = os.path.join(folder, "dl-lsp")
        if bytecode:
            os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
            os.environ["PYTHONPYCACHEPREFIX"] = os.path.join(folder, "pycache")
        try:
            yield
        finally:
            os.environ.clear()
            os.environ.update(saved)


@contextlib.contextmanager
def as_installed() -> Iterator[None]:
    """Spawned servers start as an installed dl-lsp does after its first start: bytecode
    compiled and dl-lsp's caches filled (``fresh_caches``) by a first start that is not
    counted (bench/startup_profile.py shows it)."""
    with fresh_caches():
        cold_start(synthetic_program(300), 1)
        yield


def cold_start(text: str, repeat: int) -> float:
    """Median seconds from spawning the server to the first diagnostics of one document."""
    times = []
    for _ in range(repeat):
        client = Client(server_command())
        client.initialize()
        client.open("file:///bench/cold.py", text)
        times.append(client.diagnostics("file:///bench/cold.py", 1) - client.started)
        client.close()
    return statistics.median(times)


def parse_floor(text: str, repeat: int = 5) -> float:
    """The fastest ``ast.parse`` of ``text``, in seconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        ast.parse(text)
        times.append(time.perf_counter() - started)
    return min(times)


def edit_latencies(
    text: str, edits: int, debounce_ms: int | None, budget_s: float = 60.0
) -> list[float]:
    """Seconds from each didChange to its version's diagnostics, one edit at a time."""
    uri = "file:///bench/edit.py"
    client = Client(server_command())
    client.initialize({} if debounce_ms is None else {"debounce-ms": debounce_ms})
    client.open(uri, text)
    client.diagnostics(uri, 1)
    line = text.count("\n") // 2
    latencies: list[float] = []
    budget_end = time.monotonic() + budget_s
    for version in range(2, edits + 2):
        if time.monotonic() > budget_end and len(latencies) >= 20:
            break
        # Type one character at the start of a middle line, then delete it: the text stays a
        # valid program, each version differs from the last.
        start = {"line": line, "character": 0}
        if version % 2 == 0:
            change = {"range": {"start": start, "end": start}, "text": "#"}
        else:
            change = {"range": {"start": start, "end": {"line": line, "character": 1}}, "text": ""}
        sent = time.perf_counter()
        client.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]},
        )
        latencies.append(client.diagnostics(uri, version) - sent)
    client.close()
    return latencies


def memory_after_opening(files: list[Path]) -> float | None:
    """The server's RSS in MB once it published diagnostics for every file."""
    client = Client(server_command())
    client.initialize()
    for path in files:
        client.open(path.as_uri(), path.read_text(encoding="utf-8"))
    for path in files:
        client.diagnostics(path.as_uri(), 1)
    rss = client.rss_mb()
    client.close()
    return rss


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer edits and files")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument(
        "--budget", type=float, default=60.0, help="seconds of edits per size, at most"
    )
    parser.add_argument(
        "--cold-start", action="store_true", help="only the cold start, at 300 lines"
    )
    parser.add_argument("--repeat", type=int, default=5, help="cold starts to take the median of")
    args = parser.parse_args()
    with as_installed():
        measure(args)


def measure(args: argparse.Namespace) -> None:
    if args.cold_start:
        seconds = cold_start(synthetic_program(300), args.repeat)
        print(
            f"cold start (spawn → first diagnostics, 300 lines, median of {args.repeat}): "
            f"{seconds:.3f} s (target ≤ {TARGETS['cold_start_s']} s)"
        )
        return
    edits = 20 if args.quick else args.edits
    file_count = 40 if args.quick else args.files

    results: dict[str, Any] = {"server": server_command(), "sizes": {}}
    for size in SIZES:
        text = synthetic_program(size)
        latencies = edit_latencies(text, edits, debounce_ms=0, budget_s=args.budget)
        results["sizes"][size] = {
            "lines": text.count("\n"),
            "ast_parse_ms": parse_floor(text) * 1000,
            "cold_start_s": cold_start(text, 1 if args.quick else 3),
            "p50_ms": percentile(latencies, 0.5) * 1000,
            "p95_ms": percentile(latencies, 0.95) * 1000,
            "edits": len(latencies),
        }
    with_debounce = edit_latencies(synthetic_program(1_000), edits, debounce_ms=None)
    results["default_debounce_1000"] = {
        "p50_ms": percentile(with_debounce, 0.5) * 1000,
        "p95_ms": percentile(with_debounce, 0.95) * 1000,
    }
    with tempfile.TemporaryDirectory() as folder:
        corpus = make_corpus(Path(folder), total_lines=file_count * 500, seed=1)[:file_count]
        results["rss_mb"] = memory_after_opening(corpus)
        results["rss_files"] = len(corpus)
        results["rss_lines"] = sum(p.read_text(encoding="utf-8").count("\n") for p in corpus)
    results["targets"] = TARGETS

    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"dl-lsp serve latency ({' '.join(results['server'])})")
    print(
        f"{'lines':>8} {'cold start':>11} {'edit p50':>9} {'edit p95':>9} {'edits':>6} "
        f"{'ast.parse':>10}"
    )
    for row in results["sizes"].values():
        print(
            f"{row['lines']:>8} {row['cold_start_s']:>10.3f}s {row['p50_ms']:>7.1f}ms "
            f"{row['p95_ms']:>7.1f}ms {row['edits']:>6} {row['ast_parse_ms']:>8.1f}ms"
        )
    debounced = results["default_debounce_1000"]
    print(
        f"with the default debounce, 1,000 lines: p50 {debounced['p50_ms']:.1f} ms, "
        f"p95 {debounced['p95_ms']:.1f} ms"
    )
    rss = results["rss_mb"]
    print(
        f"RSS after opening {results['rss_files']} files ({results['rss_lines']:,} lines): "
        + (f"{rss:.1f} MB" if rss is not None else "n/a")
    )
    print(
        "targets: cold start ≤ 0.5 s, p95 ≤ 30 ms at 1,000 lines and ≤ 150 ms at 20,000 lines, "
        "RSS ≤ 150 MB (edit latencies above use debounce-ms 0)"
    )


if __name__ == "__main__":
    main()
