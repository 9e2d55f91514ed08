"""The open documents: text, client version, and a generation that orders every accepted change."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from lsprotocol import types
from pygls.uris import to_fs_path

from dl_lsp.lsp.positions import LineIndex

PYTHON_SUFFIXES = (".py", ".pyi")


@dataclass
class Document:
    """One open document. ``generation`` grows with every change, in the order they arrive."""

    uri: str
    # The text with its line starts. Replaced, never changed, by each change: the analysis
    # worker converts positions with the index of the text it analyses.
    index: LineIndex
    version: int
    language_id: str
    generation: int

    @property
    def text(self) -> str:
        return self.index.text

    @property
    def path(self) -> str | None:
        return to_fs_path(self.uri)

    @property
    def is_python(self) -> bool:
        return self.language_id == "python" or self.uri.endswith(PYTHON_SUFFIXES)


def apply_changes(
    index: LineIndex,
    changes: Sequence[types.TextDocumentContentChangeEvent],
    encoding: str,
) -> LineIndex:
    """Apply LSP content changes in order; each range refers to the text after the previous one.

    Each change updates the line starts around the edit instead of finding them all again."""
    for change in changes:
        if isinstance(change, types.TextDocumentContentChangePartial):
            start = index.offset(change.range.start, encoding)
            end = max(start, index.offset(change.range.end, encoding))
            index = index.replaced(start, end, change.text)
        else:
            index = LineIndex(change.text)
    return index


class DocumentStore:
    """The documents the client has opened and not yet closed."""

    def __init__(self) -> None:
        self._documents: dict[str, Document] = {}
        self._generations = itertools.count(1)

    def open(self, uri: str, text: str, version: int, language_id: str) -> Document:
        document = Document(uri, LineIndex(text), version, language_id, next(self._generations))
        self._documents[uri] = document
        return document

    def change(
        self,
        uri: str,
        version: int,
        changes: Sequence[types.TextDocumentContentChangeEvent],
        encoding: str,
    ) -> Document | None:
        """Apply a didChange; None when the document was never opened."""
        document = self._documents.get(uri)
        if document is None:
            return None
        document.index = apply_changes(document.index, changes, encoding)
        document.version = version
        document.generation = next(self._generations)
        return document

    def close(self, uri: str) -> Document | None:
        return self._documents.pop(uri, None)

    def get(self, uri: str) -> Document | None:
        return self._documents.get(uri)

    def generation_of(self, uri: str) -> int | None:
        """The current generation of a document (safe to call from a worker thread)."""
        document = self._documents.get(uri)
        return document.generation if document is not None else None

    def __iter__(self) -> Iterator[Document]:
        return iter(list(self._documents.values()))

    def __len__(self) -> int:
        return len(self._documents)
