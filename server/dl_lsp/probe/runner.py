"""The parent side of the probe: start the worker, bound it, read its events, build the result.

The worker runs in its own session (so in its own process group). On timeout, cancel or a
memory overrun the parent first asks it for its Python stack (SIGUSR1, ``faulthandler``) to
place the finding on the line that was running, then kills the process group and every
descendant it can still find, and removes the temporary working directory.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from dl_lsp.probe.protocol import (
    DEFAULT_MEMORY_BYTES,
    DEFAULT_TIMEOUT_S,
    Observation,
    ProbeRequest,
    ShapeHints,
    decode_events,
)
from dl_lsp.probe.results import (
    DeviceCheck,
    DeviceInfo,
    Environment,
    Isolation,
    ObservedLayer,
    ObservedModel,
    ProbeFinding,
    ProbeResult,
    SeedCall,
    Status,
)

OUTPUT_TAIL_BYTES = 8192
POLL_S = 0.05
MEMORY_POLL_S = 0.1
STACK_WAIT_S = 0.5
STACK_FILE = "stack.txt"
# The script's first step failed (or could not run): shape, dtype, device, NaN, error, memory.
FAILURE_CODES = frozenset({"PRB701", "PRB702", "PRB703", "PRB704", "PRB705", "PRB706", "PRB708"})


@dataclass(frozen=True)
class ProbeOptions:
    """How to run the probe: device, limits, the interpreter."""

    device: str = "all"
    timeout: float = DEFAULT_TIMEOUT_S
    memory_bytes: int = DEFAULT_MEMORY_BYTES
    cpu_seconds: int | None = None  # default: the timeout × CPU cores + 30 s
    # DL_LSP_PROBE_NETWORK=allow keeps the network (a data set that must be downloaded).
    isolate_network: bool = field(
        default_factory=lambda: os.environ.get("DL_LSP_PROBE_NETWORK", "") != "allow"
    )
    python: str = sys.executable


@dataclass
class _Progress:
    """What the worker said so far."""

    events: list[dict[str, Any]] = field(default_factory=list)
    output: deque[bytes] = field(default_factory=deque)
    output_size: int = 0
    output_total: int = 0
    peak_rss: int = 0

    def keep_output(self, data: bytes) -> None:
        self.output_total += len(data)
        self.output.append(data)
        self.output_size += len(data)
        while self.output and self.output_size - len(self.output[0]) >= OUTPUT_TAIL_BYTES:
            self.output_size -= len(self.output.popleft())

    def tail(self) -> str:
        data = b"".join(self.output)[-OUTPUT_TAIL_BYTES:]
        return data.decode("utf-8", errors="replace")

    def done(self) -> bool:
        return any(event["event"] in ("done", "crash") for event in self.events)


def run_probe(
    path: str | os.PathLike[str],
    text: str | None = None,
    options: ProbeOptions | None = None,
    *,
    hints: ShapeHints | None = None,
    frameworks: list[str] | None = None,
    cancel: threading.Event | None = None,
    on_start: Callable[[int], None] | None = None,
) -> ProbeResult:
    """Probe the file at ``path`` (running ``text`` when given: the editor's unsaved buffer).

    ``cancel`` stops the worker when set; ``on_start`` receives the worker's process id (whose
    process group ``kill_tree`` ends, for a caller that must clean up at exit)."""
    options = options or ProbeOptions()
    file = os.path.realpath(os.fspath(path))
    started = time.perf_counter()
    if text is None:
        try:
            text = Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            return ProbeResult("failed", file, error=f"cannot read {file}: {error}")
    if frameworks is None or hints is None:
        static_hints, static_frameworks = static_facts_for(text, file)
        hints = hints or static_hints
        frameworks = static_frameworks if frameworks is None else frameworks
    cpu_seconds = options.cpu_seconds or int(options.timeout * (os.cpu_count() or 1)) + 30
    request = ProbeRequest(
        path=file,
        text=text,
        device=options.device,
        timeout=options.timeout,
        memory_bytes=options.memory_bytes,
        cpu_seconds=cpu_seconds,
        isolate_network=options.isolate_network,
        frameworks=frameworks,
        hints=hints,
    )
    folder = tempfile.mkdtemp(prefix="dl-lsp-probe-")
    try:
        progress, ending, stack = _supervise(request, options, folder, cancel, on_start)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    result = assemble(file, text, progress, ending, stack, options)
    return replace(result, seconds=round(time.perf_counter() - started, 3))


def static_facts_for(text: str, path: str) -> tuple[ShapeHints, list[str]]:
    """The frameworks the file imports and what the static analysis knows of its data."""
    from dl_lsp.probe.exact_facts import hints_from_static

    return hints_from_static(text, path)


def worker_environment() -> dict[str, str]:
    env = dict(os.environ)
    package_root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
    env.setdefault("MALLOC_ARENA_MAX", "2")  # glibc arenas waste address space under RLIMIT_AS
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env["MPLBACKEND"] = "Agg"  # plt.show() must not open a window and wait
    env["PYTHONUNBUFFERED"] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTHONFAULTHANDLER"] = "1"
    return env


def _supervise(
    request: ProbeRequest,
    options: ProbeOptions,
    folder: str,
    cancel: threading.Event | None,
    on_start: Callable[[int], None] | None,
) -> tuple[_Progress, str, str]:
    """Run the worker to its end; (events and output, how it ended, its stack when stopped)."""
    progress = _Progress()
    read_end, write_end = os.pipe()
    try:
        process = subprocess.Popen(
            [options.python, "-m", "dl_lsp.probe.worker", "--channel", str(write_end)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            cwd=folder,
            env=worker_environment(),
            pass_fds=(write_end,),
            start_new_session=True,
        )
    except OSError as error:
        os.close(read_end)
        os.close(write_end)
        progress.events.append({"event": "crash", "error": f"cannot start the worker: {error}"})
        return progress, "crashed", ""
    os.close(write_end)
    if on_start is not None:
        on_start(process.pid)
    assert process.stdin is not None and process.stdout is not None
    try:
        process.stdin.write(request.to_json().encode())
        process.stdin.close()
    except OSError:
        pass
    ending = _watch(process, read_end, progress, options, cancel)
    stack = ""
    if ending in ("timeout", "memory", "cancelled"):
        stack = _stack_of(process, folder)
    kill_tree(process.pid)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)
    _drain(read_end, process.stdout, progress)
    os.close(read_end)
    process.stdout.close()
    if ending == "exited" and not progress.done():
        ending = "crashed"
    return progress, ending, stack


def _watch(
    process: subprocess.Popen[bytes],
    channel: int,
    progress: _Progress,
    options: ProbeOptions,
    cancel: threading.Event | None,
) -> str:
    assert process.stdout is not None
    deadline = time.monotonic() + options.timeout
    buffer = bytearray()
    selector = selectors.DefaultSelector()
    selector.register(channel, selectors.EVENT_READ, "channel")
    selector.register(process.stdout, selectors.EVENT_READ, "output")
    open_streams = 2
    next_memory_check = 0.0
    try:
        while True:
            now = time.monotonic()
            if now >= deadline:
                return "timeout"
            if cancel is not None and cancel.is_set():
                return "cancelled"
            if now >= next_memory_check:
                next_memory_check = now + MEMORY_POLL_S
                rss = tree_resident_bytes(process.pid)
                progress.peak_rss = max(progress.peak_rss, rss)
                if rss > options.memory_bytes:
                    return "memory"
            for key, _ in selector.select(timeout=POLL_S):
                data = os.read(key.fd, 65536)
                if not data:
                    selector.unregister(key.fileobj)
                    open_streams -= 1
                    continue
                if key.data == "channel":
                    buffer.extend(data)
                    progress.events += decode_events(buffer)
                else:
                    progress.keep_output(data)
            if progress.done():
                return "done"
            if open_streams == 0 or process.poll() is not None:
                return "exited"
    finally:
        selector.close()


def _drain(channel: int, output: Any, progress: _Progress) -> None:
    """What is left in the pipes once the worker is gone (non-blocking)."""
    buffer = bytearray()
    for fd, sink in ((channel, "channel"), (output.fileno(), "output")):
        os.set_blocking(fd, False)
        while True:
            try:
                data = os.read(fd, 65536)
            except (BlockingIOError, OSError):
                break
            if not data:
                break
            if sink == "channel":
                buffer.extend(data)
            else:
                progress.keep_output(data)
    progress.events += decode_events(buffer)


def _stack_of(process: subprocess.Popen[bytes], folder: str) -> str:
    """Ask the worker for its Python stack (faulthandler on SIGUSR1) before it is killed."""
    path = os.path.join(folder, STACK_FILE)
    try:
        os.kill(process.pid, signal.SIGUSR1)
    except (OSError, AttributeError):
        return ""
    waited = 0.0
    while waited < STACK_WAIT_S:
        time.sleep(0.05)
        waited += 0.05
        try:
            if os.path.getsize(path) > 0:
                time.sleep(0.05)
                break
        except OSError:
            continue
    try:
        return Path(path).read_text(errors="replace")
    except OSError:
        return ""


# -- processes --------------------------------------------------------------------------------


def _process_table() -> dict[int, tuple[int, int]]:
    """pid → (parent pid, process group), from /proc (empty where there is no /proc)."""
    table: dict[int, tuple[int, int]] = {}
    try:
        names = os.listdir("/proc")
    except OSError:
        return table
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as handle:
                stat = handle.read().decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        try:
            table[int(name)] = (int(fields[1]), int(fields[2]))
        except (IndexError, ValueError):
            continue
    return table


def descendants(root: int, table: dict[int, tuple[int, int]] | None = None) -> set[int]:
    """``root``, its descendants and the members of its process group."""
    table = _process_table() if table is None else table
    found = {root} | {pid for pid, (_, group) in table.items() if group == root}
    changed = True
    while changed:
        changed = False
        for pid, (parent, _) in table.items():
            if parent in found and pid not in found:
                found.add(pid)
                changed = True
    return found


def kill_tree(root: int) -> None:
    """SIGKILL the worker's process group and every descendant (even ones that left it)."""
    members = descendants(root)
    with contextlib.suppress(OSError, AttributeError):
        os.killpg(root, signal.SIGKILL)
    for pid in members:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def tree_resident_bytes(root: int) -> int:
    """Resident memory of the worker and its descendants, in bytes."""
    total = 0
    for pid in descendants(root):
        try:
            with open(f"/proc/{pid}/statm") as handle:
                total += int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            continue
    return total


# -- the result -------------------------------------------------------------------------------


def assemble(
    file: str, text: str, progress: _Progress, ending: str, stack: str, options: ProbeOptions
) -> ProbeResult:
    """The result from the worker's events and how it ended."""
    from dl_lsp.probe.errors import lines_in_dump
    from dl_lsp.probe.exact_facts import rerun_static_rules
    from dl_lsp.probe.findings import finding_from

    environment = Environment()
    isolation = Isolation()
    model: ObservedModel | None = None
    checks: list[DeviceCheck] = []
    findings: list[ProbeFinding] = []
    notes: list[str] = []
    error: str | None = None
    seeds: tuple[SeedCall, ...] = ()
    for event in progress.events:
        kind, data = event["event"], event.get("data") or {}
        if kind == "environment":
            environment = _environment(data)
        elif kind == "isolation":
            isolation = Isolation(**data)
        elif kind == "seeds":
            seeds = tuple(SeedCall(**item) for item in data)
        elif kind == "model":
            model = _model(data)
        elif kind == "check":
            checks.append(DeviceCheck(**data))
        elif kind == "finding":
            findings.append(finding_from(Observation(**data)))
        elif kind == "note":
            notes.append(event["text"])
        elif kind == "crash":
            error = f"the probe's worker failed: {event['error']}"
    environment = replace(environment, seeds=seeds)
    lines = lines_in_dump(stack, file)
    line = lines[0] if lines else None
    status: Status = "ok"
    if ending == "timeout":
        status = "timeout"
        findings.append(
            finding_from(Observation("PRB707", "timeout", {"seconds": options.timeout}, line))
        )
    elif ending == "memory":
        status = "failed"
        limit = f"{options.memory_bytes / 1024**3:.3g} GiB"
        findings.append(
            finding_from(
                Observation(
                    "PRB708",
                    "limit",
                    {"limit": limit, "error": f"resident memory passed {limit}"},
                    line,
                )
            )
        )
    elif ending == "cancelled":
        status, error = "failed", "the probe was cancelled"
    elif ending == "crashed" and error is None:
        error = (
            "the worker ended before it finished (os._exit in the script, a crash in a "
            "native library, or a kill from outside)"
        )
    if error is not None or any(f.code in FAILURE_CODES for f in findings):
        status = "failed" if status == "ok" else status
    if model is not None:
        findings += rerun_static_rules(text, file, model)
    return ProbeResult(
        status=status,
        file=file,
        environment=environment,
        model=model,
        checks=tuple(checks),
        findings=tuple(_deduplicated(findings)),
        notes=tuple(notes),
        isolation=isolation,
        output_tail=progress.tail(),
        output_bytes=progress.output_total,
        peak_rss_bytes=progress.peak_rss,
        error=error,
    )


def _deduplicated(findings: list[ProbeFinding]) -> list[ProbeFinding]:
    seen: set[tuple[str, int, str]] = set()
    kept = []
    for finding in findings:
        key = (finding.code, finding.line, finding.message)
        if key not in seen:
            seen.add(key)
            kept.append(finding)
    kept.sort(key=lambda f: (f.line == 0, f.line, f.code))
    return kept


def _environment(data: dict[str, Any]) -> Environment:
    data = dict(data)
    data["devices"] = tuple(DeviceInfo(**d) for d in data.get("devices", ()))
    data["seeds"] = tuple(SeedCall(**s) for s in data.get("seeds", ()))
    return Environment(**data)


def _model(data: dict[str, Any]) -> ObservedModel:
    data = dict(data)
    data["layers"] = tuple(ObservedLayer(**layer) for layer in data.get("layers", ()))
    return ObservedModel(**data)
