"""Code actions: the quick fixes of each diagnostic, "Ignore CODE on this line", and fix-all.

The client's diagnostics are only used to say which findings it means: the document is analysed
again and findings are matched by code and range, so a forged or outdated ``data`` cannot make
the server edit the wrong thing. A request whose diagnostics belong to an older version of the
document gets no actions. Edits carry the document version (``documentChanges``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol

from lsprotocol import types
from pygls.capabilities import get_capability

from dl_lsp.engine import analyze_source
from dl_lsp.facts.span import Span
from dl_lsp.findings import Finding
from dl_lsp.lsp.analysis import DocumentAnalysis
from dl_lsp.lsp.diagnostics import SOURCE
from dl_lsp.lsp.positions import LineIndex

if TYPE_CHECKING:
    from dl_lsp.lsp.server import DlLanguageServer

FIX_ALL_KIND = f"{types.CodeActionKind.SourceFixAll.value}.{SOURCE}"
FIX_ALL_TITLE = "dl-lsp: fix all safe problems"
KINDS = [types.CodeActionKind.QuickFix, FIX_ALL_KIND]

ActionProvider = Callable[
    ["DlLanguageServer", types.CodeActionParams, DocumentAnalysis],
    Awaitable[Sequence[types.CodeAction]],
]
"""An extension's code actions for a document whose analysis is current (``result``)."""

_PROVIDERS: list[tuple[str, ActionProvider]] = []


def add_provider(kind: str, provider: ActionProvider) -> None:
    """Offer ``provider``'s actions (of ``kind``, e.g. ``source.addMissingImports``) with ours.

    Called by the modules of ``dl_lsp.lsp.extensions`` while the server is built."""
    if (kind, provider) not in _PROVIDERS:
        _PROVIDERS.append((kind, provider))


def kinds() -> list[str]:
    """Every code-action kind the server offers, extensions' included (for the capability)."""
    offered = [
        str(kind.value if isinstance(kind, types.CodeActionKind) else kind) for kind in KINDS
    ]
    for kind, _ in _PROVIDERS:
        if kind not in offered:
            offered.append(kind)
    return offered


class EditLike(Protocol):
    """``dl_lsp.fixes.TextEdit``: replace ``span`` with ``new_text``."""

    @property
    def span(self) -> Span: ...
    @property
    def new_text(self) -> str: ...


class ProposalLike(Protocol):
    """``dl_lsp.fixes.FixProposal``."""

    @property
    def title(self) -> str: ...
    @property
    def edits(self) -> Sequence[EditLike]: ...
    @property
    def safe(self) -> bool: ...
    @property
    def preferred(self) -> bool: ...


@dataclass(frozen=True)
class Target:
    """A finding the client asked about, with the client's diagnostic for it (if it sent one)."""

    finding: Finding
    diagnostic: types.Diagnostic | None


def load_fixes() -> ModuleType | None:
    """The quick-fix engine, imported only now (it brings libcst); None when it is missing."""
    try:
        import dl_lsp.fixes as fixes
    except ImportError:
        return None
    return fixes


def client_versions(diagnostics: Sequence[types.Diagnostic]) -> set[int]:
    """The document versions our diagnostics in a request were computed for."""
    versions: set[int] = set()
    for diagnostic in diagnostics:
        data = diagnostic.data
        if diagnostic.source == SOURCE and isinstance(data, dict):
            version = data.get("version")
            if isinstance(version, int):
                versions.add(version)
    return versions


def _overlaps(a: types.Range, b: types.Range) -> bool:
    a_start, a_end = (a.start.line, a.start.character), (a.end.line, a.end.character)
    b_start, b_end = (b.start.line, b.start.character), (b.end.line, b.end.character)
    return a_start <= b_end and b_start <= a_end


def targets(
    findings: Sequence[Finding],
    diagnostics: Sequence[types.Diagnostic],
    requested: types.Range,
    index: LineIndex,
    encoding: str,
) -> list[Target]:
    """The findings a request means: those matching its diagnostics by code and range, or,
    when it sent none of ours, those overlapping the requested range."""
    ranges = [(finding, index.range(finding.span, encoding)) for finding in findings]
    ours = [d for d in diagnostics if d.source in (SOURCE, None) and d.code is not None]
    if not ours:
        return [Target(f, None) for f, where in ranges if _overlaps(where, requested)]
    chosen: list[Target] = []
    for diagnostic in ours:
        same_code = [(f, where) for f, where in ranges if f.code == str(diagnostic.code)]
        exact = [f for f, where in same_code if where == diagnostic.range]
        near = [f for f, where in same_code if _overlaps(where, diagnostic.range)]
        for finding in (exact or near)[:1]:
            if all(target.finding is not finding for target in chosen):
                chosen.append(Target(finding, diagnostic))
    return chosen


def workspace_edit(
    uri: str,
    version: int,
    edits: Sequence[types.TextEdit],
    document_changes: bool,
) -> types.WorkspaceEdit:
    """Edits to one document, versioned where the client supports ``documentChanges``."""
    if document_changes:
        identifier = types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version)
        return types.WorkspaceEdit(
            document_changes=[types.TextDocumentEdit(identifier, list(edits))]
        )
    return types.WorkspaceEdit(changes={uri: list(edits)})


def text_edits(edits: Sequence[EditLike], index: LineIndex, encoding: str) -> list[types.TextEdit]:
    return [
        types.TextEdit(range=index.range(edit.span, encoding), new_text=edit.new_text)
        for edit in edits
    ]


@dataclass(frozen=True)
class Proposals:
    target: Target
    fixes: tuple[ProposalLike, ...]
    ignore: ProposalLike | None


def propose(
    fixes: ModuleType, text: str, chosen: Sequence[Target], log: Callable[[str], None]
) -> list[Proposals]:
    """Ask the fix engine for each finding's fixes (runs in the worker thread)."""
    proposals: list[Proposals] = []
    for target in chosen:
        try:
            found = tuple(fixes.fixes_for(text, target.finding))
            ignore = fixes.ignore_fix(text, target.finding)
        except Exception as error:  # a broken fix must not break the other actions
            log(f"quick fixes for {target.finding.code} failed: {type(error).__name__}: {error}")
            continue
        proposals.append(Proposals(target, found, ignore))
    return proposals


def fix_all_edits(fixes: ModuleType, result: DocumentAnalysis, path: str | None) -> list[EditLike]:
    """One minimal edit applying every safe fix, re-analysing between rounds (worker thread)."""

    def findings_for(text: str) -> Sequence[Finding]:
        return analyze_source(text, path, result.settings).findings

    new_text, _ = fixes.fix_all(result.text, findings_for)
    from dl_lsp.fixes.edits import minimal_edit

    edit = minimal_edit(result.text, new_text)
    return [edit] if edit is not None else []


def has_safe_fix(finding: Finding) -> bool:
    """Whether the finding's fix data (``{"fixes": [{"safe": ...}, ...]}``) has a safe fix."""
    fixes = finding.fix_data.get("fixes") if isinstance(finding.fix_data, dict) else None
    return isinstance(fixes, list) and any(
        isinstance(fix, dict) and fix.get("safe") for fix in fixes
    )


def quick_fix_actions(
    proposals: Sequence[Proposals],
    result: DocumentAnalysis,
    encoding: str,
    document_changes: bool,
) -> list[types.CodeAction]:
    """Each finding's fixes, then its "Ignore CODE on this line", as versioned quick fixes."""
    actions: list[types.CodeAction] = []
    for item in proposals:
        choices = [*item.fixes, *([item.ignore] if item.ignore is not None else [])]
        for fix in choices:
            changes = text_edits(fix.edits, result.index, encoding)
            edit = workspace_edit(result.uri, result.version, changes, document_changes)
            kind = types.CodeActionKind.QuickFix
            actions.append(
                _action(fix.title, kind, edit, item.target.diagnostic, preferred=fix.preferred)
            )
    return actions


def _wants(only: Sequence[str] | None, kind: str) -> bool:
    """Whether a requested ``only`` list admits ``kind`` (kinds are dotted hierarchies)."""
    if not only:
        return True
    return any(kind == wanted or kind.startswith(f"{wanted}.") for wanted in only)


def _action(
    title: str,
    kind: str,
    edit: types.WorkspaceEdit | None,
    diagnostic: types.Diagnostic | None,
    preferred: bool = False,
    data: Any = None,
) -> types.CodeAction:
    return types.CodeAction(
        title=title,
        kind=kind,
        diagnostics=[diagnostic] if diagnostic is not None else None,
        is_preferred=preferred or None,
        edit=edit,
        data=data,
    )


async def on_code_action(
    ls: DlLanguageServer, params: types.CodeActionParams
) -> list[types.CodeAction] | None:
    """textDocument/codeAction."""
    uri = params.text_document.uri
    document = ls.documents.get(uri)
    if document is None:
        return None
    versions = client_versions(params.context.diagnostics)
    if versions and versions != {document.version}:
        ls.log_debug(
            f"code actions: {uri} is at version {document.version}, request was for {versions}"
        )
        return []
    result = await ls.scheduler.current(uri)
    if result is None or result.findings is None:
        return []
    if versions and versions != {result.version}:
        return []  # the document changed while the request waited
    only = [str(kind) for kind in params.context.only or ()]
    actions: list[types.CodeAction] = []
    fixes = load_fixes()
    if fixes is None:
        ls.log_once("dl-lsp: quick fixes are unavailable (dl_lsp.fixes is not installed)")
        return []
    if _wants(only, types.CodeActionKind.QuickFix.value):
        chosen = targets(
            result.findings, params.context.diagnostics, params.range, result.index, ls.encoding
        )
        proposals = await ls.scheduler.run(propose, fixes, result.text, chosen, ls.log_warning)
        actions += quick_fix_actions(proposals, result, ls.encoding, ls.supports_document_changes)
    if _wants(only, FIX_ALL_KIND) and any(map(has_safe_fix, result.findings)):
        action = _action(
            FIX_ALL_TITLE, FIX_ALL_KIND, None, None, data={"uri": uri, "version": result.version}
        )
        if not ls.supports_code_action_resolve:  # the edit now, or never
            action = await _resolve_fix_all(ls, action, fixes)
        if ls.supports_code_action_resolve or action.edit is not None:
            actions.append(action)
    for kind, provider in _PROVIDERS:
        if _wants(only, kind):
            try:
                actions += await provider(ls, params, result)
            except Exception as error:  # one broken provider must not hide the others
                ls.log_error(f"code actions of kind {kind} failed: {type(error).__name__}: {error}")
    return actions


async def on_resolve(ls: DlLanguageServer, action: types.CodeAction) -> types.CodeAction:
    """codeAction/resolve: compute the fix-all edit only when the user picks it."""
    if action.kind != FIX_ALL_KIND or action.edit is not None:
        return action
    fixes = load_fixes()
    return action if fixes is None else await _resolve_fix_all(ls, action, fixes)


async def _resolve_fix_all(
    ls: DlLanguageServer, action: types.CodeAction, fixes: ModuleType
) -> types.CodeAction:
    data = action.data if isinstance(action.data, dict) else {}
    uri, version = data.get("uri"), data.get("version")
    document = ls.documents.get(uri) if isinstance(uri, str) else None
    if document is None or document.version != version:
        return action  # stale: no edit rather than a wrong one
    result = await ls.scheduler.current(document.uri)
    if result is None or result.findings is None or result.version != version:
        return action
    edits = await ls.scheduler.run(fix_all_edits, fixes, result, document.path)
    if edits:
        changes = text_edits(edits, result.index, ls.encoding)
        action.edit = workspace_edit(document.uri, version, changes, ls.supports_document_changes)
    return action


def resolve_supported(capabilities: types.ClientCapabilities) -> bool:
    properties = get_capability(
        capabilities, "text_document.code_action.resolve_support.properties", []
    )
    return "edit" in properties
