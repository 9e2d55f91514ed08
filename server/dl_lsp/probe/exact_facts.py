"""Static facts in, runtime facts back: the probe's typed interface with the static rules.

Before the run, the static analysis tells the worker which frameworks to import and what it
knows of the data (``ShapeHints``, for a synthetic batch). After the run, the layer
configuration the framework built (``ObservedModel``: ``get_config()``, ``named_modules()``)
replaces the values the static extractor could not resolve (sizes from variables, activations
from parameters, models built by helpers), and the static checks run again on these exact
facts. Only what they report beyond the static run is returned.
"""

from __future__ import annotations

import ast
from dataclasses import replace

from dl_lsp.config import Settings
from dl_lsp.engine import analyze_source, kept_findings, run_checks, settings_with_pragmas
from dl_lsp.facts import Framework, LayerFact, LayerKind, ModelFacts, ProgramFacts, Span
from dl_lsp.probe.protocol import ShapeHints
from dl_lsp.probe.results import ObservedLayer, ObservedModel, ProbeFinding

_KERAS_KINDS: dict[str, LayerKind] = {
    "Dense": LayerKind.DENSE,
    "Conv1D": LayerKind.CONV,
    "Conv2D": LayerKind.CONV,
    "Conv3D": LayerKind.CONV,
    "SeparableConv2D": LayerKind.CONV,
    "DepthwiseConv2D": LayerKind.CONV,
    "MaxPooling1D": LayerKind.POOL,
    "MaxPooling2D": LayerKind.POOL,
    "MaxPooling3D": LayerKind.POOL,
    "AveragePooling1D": LayerKind.POOL,
    "AveragePooling2D": LayerKind.POOL,
    "GlobalAveragePooling1D": LayerKind.GLOBAL_POOL,
    "GlobalAveragePooling2D": LayerKind.GLOBAL_POOL,
    "GlobalMaxPooling1D": LayerKind.GLOBAL_POOL,
    "GlobalMaxPooling2D": LayerKind.GLOBAL_POOL,
    "Flatten": LayerKind.FLATTEN,
    "Dropout": LayerKind.DROPOUT,
    "SpatialDropout2D": LayerKind.DROPOUT,
    "BatchNormalization": LayerKind.NORMALIZATION,
    "LayerNormalization": LayerKind.NORMALIZATION,
    "Activation": LayerKind.ACTIVATION,
    "ReLU": LayerKind.ACTIVATION,
    "Softmax": LayerKind.ACTIVATION,
    "LeakyReLU": LayerKind.ACTIVATION,
    "InputLayer": LayerKind.INPUT,
    "Embedding": LayerKind.EMBEDDING,
    "LSTM": LayerKind.RECURRENT,
    "GRU": LayerKind.RECURRENT,
    "SimpleRNN": LayerKind.RECURRENT,
    "Bidirectional": LayerKind.RECURRENT,
    "Reshape": LayerKind.RESHAPE,
    "Rescaling": LayerKind.RESCALING,
    "Add": LayerKind.MERGE,
    "Concatenate": LayerKind.MERGE,
}
_TORCH_KINDS: dict[str, LayerKind] = {
    "Linear": LayerKind.DENSE,
    "Conv1d": LayerKind.CONV,
    "Conv2d": LayerKind.CONV,
    "Conv3d": LayerKind.CONV,
    "MaxPool1d": LayerKind.POOL,
    "MaxPool2d": LayerKind.POOL,
    "MaxPool3d": LayerKind.POOL,
    "AvgPool1d": LayerKind.POOL,
    "AvgPool2d": LayerKind.POOL,
    "AdaptiveAvgPool1d": LayerKind.GLOBAL_POOL,
    "AdaptiveAvgPool2d": LayerKind.GLOBAL_POOL,
    "AdaptiveMaxPool2d": LayerKind.GLOBAL_POOL,
    "Flatten": LayerKind.FLATTEN,
    "Dropout": LayerKind.DROPOUT,
    "Dropout2d": LayerKind.DROPOUT,
    "BatchNorm1d": LayerKind.NORMALIZATION,
    "BatchNorm2d": LayerKind.NORMALIZATION,
    "LayerNorm": LayerKind.NORMALIZATION,
    "Embedding": LayerKind.EMBEDDING,
    "LSTM": LayerKind.RECURRENT,
    "GRU": LayerKind.RECURRENT,
    "RNN": LayerKind.RECURRENT,
    "ReLU": LayerKind.ACTIVATION,
    "Sigmoid": LayerKind.ACTIVATION,
    "Tanh": LayerKind.ACTIVATION,
    "Softmax": LayerKind.ACTIVATION,
    "LogSoftmax": LayerKind.ACTIVATION,
    "LeakyReLU": LayerKind.ACTIVATION,
    "GELU": LayerKind.ACTIVATION,
    "ELU": LayerKind.ACTIVATION,
}
_TORCH_ACTIVATIONS = {
    "ReLU": "relu",
    "Sigmoid": "sigmoid",
    "Tanh": "tanh",
    "Softmax": "softmax",
    "LogSoftmax": "log_softmax",
    "LeakyReLU": "leaky_relu",
    "GELU": "gelu",
    "ELU": "elu",
}
_IMPORTED_FRAMEWORKS = {
    "torch": "torch",
    "torchvision": "torch",
    "tensorflow": "tensorflow",
    "keras": "keras",
    "tf_keras": "keras",
}
CONFIRMED_SUFFIX = " (found with the layer configuration the probe read at run time)"


# -- before the run ---------------------------------------------------------------------------


def hints_from_static(text: str, path: str) -> tuple[ShapeHints, list[str]]:
    """What the worker should import, and the data shapes the static analysis inferred."""
    analysis = analyze_source(text, path)
    facts = analysis.facts
    frameworks = sorted(_imported_frameworks(analysis.source.tree))
    shape: list[int | None] | None = None
    source = ""
    keras_model = next((m for m in facts.models if m.input_shape), None)
    if keras_model is not None and keras_model.input_shape is not None:
        shape, source = list(keras_model.input_shape), f"input shape of '{keras_model.name}'"
    else:
        traced = next((f.input_size for f in facts.shapes.layer_inputs if f.input_size), None)
        if traced is not None:
            shape, source = list(traced.dims), traced.evidence.reason
    hints = ShapeHints(
        input_shape=shape,
        input_shape_source=source,
        num_classes=facts.data.num_classes,
        input_type=facts.input_type.value if facts.input_type else None,
        problem_type=facts.problem_type.value if facts.problem_type else None,
    )
    return hints, frameworks


def _imported_frameworks(tree: ast.AST | None) -> set[str]:
    found: set[str] = set()
    if tree is None:
        return found
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            framework = _IMPORTED_FRAMEWORKS.get(name.split(".")[0])
            if framework:
                found.add(framework)
    return found


# -- after the run ----------------------------------------------------------------------------


def layer_facts(
    model: ObservedModel, span: Span, lines: list[str] | None = None
) -> tuple[LayerFact, ...]:
    """The observed layers as the static meta-model's layers: on the line that constructs each
    one when the probe saw it (and ``lines`` are given), else at ``span``."""
    table = _TORCH_KINDS if model.framework == "torch" else _KERAS_KINDS
    return tuple(
        _layer_fact(layer, table, model.framework, _line_span(layer.line, lines) or span)
        for layer in model.layers
    )


def _line_span(line: int | None, lines: list[str] | None) -> Span | None:
    """A line's code, from its indentation to its end."""
    if line is None or lines is None or not 0 < line <= len(lines):
        return None
    text = lines[line - 1]
    return Span(line, len(text) - len(text.lstrip()), line, len(text))


def _layer_fact(
    layer: ObservedLayer, table: dict[str, LayerKind], framework: str, span: Span
) -> LayerFact:
    config = layer.config
    kind = table.get(layer.type, LayerKind.OTHER)
    if framework == "torch":
        units = config.get("out_features") if kind is LayerKind.DENSE else None
        if kind is LayerKind.EMBEDDING:
            units = config.get("embedding_dim")
        filters = config.get("out_channels") if kind is LayerKind.CONV else None
        activation = _TORCH_ACTIVATIONS.get(layer.type)
        rate = config.get("p") if kind is LayerKind.DROPOUT else None
        return LayerFact(
            kind=kind,
            api=f"nn.{layer.type}",
            span=span,
            units=_int(units),
            in_features=_int(config.get("in_features") or config.get("num_embeddings")),
            filters=_int(filters),
            in_channels=_int(config.get("in_channels")),
            conv_dims=_conv_dims(layer.type),
            kernel_size=_ints(config.get("kernel_size")),
            strides=_ints(config.get("stride")),
            activation=activation,
            rate=float(rate) if isinstance(rate, (int, float)) else None,
            attribute=layer.name,
        )
    activation = config.get("activation")
    if layer.type == "ReLU":
        activation = "relu"
    elif layer.type == "Softmax":
        activation = "softmax"
    rate = config.get("rate")
    return LayerFact(
        kind=kind,
        api=layer.type,
        span=span,
        units=_int(config.get("units") or config.get("output_dim")),
        in_features=_int(config.get("input_dim")),
        filters=_int(config.get("filters")),
        conv_dims=_conv_dims(layer.type),
        kernel_size=_ints(config.get("kernel_size")),
        strides=_ints(config.get("strides")),
        padding=config.get("padding") if isinstance(config.get("padding"), str) else None,
        pool_size=_ints(config.get("pool_size")),
        activation=activation if isinstance(activation, str) else None,
        rate=float(rate) if isinstance(rate, (int, float)) else None,
        return_sequences=config.get("return_sequences")
        if isinstance(config.get("return_sequences"), bool)
        else None,
        attribute=layer.name,
    )


def merged_model(
    static: ModelFacts | None, observed: ObservedModel, span: Span, lines: list[str] | None = None
) -> ModelFacts | None:
    """The static model with the values it lacked filled in from the observed one.

    Layers are matched one to one, in order, on their kind; when the two lists do not line up
    (helpers, branches, functional activations the runtime does not list), the static model is
    kept unchanged. A model the static analysis did not see is built from the observed layers.
    """
    observed_layers = [
        layer for layer in layer_facts(observed, span, lines) if layer.kind is not LayerKind.INPUT
    ]
    framework = Framework.TORCH if observed.framework == "torch" else Framework.KERAS
    if static is None:
        linear = observed.type in ("Sequential", "Functional") or framework is Framework.KERAS
        input_shape = (
            tuple(observed.batch_shape[1:])
            if observed.batch_shape and framework is Framework.KERAS
            else None
        )
        return ModelFacts(
            observed.variable or observed.type,
            framework,
            span,
            tuple(observed_layers),
            linear=linear and observed.type == "Sequential",
            input_shape=input_shape,
        )
    compared = [layer for layer in static.layers if _comparable(layer, framework)]
    runtime = [layer for layer in observed_layers if _comparable(layer, framework)]
    if len(compared) != len(runtime) or any(
        a.kind is not b.kind for a, b in zip(compared, runtime, strict=False)
    ):
        return None
    filled = {id(a): _filled(a, b) for a, b in zip(compared, runtime, strict=False)}
    layers = tuple(filled.get(id(layer), layer) for layer in static.layers)
    return replace(static, layers=layers)


def _comparable(layer: LayerFact, framework: Framework) -> bool:
    if framework is Framework.TORCH:
        return layer.kind in (
            LayerKind.DENSE,
            LayerKind.CONV,
            LayerKind.EMBEDDING,
            LayerKind.RECURRENT,
        )
    return layer.kind is not LayerKind.INPUT


def _filled(static: LayerFact, exact: LayerFact) -> LayerFact:
    changes = {}
    for name in (
        "units",
        "in_features",
        "filters",
        "in_channels",
        "kernel_size",
        "strides",
        "pool_size",
        "rate",
        "return_sequences",
        "padding",
    ):
        if getattr(static, name) is None and getattr(exact, name) is not None:
            changes[name] = getattr(exact, name)
    if static.activation == "?" and exact.activation is not None:
        changes["activation"] = exact.activation
    return replace(static, **changes) if changes else static


def rerun_static_rules(
    text: str, path: str, observed: ObservedModel, settings: Settings | None = None
) -> list[ProbeFinding]:
    """The static rules on the exact model: what they find beyond the static run."""
    settings = settings or Settings()
    analysis = analyze_source(text, path, settings)
    lines = text.splitlines()
    span = _line_span(observed.line or 1, lines) or Span(1, 0, 1, 0)
    static = _static_model(analysis.facts, observed)
    merged = merged_model(static, observed, span, lines)
    if merged is None or merged == static:
        return []
    models = tuple(merged if model is static else model for model in analysis.facts.models)
    if static is None:
        models = (*models, merged)
    facts: ProgramFacts = replace(analysis.facts, models=models)
    facts = _with_learning_rate(facts, observed)
    effective = settings_with_pragmas(settings, analysis.source)
    found, _ = run_checks(facts, effective)
    before = {(f.code, f.span.line, f.message) for f in analysis.findings}
    return [
        ProbeFinding(
            code=f.code,
            name=f.name,
            bug_type=f.bug_type.value,
            severity=f.severity.value,
            line=f.span.line,
            column=f.span.column,
            end_column=f.span.end_column if f.span.end_line == f.span.line else None,
            message=f.message + CONFIRMED_SUFFIX,
        )
        for f in kept_findings(found, analysis.source, effective)
        if (f.code, f.span.line, f.message) not in before
    ]


def _static_model(facts: ProgramFacts, observed: ObservedModel) -> ModelFacts | None:
    framework = Framework.TORCH if observed.framework == "torch" else Framework.KERAS
    candidates = [m for m in facts.models if m.framework is framework]
    for model in candidates:
        if observed.variable and (
            observed.variable == model.name or observed.variable in model.aliases
        ):
            return model
        if model.name == observed.type:
            return model
    return candidates[0] if len(candidates) == 1 else None


def _with_learning_rate(facts: ProgramFacts, observed: ObservedModel) -> ProgramFacts:
    optimizers = facts.training.optimizers
    if (
        observed.learning_rate is None
        or len(optimizers) != 1
        or optimizers[0].learning_rate is not None
    ):
        return facts
    if optimizers[0].learning_rate_keyword is None:
        return facts  # the framework's default: LOB never judges defaults
    exact = replace(optimizers[0], learning_rate=observed.learning_rate)
    return replace(facts, training=replace(facts.training, optimizers=(exact,)))


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _ints(value: object) -> tuple[int, ...] | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, int) for v in value):
        return tuple(value)
    return None


def _conv_dims(name: str) -> int | None:
    for dims in (1, 2, 3):
        if name.endswith((f"{dims}d", f"{dims}D")) and "Conv" in name:
            return dims
    return None
