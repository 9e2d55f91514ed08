"""``dl-lsp.triage``: triage the document (or the selection) as a bug report.

Arguments: one object ``{uri, range?, show?}``; returns ``{markdown, result}``. With ``show`` and
a client that supports window/showDocument, the Markdown is also written to a temporary file and
shown. Settings (section ``dl-lsp``): ``triageTaxonomy`` (a file from ``dl-lsp taxonomy mine``)
and ``triageEmbeddings`` (default true; the MiniLM worker starts on the first triage, never at
start-up). Everything heavy runs off the event loop; the model runs in its own process.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams
from pygls.uris import to_fs_path

from dl_lsp.atomic import write_text_atomically

if TYPE_CHECKING:
    from dl_lsp.lsp.server import DlLanguageServer

COMMAND = "dl-lsp.triage"
MAX_FILE_BYTES = 4_000_000


def register(ls: DlLanguageServer) -> None:
    """Add the ``dl-lsp.triage`` command."""

    @ls.command(COMMAND)
    async def triage_command(*arguments: Any) -> dict[str, Any]:
        request = _request(arguments)
        text = _text(ls, request)
        taxonomy = ls.settings.client_option("triage-taxonomy")
        embeddings = bool(ls.settings.client_option("triage-embeddings", True))
        markdown, result = await asyncio.to_thread(_triage, text, taxonomy, embeddings)
        if request.get("show") and _can_show(ls):
            await _show(ls, markdown)
        return {"markdown": markdown, "result": result}


def _request(arguments: tuple[Any, ...]) -> dict[str, Any]:
    if len(arguments) != 1 or not isinstance(arguments[0], dict):
        raise JsonRpcInvalidParams(f"{COMMAND} takes one object argument: {{uri, range?}}")
    request: dict[str, Any] = arguments[0]
    if not isinstance(request.get("uri"), str):
        raise JsonRpcInvalidParams(f"{COMMAND}: 'uri' must be a document URI string")
    return request


def _text(ls: DlLanguageServer, request: dict[str, Any]) -> str | bytes:
    """The open document's text (or its selection), else the saved file's bytes."""
    uri: str = request["uri"]
    document = ls.documents.get(uri)
    if document is None:
        path = to_fs_path(uri)
        if not path or not Path(path).is_file():
            raise JsonRpcInvalidParams(f"{COMMAND}: unknown document {uri}")
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES)
        if request.get("range") is None:
            return data  # the triage tells binary junk from text itself
        text = data.decode("utf-8", errors="replace")
        return _selected(text, request.get("range"), None, ls.encoding)
    return _selected(document.text, request.get("range"), document, ls.encoding)


def _selected(text: str, raw_range: Any, document: Any, encoding: str) -> str:
    if raw_range is None:
        return text
    try:
        start = types.Position(**raw_range["start"])
        end = types.Position(**raw_range["end"])
    except (KeyError, TypeError) as error:
        raise JsonRpcInvalidParams(f"{COMMAND}: 'range' is not an LSP range ({error})") from None
    if document is None:
        from dl_lsp.lsp.positions import LineIndex

        index = LineIndex(text)
    else:
        index = document.index
    first, last = index.offset(start, encoding), index.offset(end, encoding)
    selected = text[min(first, last) : max(first, last)]
    return selected if selected.strip() else text


def _triage(text: str | bytes, taxonomy: Any, embeddings: bool) -> tuple[str, dict[str, Any]]:
    from dl_lsp.triage import parse_report, triage_report
    from dl_lsp.triage.options import triage_options
    from dl_lsp.triage.render import render_markdown

    try:
        options = triage_options(
            taxonomy=Path(str(taxonomy)) if taxonomy else None, embeddings=embeddings
        )
    except (OSError, ValueError) as error:
        raise JsonRpcInvalidParams(
            f"{COMMAND}: the triageTaxonomy file is unusable: {error}"
        ) from None
    result = triage_report(parse_report(text), options)
    return render_markdown(result), result.to_json()


def _can_show(ls: DlLanguageServer) -> bool:
    window = ls.client_capabilities.window
    return bool(window and window.show_document and window.show_document.support)


async def _show(ls: DlLanguageServer, markdown: str) -> None:
    folder = Path(tempfile.gettempdir()) / "dl-lsp-triage"
    folder.mkdir(exist_ok=True)
    target = folder / f"triage-{os.getpid()}.md"
    write_text_atomically(target, markdown)
    await ls.window_show_document_async(
        types.ShowDocumentParams(uri=target.as_uri(), take_focus=False)
    )
