"""A2 Neural Network Construction: a model the snippet uses but never defines gets a definition
consistent with the data facts and the problem type."""

from __future__ import annotations

import ast
import math
import re

from dl_lsp.facts import Framework
from dl_lsp.repro.hyperparameters import pending_hyperparameters
from dl_lsp.repro.inference import InputSpec, Labels, TargetSpec, infer_input, infer_target
from dl_lsp.repro.outcome import Gap, Missing, Options, Outcome, unchanged
from dl_lsp.repro.scene import Scene
from dl_lsp.repro.statements import insert_before_line

ACTION = "A2"
MODEL_NAME = re.compile(
    r"^(?:model|net|network|clf|classifier|cnn|rnn|lstm_model|my_model|mlp|model\d)$"
)
_MODEL_USES = frozenset(
    {
        "fit",
        "compile",
        "add",
        "predict",
        "evaluate",
        "summary",
        "parameters",
        "train",
        "eval",
        "to",
        "cuda",
        "state_dict",
        "load_state_dict",
        "forward",
        "zero_grad",
        "save",
        "layers",
    }
)


def construct_network(scene: Scene, options: Options) -> Outcome:
    """The edit action: define each undefined model before its first use."""
    if pending_hyperparameters(scene):
        return unchanged(scene)  # the data's shape may depend on them: next pass
    text = scene.text
    done: list[str] = []
    for name, use in sorted(scene.undefined.items(), key=lambda item: -item[1].statement_line):
        if not MODEL_NAME.match(name):
            continue
        if not (use.attributes & _MODEL_USES or use.called):
            continue
        code, what = _definition(scene, name, use.attributes)
        text = insert_before_line(text, use.statement_line, code, f"{ACTION} stand-in model")
        done.append(f"`{name}`: {what}")
    if not done:
        return unchanged(scene)
    gap = Gap(Missing.MODEL, "the question's model (a stand-in was built)")
    return Outcome(text, tuple(done), (gap,))


def _definition(scene: Scene, name: str, attributes: frozenset[str]) -> tuple[str, str]:
    framework = scene.framework
    spec = infer_input(scene, framework)
    target = infer_target(scene)
    if framework is Framework.TORCH:
        module = _module_class(scene.tree)
        if module is not None:
            return f"{name} = {module}()\n", f"an instance of the file's `{module}`"
        return (
            f"{name} = {_torch_model(spec, target)}\n",
            "a small nn.Sequential for the inferred data",
        )
    builder = _builder_function(scene.tree)
    if builder is not None:
        return f"{name} = {builder}()\n", f"built by the file's `{builder}()`"
    if "add" in attributes:
        return f"{name} = Sequential()\n", "an empty Sequential the file's `add` calls fill"
    code = f"{name} = {_keras_model(spec, target)}\n"
    if "compile" not in attributes and not re.search(r"\.compile\(", scene.text):
        code += f'{name}.compile(optimizer="adam", loss={_keras_loss(target)!r}, metrics=["accuracy"])\n'
    return code, "a small Sequential model for the inferred data and problem"


def _module_class(tree: ast.Module) -> str | None:
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and any(
            ast.unparse(base).endswith("Module") for base in node.bases
        ):
            init = next(
                (f for f in node.body if isinstance(f, ast.FunctionDef) and f.name == "__init__"),
                None,
            )
            required = 0 if init is None else len(init.args.args) - 1 - len(init.args.defaults)
            if required == 0:
                return node.name
    return None


def _builder_function(tree: ast.Module) -> str | None:
    for node in tree.body:
        if (
            isinstance(node, ast.FunctionDef)
            and re.search(r"(?i)model|net|build|create", node.name)
            and len(node.args.args) == len(node.args.defaults)
        ):
            return node.name
    return None


def _outputs(target: TargetSpec) -> tuple[int, str]:
    if target.labels in (Labels.INDEX, Labels.ONE_HOT):
        return target.width, "softmax"
    if target.labels is Labels.BINARY:
        return target.width, "sigmoid"
    return target.width, "linear"


def _keras_model(spec: InputSpec, target: TargetSpec) -> str:
    units, activation = _outputs(target)
    shape = ", ".join(map(str, spec.shape)) + ("," if len(spec.shape) == 1 else "")
    layers = [f"Input(shape=({shape}))"]
    if spec.integer:
        layers += [f"Embedding({spec.high}, 32)", "GlobalAveragePooling1D()"]
    elif len(spec.shape) > 1:
        layers.append("Flatten()")
    layers += ['Dense(64, activation="relu")', f'Dense({units}, activation="{activation}")']
    return "Sequential([" + ", ".join(layers) + "])"


def _keras_loss(target: TargetSpec) -> str:
    return {
        Labels.INDEX: "sparse_categorical_crossentropy",
        Labels.ONE_HOT: "categorical_crossentropy",
        Labels.BINARY: "binary_crossentropy",
        Labels.REAL: "mse",
    }[target.labels]


def _torch_model(spec: InputSpec, target: TargetSpec) -> str:
    units, activation = _outputs(target)
    if spec.integer:
        head = f"nn.Embedding({spec.high}, 32), nn.Flatten(), nn.Linear({32 * spec.shape[0]}, 64)"
    else:
        features = math.prod(spec.shape)
        head = f"nn.Flatten(), nn.Linear({features}, 64)"
    tail = ", nn.Sigmoid()" if activation == "sigmoid" else ""
    return f"nn.Sequential({head}, nn.ReLU(), nn.Linear(64, {units}){tail})"
