"""A raw JSON-RPC peer over a server subprocess's stdio, for what a well-behaved client never
sends (malformed bodies, unknown methods, requests out of order) and for process exits."""

from __future__ import annotations

import itertools
import json
import queue
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

from tests.lsp.support import SERVER

TIMEOUT = 15.0


class RawServer:
    """The server in a subprocess; messages read by a thread into a queue."""

    def __init__(self, command: list[str] | None = None, cwd: Path | None = None) -> None:
        self.process = subprocess.Popen(
            command or SERVER,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=cwd,
        )
        self.messages: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.seen: list[dict[str, Any]] = []
        self._ids = itertools.count(1)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.stderr = b""
        self._stderr_reader = threading.Thread(target=self._read_stderr, daemon=True)
        self._stderr_reader.start()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    self.messages.put(None)
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            assert length is not None, "a message without Content-Length"
            self.messages.put(json.loads(stream.read(length)))

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.stderr += line

    # -- sending ----------------------------------------------------------------------------

    def send_bytes(self, data: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def send_body(self, body: bytes) -> None:
        self.send_bytes(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def send(self, message: dict[str, Any]) -> None:
        self.send_body(json.dumps(message).encode("utf-8"))

    def notify(self, method: str, params: Any = None) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request_id(self, method: str, params: Any = None) -> int:
        msg_id = next(self._ids)
        self.send({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})
        return msg_id

    def request(self, method: str, params: Any = None, timeout: float = TIMEOUT) -> dict[str, Any]:
        return self.response(self.request_id(method, params), timeout)

    # -- receiving --------------------------------------------------------------------------

    def next_message(self, timeout: float = TIMEOUT) -> dict[str, Any] | None:
        message = self.messages.get(timeout=timeout)
        if message is not None:
            self.seen.append(message)
        return message

    def wait_for(self, predicate: Any, timeout: float = TIMEOUT) -> dict[str, Any]:
        """The first message (already seen or new) that satisfies ``predicate``."""
        for message in self.seen:
            if predicate(message):
                self.seen.remove(message)
                return message
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError("timed out waiting for a message")
            try:
                message = self.next_message(remaining)
            except queue.Empty:
                continue
            if message is None:
                raise AssertionError("the server closed its output")
            if predicate(message):
                self.seen.remove(message)
                return message

    def response(self, msg_id: Any, timeout: float = TIMEOUT) -> dict[str, Any]:
        return self.wait_for(lambda m: m.get("id") == msg_id and "method" not in m, timeout)

    def notification(self, method: str, timeout: float = TIMEOUT, **match: Any) -> dict[str, Any]:
        def wanted(message: dict[str, Any]) -> bool:
            if message.get("method") != method or "id" in message:
                return False
            params = message.get("params") or {}
            return all(params.get(key) == value for key, value in match.items())

        return self.wait_for(wanted, timeout)

    def logs(self) -> list[str]:
        """Every window/logMessage seen so far (drains the queue first)."""
        while True:
            try:
                message = self.messages.get_nowait()
            except queue.Empty:
                break
            if message is not None:
                self.seen.append(message)
        return [m["params"]["message"] for m in self.seen if m.get("method") == "window/logMessage"]

    # -- session ----------------------------------------------------------------------------

    def initialize(
        self, capabilities: dict[str, Any] | None = None, **params: Any
    ) -> dict[str, Any]:
        answer = self.request(
            "initialize",
            {"processId": None, "rootUri": None, "capabilities": capabilities or {}, **params},
        )
        self.notify("initialized", {})
        return answer

    def open(self, uri: str, text: str, version: int = 1) -> None:
        self.notify(
            "textDocument/didOpen",
            {
                "textDocument": {
                    "uri": uri,
                    "languageId": "python",
                    "version": version,
                    "text": text,
                }
            },
        )

    def diagnostics(self, uri: str, version: int, timeout: float = TIMEOUT) -> list[dict[str, Any]]:
        message = self.notification(
            "textDocument/publishDiagnostics", timeout, uri=uri, version=version
        )
        return list(message["params"]["diagnostics"])

    def shutdown_and_exit(self, timeout: float = TIMEOUT) -> int:
        answer = self.request("shutdown")
        assert "error" not in answer, answer
        self.notify("exit")
        return self.wait(timeout)

    def wait(self, timeout: float = TIMEOUT) -> int:
        try:
            return self.process.wait(timeout)
        finally:
            self._stderr_reader.join(1)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
