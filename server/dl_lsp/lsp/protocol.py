"""JSON-RPC edge cases pygls leaves open, answered the way JSON-RPC 2.0 and LSP 3.17 say.

- a body that is not JSON → ParseError (-32700) with ``id: null``;
- JSON that is not a request or notification → InvalidRequest (-32600);
- a request whose params do not fit the method → InvalidParams (-32602) to that id; such a
  notification is dropped and logged;
- a request before ``initialize`` → ServerNotInitialized (-32002), a notification is dropped;
- a request after ``shutdown`` → InvalidRequest;
- the handler of a notification is not remembered once it finished: pygls 2 files the future of
  every generator, coroutine or thread handler under a made-up id (a notification has none)
  that only a response would remove, so every didChange left a future behind (about 2 KB: 20 MB
  over 10,000 edits, never freed);
- a message can be sent as JSON text written beforehand (``send_json_text``): the diagnostics
  are, see ``published_json.py``;
- the document notifications do not go through pygls' workspace: the server keeps its own
  store (see ``documents.py``) and a change to a document that was never opened is ignored
  instead of raising.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Generator
from concurrent.futures import Future
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInternalError
from pygls.protocol import LanguageServerProtocol, lsp_method

logger = logging.getLogger(__name__)

_NO_INIT_NEEDED = {types.INITIALIZE, types.EXIT}


@dataclass(frozen=True)
class UnusableMessage:
    """A request or notification whose params could not be read."""

    id: int | str | None
    method: str
    reason: str

    @property
    def is_request(self) -> bool:
        return self.id is not None


def error_response(msg_id: int | str | None, code: int, message: str) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": msg_id, "error": {"code": code, "message": message}}


class DlLspProtocol(LanguageServerProtocol):
    """pygls' protocol with strict answers to malformed input and a server-owned document store."""

    initialize_seen = False

    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as error:
            if isinstance(data, dict) and isinstance(data.get("method"), str):
                msg_id = data.get("id")
                reason = str(error.__cause__ or error)
                return UnusableMessage(
                    msg_id if isinstance(msg_id, int | str) else None, data["method"], reason
                )
            raise

    def handle_message(self, message: Any) -> None:
        if isinstance(message, UnusableMessage):
            self._handle_unusable(message)
            return
        if not hasattr(message, "jsonrpc"):
            msg_id = message.get("id") if isinstance(message, dict) else None
            logger.warning("not a JSON-RPC message: %.200r", message)
            self.send_error(msg_id, -32600, "Invalid Request: not a JSON-RPC 2.0 message")
            return
        method = getattr(message, "method", None)
        is_request = method is not None and hasattr(message, "id")
        if method == types.INITIALIZE:
            if self.initialize_seen and is_request:
                self.send_error(message.id, -32600, "Already initialized")
                return
            self.initialize_seen = True
        elif method is not None and not self.initialize_seen and method not in _NO_INIT_NEEDED:
            if is_request:
                self.send_error(message.id, -32002, "Server not initialized")
            return
        if is_request and self._shutdown and method != types.EXIT:
            self.send_error(message.id, -32600, "Server is shutting down")
            return
        super().handle_message(message)

    def _execute_handler(
        self,
        msg_id: int | str,
        handler: Any,
        callback: Callable[[Future[Any]], None],
        args: tuple[Any, ...] | None = None,
        kwargs: dict[str, Any] | None = None,
    ) -> None:
        """pygls' handler run, forgetting the handler's future once it is done (see above); a
        request's answer is sent by ``callback`` as before."""

        def forget_then_call_back(future: Future[Any]) -> None:
            if self._request_futures.get(msg_id) is future:
                del self._request_futures[msg_id]
            callback(future)

        super()._execute_handler(msg_id, handler, forget_then_call_back, args, kwargs)

    @cached_property
    def _encoder(self) -> json.JSONEncoder:
        return json.JSONEncoder(default=self._serialize_message)

    def to_json(self, value: Any) -> str:
        """``value`` as JSON text, the way pygls writes it into a message."""
        return self._encoder.encode(value)

    def _send_data(self, data: Any) -> None:
        """pygls' send, written as JSON text then handed to ``send_json_text``."""
        if not data:
            return
        try:
            body = self.to_json(data)
        except Exception as error:
            logger.exception("Error sending data")
            self._server._report_server_error(error, JsonRpcInternalError)
            return
        self.send_json_text(body)

    def send_json_text(self, body: str) -> None:
        """Send a message written as JSON text, framed as pygls frames every message."""
        if self.writer is None:
            logger.error("Unable to send data, no available transport!")
            return
        payload = body.encode(self.CHARSET)
        if self._include_headers:
            header = (
                f"Content-Length: {len(payload)}\r\n"
                f"Content-Type: {self.CONTENT_TYPE}; charset={self.CHARSET}\r\n\r\n"
            )
            payload = header.encode(self.CHARSET) + payload
        try:  # a synchronous writer: dl-lsp serves stdio (pygls' websocket writers are not)
            self.writer.write(payload)
        except BrokenPipeError:
            logger.exception("Error sending data. BrokenPipeError")
            raise
        except Exception as error:
            logger.exception("Error sending data")
            self._server._report_server_error(error, JsonRpcInternalError)

    def send_error(self, msg_id: int | str | None, code: int, message: str) -> None:
        """A JSON-RPC error response, ``id`` null included (which pygls' types would drop)."""
        self._send_data(error_response(msg_id, code, message))

    def _handle_unusable(self, message: UnusableMessage) -> None:
        logger.warning("unusable %s: %s", message.method, message.reason)
        notice = getattr(self._server, "log_warning", None)
        if callable(notice):
            notice(f"dl-lsp: ignored a malformed {message.method}: {message.reason}")
        if message.is_request:
            reason = f"Invalid params for {message.method}: {message.reason}"
            self.send_error(message.id, -32602, reason)

    # The server keeps its own documents; these only hand the notification to its handler.

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(
        self, params: types.DidOpenTextDocumentParams
    ) -> Generator[Any, Any, None]:
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_OPEN)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(
        self, params: types.DidChangeTextDocumentParams
    ) -> Generator[Any, Any, None]:
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(
        self, params: types.DidCloseTextDocumentParams
    ) -> Generator[Any, Any, None]:
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CLOSE)) is not None:
            yield handler, (params,), None
