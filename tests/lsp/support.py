"""What the end-to-end tests share: the server command, a client that records versions, and a
document that follows the edits a client would make."""

from __future__ import annotations

import asyncio
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

HERE = Path(__file__).parent
PROGRAMS = HERE / "programs"
SERVER = [sys.executable, "-m", "dl_lsp.lsp.server"]
# The real server plus a slow extractor and a raising rule, switched on by markers in the text.
INSTRUMENTED_SERVER = [sys.executable, str(HERE / "instrumented_server.py")]
PROFILES = ("visual-studio-code", "neovim", "emacs")
TIMEOUT = 15.0


def record_publish(client: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
    client.diagnostics[params.uri] = params.diagnostics
    client.published.setdefault(params.uri, []).append(params)  # type: ignore[attr-defined]


def record_registration(client: LanguageClient, params: types.RegistrationParams) -> None:
    client.registrations.extend(params.registrations)  # type: ignore[attr-defined]


def make_client() -> LanguageClient:
    """pytest-lsp's client, also keeping every publishDiagnostics with its version, and
    accepting dynamic registrations like a real editor."""
    client = LanguageClient(converter_factory=default_converter)
    features = dict(DEFAULT_CLIENT_FEATURES)
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = record_publish
    features[types.CLIENT_REGISTER_CAPABILITY] = record_registration
    register_lsp_features(client, features)
    client.published = {}  # type: ignore[attr-defined]
    client.registrations = []  # type: ignore[attr-defined]
    return client


def capabilities(profile: str) -> types.ClientCapabilities:
    return client_capabilities(profile)


def uses_pull(caps: types.ClientCapabilities) -> bool:
    return caps.text_document is not None and caps.text_document.diagnostic is not None


def encoding_of(result: types.InitializeResult) -> str:
    kind = result.capabilities.position_encoding
    value = kind.value if isinstance(kind, types.PositionEncodingKind) else kind
    return value or "utf-16"


async def wait_until(predicate: Any, timeout: float = TIMEOUT, what: str = "condition") -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


# -- positions, written independently of the server's own conversion ------------------------


def _units(text: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    if encoding == "utf-16":
        return len(text.encode("utf-16-le")) // 2
    return len(text)


def offset_of(text: str, position: types.Position, encoding: str) -> int:
    lines = text.splitlines(keepends=True)
    if position.line >= len(lines):
        return len(text)
    start = sum(len(line) for line in lines[: position.line])
    line = lines[position.line].rstrip("\r\n")
    column = 0
    while column < len(line) and _units(line[:column], encoding) < position.character:
        column += 1
    return start + column


def position_of(text: str, offset: int, encoding: str) -> types.Position:
    before = text[:offset]
    line = before.count("\n")
    column_text = before[before.rfind("\n") + 1 :]
    return types.Position(line, _units(column_text, encoding))


def text_in(text: str, where: types.Range, encoding: str) -> str:
    return text[offset_of(text, where.start, encoding) : offset_of(text, where.end, encoding)]


def find_position(text: str, needle: str, encoding: str, nth: int = 0) -> types.Position:
    offset = -1
    for _ in range(nth + 1):
        offset = text.index(needle, offset + 1)
    return position_of(text, offset, encoding)


@dataclass
class Session:
    """A client that opened documents, with the capabilities it announced."""

    client: LanguageClient
    profile: str
    caps: types.ClientCapabilities
    encoding: str
    root: Path
    documents: dict[str, OpenDocument] = field(default_factory=dict)

    @property
    def pull(self) -> bool:
        return uses_pull(self.caps)

    def uri(self, name: str) -> str:
        return (self.root / name).as_uri()

    def open(self, name: str, text: str, version: int = 1) -> OpenDocument:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        document = OpenDocument(self, path.as_uri(), text, version)
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                types.TextDocumentItem(
                    uri=document.uri, language_id="python", version=version, text=text
                )
            )
        )
        self.documents[document.uri] = document
        return document


@dataclass
class OpenDocument:
    session: Session
    uri: str
    text: str
    version: int

    @property
    def client(self) -> LanguageClient:
        return self.session.client

    def edit(self, edits: list[types.TextEdit]) -> None:
        """Apply edits here and send them as one incremental didChange, like an editor."""
        encoding = self.session.encoding
        ordered = sorted(
            edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True
        )
        changes: list[types.TextDocumentContentChangeEvent] = []
        for edit in ordered:  # from the end, so earlier ranges stay valid
            start = offset_of(self.text, edit.range.start, encoding)
            end = offset_of(self.text, edit.range.end, encoding)
            changes.append(
                types.TextDocumentContentChangePartial(range=edit.range, text=edit.new_text)
            )
            self.text = self.text[:start] + edit.new_text + self.text[end:]
        self.version += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=self.uri, version=self.version
                ),
                content_changes=changes,
            )
        )

    def replace_all(self, text: str) -> None:
        end = position_of(self.text, len(self.text), self.session.encoding)
        start = types.Position(line=0, character=0)
        self.edit([types.TextEdit(range=types.Range(start=start, end=end), new_text=text)])

    def apply(self, edit: types.WorkspaceEdit) -> None:
        """Apply a server's workspace edit, checking it targets this version of the document."""
        if edit.document_changes is not None:
            edits: list[types.TextEdit] = []
            for change in edit.document_changes:
                assert isinstance(change, types.TextDocumentEdit)
                assert change.text_document.uri == self.uri
                assert change.text_document.version == self.version, "edit for another version"
                edits.extend(e for e in change.edits if isinstance(e, types.TextEdit))
        else:
            assert edit.changes is not None
            edits = list(edit.changes[self.uri])
        self.edit(edits)

    async def diagnostics(self, timeout: float = TIMEOUT) -> list[types.Diagnostic]:
        """The diagnostics of the current version: pulled, or waited for when pushed."""
        if self.session.pull:
            report = await asyncio.wait_for(
                self.client.text_document_diagnostic_async(
                    types.DocumentDiagnosticParams(types.TextDocumentIdentifier(self.uri))
                ),
                timeout,
            )
            assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
            return list(report.items)
        published: dict[str, list[types.PublishDiagnosticsParams]] = self.client.published  # type: ignore[attr-defined]

        def arrived() -> bool:
            return any(p.version == self.version for p in published.get(self.uri, []))

        await wait_until(arrived, timeout, f"diagnostics for {self.uri} v{self.version}")
        latest = [p for p in published[self.uri] if p.version == self.version][-1]
        return list(latest.diagnostics)

    def publish_count(self) -> int:
        return len(self.client.published.get(self.uri, []))  # type: ignore[attr-defined]

    async def republished(self, after: int, timeout: float = TIMEOUT) -> list[types.Diagnostic]:
        """Pushed diagnostics that arrive after the ``after``-th publish (same version)."""
        await wait_until(lambda: self.publish_count() > after, timeout, "a new publish")
        return list(self.client.published[self.uri][-1].diagnostics)  # type: ignore[attr-defined]

    def text_of(self, diagnostic: types.Diagnostic) -> str:
        return text_in(self.text, diagnostic.range, self.session.encoding)

    async def code_actions(
        self,
        diagnostics: list[types.Diagnostic],
        where: types.Range | None = None,
        only: list[str] | None = None,
    ) -> list[types.CodeAction]:
        where = where or (diagnostics[0].range if diagnostics else None)
        assert where is not None
        result = await self.client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(self.uri),
                range=where,
                context=types.CodeActionContext(diagnostics=diagnostics, only=only),
            )
        )
        return [action for action in result or [] if isinstance(action, types.CodeAction)]

    async def hover(self, position: types.Position) -> types.Hover | None:
        return await self.client.text_document_hover_async(
            types.HoverParams(types.TextDocumentIdentifier(self.uri), position)
        )


async def start_session(
    client: LanguageClient,
    profile: str,
    root: Path,
    initialization_options: Any = None,
) -> Session:
    caps = capabilities(profile)
    result = await client.initialize_session(
        types.InitializeParams(
            capabilities=caps,
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(root.as_uri(), root.name)],
            initialization_options=initialization_options,
        )
    )
    return Session(client, profile, caps, encoding_of(result), root)
