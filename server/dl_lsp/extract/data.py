"""Data facts: datasets, input type, number of classes and label encoding."""

from __future__ import annotations

import ast

from dl_lsp.extract.catalog import DATASETS, DatasetInfo
from dl_lsp.extract.context import ExtractionContext, argument, keyword
from dl_lsp.extract.scopes import Scope
from dl_lsp.facts import (
    DatasetFact,
    Evidence,
    InputType,
    LabelEncoding,
    ModelFacts,
    ProblemType,
)

_CLASS_COUNT_NAMES = frozenset(
    {
        "num_classes",
        "nb_classes",
        "n_classes",
        "number_of_classes",
        "num_class",
        "classes",
        "n_class",
        "NUM_CLASSES",
        "NB_CLASSES",
        "N_CLASSES",
    }
)
_ONE_HOT_CALLS = frozenset(
    {"to_categorical", "get_dummies", "OneHotEncoder", "one_hot", "LabelBinarizer"}
)
_INTEGER_LABEL_CALLS = frozenset({"LabelEncoder"})
_MULTILABEL_CALLS = frozenset({"MultiLabelBinarizer"})
_DIRECTORY_LOADERS = frozenset(
    {"flow_from_directory", "flow_from_dataframe", "image_dataset_from_directory"}
)
# Every call name ``collect_data_evidence`` reads (``dataset_of`` also reads ``tfds.*`` calls).
_EVIDENCE_CALLS = frozenset(
    {
        "load_data",
        "load",
        "imread",
        "IMREAD_COLOR",
        *DATASETS,
        *_DIRECTORY_LOADERS,
        *_ONE_HOT_CALLS,
        *_INTEGER_LABEL_CALLS,
        *_MULTILABEL_CALLS,
    }
)


def dataset_of(call: ast.Call, context: ExtractionContext) -> tuple[str, DatasetInfo] | None:
    """The dataset a loader call reads: ``mnist.load_data()``, ``datasets.CIFAR10(...)``, ..."""
    qualified = context.qualify(call.func) or ""
    parts = qualified.split(".")
    if parts[-1] == "load_data" and len(parts) >= 2 and parts[-2] in DATASETS:
        return parts[-2], DATASETS[parts[-2]]
    if (parts[-1] == "load" and "tensorflow_datasets" in qualified) or parts[0] == "tfds":
        name = context.resolver.string(argument(call, 0, "name"), context.module_scope)
        if name and name.split(":")[0] in DATASETS:
            key = name.split(":")[0]
            return key, DATASETS[key]
    name = parts[-1]
    if name in DATASETS and name not in (
        "mnist",
        "cifar10",
        "cifar100",
        "imdb",
        "reuters",
        "fashion_mnist",
        "boston_housing",
    ):
        return name, DATASETS[name]
    return None


def _directory_loader(
    call: ast.Call, context: ExtractionContext
) -> tuple[InputType | None, ProblemType | None]:
    scope = context.module_scope
    color = context.resolver.string(keyword(call, "color_mode"), scope) or "rgb"
    input_type = InputType.GRAYSCALE if color == "grayscale" else InputType.COLOR
    mode = context.resolver.string(keyword(call, "class_mode", "label_mode"), scope)
    problem = {
        "binary": ProblemType.BINARY,
        "categorical": ProblemType.MULTICLASS,
        "sparse": ProblemType.MULTICLASS,
        "int": ProblemType.MULTICLASS,
    }.get(mode or "")
    return input_type, problem


class DataEvidence:
    """Everything the data extractors saw, before it is frozen into DataFacts."""

    def __init__(self) -> None:
        self.datasets: list[DatasetFact] = []
        self.input_types: list[tuple[InputType, Evidence]] = []
        self.problem_types: list[tuple[ProblemType, Evidence]] = []
        self.num_classes: list[tuple[int, Evidence]] = []
        self.label_encoding: LabelEncoding | None = None


def collect_data_evidence(context: ExtractionContext) -> DataEvidence:
    evidence = DataEvidence()
    discarded_in: dict[int, set[int]] = {}  # per scope, filled when first needed
    # A name qualified into ``tfds`` is written so: without the word, the named calls suffice.
    tfds = "tfds" in context.source.text
    sites = context.calls.sites if tfds else context.calls.named(_EVIDENCE_CALLS)
    for site in sites:
        call, scope, name = site.node, site.scope, site.name
        if name not in _EVIDENCE_CALLS and not site.qualified.startswith("tfds"):
            continue  # neither a dataset loader nor a call read below
        found = dataset_of(call, context)
        if found is not None:
            key, info = found
            evidence.datasets.append(
                DatasetFact(
                    key,
                    context.span(call),
                    info.input_type,
                    info.num_classes,
                    info.problem_type,
                )
            )
            reason = f"{key} dataset"
            discarded = discarded_in.get(id(scope))
            if discarded is None:
                discarded = discarded_in[id(scope)] = _loaders_with_discarded_labels(scope)
            if id(call) in discarded:
                info = DatasetInfo(info.input_type, None, None, info.raw_range)
            if info.input_type is not None:
                evidence.input_types.append((info.input_type, Evidence(reason, context.span(call))))
            if info.problem_type is not None:
                evidence.problem_types.append(
                    (info.problem_type, Evidence(reason, context.span(call)))
                )
            if info.num_classes is not None:
                evidence.num_classes.append(
                    (info.num_classes, Evidence(reason, context.span(call)))
                )
            if info.num_classes and evidence.label_encoding is None:
                evidence.label_encoding = LabelEncoding.INTEGER
        if name in _DIRECTORY_LOADERS:
            input_type, problem = _directory_loader(call, context)
            reason = f"{name}(...)"
            if input_type is not None:
                evidence.input_types.append((input_type, Evidence(reason, context.span(call))))
            if problem is not None:
                evidence.problem_types.append((problem, Evidence(reason, context.span(call))))
        if name in _ONE_HOT_CALLS:
            evidence.label_encoding = LabelEncoding.ONE_HOT
            classes = context.resolver.integer(
                argument(call, 1, "num_classes", "nb_classes"), scope
            )
            if name == "to_categorical" and classes is not None:
                evidence.num_classes.append(
                    (classes, Evidence("to_categorical", context.span(call)))
                )
        elif name in _INTEGER_LABEL_CALLS and evidence.label_encoding is None:
            evidence.label_encoding = LabelEncoding.INTEGER
        elif name in _MULTILABEL_CALLS:
            evidence.problem_types.append(
                (ProblemType.MULTILABEL, Evidence("MultiLabelBinarizer", context.span(call)))
            )
        if name in ("imread", "IMREAD_COLOR"):
            flag = argument(call, 1, "flags")
            gray = flag is not None and (
                context.resolver.integer(flag, scope) == 0
                or "GRAYSCALE" in context.source.segment(flag)
            )
            kind = InputType.GRAYSCALE if gray else InputType.COLOR
            evidence.input_types.append((kind, Evidence("cv2.imread", context.span(call))))
    for name in _CLASS_COUNT_NAMES:
        for _, value in context.module_scope.assignments.get(name, []):
            count = context.resolver.integer(value, context.module_scope)
            if count is not None and count >= 2:
                evidence.num_classes.append(
                    (count, Evidence(f"{name} = {count}", context.span(value)))
                )
    return evidence


def _loaders_with_discarded_labels(scope: Scope) -> set[int]:
    """``(x_train, _), (x_test, _) = mnist.load_data()``: the labels are not used."""
    found: set[int] = set()
    for statement in scope.statements:
        if not (isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call)):
            continue
        names = [
            element.id
            for target in statement.targets
            for pair in ([target] if not isinstance(target, ast.Tuple) else target.elts)
            if isinstance(pair, ast.Tuple) and len(pair.elts) == 2
            for element in pair.elts[1:]
            if isinstance(element, ast.Name)
        ]
        if names and all(name.startswith("_") for name in names):
            found.add(id(statement.value))
    return found


def input_type_from_models(models: tuple[ModelFacts, ...]) -> tuple[InputType, str] | None:
    """Guess the input type from the first layers of the models (channels, Embedding, ...)."""
    for model in models:
        if not model.layers:
            continue
        first_conv = next((layer for layer in model.layers if layer.kind.value == "conv"), None)
        if any(layer.kind.value == "embedding" for layer in model.layers[:2]):
            return InputType.SEQUENCE, "Embedding input layer"
        shape = model.input_shape
        if first_conv is not None and first_conv.conv_dims == 2:
            channels = first_conv.in_channels
            if channels is None and shape is not None and len(shape) == 3:
                channels = _channels_of(shape)
            if channels == 3:
                return InputType.COLOR, "3 input channels"
            if channels == 1:
                return InputType.GRAYSCALE, "1 input channel"
        if first_conv is None and shape is not None and len(shape) == 1:
            return InputType.TABULAR, "1-D input shape"
    return None


def _channels_of(shape: tuple[int | None, ...]) -> int | None:
    last, first = shape[-1], shape[0]
    if last in (1, 3):
        return last
    if first in (1, 3):
        return first
    return None


def channels_of(shape: tuple[int | None, ...] | None) -> int | None:
    return _channels_of(shape) if shape and len(shape) == 3 else None
