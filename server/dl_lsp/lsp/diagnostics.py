"""Findings as LSP diagnostics, pushed (publishDiagnostics) or pulled (textDocument/diagnostic)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.capabilities import get_capability

from dl_lsp.findings import Finding, Severity
from dl_lsp.lsp import workspace
from dl_lsp.lsp.analysis import DocumentAnalysis
from dl_lsp.lsp.positions import LineIndex
from dl_lsp.ruleset import load_rules

if TYPE_CHECKING:
    from dl_lsp.lsp.server import DlLanguageServer

SOURCE = "dl-lsp"
OPTIONS = types.DiagnosticOptions(
    identifier=SOURCE, inter_file_dependencies=False, workspace_diagnostics=True
)

_SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFORMATION: types.DiagnosticSeverity.Information,
    Severity.HINT: types.DiagnosticSeverity.Hint,
}
_TAGS = {
    "deprecated": types.DiagnosticTag.Deprecated,
    "unnecessary": types.DiagnosticTag.Unnecessary,
}

# Findings other features attach to a document (the probe's PRB7xx), merged with those of the
# analysis: (uri, the document's current text) → findings on that text.
ExtraFindings = Callable[[str, str], Sequence[Finding]]
_extra_sources: list[ExtraFindings] = []
_extra_stamp = [0]


def add_findings_source(source: ExtraFindings) -> None:
    """Merge ``source``'s findings into every document's diagnostics."""
    _extra_sources.append(source)


def extra_findings_changed() -> None:
    """A source has new findings: pulled results get new ids (call ``republish`` to push)."""
    _extra_stamp[0] += 1


def result_id(result: DocumentAnalysis) -> str:
    return f"{result.result_id}.{_extra_stamp[0]}" if _extra_stamp[0] else result.result_id


def all_findings(result: DocumentAnalysis) -> Sequence[Finding]:
    if result.findings is None:
        return ()
    extra = [finding for source in _extra_sources for finding in source(result.uri, result.text)]
    return [*result.findings, *extra] if extra else result.findings


def republish(ls: DlLanguageServer, uri: str) -> None:
    """Send a document's diagnostics again (push), or ask a pull client to refresh."""
    if ls.pull_diagnostics:
        if ls.supports_diagnostic_refresh:
            ls.workspace_diagnostic_refresh(None)
        return
    result = ls.scheduler.cached(uri)
    if result is not None and ls.documents.generation_of(uri) == result.generation:
        publish(ls, result)
    else:
        ls.request_analysis(uri, immediate=True)


@dataclass(frozen=True)
class DiagnosticSupport:
    """The optional diagnostic fields this client says it understands."""

    related_information: bool = True
    tags: bool = True
    code_description: bool = True

    @classmethod
    def of(cls, capabilities: types.ClientCapabilities) -> DiagnosticSupport:
        """What the client declares for pushed diagnostics or (LSP 3.18) for pulled ones."""

        def supported(name: str) -> bool:
            return any(
                get_capability(capabilities, f"{base}.{name}", None)
                for base in ("text_document.publish_diagnostics", "text_document.diagnostic")
            )

        return cls(
            related_information=supported("related_information"),
            tags=supported("tag_support"),
            code_description=supported("code_description_support"),
        )


def supports_pull(capabilities: types.ClientCapabilities) -> bool:
    """Whether the client pulls diagnostics (then the server must not push them)."""
    return get_capability(capabilities, "text_document.diagnostic", None) is not None


def diagnostic_data(finding: Finding, version: int | None) -> dict[str, Any]:
    """What a quick fix needs back from the client: the finding's code, fix data and version."""
    span = finding.span
    return {
        "code": finding.code,
        "version": version,
        "span": [span.line, span.column, span.end_line, span.end_column],
        "fix_data": finding.fix_data,
    }


def to_diagnostic(
    finding: Finding,
    uri: str,
    index: LineIndex,
    encoding: str,
    version: int | None,
    support: DiagnosticSupport,
) -> types.Diagnostic:
    """One finding as an LSP diagnostic, with the fields the client supports."""
    rule = load_rules().get(finding.code)
    related = [
        types.DiagnosticRelatedInformation(
            location=types.Location(uri, index.range(item.span, encoding)),
            message=item.message,
        )
        for item in finding.related
    ]
    tags = [_TAGS[tag] for tag in finding.tags if tag in _TAGS]
    return types.Diagnostic(
        range=index.range(finding.span, encoding),
        message=finding.message,
        severity=_SEVERITIES[finding.severity],
        code=finding.code,
        code_description=(
            types.CodeDescription(href=rule.url) if rule and support.code_description else None
        ),
        source=SOURCE,
        tags=tags if tags and support.tags else None,
        related_information=related if related and support.related_information else None,
        data=diagnostic_data(finding, version),
    )


def diagnostics_for(
    result: DocumentAnalysis, encoding: str, support: DiagnosticSupport
) -> list[types.Diagnostic]:
    """Every finding of an analysis as diagnostics (none when the document was skipped)."""
    findings = all_findings(result)
    return [
        to_diagnostic(finding, result.uri, result.index, encoding, result.version, support)
        for finding in findings
    ]


def publish(ls: DlLanguageServer, result: DocumentAnalysis) -> None:
    """Push the diagnostics of a fresh analysis (push clients only)."""
    if ls.pull_diagnostics:
        return
    items = diagnostics_for(result, ls.encoding, ls.diagnostic_support)
    ls.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(uri=result.uri, diagnostics=items, version=result.version)
    )


def clear(ls: DlLanguageServer, uri: str) -> None:
    """Remove a closed document's diagnostics from the client (push clients only)."""
    if not ls.pull_diagnostics:
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )


async def on_document_diagnostic(
    ls: DlLanguageServer, params: types.DocumentDiagnosticParams
) -> types.DocumentDiagnosticReport:
    """textDocument/diagnostic: the current text's diagnostics, or "unchanged"."""
    result = await ls.scheduler.current(params.text_document.uri)
    if result is None:  # not open: nothing to say about it
        return types.RelatedFullDocumentDiagnosticReport(items=[])
    if params.previous_result_id == result_id(result):
        return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id(result))
    items = diagnostics_for(result, ls.encoding, ls.diagnostic_support)
    return types.RelatedFullDocumentDiagnosticReport(items=items, result_id=result_id(result))


async def on_workspace_diagnostic(
    ls: DlLanguageServer, params: types.WorkspaceDiagnosticParams
) -> types.WorkspaceDiagnosticReport:
    """workspace/diagnostic: every open document, then the workspace's closed Python files."""
    previous = {item.uri: item.value for item in params.previous_result_ids}
    reports: list[types.WorkspaceDocumentDiagnosticReport] = []
    for document in ls.documents:
        result = await ls.scheduler.current(document.uri)
        if result is not None:
            items = diagnostics_for(result, ls.encoding, ls.diagnostic_support)
            reports.append(
                _workspace_report(result.uri, result.version, result_id(result), items, previous)
            )

    def convert(findings: Sequence[Finding], uri: str, index: LineIndex) -> list[types.Diagnostic]:
        return [
            to_diagnostic(finding, uri, index, ls.encoding, None, ls.diagnostic_support)
            for finding in findings
        ]

    for found in await workspace.closed_file_diagnostics(ls, convert):
        uri, items = found.path.as_uri(), list(found.diagnostics)
        reports.append(_workspace_report(uri, None, found.result_id, items, previous))
    return types.WorkspaceDiagnosticReport(items=reports)


def _workspace_report(
    uri: str,
    version: int | None,
    result_id: str,
    items: list[types.Diagnostic],
    previous: dict[str, str],
) -> types.WorkspaceDocumentDiagnosticReport:
    if previous.get(uri) == result_id:
        return types.WorkspaceUnchangedDocumentDiagnosticReport(
            uri=uri, version=version, result_id=result_id
        )
    return types.WorkspaceFullDocumentDiagnosticReport(
        uri=uri, version=version, items=items, result_id=result_id
    )
