"""A9 Downloading Models & Tokenizers: pretrained handles made explicit (a literal name for an
undefined one), fetched once into the local cache, and reported when they cannot be fetched."""

from __future__ import annotations

import ast
import re

from dl_lsp.repro.outcome import Gap, Missing, Options, Outcome, unchanged
from dl_lsp.repro.scene import Scene
from dl_lsp.repro.statements import MARK, insert_before_line

ACTION = "A9"
# Class-name prefix → the hub handle snippets of that family most often mean.
DEFAULT_HANDLES: dict[str, str] = {
    "Bert": "bert-base-uncased",
    "DistilBert": "distilbert-base-uncased",
    "Roberta": "roberta-base",
    "GPT2": "gpt2",
    "T5": "t5-small",
    "Auto": "bert-base-uncased",
}
_LOADERS = ("from_pretrained",)


def fetch_pretrained(scene: Scene, options: Options) -> Outcome:
    """The edit action: name each pretrained handle and check it can be fetched before use."""
    calls = [
        node
        for node in ast.walk(scene.tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in _LOADERS
        and node.args
    ]
    if not calls:
        return unchanged(scene)
    text = scene.text
    done: list[str] = []
    gaps: list[Gap] = []
    handles: list[str] = []
    for call in sorted(calls, key=lambda c: -c.lineno):
        argument = call.args[0]
        owner = ast.unparse(call.func.value) if isinstance(call.func, ast.Attribute) else ""
        if isinstance(argument, ast.Name) and argument.id in scene.undefined:
            handle = next(
                (h for prefix, h in DEFAULT_HANDLES.items() if owner.startswith(prefix)),
                "bert-base-uncased",
            )
            use = scene.undefined[argument.id]
            text = insert_before_line(
                text,
                use.statement_line,
                f"{argument.id} = {handle!r}\n",
                f"{ACTION} pretrained handle",
            )
            done.append(
                f"`{argument.id}` names the pretrained weights {handle!r} (a guess from `{owner}`)"
            )
            gaps.append(Gap(Missing.MODEL, f"which pretrained weights `{argument.id}` meant"))
            handles.append(handle)
        elif isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            handles.append(argument.value)
    if done:  # the fetch check comes on the next pass, on the new lines
        return Outcome(text, tuple(done), tuple(gaps))
    if handles and f"{MARK}: {ACTION} fetch" not in text:
        listed = ", ".join(repr(h) for h in dict.fromkeys(handles) if not re.match(r"^[./~]", h))
        if listed:
            first = min(call.lineno for call in calls)
            code = (
                "from huggingface_hub import snapshot_download\n"
                f"for _handle in [{listed}]:\n"
                "    try:\n"
                "        snapshot_download(_handle)  # fetched once, then read from the cache\n"
                "    except Exception as error:\n"
                '        print("cannot fetch", _handle, "-", error)\n'
            )
            text = insert_before_line(
                text, _statement_line(scene.tree, first), code, f"{ACTION} fetch"
            )
            done.append(
                f"fetches {listed} into the Hugging Face cache first, and says when it cannot"
            )
            gaps.append(Gap(Missing.MODEL, f"network access or a cached copy of {listed}"))
    if not done:
        return unchanged(scene)
    return Outcome(text, tuple(done), tuple(gaps))


def _statement_line(tree: ast.Module, line: int) -> int:
    for node in tree.body:
        if node.lineno <= line <= (node.end_lineno or node.lineno):
            return node.lineno
    return line
