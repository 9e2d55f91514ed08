"""The JSON-lines conversation between the parent (``runner``) and the worker.

The parent writes one request object to the worker's stdin. The worker answers on a separate
pipe (the user's script owns stdout and stderr, and may print megabytes there), one event per
line: ``{"event": "environment" | "isolation" | "model" | "check" | "finding" | "note" |
"phase" | "done", ...}``.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from typing import Any

DEFAULT_TIMEOUT_S = 20.0
DEFAULT_MEMORY_BYTES = 4 * 1024**3
DEVICE_CHOICES = ("cpu", "cuda", "all")


@dataclass(frozen=True)
class ShapeHints:
    """What the static analysis knows about the data, for a synthetic batch (edit action A1)."""

    input_shape: list[int | None] | None = None  # per sample, channels-first for torch images
    input_shape_source: str = ""  # 'torch.randn(1, 3, 32, 32)', 'MNIST images', ...
    num_classes: int | None = None
    input_type: str | None = None  # 'color', 'grayscale', 'tabular', 'sequence'
    problem_type: str | None = None


@dataclass(frozen=True)
class ProbeRequest:
    """What the worker is asked to do."""

    path: str  # the user's file (its directory goes on sys.path; tracebacks name it)
    text: str  # the text to run: the editor's buffer, or the file's content
    device: str = "all"  # 'cpu', 'cuda' or 'all'
    timeout: float = DEFAULT_TIMEOUT_S
    memory_bytes: int = DEFAULT_MEMORY_BYTES
    cpu_seconds: int = 60
    isolate_network: bool = True
    frameworks: list[str] = field(default_factory=list)  # what the file imports
    hints: ShapeHints = field(default_factory=ShapeHints)

    def to_json(self) -> str:
        return json.dumps(asdict(self))


def request_from_json(text: str) -> ProbeRequest:
    data = json.loads(text)
    hints = ShapeHints(**data.pop("hints", {}))
    return ProbeRequest(hints=hints, **data)


def encode_event(event: str, **fields: Any) -> bytes:
    """One event as a line of JSON (values that are not JSON become their repr)."""
    return (json.dumps({"event": event, **fields}, default=repr) + "\n").encode()


def decode_events(buffer: bytearray) -> list[dict[str, Any]]:
    """Take the complete lines out of ``buffer`` and decode them (a broken line is skipped)."""
    events: list[dict[str, Any]] = []
    while True:
        end = buffer.find(b"\n")
        if end < 0:
            return events
        line = bytes(buffer[:end])
        del buffer[: end + 1]
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if isinstance(event, dict) and isinstance(event.get("event"), str):
            events.append(event)


class Channel:
    """The worker's end of the event pipe, on a descriptor the user's code will not reuse."""

    def __init__(self, descriptor: int) -> None:
        self._fd = os.dup(descriptor) if descriptor < 64 else descriptor
        if self._fd < 64:
            high = os.dup2(self._fd, 200)
            os.close(self._fd)
            self._fd = high
        if descriptor != self._fd:
            os.close(descriptor)

    def send(self, event: str, **fields: Any) -> None:
        data = encode_event(event, **fields)
        view = memoryview(data)
        while view:
            written = os.write(self._fd, view)
            view = view[written:]


@dataclass(frozen=True)
class Observation:
    """A finding as the worker sends it: the parent formats it with the rule's template."""

    code: str  # 'PRB701'
    key: str  # the message template
    values: dict[str, Any]
    line: int | None
    device: str | None = None
    simulated: bool = False


def error_observation(
    error: Any,
    device: str | None,
    *,
    simulated: bool = False,
    synthetic_shape: list[int] | None = None,
) -> Observation | None:
    """The finding for a classified script error (``errors.ScriptError``), None for 'other'."""
    values = {"error": error.summary, "device": device or "the script's device"}
    kinds = {
        "shape": ("PRB701", "error"),
        "dtype": ("PRB702", "error"),
        "device": ("PRB703", "error"),
        "memory": ("PRB708", "limit"),
    }
    if error.kind not in kinds:
        return None
    code, key = kinds[error.kind]
    if error.kind == "memory" and "cuda" in error.message.lower():
        key = "cuda"
    if error.kind == "shape" and synthetic_shape is not None:
        key = "synthetic"
        values["shape"] = str(tuple(synthetic_shape))
    if error.kind == "memory":
        values["limit"] = "the probe's memory limit"
    return Observation(code, key, values, error.line, device, simulated)
