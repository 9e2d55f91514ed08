"""One finding as an LSP diagnostic: every field, and only what the client says it supports."""

from __future__ import annotations

from lsprotocol import types

from dl_lsp.facts.span import Span
from dl_lsp.findings import BugType, Finding, Related, Severity
from dl_lsp.lsp.diagnostics import DiagnosticSupport, supports_pull, to_diagnostic
from dl_lsp.lsp.positions import LineIndex

TEXT = "from keras.optimizers import Adam\nopt = Adam(lr=0.1)\nmodel.compile(optimizer=opt)\n"
FINDING = Finding(
    code="LOB",
    name="learning-rate-out-of-bound",
    bug_type=BugType.TRAINING,
    severity=Severity.WARNING,
    span=Span(2, 14, 2, 17),
    message="Learning rate 0.1 is above 0.01 → decrease the learning rate to 0.001",
    fix="Decrease the learning rate → 0.001",
    related=(Related(Span(3, 24, 3, 27), "the optimizer is used here"),),
    fix_data={"fixes": [{"title": "Set the learning rate to 0.001", "safe": False, "edits": []}]},
    tags=("deprecated", "unnecessary"),
)


def test_every_field() -> None:
    diagnostic = to_diagnostic(
        FINDING, "file:///t.py", LineIndex(TEXT), "utf-16", 7, DiagnosticSupport()
    )
    assert diagnostic.range == types.Range(
        start=types.Position(line=1, character=14), end=types.Position(line=1, character=17)
    )
    assert diagnostic.severity == types.DiagnosticSeverity.Warning
    assert diagnostic.code == "LOB" and diagnostic.source == "dl-lsp"
    assert diagnostic.code_description is not None
    assert diagnostic.code_description.href.endswith("/LOB-learning-rate-out-of-bound/")
    assert diagnostic.tags == [types.DiagnosticTag.Deprecated, types.DiagnosticTag.Unnecessary]
    related = diagnostic.related_information
    assert related is not None and related[0].location.uri == "file:///t.py"
    assert related[0].location.range.start == types.Position(line=2, character=24)
    assert diagnostic.data == {
        "code": "LOB",
        "version": 7,
        "span": [2, 14, 2, 17],
        "fix_data": FINDING.fix_data,
    }


def test_fields_the_client_cannot_show_are_left_out() -> None:
    support = DiagnosticSupport(related_information=False, tags=False, code_description=False)
    diagnostic = to_diagnostic(FINDING, "file:///t.py", LineIndex(TEXT), "utf-8", 1, support)
    assert diagnostic.related_information is None
    assert diagnostic.tags is None
    assert diagnostic.code_description is None
    assert diagnostic.data is not None  # always: the quick fix needs it


def test_support_from_capabilities() -> None:
    emacs = types.ClientCapabilities(
        text_document=types.TextDocumentClientCapabilities(
            publish_diagnostics=types.PublishDiagnosticsClientCapabilities(
                related_information=False,
                tag_support=types.ClientDiagnosticsTagOptions(
                    value_set=[types.DiagnosticTag.Unnecessary]
                ),
            )
        )
    )
    support = DiagnosticSupport.of(emacs)
    assert support == DiagnosticSupport(
        related_information=False, tags=True, code_description=False
    )
    assert not supports_pull(emacs)
    assert supports_pull(
        types.ClientCapabilities(
            text_document=types.TextDocumentClientCapabilities(
                diagnostic=types.DiagnosticClientCapabilities()
            )
        )
    )
