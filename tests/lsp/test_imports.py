"""The server never imports the frameworks it checks (seconds each), imports libcst/jedi only
once a code action needs them, and starts without the modules of features not used yet."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from lsprotocol import types
from tests.lsp.support import PROGRAMS, Session

HEAVY = ("torch", "tensorflow", "keras", "sentence_transformers")


async def status(session: Session) -> dict:
    result = await session.client.protocol.send_request_async("dl-lsp/serverStatus", None)
    return result._asdict()  # pygls hands back untyped results as named tuples


async def test_no_framework_and_no_libcst_until_a_code_action(session: Session) -> None:
    for name in ("keras_binary_classifier.py", "torch_softmax_crossentropy.py"):
        document = session.open(name, (PROGRAMS / name).read_text(encoding="utf-8"))
        diagnostics = await document.diagnostics()
        assert diagnostics
        await document.hover(diagnostics[0].range.start)
    before = await status(session)
    assert before["heavyModules"] == []
    assert not set(HEAVY) & set(before["modules"])
    assert before["lazyModules"] == [], "libcst/jedi imported before any code action"

    actions = await document.code_actions(diagnostics[:1])
    assert actions
    after = await status(session)
    assert after["heavyModules"] == []
    assert "libcst" in after["lazyModules"]  # the quick fixes did need it
    assert not {"jedi"} & set(after["lazyModules"])
    assert isinstance(actions[0], types.CodeAction)


def test_importing_the_server_module_is_light() -> None:
    script = (
        "import sys, dl_lsp.lsp.server; "
        "print(','.join(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    loaded = set(
        subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
        .stdout.strip()
        .split(",")
    )
    assert not loaded & {*HEAVY, "libcst", "jedi", "numpy"}


# Modules the first diagnostics do not need: they load with the feature that uses them.
LATER = (
    "dl_lsp.notebooks",  # the first notebook
    "dl_lsp.probe.runner",  # the first probe
    "dl_lsp.probe.results",
    "dl_lsp.taxonomy",  # the first hover
    "dl_lsp.files",  # the first workspace diagnostic
    "dl_lsp.report.runner",  # dl-lsp check
    "multiprocessing",
    "tomllib",  # a data-cache miss
)


def _loaded_after(script: str, cache: str) -> set[str]:
    code = f"import sys\n{script}\nprint(','.join(sorted(sys.modules)))"
    environment = {**os.environ, "DL_LSP_CACHE_DIR": cache}
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=environment
    )
    return set(completed.stdout.strip().splitlines()[-1].split(","))


def test_starting_the_server_loads_no_feature_it_does_not_need_yet(tmp_path: Path) -> None:
    script = (
        "from dl_lsp.cli import build_parser\n"
        "build_parser()\n"
        "from dl_lsp.lsp.server import create_server\n"
        "create_server()"
    )
    loaded = _loaded_after(script, str(tmp_path))
    assert not {name for name in LATER if name in loaded}


def test_the_toml_parser_loads_only_on_a_data_cache_miss(tmp_path: Path) -> None:
    program = (PROGRAMS / "keras_binary_classifier.py").read_text(encoding="utf-8")
    (tmp_path / "program.py").write_text(program, encoding="utf-8")
    script = (
        "from dl_lsp.config import Settings\n"
        "from dl_lsp.engine import analyze_source\n"
        f"text = open({str(tmp_path / 'program.py')!r}).read()\n"
        "assert analyze_source(text, 'program.py', Settings()).findings"
    )
    cache = str(tmp_path / "cache")
    assert "tomllib" in _loaded_after(script, cache)  # an empty cache: the rules are parsed
    assert "tomllib" not in _loaded_after(script, cache)  # then read from the cache
