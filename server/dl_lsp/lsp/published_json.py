"""publishDiagnostics messages as JSON text, re-using what the document's last version published.

pygls writes a message by building lsprotocol objects, unstructuring them with cattrs and
json.dumps-ing the result: about 40 µs a diagnostic, 60 ms for the 1,500 diagnostics of a
20,000-line program, on every keystroke. Most findings come back unchanged after an edit, so
the JSON text of each diagnostic is kept per document, keyed by the finding and its ranges in the
client's units (worked out again for every version: a line inserted above a finding moves it),
and a message is joined from those texts; only the document version inside each diagnostic's
``data`` is filled in every time. Only the texts of the last version are kept.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from dl_lsp.findings import Finding
from dl_lsp.lsp.positions import LineIndex

# The client ranges of a finding's span, then of its related spans: (start line, start
# character, end line, end character), in the client's position encoding.
ClientRanges = tuple[tuple[int, int, int, int], ...]


@dataclass(frozen=True)
class DiagnosticJson:
    """A diagnostic's JSON text, in two parts around the document version inside its data."""

    before_version: str
    after_version: str


# Writes a finding's diagnostic with these ranges and this JSON of its fix data
# (diagnostics.diagnostic_json).
WriteDiagnostic = Callable[[Finding, ClientRanges, str], DiagnosticJson]

# The finding, its ranges and the JSON of its fix data (which findings do not compare).
_Key = tuple[Finding, ClientRanges, str]


def client_ranges(finding: Finding, index: LineIndex, encoding: str) -> ClientRanges:
    """Where a finding and its related spans are, in the client's units."""
    where = index.client_range(finding.span, encoding)
    if not finding.related:  # most findings: no generator to run
        return (where,)
    return (where, *(index.client_range(item.span, encoding) for item in finding.related))


def publish_json(uri: str, version: int | None, diagnostics: Sequence[str]) -> str:
    """The publishDiagnostics notification, as pygls writes one, around diagnostics' JSON."""
    version_field = "" if version is None else f', "version": {version}'
    return (
        f'{{"params": {{"uri": {json.dumps(uri)}, "diagnostics": [{", ".join(diagnostics)}]'
        f'{version_field}}}, "method": "textDocument/publishDiagnostics", "jsonrpc": "2.0"}}'
    )


class PublishedJson:
    """The diagnostic texts of every open document's last published version."""

    def __init__(self) -> None:
        # uri → (the encoding and style they were written in, their texts)
        self._kept: dict[str, tuple[tuple[str, Hashable], dict[_Key, DiagnosticJson]]] = {}

    def message(
        self,
        uri: str,
        version: int | None,
        findings: Sequence[Finding],
        index: LineIndex,
        encoding: str,
        *,
        style: Hashable,
        write: WriteDiagnostic,
        dumps: Callable[[Any], str],
    ) -> str:
        """The publishDiagnostics of ``findings`` on ``index``'s text, as JSON text.

        ``style``: whatever else ``write`` depends on (the fields the client supports); texts
        written for another encoding or style are not re-used. ``dumps``: a value as JSON text,
        the way the message's writer would write it (for fix data)."""
        previous_style, previous = self._kept.get(uri, (None, {}))
        if previous_style != (encoding, style):
            previous = {}
        current: dict[_Key, DiagnosticJson] = {}
        version_json = json.dumps(version)
        texts = []
        for finding in findings:
            key = (finding, client_ranges(finding, index, encoding), dumps(finding.fix_data))
            text = previous.get(key) or write(*key)
            current[key] = text
            texts.append(text.before_version + version_json + text.after_version)
        self._kept[uri] = ((encoding, style), current)
        return publish_json(uri, version, texts)

    def forget(self, uri: str) -> None:
        """The document was closed."""
        self._kept.pop(uri, None)
