"""The server's output to the client, which never blocks the server forever.

pygls writes each message with a blocking write on the event loop. When the client stops
reading, the pipe fills and the write waits; that is the right back-pressure (the server stops
reading input too, so its memory stays bounded) as long as the client is alive. But a client
that closed the server's input and still does not read would keep the server waiting forever.
``ClientOutput`` waits for the pipe to drain while watching the input: once the client hung up
its end of the input and the output has not moved for ``GRACE_SECONDS``, the output counts as
lost (``BrokenPipeError``, now and for every later message), so the server reads the end of its
input and exits.
"""

from __future__ import annotations

import contextlib
import os
import select

GRACE_SECONDS = 5.0
_POLL_MS = 200


class ClientOutput:
    """A binary output stream on a pipe or file descriptor, with the behaviour above."""

    def __init__(self, descriptor: int, input_descriptor: int | None) -> None:
        self._descriptor = descriptor
        self._input = input_descriptor
        self._lost = False
        self._poll = _poller(descriptor, input_descriptor)
        if self._poll is not None:
            os.set_blocking(descriptor, False)  # poll() says when; a write never waits

    def write(self, data: bytes) -> int:
        view = memoryview(data)
        waited_after_hang_up = 0.0
        while view:
            if self._lost:
                raise BrokenPipeError("the client stopped reading and closed the input")
            if self._poll is None:  # no poll() here: plain blocking writes
                written = os.write(self._descriptor, view)
                view = view[written:]
                continue
            events = dict(self._poll.poll(_POLL_MS))
            output_events = events.get(self._descriptor, 0)
            if output_events & (select.POLLERR | select.POLLHUP):
                self._lost = True
                raise BrokenPipeError("the client closed its end of the output")
            if output_events & select.POLLOUT:
                try:
                    written = os.write(self._descriptor, view[: 1 << 16])
                except BlockingIOError:
                    written = 0
                view = view[written:]
                waited_after_hang_up = 0.0
                continue
            if self._input is not None and events.get(self._input, 0) & select.POLLHUP:
                waited_after_hang_up += _POLL_MS / 1000
                if waited_after_hang_up >= GRACE_SECONDS:
                    self._lost = True
                    raise BrokenPipeError("the client stopped reading and closed the input")
        return len(data)

    def flush(self) -> None:
        return None

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self._descriptor)

    def fileno(self) -> int:
        return self._descriptor


def _poller(descriptor: int, input_descriptor: int | None) -> select.poll | None:
    if not hasattr(select, "poll"):  # Windows
        return None
    try:
        poller = select.poll()
        poller.register(descriptor, select.POLLOUT)
        if input_descriptor is not None:
            # Only the hang-up matters: registering no event still reports POLLHUP.
            poller.register(input_descriptor, 0)
    except (OSError, ValueError, TypeError):
        return None
    return poller
