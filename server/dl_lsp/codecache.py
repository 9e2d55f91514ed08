"""Code that libraries generate while the program runs, compiled once instead of at every start.

attrs, cattrs and dataclasses write the source of each class's methods (``__init__``,
``__eq__``, ``__repr__``, cattrs' (un)structure functions) and compile it; typing compiles
each forward reference it resolves. Importing lsprotocol alone defines about 570 attrs
classes: some 760 calls to ``compile``, half of the 0.5 s the import takes, and the language
server's start-up waits for all of it. The source is the same at every start (it depends only
on the class definitions), so the compiled code objects are kept in the user's cache folder
(``marshal``, the format of ``.pyc`` files) and handed back instead of compiling the same
text again.

What runs does not change: an entry is found only for the very same source text, file name,
mode and compiler flags (a BLAKE2 digest of all four), and the flags are those the library's
own call would have used (its ``__future__`` imports). Anything else is compiled as before. A
cache that is missing, unreadable or written by another Python is ignored and written anew;
it holds what the last start used (entries no longer needed drop out), written atomically
when more than 1% of it had to be compiled.

``install`` before the libraries define their classes (``dl_lsp.cli`` does it first thing for
dataclasses and typing, ``dl-lsp serve`` for attrs and cattrs before importing the server);
``save`` once the start-up work is done (the server does it after its first diagnostics and
at shutdown).
"""

from __future__ import annotations
import __future__

import builtins
import hashlib
import marshal
import sys
import threading
from collections.abc import Callable
from importlib.util import MAGIC_NUMBER
from pathlib import Path
from types import CodeType, ModuleType
from typing import Any

# Module → the name of the built-in it calls on generated source: attrs and cattrs compile()
# methods, dataclasses exec()s them, typing compiles each forward reference (lsprotocol
# resolves ~300 of them when pygls builds its converter).
PATCHED = {
    "attr._make": "compile",
    "cattrs.gen": "compile",
    "dataclasses": "exec",
    "typing": "compile",
}
_FORMAT = b"dl-lsp generated code 1\n"
_FEATURES: dict[str, Any] = {
    name: getattr(__future__, name) for name in __future__.all_feature_names
}
_FUTURE_FLAGS = 0
for _feature in _FEATURES.values():
    _FUTURE_FLAGS |= _feature.compiler_flag


class CodeCache:
    """Compiled code by digest of what was compiled; ``used`` is what this process asked for."""

    def __init__(self, path: Path | None, known: dict[bytes, CodeType]) -> None:
        self.path = path
        self.known = known
        self.used: dict[bytes, CodeType] = {}
        self.missed = 0
        self._lock = threading.Lock()

    def compile(self, source: str, filename: str, mode: str, flags: int) -> CodeType:
        key = _digest(source, filename, mode, flags)
        code = self.known.get(key)
        if code is None:
            code = builtins.compile(source, filename, mode, flags, dont_inherit=True)
            self.missed += 1
        with self._lock:
            self.used[key] = code
        return code

    def save(self) -> bool:
        """Write what this process used, when more than 1% of it had to be compiled (a few
        sources differ at every start: attrs writes a random seed into a frozen class's
        ``__hash__``); True when written. The entries not used are dropped from memory too."""
        with self._lock:
            self.known = dict(self.used)
            missed, self.missed = self.missed, 0
            if self.path is None or missed * 100 <= len(self.used):
                return False
            payload = marshal.dumps(self.known)
        from dl_lsp.atomic import write_bytes_atomically  # only when there is something to write

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_bytes_atomically(self.path, _header() + payload)
        except OSError:
            return False
        return True


_installed: CodeCache | None = None


def install(*module_names: str, path: Path | None = None) -> CodeCache:
    """Serve the generated code of the named modules (of those in ``PATCHED``; importing them
    if need be) from the cache at ``path``: by default in ``data_files.cache_directory()``, no
    cache file when that is disabled. The file is read at the first call; later calls add
    modules to the same cache."""
    global _installed
    if _installed is None:
        if path is None:
            path = default_path()
        _installed = CodeCache(path, load(path) if path is not None else {})
    for module_name in module_names:
        module = _import(module_name)
        if module is None:
            continue
        flags = _future_flags(module)
        builtin_name = PATCHED[module_name]
        replacement = _compile_through if builtin_name == "compile" else _exec_through
        setattr(module, builtin_name, replacement(_installed, flags))
    return _installed


def save() -> bool:
    """Write the installed cache if it missed something (see ``CodeCache.save``)."""
    return _installed.save() if _installed is not None else False


def default_path() -> Path | None:
    from dl_lsp.data_files import cache_directory

    directory = cache_directory()
    if directory is None:
        return None
    return directory / f"generated-code-{sys.implementation.cache_tag}.marshal"


def load(path: Path) -> dict[bytes, CodeType]:
    """The entries of the cache file; none when it is missing, damaged or from another Python."""
    try:
        content = path.read_bytes()
    except OSError:
        return {}
    header = _header()
    if not content.startswith(header):
        return {}
    try:
        entries = marshal.loads(content[len(header) :])
    except (ValueError, EOFError, TypeError):
        return {}
    if not isinstance(entries, dict):
        return {}
    return {
        key: code
        for key, code in entries.items()
        if isinstance(key, bytes) and isinstance(code, CodeType)
    }


def _header() -> bytes:
    return _FORMAT + MAGIC_NUMBER + b"\n"


def _digest(source: str, filename: str, mode: str, flags: int) -> bytes:
    text = f"{mode}\0{flags}\0{filename}\0{source}"
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20).digest()


def _import(name: str) -> ModuleType | None:
    try:
        __import__(name)
    except ImportError:
        return None
    return sys.modules[name]


def _future_flags(module: ModuleType) -> int:
    """The ``__future__`` compiler flags the module's own calls pass on to what they compile."""
    namespace = vars(module)
    flags = 0
    for name, feature in _FEATURES.items():
        if name in namespace and namespace[name] is feature:
            flags |= feature.compiler_flag
    return flags


def _compile_through(cache: CodeCache, module_flags: int) -> Callable[..., Any]:
    def cached_compile(
        source: Any,
        filename: Any,
        mode: str,
        flags: int = 0,
        dont_inherit: bool = False,
        optimize: int = -1,
        **options: Any,
    ) -> Any:
        if not isinstance(source, str) or flags & ~_FUTURE_FLAGS or optimize != -1 or options:
            # bytes, an AST, or flags asking for something else than code (ast.PyCF_ONLY_AST)
            return builtins.compile(
                source, filename, mode, flags, dont_inherit, optimize, **options
            )
        effective = flags if dont_inherit else flags | module_flags
        return cache.compile(source, str(filename), mode, effective)

    return cached_compile


def _exec_through(cache: CodeCache, module_flags: int) -> Callable[..., Any]:
    def cached_exec(
        source: Any, globals: Any = None, locals: Any = None, /, **options: Any
    ) -> None:
        if globals is None:  # the caller's namespaces, as the built-in would use
            frame = sys._getframe(1)
            globals = frame.f_globals
            if locals is None:
                locals = frame.f_locals
        if isinstance(source, str):
            source = cache.compile(source, "<string>", "exec", module_flags)
        builtins.exec(source, globals, locals, **options)

    return cached_exec
