"""TOML data (the rules, migration tables, taxonomy; pyproject.toml), read through a JSON cache.

``tomllib`` is written in Python: parsing the sixty-odd rule files costs more than the rest of
the server's start-up work together. The first read of a file stores its data as JSON (which
the standard library parses in C) in the user's cache folder, keyed by the file's path and
content; later reads of the unchanged file load that, and ``tomllib`` is imported only on a
miss. The server reads its rule data and the workspace's ``pyproject.toml`` this way. A cache
that cannot be read or written is simply not used.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

_FORMAT = 2


def read_toml(path: Path) -> dict[str, Any]:
    """The data of a TOML file (``tomllib.TOMLDecodeError`` when it is not valid TOML)."""
    content = path.read_bytes()
    # Keyed by the content, not the modification time: file systems stamp times coarsely
    # (a few milliseconds), and two quick saves of a pyproject.toml must not share an entry.
    stamp = [_FORMAT, hashlib.sha1(content).hexdigest()]
    cached = _cache_file(path)
    if cached is not None:
        try:
            with cached.open("rb") as handle:
                entry = json.load(handle)
            if entry.get("stamp") == stamp and isinstance(entry.get("data"), dict):
                data: dict[str, Any] = entry["data"]
                return data
        except (OSError, ValueError):
            pass
    data = _parse_toml(content)
    if cached is not None:
        _store(cached, {"stamp": stamp, "data": data})
    return data


def _parse_toml(content: bytes) -> dict[str, Any]:
    # Imported here: on a cache hit the TOML parser is not needed at all.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]
    parsed: dict[str, Any] = tomllib.loads(content.decode("utf-8"))
    return parsed


def cache_directory() -> Path | None:
    """``$DL_LSP_CACHE_DIR``, else ``$XDG_CACHE_HOME/dl-lsp``, else ``~/.cache/dl-lsp``; None
    when ``DL_LSP_CACHE_DIR`` is empty (no cache)."""
    chosen = os.environ.get("DL_LSP_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "dl-lsp"


def _cache_file(path: Path) -> Path | None:
    directory = cache_directory()
    if directory is None:
        return None
    # The absolute path, not the resolved one: resolving costs a system call per folder, for
    # each of the sixty rule files read at the first analysis (the content is in the stamp).
    absolute = os.path.abspath(path).encode("utf-8", "surrogatepass")
    key = hashlib.sha1(absolute).hexdigest()[:20]
    return directory / f"data-{path.stem}-{key}.json"


def _store(target: Path, entry: dict[str, Any]) -> None:
    """Write the cache entry atomically (a reader never sees half a file); errors are ignored."""
    try:
        text = json.dumps(entry, allow_nan=False)
    except (TypeError, ValueError):
        return  # dates or special floats: JSON cannot hold them exactly, so no cache
    from dl_lsp.atomic import write_text_atomically  # only on a cache miss

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomically(target, text)
    except OSError:
        pass
