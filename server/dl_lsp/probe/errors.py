"""What an exception raised by the user's script means, and on which of its lines it happened."""

from __future__ import annotations

import os
import re
import traceback
from dataclasses import dataclass
from types import TracebackType

# Message fragments, checked in this order (the first kind that matches wins).
MEMORY_PATTERNS = (
    "out of memory",
    "resourceexhausted",
    "oom when allocating",
    "cannot allocate memory",
    "failed to allocate",
)
DEVICE_PATTERNS = (
    "expected all tensors to be on the same device",
    "input type (torch.cuda",
    "and weight type (torch.cuda",
    "should be the same or input should be a mkldnn tensor",
    "tensor for argument #",
    "expected device",
    "but got device",
    "is on cpu, different from other tensors on cuda",
    "device-side assert",
)
DTYPE_PATTERNS = (
    "expected scalar type",
    "must have the same dtype",
    "same dtype",
    "dtype",
    "was expected to be a",
    "not implemented for 'long'",
    "not implemented for 'int'",
    "found dtype",
    "expected object of scalar type",
    "cannot convert a symbolic",
    "result type float can't be cast",
    "to be of type",
)
SHAPE_PATTERNS = (
    "shapes cannot be multiplied",
    "size mismatch",
    "must match the size",
    "incompatible shapes",
    "incompatible with the layer",
    "expected input",
    "expected input batch_size",
    "sizes of tensors must match",
    "invalid for input of size",
    "dimensions must be equal",
    "doesn't match the broadcast shape",
    "target size",
    "is out of bounds",
    "out of range",
    "shape",
    "dimension",
    "to have",
    "channels",
    "running_mean should contain",
    "not enough values to unpack",
    "matrix size",
)
MISSING_DATA_TYPES = (
    "FileNotFoundError",
    "URLError",
    "HTTPError",
    "ConnectionError",
    "ConnectionRefusedError",
    "gaierror",
    "NotADirectoryError",
    "IsADirectoryError",
    "EmptyDataError",
)
MISSING_DATA_PATTERNS = (
    "no such file or directory",
    "dataset not found",
    "url fetch failure",
    "name or service not known",
    "temporary failure in name resolution",
    "network is unreachable",
    "failed to establish a new connection",
    "max retries exceeded",
    "does not exist",
    "download=true",
    "network access is disabled in the probe",
)
TENSOR_ERROR_TYPES = (
    "RuntimeError",
    "ValueError",
    "InvalidArgumentError",
    "IndexError",
    "TypeError",
    "NotFoundError",
    "UnimplementedError",
)


@dataclass(frozen=True)
class ScriptError:
    """An exception of the user's script, classified."""

    kind: str  # 'memory', 'device', 'dtype', 'shape', 'missing-data', 'other'
    type: str  # 'RuntimeError'
    message: str  # the first lines of the message
    line: int | None  # the deepest line of the user's file in the traceback

    @property
    def summary(self) -> str:
        return f"{self.type}: {self.message}" if self.message else self.type


def classify(error: BaseException, path: str) -> ScriptError:
    """The kind of ``error`` and the user's line it comes from."""
    name = type(error).__name__
    message = short_message(error)
    lowered = f"{name}: {message}".lower()
    line = user_line(error.__traceback__, path)
    if isinstance(error, MemoryError) or _matches(lowered, MEMORY_PATTERNS):
        kind = "memory"
    elif _chain_names(error) & set(MISSING_DATA_TYPES) or _matches(lowered, MISSING_DATA_PATTERNS):
        kind = "missing-data"
    elif name in TENSOR_ERROR_TYPES and _matches(lowered, DEVICE_PATTERNS):
        kind = "device"
    elif name in TENSOR_ERROR_TYPES and _matches(lowered, DTYPE_PATTERNS):
        kind = "dtype"
    elif name in TENSOR_ERROR_TYPES and _matches(lowered, SHAPE_PATTERNS):
        kind = "shape"
    else:
        kind = "other"
    return ScriptError(kind, name, message, line)


def short_message(error: BaseException, limit: int = 300) -> str:
    """The first meaningful line(s) of an exception's message, shortened."""
    text = str(error).strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    # TensorFlow puts the useful sentence after a "Graph execution error" or node trace.
    useful = [line for line in lines if not line.startswith(("File ", "Traceback", "Detected at"))]
    text = " ".join(useful[:3]) if useful else text
    text = re.sub(r"\s+", " ", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def user_line(tb: TracebackType | None, path: str) -> int | None:
    """The deepest frame of ``tb`` that runs in the file ``path``."""
    wanted = os.path.realpath(path)
    line = None
    for frame, number in traceback.walk_tb(tb):
        if _same_file(frame.f_code.co_filename, wanted):
            line = number
    return line


def user_line_in_stack(path: str, skip: int = 0) -> int | None:
    """The innermost line of ``path`` on the current call stack."""
    import sys

    wanted = os.path.realpath(path)
    frame = sys._getframe(skip + 1)
    while frame is not None:
        if _same_file(frame.f_code.co_filename, wanted):
            return frame.f_lineno
        frame = frame.f_back  # type: ignore[assignment]
    return None


def lines_in_dump(dump: str, path: str) -> list[int]:
    """Lines of ``path`` in a faulthandler dump, innermost first."""
    wanted = os.path.realpath(path)
    lines = []
    for match in re.finditer(r'File "(?P<file>[^"]+)", line (?P<line>\d+)', dump):
        if _same_file(match.group("file"), wanted):
            lines.append(int(match.group("line")))
    return lines


def _same_file(filename: str, wanted: str) -> bool:
    return filename == wanted or os.path.realpath(filename) == wanted


def _matches(text: str, patterns: tuple[str, ...]) -> bool:
    return any(pattern in text for pattern in patterns)


def _chain_names(error: BaseException) -> set[str]:
    names: set[str] = set()
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        names.update(cls.__name__ for cls in type(current).__mro__)
        current = current.__cause__ or current.__context__
    return names
