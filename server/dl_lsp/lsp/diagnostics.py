"""Findings as LSP diagnostics, pushed (publishDiagnostics) or pulled (textDocument/diagnostic)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.exceptions import JsonRpcInternalError

from dl_lsp.findings import Finding, Severity
from dl_lsp.lsp import workspace
from dl_lsp.lsp.analysis import DocumentAnalysis
from dl_lsp.lsp.positions import LineIndex
from dl_lsp.lsp.published_json import ClientRanges, DiagnosticJson, PublishedJson
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


def _rule_url(finding: Finding, support: DiagnosticSupport) -> str | None:
    rule = load_rules().get(finding.code)
    return rule.url if rule and support.code_description else None


def _client_tags(finding: Finding, support: DiagnosticSupport) -> list[types.DiagnosticTag] | None:
    tags = [_TAGS[tag] for tag in finding.tags if tag in _TAGS]
    return tags if tags and support.tags else None


def _shows_related(finding: Finding, support: DiagnosticSupport) -> bool:
    return bool(finding.related) and support.related_information


def to_diagnostic(
    finding: Finding,
    uri: str,
    index: LineIndex,
    encoding: str,
    version: int | None,
    support: DiagnosticSupport,
) -> types.Diagnostic:
    """One finding as an LSP diagnostic, with the fields the client supports."""
    related = [
        types.DiagnosticRelatedInformation(
            location=types.Location(uri, index.range(item.span, encoding)),
            message=item.message,
        )
        for item in finding.related
    ]
    url = _rule_url(finding, support)
    return types.Diagnostic(
        range=index.range(finding.span, encoding),
        message=finding.message,
        severity=_SEVERITIES[finding.severity],
        code=finding.code,
        code_description=types.CodeDescription(href=url) if url is not None else None,
        source=SOURCE,
        tags=_client_tags(finding, support),
        related_information=related if _shows_related(finding, support) else None,
        data=diagnostic_data(finding, version),
    )


def diagnostic_json(
    finding: Finding,
    uri: str,
    ranges: ClientRanges,
    fix_data_json: str,
    support: DiagnosticSupport,
    dumps: Callable[[Any], str],
) -> DiagnosticJson:
    """``to_diagnostic``'s diagnostic as the JSON text pygls sends (its fields in the same order,
    ``dumps`` for the values), in two parts around the version in its data. ``ranges``: the
    client ranges of the finding's span and of its related spans."""

    def range_json(where: tuple[int, int, int, int]) -> str:
        start_line, start_character, end_line, end_character = where
        return (
            f'{{"start": {{"line": {start_line}, "character": {start_character}}}, '
            f'"end": {{"line": {end_line}, "character": {end_character}}}}}'
        )

    fields = [
        f'"range": {range_json(ranges[0])}',
        f'"message": {dumps(finding.message)}',
        f'"severity": {_SEVERITIES[finding.severity].value}',
        f'"code": {dumps(finding.code)}',
    ]
    if (url := _rule_url(finding, support)) is not None:
        fields.append(f'"codeDescription": {{"href": {dumps(url)}}}')
    fields.append(f'"source": {dumps(SOURCE)}')
    if (tags := _client_tags(finding, support)) is not None:
        fields.append(f'"tags": [{", ".join(str(tag.value) for tag in tags)}]')
    if _shows_related(finding, support):
        related = ", ".join(
            f'{{"location": {{"uri": {dumps(uri)}, "range": {range_json(where)}}}, '
            f'"message": {dumps(item.message)}}}'
            for item, where in zip(finding.related, ranges[1:], strict=True)
        )
        fields.append(f'"relatedInformation": [{related}]')
    # The layout of diagnostic_data, with the version left out.
    fields.append(f'"data": {{"code": {dumps(finding.code)}, "version": ')
    span = finding.span
    return DiagnosticJson(
        before_version="{" + ", ".join(fields),
        after_version=(
            f', "span": [{span.line}, {span.column}, {span.end_line}, {span.end_column}], '
            f'"fix_data": {fix_data_json}}}}}'
        ),
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


def diagnostics_message(
    published: PublishedJson,
    uri: str,
    version: int | None,
    findings: Sequence[Finding],
    index: LineIndex,
    encoding: str,
    support: DiagnosticSupport,
    dumps: Callable[[Any], str],
) -> str:
    """The publishDiagnostics of ``findings`` as the JSON text pygls would write from
    ``to_diagnostic``'s diagnostics, re-using the texts of the document's last version."""

    def write(finding: Finding, ranges: ClientRanges, fix_data_json: str) -> DiagnosticJson:
        return diagnostic_json(finding, uri, ranges, fix_data_json, support, dumps)

    return published.message(
        uri, version, findings, index, encoding, style=support, write=write, dumps=dumps
    )


def publish(ls: DlLanguageServer, result: DocumentAnalysis) -> None:
    """Push the diagnostics of a fresh analysis (push clients only)."""
    if ls.pull_diagnostics:
        return
    try:
        message = diagnostics_message(
            ls.published_json,
            result.uri,
            result.version,
            all_findings(result),
            result.index,
            ls.encoding,
            ls.diagnostic_support,
            ls.protocol.to_json,
        )
    except Exception as error:  # fix data that is not JSON: as pygls, report and send nothing
        ls.report_server_error(error, JsonRpcInternalError)
        return
    ls.protocol.send_json_text(message)


def clear(ls: DlLanguageServer, uri: str) -> None:
    """Remove a closed document's diagnostics from the client (push clients only)."""
    ls.published_json.forget(uri)
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
