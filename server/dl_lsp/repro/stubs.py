"""A7 Compiler Error Resolution, second half: stand-ins for the helpers a snippet leaves out
(``criterion``, ``optimizer``, ``device``, functions it calls but never shows)."""

from __future__ import annotations

from dl_lsp.facts import Framework
from dl_lsp.repro.data import data_roles
from dl_lsp.repro.hyperparameters import NAMESPACES, is_hyperparameter
from dl_lsp.repro.imports import import_for
from dl_lsp.repro.inference import Labels, infer_target
from dl_lsp.repro.network import MODEL_NAME
from dl_lsp.repro.outcome import Gap, Missing, Options, Outcome, unchanged
from dl_lsp.repro.scene import Scene
from dl_lsp.repro.statements import insert_before_line

ACTION = "A7"
_CRITERIA = frozenset({"criterion", "loss_fn", "loss_function", "criteria", "loss_func", "lossfn"})
_OPTIMIZERS = frozenset({"optimizer", "optimiser", "opt", "optim_fn"})


def stub_helpers(scene: Scene, options: Options) -> Outcome:
    """The edit action: define the loss, optimizer, device and helper functions a snippet uses
    without showing them."""
    torch = scene.framework is Framework.TORCH
    roles = data_roles(scene)
    blocks: dict[int, list[str]] = {}
    done: list[str] = []
    gaps: list[Gap] = []
    for name, use in scene.undefined.items():
        if name in roles or is_hyperparameter(name) or MODEL_NAME.match(name):
            continue
        if name in NAMESPACES and use.attributes:
            continue
        if import_for(name, scene.framework, scene.keras_style) is not None:
            continue
        code, what = _stub(scene, name, use.called, torch)
        if code is None:
            continue
        blocks.setdefault(use.statement_line, []).append(code)
        done.append(f"`{name}`: {what}")
        gaps.append(Gap(Missing.CODE, f"`{name}` was not shown ({what})"))
    if not blocks:
        return unchanged(scene)
    text = scene.text
    for line in sorted(blocks, reverse=True):
        text = insert_before_line(text, line, "".join(blocks[line]), f"{ACTION} stand-ins")
    return Outcome(text, tuple(done), tuple(gaps))


def _stub(scene: Scene, name: str, called: bool, torch: bool) -> tuple[str | None, str]:
    model = next((m for m in ("model", "net") if m in scene.bound), "model")
    if torch and name in _CRITERIA:
        target = infer_target(scene)
        loss = {
            Labels.INDEX: "nn.CrossEntropyLoss()",
            Labels.ONE_HOT: "nn.CrossEntropyLoss()",
            Labels.BINARY: "nn.BCELoss()"
            if scene.mentions(r"Sigmoid|sigmoid")
            else "nn.BCEWithLogitsLoss()",
            Labels.REAL: "nn.MSELoss()",
        }[target.labels]
        return f"{name} = {loss}\n", f"{loss} for {target.evidence}"
    if torch and name in _OPTIMIZERS and not called:
        return (
            f"{name} = optim.Adam({model}.parameters(), lr=1e-3)\n",
            "Adam with its default learning rate",
        )
    if name == "device" and not called and (torch or scene.mentions(r"\btorch\b")):
        return (
            'device = torch.device("cuda" if torch.cuda.is_available() else "cpu")\n',
            "the GPU when there is one",
        )
    if not torch and name in _OPTIMIZERS and not called:
        return f'{name} = "adam"\n', "Keras' Adam"
    if called:
        return (
            f"def {name}(*args, **kwargs):\n"
            f"    # The question does not show `{name}`: this stand-in returns its first argument.\n"
            "    return args[0] if args else None\n",
            "a stand-in that passes its first argument through",
        )
    return None, ""
