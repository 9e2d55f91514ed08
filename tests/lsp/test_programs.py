"""End to end, under the VS Code, Neovim and Emacs profiles: open a buggy Keras program and a
buggy PyTorch program, get the expected diagnostics, hover them, apply each quick fix and see
the diagnostic go away on the next version."""

from __future__ import annotations

import pytest
from lsprotocol import types
from tests.lsp.support import PROGRAMS, OpenDocument, Session

FIX_ALL = "source.fixAll.dl-lsp"
# program → {code: the text its diagnostic's range covers}
EXPECTED = {
    "keras_binary_classifier.py": {"LLM": "'softmax'", "LOB": "0.1", "IBS": "8"},
    "torch_softmax_crossentropy.py": {"LLM": "F.softmax(self.fc2(x), dim=1)"},
}
# program → {code: a line of the program after its preferred quick fix}
FIXED_LINES = {
    "keras_binary_classifier.py": {
        "LLM": "model.add(Dense(1, activation='sigmoid'))",
        "LOB": "optimizer=Adam(lr=0.001)",
        "IBS": "batch_size=32",
    },
    "torch_softmax_crossentropy.py": {"LLM": "return self.fc2(x)"},
}
BUG_TYPES = {"LLM": "model", "LOB": "training", "IBS": "training"}
CASES = [(program, code) for program, codes in EXPECTED.items() for code in codes]


def open_program(session: Session, name: str) -> OpenDocument:
    return session.open(name, (PROGRAMS / name).read_text(encoding="utf-8"))


def by_code(diagnostics: list[types.Diagnostic], code: str) -> types.Diagnostic:
    found = [d for d in diagnostics if d.code == code]
    assert found, f"no {code} among {[d.code for d in diagnostics]}"
    return found[0]


@pytest.mark.parametrize("program", EXPECTED)
async def test_expected_diagnostics(session: Session, program: str) -> None:
    document = open_program(session, program)
    diagnostics = await document.diagnostics()
    assert {d.code for d in diagnostics} >= set(EXPECTED[program])
    for code, covered in EXPECTED[program].items():
        diagnostic = by_code(diagnostics, code)
        assert document.text_of(diagnostic) == covered
        assert diagnostic.source == "dl-lsp"
        assert diagnostic.data["code"] == code
        assert diagnostic.data["version"] == document.version
        assert diagnostic.data["fix_data"], "the quick fix needs the finding's fix data"
    llm = by_code(diagnostics, "LLM")
    if session.caps.text_document.publish_diagnostics.related_information:  # type: ignore[union-attr]
        assert llm.related_information, "LLM points at the loss too"
        related = llm.related_information[0]
        assert "loss" in related.message.lower()
        assert related.location.uri == document.uri
        assert (
            "crossentropy" in document.text_of(types.Diagnostic(related.location.range, "")).lower()
        )
    else:  # Emacs says it cannot show them: not sent
        assert not llm.related_information


@pytest.mark.parametrize("program", EXPECTED)
async def test_hover_explains_the_rule_and_dlrepro_guidance(session: Session, program: str) -> None:
    document = open_program(session, program)
    diagnostics = await document.diagnostics()
    for code in EXPECTED[program]:
        diagnostic = by_code(diagnostics, code)
        hover = await document.hover(diagnostic.range.start)
        assert hover is not None, f"no hover on {code}"
        assert isinstance(hover.contents, types.MarkupContent)
        text = hover.contents.value
        assert code in text
        assert f"{BUG_TYPES[code]} bug" in text
        assert "Table 7" in text and "Table 8" in text
        assert "available here as a quick fix" in text
        if BUG_TYPES[code] == "model":
            assert "Logs (0.80)" in text and "Neural Network Construction (0.75)" in text
        else:
            assert "Code Snippet (0.9231)" in text and "Input Data Generation (0.6154)" in text
        assert hover.range == diagnostic.range


@pytest.mark.parametrize(("program", "code"), CASES)
async def test_each_quick_fix_removes_its_diagnostic(
    session: Session, program: str, code: str
) -> None:
    document = open_program(session, program)
    diagnostic = by_code(await document.diagnostics(), code)
    actions = await document.code_actions([diagnostic])
    fixes = [
        a
        for a in actions
        if a.kind == types.CodeActionKind.QuickFix and not a.title.startswith("Ignore")
    ]
    assert fixes, f"no quick fix for {code}: {[a.title for a in actions]}"
    fix = fixes[0]
    assert fix.edit is not None and list(fix.diagnostics or []) == [diagnostic]
    document.apply(fix.edit)
    assert FIXED_LINES[program][code] in document.text
    remaining = await document.diagnostics()
    assert code not in {d.code for d in remaining}, fix.title


@pytest.mark.parametrize(("program", "code"), CASES)
async def test_ignore_on_this_line(session: Session, program: str, code: str) -> None:
    document = open_program(session, program)
    diagnostic = by_code(await document.diagnostics(), code)
    actions = await document.code_actions([diagnostic])
    ignore = [a for a in actions if a.title == f"Ignore {code} on this line"]
    assert ignore and ignore[0].edit is not None
    document.apply(ignore[0].edit)
    assert f"# dl-lsp: ignore[{code}]" in document.text
    assert code not in {d.code for d in await document.diagnostics()}


@pytest.mark.parametrize("program", EXPECTED)
async def test_fix_all_applies_the_safe_fixes(session: Session, program: str) -> None:
    document = open_program(session, program)
    diagnostics = await document.diagnostics()
    actions = await document.code_actions([], where=diagnostics[0].range, only=[FIX_ALL])
    assert [a.kind for a in actions] == [FIX_ALL]
    action = actions[0]
    if action.edit is None:
        action = await session.client.code_action_resolve_async(action)
    assert action.edit is not None
    document.apply(action.edit)
    remaining = {d.code for d in await document.diagnostics()}
    assert "LLM" not in remaining  # safe: always applied
    if program == "keras_binary_classifier.py":
        assert {"LOB", "IBS"} <= remaining  # not safe: changing them is the user's call


async def test_a_request_for_an_old_version_gets_no_actions(session: Session) -> None:
    document = open_program(session, "keras_binary_classifier.py")
    old = by_code(await document.diagnostics(), "LOB")
    document.edit(
        [
            types.TextEdit(
                range=types.Range(
                    start=types.Position(line=0, character=0),
                    end=types.Position(line=0, character=0),
                ),
                new_text="# edited\n",
            )
        ]
    )
    assert await document.code_actions([old]) == []
    fresh = by_code(await document.diagnostics(), "LOB")
    assert await document.code_actions([fresh])


async def test_forged_diagnostic_data_is_not_trusted(session: Session) -> None:
    document = open_program(session, "keras_binary_classifier.py")
    real = by_code(await document.diagnostics(), "IBS")
    forged = types.Diagnostic(
        range=real.range,
        message=real.message,
        code="IBS",
        source="dl-lsp",
        data={
            "code": "IBS",
            "version": document.version,
            "fix_data": {
                "fixes": [
                    {
                        "title": "rm -rf",
                        "safe": True,
                        "edits": [
                            {"action": "replace_value", "span": [1, 0, 17, 0], "value": "boom"}
                        ],
                    }
                ]
            },
        },
    )
    actions = await document.code_actions([forged])
    titles = [a.title for a in actions]
    assert "rm -rf" not in titles
    assert "Set the batch size to 32" in titles


def test_a_bare_client_gets_fix_all_with_its_edit_and_plain_changes() -> None:
    """No codeAction/resolve, no documentChanges: the edit comes at once, as a `changes` map."""
    from tests.lsp.rpc import RawServer

    server = RawServer()
    try:
        server.initialize()
        uri = "file:///tmp/dl_lsp_bare/torch_model.py"
        server.open(uri, (PROGRAMS / "torch_softmax_crossentropy.py").read_text(encoding="utf-8"))
        diagnostics = server.diagnostics(uri, 1)
        answer = server.request(
            "textDocument/codeAction",
            {
                "textDocument": {"uri": uri},
                "range": diagnostics[0]["range"],
                "context": {"diagnostics": [], "only": [FIX_ALL]},
            },
        )
        [action] = answer["result"]
        assert action["kind"] == FIX_ALL
        [edit] = action["edit"]["changes"][uri]
        assert "softmax" not in edit["newText"]
    finally:
        server.close()
