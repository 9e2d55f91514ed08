"""Load on the language server, shared by the short test (``tests/lsp/test_load.py``) and the
long run (``bench/server_load.py``): many open documents, a storm of edits with hovers and code
actions in between, and clients that misbehave (disconnect mid-request, never read)."""

from __future__ import annotations

import contextlib
import random
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.lsp.rpc import RawServer
from tests.lsp.support import SERVER

PROGRAM = """\
import torch
from torch import nn
from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential([
    layers.Dense(64, activation='relu', input_shape=(20,)),
    layers.Dense(1, activation='softmax'),
])
model.compile(loss='binary_crossentropy', optimizer=keras.optimizers.SGD(lr=0.5))
model.fit(x_train, y_train, batch_size=8192, epochs=3)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(784, 10)

    def forward(self, x):
        return torch.softmax(self.fc(x), dim=1)


net = Net().cuda()
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(net.parameters(), lr=0.01)
for data, target in loader:
    loss = criterion(net(data), target)
    loss.backward()
    optimizer.step()
"""
# Lines of PROGRAM where edits happen, and the positions of a hover and a code action.
EDIT_LINE = 10
HOVER = {"line": 8, "character": 30}


def uri_of(number: int) -> str:
    return f"file:///tmp/dl_lsp_load/model_{number}.py"


def rss_mb(pid: int, field: str = "VmRSS") -> float | None:
    """Resident memory of a process in MB (Linux), None where /proc is not there; ``field``
    "VmHWM" gives the peak so far."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return None


def start(server: RawServer) -> None:
    """initialize and initialized, with a generous wait: the machine may be busy (no timing is
    asserted here), and a client that resolves code actions."""
    capabilities = {"textDocument": {"codeAction": {"resolveSupport": {"properties": ["edit"]}}}}
    answer = server.request(
        "initialize",
        {"processId": None, "rootUri": None, "capabilities": capabilities},
        timeout=120,
    )
    assert "error" not in answer, answer
    server.notify("initialized", {})


@dataclass
class LoadReport:
    """What a load run saw."""

    documents: int
    edits: int
    requests: int
    answered: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    rss_after_open_mb: float | None = None
    rss_after_edits_mb: float | None = None
    rss_peak_mb: float | None = None
    rss_after_rounds_mb: list[float | None] = field(default_factory=list)
    seconds: float = 0.0
    exit_code: int | None = None


def edit(version: int) -> dict[str, Any]:
    """An incremental edit of the learning rate: the text stays valid, each version differs."""
    start = {"line": EDIT_LINE - 1, "character": 0}
    end = {"line": EDIT_LINE, "character": 0}
    text = f"model.compile(loss='binary_crossentropy', optimizer=keras.optimizers.SGD(lr=0.{version}))\n"
    return {"range": {"start": start, "end": end}, "text": text}


def storm(
    server: RawServer,
    documents: int,
    edits: int,
    requests_every: int = 10,
    seed: int = 0,
    rounds: int = 1,
) -> LoadReport:
    """Open ``documents``, send ``edits`` changes spread over them without waiting, with a hover
    and a code action every ``requests_every`` edits; then wait for every document's last
    version and every answer. ``rounds`` > 1 splits the edits into rounds, each waited for,
    with the server's memory after each: memory that keeps growing round after round is not
    bounded."""
    rng = random.Random(seed)
    report = LoadReport(documents, edits, 0)
    started = time.perf_counter()
    start(server)
    for number in range(documents):
        server.open(uri_of(number), PROGRAM)
    for number in range(documents):
        server.diagnostics(uri_of(number), 1, timeout=120)
    report.rss_after_open_mb = rss_mb(server.process.pid)
    versions = dict.fromkeys(range(documents), 1)
    for round_number in range(rounds):
        share = edits // rounds + (1 if round_number < edits % rounds else 0)
        _edit_round(server, report, versions, share, requests_every, rng)
        report.rss_after_rounds_mb.append(rss_mb(server.process.pid))
    report.rss_after_edits_mb = rss_mb(server.process.pid)
    report.rss_peak_mb = rss_mb(server.process.pid, "VmHWM")
    report.seconds = time.perf_counter() - started
    return report


def _edit_round(
    server: RawServer,
    report: LoadReport,
    versions: dict[int, int],
    edits: int,
    requests_every: int,
    rng: random.Random,
) -> None:
    pending: list[int] = []
    edited: set[int] = set()
    for count in range(edits):
        number = rng.randrange(len(versions))
        versions[number] += 1
        edited.add(number)
        server.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri_of(number), "version": versions[number]},
                "contentChanges": [edit(versions[number])],
            },
        )
        if count % requests_every == 0:
            where = {"textDocument": {"uri": uri_of(number)}}
            pending.append(server.request_id("textDocument/hover", {**where, "position": HOVER}))
            whole = {"start": {"line": 0, "character": 0}, "end": {"line": 30, "character": 0}}
            context = {"diagnostics": [], "only": ["quickfix", "source.fixAll"]}
            pending.append(
                server.request_id(
                    "textDocument/codeAction", {**where, "range": whole, "context": context}
                )
            )
    report.requests += len(pending)
    for msg_id in pending:
        answer = server.response(msg_id, timeout=300)
        report.answered += 1
        if "error" in answer and answer["error"].get("code") not in (-32800, -32801):
            report.errors.append(answer["error"])
    for number in sorted(edited):
        server.diagnostics(uri_of(number), versions[number], timeout=300)


def disconnect_mid_request(documents: int = 20, requests: int = 200) -> int | None:
    """Open documents, fire requests, and close stdin without waiting: the exit code (None
    when the server had not exited a minute later)."""
    server = RawServer()
    try:
        start(server)
        for number in range(documents):
            server.open(uri_of(number), PROGRAM)
        for number in range(requests):
            where = {"textDocument": {"uri": uri_of(number % documents)}}
            server.request_id("textDocument/hover", {**where, "position": HOVER})
        assert server.process.stdin is not None
        server.process.stdin.close()
        try:
            return server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            return None
    finally:
        server.close()


@dataclass
class SilentClientReport:
    rss_before_mb: float | None
    rss_after_mb: float | None
    exit_code: int | None
    # Messages the client got through before the server stopped reading (its output was full).
    messages_sent: int = 0
    server_stopped_reading: bool = False


def client_that_never_reads(documents: int = 100, requests: int = 2000) -> SilentClientReport:
    """A client that sends and never reads the server's output, then goes away.

    The server must not buffer without bound while its output is not read, and must exit once
    the client closes the pipes."""
    process = subprocess.Popen(
        SERVER, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    assert process.stdin is not None and process.stdout is not None
    sender = RawSender(process)
    try:
        sender.send_request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
        sender.notify("initialized", {})
        time.sleep(0.5)
        before = rss_mb(process.pid)
        for number in range(documents):
            item = {"uri": uri_of(number), "languageId": "python", "version": 1, "text": PROGRAM}
            if not sender.notify("textDocument/didOpen", {"textDocument": item}):
                break  # the server stopped reading: its output is full, ours too
        for number in range(requests):
            where = {"textDocument": {"uri": uri_of(number % documents)}}
            if not sender.send_request("textDocument/hover", {**where, "position": HOVER}):
                break
        after = rss_mb(process.pid)
        sender.close()
        process.stdout.close()
        try:
            code: int | None = process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            code = None
        return SilentClientReport(before, after, code, sender.sent, sender.stalled)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


class RawSender:
    """Writes messages to a server without ever reading. A write that stays blocked for 5 s
    gives up, and so does every later one (``stalled``): the server stopped reading, and a
    message cut in the middle must not be followed by another."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        import os

        assert process.stdin is not None
        self.stdin = process.stdin
        os.set_blocking(self.stdin.fileno(), False)
        self._ids = 0
        self.sent = 0
        self.stalled = False

    def _send(self, message: dict[str, Any]) -> bool:
        import json
        import os

        if self.stalled:
            return False
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        data = b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
        deadline = time.monotonic() + 5.0
        while data:
            try:
                written = os.write(self.stdin.fileno(), data)
            except BlockingIOError:
                if time.monotonic() > deadline:
                    self.stalled = True
                    return False
                time.sleep(0.01)
                continue
            except OSError:  # BrokenPipeError among them
                self.stalled = True
                return False
            data = data[written:]
        self.sent += 1
        return True

    def notify(self, method: str, params: Any) -> bool:
        return self._send({"method": method, "params": params})

    def send_request(self, method: str, params: Any) -> bool:
        self._ids += 1
        return self._send({"id": self._ids, "method": method, "params": params})

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.stdin.close()
