"""A5 Logging: what a reproduction needs to print: the environment and seeds, the model's
summary and parameter count, the data's shapes, and the loss of each epoch."""

from __future__ import annotations

import ast
import re

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from dl_lsp.facts import Framework
from dl_lsp.repro.outcome import Gap, Missing, Options, Outcome, unchanged
from dl_lsp.repro.scene import KerasStyle, Scene
from dl_lsp.repro.statements import MARK, insert_after_header, insert_before_line

ACTION = "A5"
FINGERPRINT = "environment fingerprint and seeds"
SHAPES = "shapes of the data"
SUMMARY = "the model and its size"
EPOCH_LOSS = "loss per epoch"


def add_logging(scene: Scene, options: Options) -> Outcome:
    """The edit action: each kind of logging the file does not have yet."""
    text = scene.text
    done: list[str] = []
    for step in (_epoch_loss, _summary, _shapes, _fingerprint):
        new_text, what = step(read_text_scene(scene, text))
        if new_text != text:
            text = new_text
            done.append(what)
    if not done:
        return unchanged(scene)
    return Outcome(
        text, tuple(done), (Gap(Missing.LOGS, "the output or traceback the question saw"),)
    )


def read_text_scene(scene: Scene, text: str) -> Scene:
    if text == scene.text:
        return scene
    from dl_lsp.repro.scene import read_scene

    return read_scene(text)


def _marked(scene: Scene, label: str) -> bool:
    return f"{MARK}: {ACTION} {label}" in scene.text


def _fingerprint(scene: Scene) -> tuple[str, str]:
    if _marked(scene, FINGERPRINT):
        return scene.text, ""
    lines = ["import platform", "import random", *_imports(scene, "np", "import numpy as np")]
    report = ['"python", platform.python_version()', '"numpy", np.__version__']
    seeds = ["random.seed(0)", "np.random.seed(0)"]
    if scene.framework is Framework.TORCH or scene.mentions(r"\btorch\b"):
        lines += _imports(scene, "torch", "import torch")
        report += [
            '"torch", torch.__version__',
            '"CUDA", torch.version.cuda',
            '"GPUs", torch.cuda.device_count()',
        ]
        seeds.append("torch.manual_seed(0)")
    if scene.framework is Framework.KERAS or scene.mentions(r"\b(?:tf|tensorflow|keras)\b"):
        lines += _imports(scene, "tf", "import tensorflow as tf")
        report += [
            '"tensorflow", tf.__version__',
            '"GPUs", len(tf.config.list_physical_devices("GPU"))',
        ]
        seeds.append("tf.random.set_seed(0)")
    code = "\n".join([*lines, f"print({', '.join(report)})", *seeds]) + "\n"
    return insert_after_header(
        scene.text, code, f"{ACTION} {FINGERPRINT}"
    ), "printed the environment (versions, devices) and set the seeds"


def _imports(scene: Scene, name: str, statement: str) -> list[str]:
    return [] if name in scene.bound else [statement]


def _summary(scene: Scene) -> tuple[str, str]:
    if _marked(scene, SUMMARY) or re.search(r"\.summary\(\)|count_params|numel\(\)", scene.text):
        return scene.text, ""
    if scene.framework is Framework.TORCH:
        place = _first_top_level_assignment(scene.tree, ("model", "net"))
        if place is None:
            return scene.text, ""
        name, line = place
        code = f'print({name})\nprint("parameters:", sum(p.numel() for p in {name}.parameters()))\n'
        return _insert_after(
            scene.text, line, code, SUMMARY
        ), f"printed `{name}` and its parameter count"
    fit = _first_call_statement(scene.tree, "fit")
    if fit is None:
        return scene.text, ""
    name, line = fit
    return (
        insert_before_line(scene.text, line, f"{name}.summary()\n", f"{ACTION} {SUMMARY}"),
        f"`{name}.summary()` before training",
    )


def _shapes(scene: Scene) -> tuple[str, str]:
    if _marked(scene, SHAPES):
        return scene.text, ""
    for fit in scene.facts.training.fit_calls:
        if fit.method != "fit" or fit.x_name is None:
            continue
        names = [n for n in (fit.x_name, fit.y_name) if n and n.isidentifier()]
        if not names or _inside_function(scene.tree, fit.span.line):
            continue
        arguments = ", ".join(f'"{n}", getattr({n}, "shape", None)' for n in names)
        code = f"print({arguments})\n"
        return insert_before_line(
            scene.text, fit.span.line, code, f"{ACTION} {SHAPES}"
        ), "printed the shapes of the training data"
    return scene.text, ""


def _epoch_loss(scene: Scene) -> tuple[str, str]:
    """In a PyTorch training loop that prints nothing, print the loss at the end of each epoch."""
    if scene.framework is not Framework.TORCH or _marked(scene, EPOCH_LOSS):
        return scene.text, ""
    for node in ast.walk(scene.tree):
        if not isinstance(node, ast.For) or not isinstance(node.target, ast.Name):
            continue
        if not re.search(r"(?i)epoch|^e$|^ep$", node.target.id):
            continue
        body = ast.unparse(node)
        if "print(" in body or "backward()" not in body or not re.search(r"\bloss\b\s*=", body):
            continue
        code = f'print(f"epoch {{{node.target.id}}}: loss {{loss.item():.4f}}")'
        text = _append_to_loop(scene.text, node.lineno, code)
        return text, "printed the loss after each epoch"
    return scene.text, ""


def _inside_function(tree: ast.Module, line: int) -> bool:
    return any(
        isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        and node.lineno <= line <= (node.end_lineno or node.lineno)
        for node in tree.body
    )


def _first_top_level_assignment(tree: ast.Module, names: tuple[str, ...]) -> tuple[str, int] | None:
    for node in tree.body:
        target = node.targets[0] if isinstance(node, ast.Assign) else None
        if isinstance(target, ast.Name) and target.id in names:
            return target.id, node.end_lineno or node.lineno
    return None


def _first_call_statement(tree: ast.Module, method: str) -> tuple[str, int] | None:
    for node in tree.body:
        for call in ast.walk(node):
            if (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Attribute)
                and call.func.attr == method
                and isinstance(call.func.value, ast.Name)
            ):
                return call.func.value.id, node.lineno
    return None


def _insert_after(text: str, line: int, code: str, label: str) -> str:
    """Insert ``code`` after the statement that ends on ``line``."""
    return (
        insert_before_line(text, line + 1, code, f"{ACTION} {label}")
        if line < len(text.splitlines())
        else text + ("" if text.endswith("\n") else "\n") + f"{MARK}: {ACTION} {label}\n" + code
    )


class _AppendToLoop(cst.CSTTransformer):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, line: int, code: str) -> None:
        super().__init__()
        self.line = line
        self.code = code

    def leave_For(self, original: cst.For, updated: cst.For) -> cst.For:
        if self.get_metadata(PositionProvider, original).start.line != self.line:
            return updated
        if not isinstance(updated.body, cst.IndentedBlock):
            return updated
        statement = cst.parse_statement(self.code).with_changes(
            leading_lines=[cst.EmptyLine(comment=cst.Comment(f"{MARK}: {ACTION} {EPOCH_LOSS}"))]
        )
        return updated.with_changes(
            body=updated.body.with_changes(body=[*updated.body.body, statement])
        )


def _append_to_loop(text: str, line: int, code: str) -> str:
    module = MetadataWrapper(cst.parse_module(text))
    return module.visit(_AppendToLoop(line, code)).code


__all__ = ["ACTION", "KerasStyle", "add_logging"]
