"""The compiled-code cache: the same code as compiling, from disk at the next start."""

from __future__ import annotations
import __future__

import ast
import json
import marshal
import os
import subprocess
import sys
import types
from pathlib import Path

from dl_lsp import codecache
from dl_lsp.codecache import CodeCache

SOURCE = "def area(width: float, height: float) -> float:\n    return width * height\n"


def _module_with(*features: str) -> types.ModuleType:
    module = types.ModuleType("generator")
    for name in features:
        setattr(module, name, getattr(__future__, name))
    return module


def _through(cache: CodeCache, module: types.ModuleType) -> object:
    return codecache._compile_through(cache, codecache._future_flags(module))


def test_a_cached_entry_is_the_code_compiling_gives_and_survives_a_restart(
    tmp_path: Path,
) -> None:
    path = tmp_path / "cache.marshal"
    first = CodeCache(path, {})
    code = first.compile(SOURCE, "<generated area>", "exec", 0)
    assert code == compile(SOURCE, "<generated area>", "exec", dont_inherit=True)
    assert first.missed == 1
    assert first.save() and path.exists()

    second = CodeCache(path, codecache.load(path))
    assert second.compile(SOURCE, "<generated area>", "exec", 0) == code
    assert second.missed == 0
    assert not second.save()  # nothing new: the file is left as it is


def test_file_name_mode_and_flags_are_part_of_the_key(tmp_path: Path) -> None:
    cache = CodeCache(None, {})
    cache.compile(SOURCE, "<a>", "exec", 0)
    cache.compile(SOURCE, "<b>", "exec", 0)
    cache.compile(SOURCE, "<a>", "exec", __future__.annotations.compiler_flag)
    cache.compile("1 + 2", "<a>", "eval", 0)
    assert len(cache.used) == 4
    assert cache.compile(SOURCE, "<b>", "exec", 0).co_filename == "<b>"


def test_the_generating_module_s_future_imports_apply_as_its_own_compile_would() -> None:
    cache = CodeCache(None, {})
    postponed: dict[str, object] = {}
    exec(_through(cache, _module_with("annotations"))(SOURCE, "<p>", "exec"), postponed)  # type: ignore[operator]
    evaluated: dict[str, object] = {}
    exec(_through(cache, _module_with())(SOURCE, "<e>", "exec"), evaluated)  # type: ignore[operator]
    assert postponed["area"].__annotations__["width"] == "float"  # type: ignore[attr-defined]
    assert evaluated["area"].__annotations__["width"] is float  # type: ignore[attr-defined]


def test_what_is_not_plain_source_to_code_is_compiled_as_before() -> None:
    cache = CodeCache(None, {})
    cached_compile = _through(cache, _module_with())
    tree = cached_compile("x = 1", "<t>", "exec", ast.PyCF_ONLY_AST)  # type: ignore[operator]
    assert isinstance(tree, ast.Module)
    assert isinstance(cached_compile(tree, "<t>", "exec"), types.CodeType)  # type: ignore[operator]
    assert isinstance(cached_compile(b"x = 1", "<t>", "exec"), types.CodeType)  # type: ignore[operator]
    assert not cache.used


def test_a_syntax_error_is_raised_as_compile_raises_it() -> None:
    cache = CodeCache(None, {})
    try:
        cache.compile("def broken(:\n", "<broken>", "exec", 0)
    except SyntaxError as error:
        assert error.filename == "<broken>"
    else:
        raise AssertionError("no SyntaxError")
    assert not cache.used


def test_exec_runs_the_source_in_the_namespaces_given_or_the_caller_s() -> None:
    cache = CodeCache(None, {})
    cached_exec = codecache._exec_through(cache, 0)
    namespace: dict[str, object] = {}
    cached_exec("value = 6 * 7", namespace)
    assert namespace["value"] == 42
    local_names: dict[str, object] = {}
    cached_exec("result = len('abc')", {}, local_names)
    assert local_names == {"result": 3}
    assert len(cache.used) == 2


def test_a_damaged_or_foreign_cache_file_counts_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "cache.marshal"
    assert codecache.load(path) == {}  # missing
    path.write_bytes(b"\x00\x01garbage")
    assert codecache.load(path) == {}
    path.write_bytes(codecache._header() + b"\xff\x00 truncated")
    assert codecache.load(path) == {}
    path.write_bytes(b"dl-lsp generated code 1\n\x00\x00\x00\x00\n" + marshal.dumps({}))
    assert codecache.load(path) == {}  # another Python's magic number
    path.write_bytes(codecache._header() + marshal.dumps([1, 2]))
    assert codecache.load(path) == {}


def test_a_few_misses_in_a_large_cache_do_not_rewrite_it(tmp_path: Path) -> None:
    path = tmp_path / "cache.marshal"
    warm = CodeCache(path, {})
    for number in range(200):
        warm.compile(f"x = {number}", "<n>", "exec", 0)
    assert warm.save()
    written = path.stat().st_mtime_ns
    cache = CodeCache(path, codecache.load(path))
    for number in range(200):
        cache.compile(f"x = {number}", "<n>", "exec", 0)
    cache.compile("x = 'a seed that changes at every start'", "<n>", "exec", 0)
    assert not cache.save()
    assert path.stat().st_mtime_ns == written
    for number in range(5):
        cache.compile(f"y = {number}", "<n>", "exec", 0)
    assert cache.save()  # 5 of 206: more than 1% new
    assert len(codecache.load(path)) == 206


def test_save_keeps_only_what_this_process_used(tmp_path: Path) -> None:
    path = tmp_path / "cache.marshal"
    old = CodeCache(path, {})
    old.compile("stale = 1", "<s>", "exec", 0)
    assert old.save()
    cache = CodeCache(path, codecache.load(path))
    cache.compile("fresh = 1", "<f>", "exec", 0)
    assert cache.save()
    assert list(codecache.load(path).values()) == [
        compile("fresh = 1", "<f>", "exec", dont_inherit=True)
    ]


# The language server's classes, defined with and without the cache, in fresh interpreters.
_LSP_SCRIPT = """
import json, sys
import dl_lsp.cli
from dl_lsp import codecache
codecache.install("attr._make", "cattrs.gen")
from lsprotocol import types
from dl_lsp.lsp.server import json_converter
from dl_lsp.config import Settings
converter = json_converter()
diagnostic = types.Diagnostic(
    range=types.Range(types.Position(1, 2), types.Position(1, 9)),
    message="m", severity=types.DiagnosticSeverity.Warning, code="LLM",
)
params = converter.structure(
    {"processId": None, "rootUri": None, "capabilities": {"general": {"positionEncodings": ["utf-8"]}}},
    types.InitializeParams,
)
cache = codecache.install()
print(json.dumps({
    "unstructured": converter.unstructure(diagnostic),
    "repr": repr(diagnostic),
    "equal": diagnostic == types.Diagnostic(
        range=types.Range(types.Position(1, 2), types.Position(1, 9)),
        message="m", severity=types.DiagnosticSeverity.Warning, code="LLM",
    ),
    "encodings": params.capabilities.general.position_encodings,
    "settings": repr(Settings()),
    "used": len(cache.used),
    "missed": cache.missed,
    "saved": codecache.save(),
}))
"""


def _run_server_classes(cache_folder: str) -> dict[str, object]:
    environment = {**os.environ, "DL_LSP_CACHE_DIR": cache_folder}
    completed = subprocess.run(
        [sys.executable, "-c", _LSP_SCRIPT],
        capture_output=True,
        text=True,
        check=True,
        env=environment,
    )
    result: dict[str, object] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def test_the_server_s_classes_behave_the_same_from_the_cache(tmp_path: Path) -> None:
    folder = str(tmp_path / "cache")
    first = _run_server_classes(folder)
    assert first["saved"] and first["missed"] >= first["used"]
    second = _run_server_classes(folder)
    assert not second["saved"]
    assert isinstance(second["used"], int) and second["used"] > 500  # lsprotocol's classes
    assert isinstance(second["missed"], int) and second["missed"] * 100 <= second["used"]
    uncached = _run_server_classes("")  # no cache folder: everything compiled
    assert not uncached["saved"]
    for key in ("unstructured", "repr", "equal", "encodings", "settings"):
        assert first[key] == second[key] == uncached[key], key
    assert second["equal"] is True
