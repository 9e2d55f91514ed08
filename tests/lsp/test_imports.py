"""The server never imports the frameworks it checks (seconds each), and imports libcst/jedi
only once a code action needs them."""

from __future__ import annotations

import subprocess
import sys

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
