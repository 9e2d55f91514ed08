"""Document sync under stress: edit storms, out-of-order versions, huge documents, rules and
engines that raise. The server logs, keeps serving, and never publishes a stale version."""

from __future__ import annotations

import time

from tests.lsp.rpc import RawServer
from tests.lsp.support import INSTRUMENTED_SERVER, PROGRAMS

URI = "file:///tmp/dl_lsp_sync/train.py"
KERAS = (PROGRAMS / "keras_binary_classifier.py").read_text(encoding="utf-8")


def change(server: RawServer, version: int, text: str, uri: str = URI) -> None:
    server.notify(
        "textDocument/didChange",
        {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]},
    )


def insert(server: RawServer, version: int, line: int, text: str, uri: str = URI) -> None:
    where = {"line": line, "character": 0}
    server.notify(
        "textDocument/didChange",
        {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": where, "end": where}, "text": text}],
        },
    )


def published(server: RawServer) -> list[dict]:
    server.logs()  # drain
    return [
        m["params"] for m in server.seen if m.get("method") == "textDocument/publishDiagnostics"
    ]


def test_a_storm_of_1000_changes_in_one_second_ends_with_the_newest_version() -> None:
    server = RawServer()
    try:
        server.initialize()
        server.open(URI, KERAS)
        server.diagnostics(URI, 1)
        started = time.monotonic()
        for version in range(2, 1002):
            insert(server, version, 0, f"# edit {version}\n")
        # The server keeps reading while it analyses: a server that analysed each change
        # before reading the next would need ~1000 analyses here (tens of seconds). The bound
        # is loose on purpose: this is not a speed test (bench/server_latency.py measures).
        assert time.monotonic() - started < 10
        final = server.diagnostics(URI, 1001)
        lob = [d for d in final if d["code"] == "LOB"]
        assert lob and lob[0]["range"]["start"]["line"] == 1000 + 15  # 1000 lines inserted above
        # Debounced: far fewer analyses than edits, and never one for an older version after
        # a newer one.
        versions = [p["version"] for p in published(server) if p["uri"] == URI]
        assert len(versions) < 100
        assert versions == sorted(versions)
        assert server.request("dl-lsp/serverStatus", timeout=2)["result"]["documents"] == 1
    finally:
        server.close()


def test_an_out_of_order_version_is_applied_and_logged() -> None:
    server = RawServer()
    try:
        server.initialize()
        server.open(URI, KERAS, version=5)
        server.diagnostics(URI, 5)
        change(server, 3, "import torch\nx = (\n")  # version goes backwards: the text still wins
        diagnostics = server.diagnostics(URI, 3)
        assert [d["code"] for d in diagnostics] == ["SNP001"]
        assert any("has version 3 after 5" in line for line in server.logs())
    finally:
        server.close()


def test_a_5_mb_document_is_not_analysed_and_the_rest_keeps_working() -> None:
    server = RawServer()
    try:
        server.initialize()
        huge = "x = 1\n" * 900_000  # 5.4 MB
        started = time.monotonic()
        server.open("file:///tmp/dl_lsp_sync/huge.py", huge)
        assert server.diagnostics("file:///tmp/dl_lsp_sync/huge.py", 1) == []
        server.open(URI, KERAS)
        assert {"LLM", "LOB", "IBS"} <= {d["code"] for d in server.diagnostics(URI, 1)}
        assert time.monotonic() - started < 10
        assert any("max-file-size" in line for line in server.logs())
        assert server.shutdown_and_exit() == 0
    finally:
        server.close()


def test_a_rule_that_raises_is_logged_and_the_other_rules_still_report() -> None:
    server = RawServer(INSTRUMENTED_SERVER)
    try:
        server.initialize()
        server.open(URI, KERAS + "EXPLODING_RULE = True\n")
        codes = {d["code"] for d in server.diagnostics(URI, 1)}
        assert {"LLM", "IBS"} <= codes and "LOB" not in codes
        assert any("rule LOB raised" in line for line in server.logs())
        change(server, 2, KERAS)  # the same document without the trigger: LOB is back
        assert "LOB" in {d["code"] for d in server.diagnostics(URI, 2)}
    finally:
        server.close()


def test_an_engine_crash_is_logged_and_the_server_keeps_serving() -> None:
    server = RawServer(INSTRUMENTED_SERVER)
    try:
        server.initialize()
        server.open("file:///tmp/dl_lsp_sync/crash.py", "ENGINE_CRASH = 1\n")
        server.open(URI, KERAS)
        assert "LLM" in {d["code"] for d in server.diagnostics(URI, 1)}
        assert any("failed: MemoryError" in line for line in server.logs())
        assert server.shutdown_and_exit() == 0
    finally:
        server.close()


def test_output_printed_by_a_rule_does_not_corrupt_the_protocol() -> None:
    server = RawServer(INSTRUMENTED_SERVER)
    try:
        server.initialize()
        server.open(URI, KERAS + "PRINTS_TO_STDOUT = 1\n")
        assert "LLM" in {d["code"] for d in server.diagnostics(URI, 1)}
        assert server.shutdown_and_exit() == 0
        assert b"debugging output from a rule" in server.stderr
    finally:
        server.close()
