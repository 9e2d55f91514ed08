"""The server under load and under misbehaving clients (short; ``bench/server_load.py`` runs the
full 500 documents and 10,000 edits): every request answered, every document's last version
diagnosed, memory bounded, and a clean exit however the client goes away."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

import pytest
from tests.lsp.load import (
    HOVER,
    PROGRAM,
    client_that_never_reads,
    disconnect_mid_request,
    edit,
    start,
    storm,
    uri_of,
)
from tests.lsp.rpc import RawServer

from dl_lsp.lsp import transport
from dl_lsp.lsp.transport import ClientOutput


@pytest.fixture
def server() -> Iterator[RawServer]:
    raw = RawServer()
    yield raw
    raw.close()


def test_a_storm_of_edits_with_hovers_and_code_actions(server: RawServer) -> None:
    report = storm(server, documents=40, edits=600, requests_every=6)
    assert report.answered == report.requests == 200
    assert report.errors == []
    if report.rss_after_open_mb is not None and report.rss_after_edits_mb is not None:
        # Old versions and their analyses are dropped: 600 edits add no 600 copies.
        assert report.rss_after_edits_mb < report.rss_after_open_mb + 60
    assert server.shutdown_and_exit() == 0
    assert b"Traceback" not in server.stderr


def test_notifications_leave_nothing_behind_once_handled(server: RawServer) -> None:
    # pygls 2 kept a future per didChange for ever: memory grew with every edit (server_load).
    start(server)
    uri = uri_of(0)
    server.open(uri, PROGRAM)
    hovers = []
    for version in range(2, 302):
        change = {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [edit(version)],
        }
        server.notify("textDocument/didChange", change)
        if version % 50 == 0:
            where = {"textDocument": {"uri": uri}, "position": HOVER}
            hovers.append(server.request_id("textDocument/hover", where))
    for msg_id in hovers:
        assert "error" not in server.response(msg_id, timeout=120)
    server.diagnostics(uri, 301, timeout=120)
    server.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    status = server.request("dl-lsp/serverStatus", timeout=60)["result"]
    assert status["documents"] == 0
    assert status["pendingHandlers"] == 0


def test_a_client_that_disconnects_mid_request_gets_a_clean_exit() -> None:
    assert disconnect_mid_request(documents=10, requests=100) == 0


def test_a_client_that_never_reads_neither_grows_the_server_nor_keeps_it_alive(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    report = client_that_never_reads(documents=60, requests=1000)
    if report.rss_before_mb is not None and report.rss_after_mb is not None:
        assert report.rss_after_mb < report.rss_before_mb + 100
    assert report.exit_code == 0


def test_output_is_given_up_when_the_client_closed_the_input_and_does_not_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(transport, "GRACE_SECONDS", 0.4)
    output_read, output_write = os.pipe()
    input_read, input_write = os.pipe()
    os.close(input_write)  # the client hung up the server's input
    output = ClientOutput(output_write, input_read)
    try:
        with pytest.raises(BrokenPipeError):
            output.write(b"x" * (1 << 20))  # more than the pipe holds, and nobody reads
        with pytest.raises(BrokenPipeError):
            output.write(b"more")  # lost for good: no second wait
    finally:
        output.close()
        os.close(output_read)
        os.close(input_read)


def test_output_larger_than_the_pipe_arrives_whole_while_the_client_reads() -> None:
    output_read, output_write = os.pipe()
    input_read, input_write = os.pipe()
    data = bytes(range(256)) * 4096  # 1 MiB
    received = bytearray()

    def read_all() -> None:
        while chunk := os.read(output_read, 1 << 16):
            received.extend(chunk)

    reader = threading.Thread(target=read_all)
    reader.start()
    output = ClientOutput(output_write, input_read)
    assert output.write(data) == len(data)
    output.close()
    reader.join(30)
    assert bytes(received) == data
    for descriptor in (output_read, input_read, input_write):
        os.close(descriptor)


def test_a_client_that_closed_its_output_end_loses_the_output_at_once() -> None:
    output_read, output_write = os.pipe()
    os.close(output_read)
    output = ClientOutput(output_write, None)
    with pytest.raises(BrokenPipeError):
        output.write(b"hello")
    output.close()
