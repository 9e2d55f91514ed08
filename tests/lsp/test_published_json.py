"""Pushed diagnostics written as JSON text: the very message pygls would send, version after
version, while the texts of unchanged findings are re-used."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pygls.protocol import JsonRPCProtocol
from tests.lsp.rpc import RawServer
from tests.lsp.support import position_of
from tests.lsp.test_diagnostic_fields import FINDING, TEXT

from dl_lsp.engine import analyze_source
from dl_lsp.facts.span import Span
from dl_lsp.findings import BugType, Finding, Related, Severity
from dl_lsp.lsp.diagnostics import DiagnosticSupport, diagnostics_message, to_diagnostic
from dl_lsp.lsp.positions import LineIndex
from dl_lsp.lsp.published_json import PublishedJson
from dl_lsp.lsp.server import create_server
from dl_lsp.text_diff import common_ends

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))
URI = "file:///tmp/published/train.py"
ALL_FIELDS = DiagnosticSupport()
NO_EXTRAS = DiagnosticSupport(related_information=False, tags=False, code_description=False)
PROTOCOL = create_server().protocol


def pygls_message(
    findings: Sequence[Finding], text: str, encoding: str, support: DiagnosticSupport, version: int
) -> str:
    """What pygls sends for to_diagnostic's diagnostics (its _send_data's serialisation)."""
    index = LineIndex(text)
    items = [to_diagnostic(f, URI, index, encoding, version, support) for f in findings]
    params = types.PublishDiagnosticsParams(uri=URI, diagnostics=items, version=version)
    notification = types.PublishDiagnosticsNotification(params=params)
    return json.dumps(notification, default=PROTOCOL._serialize_message)


def message(
    published: PublishedJson,
    findings: Sequence[Finding],
    text: str,
    encoding: str = "utf-16",
    support: DiagnosticSupport = ALL_FIELDS,
    version: int = 1,
) -> str:
    index = LineIndex(text)
    return diagnostics_message(
        published, URI, version, findings, index, encoding, support, PROTOCOL.to_json
    )


def findings_of(text: str) -> tuple[Finding, ...]:
    return analyze_source(text, "/tmp/published/train.py").findings


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-32"])
@pytest.mark.parametrize("support", [ALL_FIELDS, NO_EXTRAS], ids=["all-fields", "no-extras"])
@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_the_message_is_what_pygls_would_send(
    path: Path, encoding: str, support: DiagnosticSupport
) -> None:
    # Non-ASCII text before the findings on their lines: the columns differ per encoding.
    text = path.read_text(encoding="utf-8").replace("model", "modèle_🚀")
    findings = findings_of(text)
    assert findings
    expected = pygls_message(findings, text, encoding, support, 3)
    assert message(PublishedJson(), findings, text, encoding, support, 3) == expected


def test_a_message_with_every_field_and_without_findings() -> None:
    text = TEXT.replace("opt = ", 'note = "é🚀"; opt = ')
    finding = replace(
        FINDING,
        span=Span(2, 28, 2, 31),
        message='Learning rate 0.1 is "high" → try 0.001',
        related=(*FINDING.related, Related(Span(9, 0, 9, 1), "past the end")),
        fix_data={"fixes": [{"title": "0.001", "safe": False, "value": 1e-3, "n": None}]},
    )
    for findings in ((finding,), ()):
        assert message(PublishedJson(), findings, text) == pygls_message(
            findings, text, "utf-16", ALL_FIELDS, 1
        )


class CountingWrites(PublishedJson):
    """Counts the diagnostics written afresh rather than re-used."""

    def __init__(self) -> None:
        super().__init__()
        self.written = 0

    def message(self, *args: Any, write: Any, **kwargs: Any) -> str:
        def counted(*write_args: Any) -> Any:
            self.written += 1
            return write(*write_args)

        return super().message(*args, write=counted, **kwargs)


CIFAR = (ROOT / "examples" / "cifar10_cnn_high_lr.py").read_text(encoding="utf-8")
LOB_LINE = "optimizer = keras.optimizers.SGD(learning_rate=0.5, momentum=0.9)"


def edits_of_the_cifar_program() -> list[str]:
    """Versions of a program: untouched, a line inserted above every finding, non-ASCII typed
    before a finding on its line, then one character swapped for another that is one code point
    but two UTF-16 units (the finding's span stays, its client range does not)."""
    moved = "# a comment above everything\n" + CIFAR
    accented = moved.replace(LOB_LINE, 'note = "é"; ' + LOB_LINE)
    rocket = accented.replace('note = "é"', 'note = "🚀"')
    return [CIFAR, moved, accented, rocket, rocket]


def test_after_each_edit_the_message_is_that_of_a_fresh_document() -> None:
    published = CountingWrites()
    versions = edits_of_the_cifar_program()
    for version, text in enumerate(versions, start=1):
        findings = findings_of(text)
        expected = pygls_message(findings, text, "utf-16", ALL_FIELDS, version)
        assert message(published, findings, text, version=version) == expected
        assert message(PublishedJson(), findings, text, version=version) == expected
    # The same text again: every diagnostic re-used, only the version is new.
    written = published.written
    message(published, findings_of(versions[-1]), versions[-1], version=9)
    assert published.written == written


def test_only_the_diagnostics_an_edit_changed_are_written_again() -> None:
    published = CountingWrites()
    findings = findings_of(CIFAR)
    message(published, findings, CIFAR)
    assert published.written == len(findings)
    accented = CIFAR.replace(LOB_LINE, 'note = "é"; ' + LOB_LINE)
    message(published, findings_of(accented), accented, version=2)
    assert published.written == len(findings) + 1  # the learning rate's finding only


def test_a_finding_whose_fix_data_alone_changed_is_written_again() -> None:
    # Findings compare without their fix data, and 1 == True == 1.0 print differently.
    text = "x = 1\n"
    base = Finding("LOB", "lob", BugType.TRAINING, Severity.WARNING, Span(1, 4, 1, 5), "m")
    published = PublishedJson()
    for version, value in enumerate([1, True, 1.0, 2, {"nested": [1]}], start=1):
        finding = replace(base, fix_data={"value": value})
        got = message(published, [finding], text, version=version)
        assert got == pygls_message([finding], text, "utf-16", ALL_FIELDS, version)
        assert json.loads(got)["params"]["diagnostics"][0]["data"]["fix_data"] == {"value": value}


def test_texts_of_another_encoding_or_support_and_of_a_closed_document_are_not_reused() -> None:
    program = CIFAR.replace(LOB_LINE, 'note = "🚀"; ' + LOB_LINE)
    findings = findings_of(program)
    published = CountingWrites()
    message(published, findings, program, "utf-16")
    for encoding, support in [("utf-8", ALL_FIELDS), ("utf-8", NO_EXTRAS)]:
        got = message(published, findings, program, encoding, support)
        assert got == pygls_message(findings, program, encoding, support, 1)
    assert published.written == 3 * len(findings)
    published.forget(URI)
    message(published, findings, program, "utf-8", NO_EXTRAS)
    assert published.written == 4 * len(findings)


class RecordingWriter:
    def __init__(self) -> None:
        self.sent = b""

    def write(self, data: bytes) -> None:
        self.sent += data

    def close(self) -> None:
        return None


def test_a_message_sent_as_json_text_is_framed_as_pygls_frames_it() -> None:
    protocol = create_server().protocol
    writer = RecordingWriter()
    protocol.set_writer(writer)
    notification = types.PublishDiagnosticsNotification(
        params=types.PublishDiagnosticsParams(uri="file:///é.py", diagnostics=[], version=4)
    )
    JsonRPCProtocol._send_data(protocol, notification)  # pygls' own
    by_pygls, writer.sent = writer.sent, b""
    protocol.send_json_text(protocol.to_json(notification))
    assert writer.sent == by_pygls
    protocol.notify(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, notification.params)
    assert writer.sent == by_pygls * 2


def change_from(old: str, new: str) -> dict[str, Any]:
    """The one incremental change (UTF-16 positions) that turns ``old`` into ``new``."""
    prefix, suffix = common_ends(old, new)
    start = position_of(old, prefix, "utf-16")
    end = position_of(old, len(old) - suffix, "utf-16")
    return {
        "range": {
            "start": {"line": start.line, "character": start.character},
            "end": {"line": end.line, "character": end.character},
        },
        "text": new[prefix : len(new) - suffix],
    }


def test_after_incremental_edits_a_server_publishes_what_a_fresh_one_does() -> None:
    edited, fresh = RawServer(), RawServer()
    try:
        edited.initialize()
        fresh.initialize()
        versions = edits_of_the_cifar_program()
        edited.open(URI, versions[0])
        for version, text in enumerate(versions, start=1):
            if version > 1:
                edited.notify(
                    "textDocument/didChange",
                    {
                        "textDocument": {"uri": URI, "version": version},
                        "contentChanges": [change_from(versions[version - 2], text)],
                    },
                )
            fresh.open(URI, text, version)
            expected = fresh.diagnostics(URI, version)
            fresh.notify("textDocument/didClose", {"textDocument": {"uri": URI}})
            assert expected and edited.diagnostics(URI, version) == expected
    finally:
        edited.close()
        fresh.close()
