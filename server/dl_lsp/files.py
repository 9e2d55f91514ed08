"""Finding the Python files to check and reading them without ever blocking or crashing."""

from __future__ import annotations

import io
import os
import stat
import tokenize
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

# Folders that hold other people's code or build output, never the user's program.
SKIPPED_DIRECTORIES = frozenset(
    {".venv", "venv", "node_modules", "__pycache__", "build", "dist", ".git"}
)
# Python files, and Jupyter notebooks (their code cells; .ipynb_checkpoints/ is skipped as a
# hidden folder).
CHECKED_SUFFIXES = (".py", ".ipynb")


@dataclass(frozen=True)
class SourceFile:
    """A file to check: where it is on disk and how reports name it."""

    path: Path
    display: str


@dataclass(frozen=True)
class Discovery:
    """The files found under the given paths, and the paths that do not exist."""

    files: tuple[SourceFile, ...]
    missing: tuple[str, ...]


@dataclass(frozen=True)
class SourceText:
    """A file's text, decoded with the encoding its bytes declare."""

    text: str
    encoding: str


@dataclass(frozen=True)
class ReadProblem:
    """Why a file could not be read as Python text, in words for the user."""

    message: str


def discover_python_files(paths: Iterable[str]) -> Discovery:
    """Expand files and folders (recursively, ``*.py`` and ``*.ipynb`` notebooks) into a sorted
    list without duplicates."""
    found: dict[str, SourceFile] = {}
    missing: list[str] = []
    for given in paths:
        root = Path(given)
        if root.is_dir():
            for path in _walk_python_files(root):
                found.setdefault(os.path.normpath(path), SourceFile(path, _display(path)))
        elif root.exists() or root.is_symlink():
            # An explicitly named path is checked whatever its suffix (a script without .py).
            found.setdefault(os.path.normpath(root), SourceFile(root, _display(root)))
        else:
            missing.append(given)
    files = sorted(found.values(), key=lambda source: source.display)
    return Discovery(tuple(files), tuple(missing))


def _walk_python_files(root: Path) -> Iterator[Path]:
    for folder, directories, names in os.walk(root, followlinks=False):
        directories[:] = sorted(d for d in directories if not _is_skipped_directory(d))
        base = Path(folder)
        for name in sorted(names):
            # Symbolic links are listed here too, broken ones included: reading reports them.
            if name.endswith(CHECKED_SUFFIXES):
                yield base / name


def _is_skipped_directory(name: str) -> bool:
    return name.startswith(".") or name in SKIPPED_DIRECTORIES


def _display(path: Path) -> str:
    """The path as the user would type it: relative to the working folder when inside it."""
    text = os.path.normpath(path)
    if os.path.isabs(text):
        try:
            relative = os.path.relpath(text)
        except ValueError:  # another drive on Windows
            return text
        if not relative.startswith(os.pardir):
            return relative
    return text


def read_source(path: Path) -> SourceText | ReadProblem:
    """Read a file as Python source: regular files only, binary and undecodable files refused."""
    data = read_file_bytes(path)
    if isinstance(data, ReadProblem):
        return data
    return decode_source(data)


def read_file_bytes(path: Path) -> bytes | ReadProblem:
    """A regular file's bytes, or why they cannot be read (never blocks on a FIFO)."""
    # O_NONBLOCK: opening a FIFO must never wait for a writer.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags)
    except FileNotFoundError:
        if os.path.islink(path):
            return ReadProblem("broken symbolic link, skipped")
        return ReadProblem("file not found (it may have been removed while checking)")
    except IsADirectoryError:
        return ReadProblem("is a directory, not a file, skipped")
    except PermissionError:
        return ReadProblem("permission denied, skipped")
    except OSError as error:
        return ReadProblem(f"cannot open: {error.strerror or error}")
    try:
        kind = _file_kind(os.fstat(descriptor).st_mode)
        if kind != "regular file":
            return ReadProblem(f"is a {kind}, not a regular file, skipped")
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            return handle.read()
    except OSError as error:
        return ReadProblem(f"cannot read: {error.strerror or error}")
    finally:
        os.close(descriptor)


def _file_kind(mode: int) -> str:
    if stat.S_ISREG(mode):
        return "regular file"
    if stat.S_ISDIR(mode):
        return "directory"
    if stat.S_ISFIFO(mode):
        return "FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special file"


def decode_source(data: bytes) -> SourceText | ReadProblem:
    """Decode source bytes like Python does: a BOM or a PEP 263 coding cookie, else UTF-8."""
    if b"\x00" in data:
        return ReadProblem("binary file (contains NUL bytes), skipped")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:
        # Raised for an unknown codec in the coding comment, and for bytes in the first two
        # lines that are not UTF-8 when there is no coding comment.
        reason = str(error.msg)
        if reason.startswith("unknown encoding"):
            return ReadProblem(f"the coding comment names an {reason}, skipped")
        if reason.startswith("encoding problem"):
            return ReadProblem("the coding comment contradicts the UTF-8 byte order mark, skipped")
        encoding = "utf-8"
    try:
        return SourceText(data.decode(encoding), encoding)
    except UnicodeDecodeError as error:
        return ReadProblem(_decode_error_message(data, encoding, error))
    except LookupError:  # detect_encoding accepts only known codecs; kept for safety
        return ReadProblem(f"unknown encoding {encoding!r}, skipped")


def _decode_error_message(data: bytes, encoding: str, error: UnicodeDecodeError) -> str:
    line = data.count(b"\n", 0, error.start) + 1
    byte = data[error.start : error.start + 1].hex()
    if encoding.replace("_", "-").lower() in {"utf-8", "utf-8-sig"}:
        return (
            f"not valid UTF-8 (byte 0x{byte} on line {line}), skipped; save the file as UTF-8 "
            "or declare its encoding with a coding comment such as '# -*- coding: latin-1 -*-'"
        )
    return f"not valid {encoding} as its coding comment declares (byte 0x{byte} on line {line}), skipped"
