"""What synthetic data and stand-in models look like: shapes, dtypes, ranges and classes
inferred from the analysis's facts (the model's input shape, the loss, the data facts)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from dl_lsp.facts import Framework
from dl_lsp.facts.data import InputType, LabelEncoding, ProblemType
from dl_lsp.facts.model import LayerKind, ModelFacts
from dl_lsp.repro.scene import Scene

TRAIN_SAMPLES = 256
EVAL_SAMPLES = 64
DEFAULT_FEATURES = 20
DEFAULT_CLASSES = 10
DEFAULT_SEQUENCE_LENGTH = 100
DEFAULT_VOCABULARY = 1000


class Labels(str, Enum):
    INDEX = "index"  # integer class indices
    ONE_HOT = "one_hot"
    BINARY = "binary"  # 0/1 floats, one column per output
    REAL = "real"  # regression targets


@dataclass(frozen=True)
class InputSpec:
    """One sample's shape (without the batch axis) and its values."""

    shape: tuple[int, ...]
    integer: bool = False  # token ids
    high: int = 1  # values in [0, high): 1 for floats in [0, 1), 256 for raw pixels, vocabulary
    evidence: str = ""


@dataclass(frozen=True)
class TargetSpec:
    labels: Labels
    width: int  # classes for INDEX/ONE_HOT, output columns otherwise
    evidence: str = ""
    known: bool = True  # False: nothing in the file says what the labels are


def main_model(scene: Scene) -> ModelFacts | None:
    """The model the file trains (the one with the most layers)."""
    models = [m for m in scene.facts.models if m.layers]
    return max(models, key=lambda m: len(m.layers)) if models else None


def infer_input(scene: Scene, framework: Framework | None) -> InputSpec:
    """The input one sample has, from the model's first layers, else from the data facts."""
    model = main_model(scene)
    if model is not None:
        found = _input_from_model(model)
        if found is not None:
            return found
    data = scene.facts.data
    input_type = scene.facts.input_type or data.input_type
    torch = framework is Framework.TORCH
    if input_type is InputType.GRAYSCALE:
        return InputSpec((1, 28, 28) if torch else (28, 28, 1), evidence="grayscale images")
    if input_type is InputType.COLOR:
        return InputSpec((3, 32, 32) if torch else (32, 32, 3), evidence="colour images")
    if input_type is InputType.SEQUENCE:
        return InputSpec(
            (DEFAULT_SEQUENCE_LENGTH,), integer=True, high=DEFAULT_VOCABULARY, evidence="sequences"
        )
    if data.feature_count:
        return InputSpec((data.feature_count,), evidence=f"{data.feature_count} features")
    return InputSpec((DEFAULT_FEATURES,), evidence="no input shape in the snippet: a default")


_TRANSPARENT = frozenset(
    {LayerKind.INPUT, LayerKind.DROPOUT, LayerKind.ACTIVATION, LayerKind.FLATTEN, LayerKind.RESHAPE}
)


def _input_from_model(model: ModelFacts) -> InputSpec | None:
    torch = model.framework is Framework.TORCH
    if model.input_shape and all(isinstance(d, int) for d in model.input_shape):
        shape = tuple(int(d) for d in model.input_shape if d is not None)
        first = model.layers[0]
        if first.kind is LayerKind.EMBEDDING:
            return InputSpec(shape, integer=True, high=first.in_features or DEFAULT_VOCABULARY)
        return InputSpec(shape, evidence=f"the model's input shape {shape}")
    for layer in model.layers:
        if layer.kind is LayerKind.EMBEDDING:
            vocabulary = layer.in_features or DEFAULT_VOCABULARY
            return InputSpec(
                (DEFAULT_SEQUENCE_LENGTH,), integer=True, high=vocabulary, evidence="an Embedding"
            )
        if layer.kind is LayerKind.DENSE and layer.in_features:
            return InputSpec((layer.in_features,), evidence=f"{layer.in_features} input features")
        if layer.kind is LayerKind.CONV and torch and layer.in_channels:
            side = 28 if layer.in_channels == 1 else 32
            dims = layer.conv_dims or 2
            shape = (layer.in_channels, *([side] * dims))
            return InputSpec(shape, evidence=f"{layer.in_channels} input channels")
        if layer.kind is LayerKind.RECURRENT and torch and layer.in_features:
            return InputSpec((10, layer.in_features), evidence="a recurrent layer's input size")
        if layer.kind not in _TRANSPARENT:
            break
    return None


def infer_target(scene: Scene) -> TargetSpec:
    """What the labels look like: from the loss, the last layer and the data facts."""
    classes = _classes(scene)
    loss = scene.facts.training.losses[0].name if scene.facts.training.losses else ""
    if not loss:
        written = _TORCH_LOSS.search(scene.text)
        loss = written.group(1) if written else ""
    lowered = loss.lower()
    outputs = _output_units(scene)
    problem = scene.facts.problem_type
    if "sparse" in lowered or loss in ("CrossEntropyLoss", "NLLLoss"):
        return TargetSpec(Labels.INDEX, classes or outputs or DEFAULT_CLASSES, f"the loss {loss}")
    if "categorical" in lowered:
        width = classes or outputs or DEFAULT_CLASSES
        if re.search(r"\bto_categorical\s*\(", scene.text):
            return TargetSpec(Labels.INDEX, width, "labels one-hot encoded by to_categorical")
        return TargetSpec(Labels.ONE_HOT, width, f"the loss {loss}")
    if "binary" in lowered or loss in ("BCELoss", "BCEWithLogitsLoss"):
        return TargetSpec(Labels.BINARY, outputs or 1, f"the loss {loss}")
    if lowered in ("mse", "mae", "mean_squared_error", "mean_absolute_error", "huber") or loss in (
        "MSELoss",
        "L1Loss",
        "SmoothL1Loss",
        "HuberLoss",
    ):
        return TargetSpec(Labels.REAL, outputs or 1, f"the loss {loss}")
    if problem is ProblemType.REGRESSION:
        return TargetSpec(Labels.REAL, outputs or 1, "a regression model")
    if problem is ProblemType.BINARY or outputs == 1:
        return TargetSpec(Labels.BINARY, 1, "a binary classifier (one output unit)")
    if scene.facts.data.label_encoding is LabelEncoding.ONE_HOT:
        return TargetSpec(Labels.ONE_HOT, classes or outputs or DEFAULT_CLASSES, "one-hot labels")
    width = classes or outputs or DEFAULT_CLASSES
    known = bool(classes or outputs)
    return TargetSpec(Labels.INDEX, width, "class indices (no loss in the snippet)", known)


_TORCH_LOSS = re.compile(
    r"\b(BCELoss|BCEWithLogitsLoss|CrossEntropyLoss|NLLLoss|MSELoss|L1Loss|SmoothL1Loss)\("
)


def _classes(scene: Scene) -> int | None:
    if scene.facts.data.num_classes:
        return scene.facts.data.num_classes
    for dataset in scene.facts.data.datasets:
        if dataset.num_classes:
            return dataset.num_classes
    return None


def _output_units(scene: Scene) -> int | None:
    model = main_model(scene)
    if model is None:
        return None
    for layer in reversed(model.layers):
        if layer.kind is LayerKind.DENSE:
            return layer.units
    return None


def problem_of(target: TargetSpec) -> ProblemType:
    if target.labels is Labels.REAL:
        return ProblemType.REGRESSION
    if target.labels is Labels.BINARY:
        return ProblemType.BINARY if target.width == 1 else ProblemType.MULTILABEL
    return ProblemType.MULTICLASS
