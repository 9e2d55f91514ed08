"""Bad input at the JSON-RPC level: the server answers as the protocol says, logs, and keeps
serving; it exits only when asked (shutdown + exit) or when stdin closes."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from tests.lsp.rpc import RawServer
from tests.lsp.support import INSTRUMENTED_SERVER

URI = "file:///tmp/dl_lsp_raw/model.py"
BROKEN = "import keras\nmodel = keras.Sequential([\n"


@pytest.fixture
def server() -> Iterator[RawServer]:
    raw = RawServer()
    yield raw
    raw.close()


def still_serving(server: RawServer, uri: str = URI, version: int = 1) -> None:
    """The server still analyses documents and answers requests."""
    server.open(uri, BROKEN, version)
    assert [d["code"] for d in server.diagnostics(uri, version)] == ["SNP001"]
    assert server.request("dl-lsp/serverStatus")["result"]["version"]


def test_a_body_that_is_not_json_gets_a_parse_error(server: RawServer) -> None:
    server.initialize()
    server.send_body(b'{"jsonrpc": "2.0", "id": 7, "method": "textDocument/hov')
    error = server.wait_for(lambda m: m.get("error", {}).get("code") == -32700)
    assert error["id"] is None
    server.send_body(b"\xff\xfe not utf-8 \x00")
    assert server.wait_for(lambda m: m.get("error", {}).get("code") == -32700)["id"] is None
    still_serving(server)


def test_json_that_is_not_a_message_gets_invalid_request(server: RawServer) -> None:
    server.initialize()
    server.send_body(b"[1, 2, 3]")
    assert server.wait_for(lambda m: m.get("error", {}).get("code") == -32600)["id"] is None
    server.send_body(json.dumps({"id": 9, "method": "textDocument/hover"}).encode())
    assert server.wait_for(lambda m: m.get("error", {}).get("code") == -32600)["id"] == 9
    still_serving(server)


def test_unknown_methods(server: RawServer) -> None:
    server.initialize()
    answer = server.request("dl-lsp/noSuchThing", {"x": 1})
    assert answer["error"]["code"] == -32601  # MethodNotFound
    server.notify("dl-lsp/noSuchNotification", {"x": 1})  # ignored, no answer
    server.notify("$/someClientExtension", {})
    still_serving(server)


def test_invalid_params(server: RawServer) -> None:
    server.initialize()
    answer = server.request("textDocument/hover", {"textDocument": 42})
    assert answer["error"]["code"] == -32602  # InvalidParams, to the right id
    server.notify("textDocument/didChange", {"textDocument": {"uri": URI}})  # no version
    still_serving(server)
    assert any("malformed textDocument/didChange" in line for line in server.logs())


def test_requests_before_initialize(server: RawServer) -> None:
    answer = server.request(
        "textDocument/hover",
        {"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}},
    )
    assert answer["error"]["code"] == -32002  # ServerNotInitialized
    server.open(URI, BROKEN)  # dropped: notifications before initialize are ignored
    server.initialize()
    answer = server.request("textDocument/diagnostic", {"textDocument": {"uri": URI}})
    assert answer["result"]["items"] == []  # the early didOpen never happened
    still_serving(server, URI, 2)


def test_a_second_initialize_is_refused(server: RawServer) -> None:
    server.initialize()
    again = server.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
    assert again["error"]["code"] == -32600
    still_serving(server)


def test_requests_after_shutdown_are_refused(server: RawServer) -> None:
    server.initialize()
    assert "error" not in server.request("shutdown")
    answer = server.request("dl-lsp/serverStatus")
    assert answer["error"]["code"] == -32600
    server.notify("exit")
    assert server.wait() == 0


def test_change_to_a_document_that_was_never_opened(server: RawServer) -> None:
    server.initialize()
    server.notify(
        "textDocument/didChange",
        {
            "textDocument": {"uri": "file:///tmp/dl_lsp_raw/ghost.py", "version": 2},
            "contentChanges": [{"text": "import torch\n"}],
        },
    )
    server.notify(
        "textDocument/didClose", {"textDocument": {"uri": "file:///tmp/dl_lsp_raw/ghost.py"}}
    )
    still_serving(server)
    logs = server.logs()
    assert any("ghost.py: it was never opened" in line for line in logs)
    assert not any(m.get("method") == "window/showMessage" for m in server.seen)


def test_exit_without_shutdown_exits_with_1(server: RawServer) -> None:
    server.initialize()
    server.notify("exit")
    assert server.wait() == 1


def test_shutdown_then_exit_exits_with_0(server: RawServer) -> None:
    server.initialize()
    still_serving(server)
    assert server.shutdown_and_exit() == 0
    assert b"Traceback" not in server.stderr


def test_closed_stdin_is_a_clean_exit(server: RawServer) -> None:
    server.initialize()
    still_serving(server)
    assert server.process.stdin is not None
    server.process.stdin.close()
    assert server.wait() == 0
    assert b"Traceback" not in server.stderr


def test_cancel_request() -> None:
    raw = RawServer(INSTRUMENTED_SERVER)
    try:
        raw.initialize({"textDocument": {"diagnostic": {}}})  # a pull client
        raw.open(URI, "SLOW_ANALYSIS = 1\n")
        msg_id = raw.request_id("textDocument/diagnostic", {"textDocument": {"uri": URI}})
        raw.notify("$/cancelRequest", {"id": msg_id})
        answer = raw.response(msg_id, timeout=5)
        assert answer["error"]["code"] == -32800  # RequestCancelled
        # The loop stayed free while the slow analysis ran in the worker.
        assert raw.request("dl-lsp/serverStatus", timeout=1)["result"]["documents"] == 1
        final = raw.request("textDocument/diagnostic", {"textDocument": {"uri": URI}})
        assert final["result"]["items"] == []
        assert raw.shutdown_and_exit() == 0
    finally:
        raw.close()
