"""Recognise a layer constructor call (Keras or PyTorch) and read its configuration."""

from __future__ import annotations

import ast
import re
from functools import partial

from dl_lsp.extract.catalog import (
    ACTIVATION_ALIASES,
    ACTIVATION_CLASSES,
    KERAS_LAYERS,
    TORCH_LAYERS,
)
from dl_lsp.extract.context import ExtractionContext, argument, keyword
from dl_lsp.extract.names import framework_of, last_name
from dl_lsp.extract.scopes import Scope
from dl_lsp.facts import UNKNOWN_ACTIVATION, Framework, LayerFact, LayerKind

_DIMS = re.compile(r"([123])[dD]")


def layer_from_call(
    call: ast.Call, scope: Scope, context: ExtractionContext
) -> tuple[LayerFact, Framework] | None:
    """The layer a constructor call builds, or None when the call is not a known layer."""
    qualified = context.qualify(call.func)
    if qualified is None:
        return None
    name = qualified.rsplit(".", 1)[-1]
    framework = framework_of(qualified, context.dominant)
    if framework is Framework.KERAS and name in KERAS_LAYERS:
        root = qualified.split(".")[0]
        if root not in ("keras", "tensorflow", "tf_keras", *context.imports.bindings) and (
            "." in qualified
        ):
            return None  # ``something.Dense`` on an unknown object is not a Keras layer
        return _keras_layer(call, name, scope, context), framework
    if framework is Framework.TORCH and name in TORCH_LAYERS:
        return _torch_layer(call, name, scope, context), framework
    return None


_Layer = tuple[LayerFact, Framework]


def shared_layer_from_call(
    call: ast.Call, scope: Scope, context: ExtractionContext
) -> _Layer | None:
    """``layer_from_call`` read once per call and scope, and kept for the next version while
    the call is not edited: Sequential models, module classes and the shape tracer read the
    same constructor calls. (The functional tracer, which may read one call twice for a shared
    layer, builds its own facts.)"""
    # The scope matters: constants are looked up from it. A function's scope is known by its
    # node; there is one module scope.
    key = scope.node if scope.parent is not None else None
    return context.reused("layer", call, partial(layer_from_call, call, scope, context), key)


def normalise_activation(
    node: ast.AST | None, scope: Scope, context: ExtractionContext
) -> str | None:
    """'relu', 'softmax', ... for an activation argument; UNKNOWN_ACTIVATION when not literal."""
    if node is None:
        return None
    if isinstance(node, ast.Constant) and node.value is None:
        return "linear"
    text = context.resolver.string(node, scope)
    if text is not None:
        lowered = text.strip().lower()
        return ACTIVATION_ALIASES.get(lowered, lowered)
    if isinstance(node, ast.Call):
        called = last_name(node.func)
        if called in ACTIVATION_CLASSES:
            return ACTIVATION_CLASSES[called]
        return UNKNOWN_ACTIVATION
    called = last_name(node)
    if called is not None and isinstance(node, ast.Attribute):
        lowered = called.lower()
        return ACTIVATION_ALIASES.get(lowered, lowered)
    if isinstance(node, ast.Name):
        # A bare name that is an imported activation function (``from ... import relu``).
        qualified = context.qualify(node) or ""
        if ("." in qualified and "activation" in qualified) or qualified.startswith(
            "tensorflow.nn"
        ):
            return qualified.rsplit(".", 1)[-1].lower()
    return UNKNOWN_ACTIVATION


def _dims(name: str) -> int | None:
    match = _DIMS.search(name)
    return int(match.group(1)) if match else None


def _keras_layer(call: ast.Call, name: str, scope: Scope, context: ExtractionContext) -> LayerFact:
    kind = KERAS_LAYERS[name]
    resolve = context.resolver
    keywords = tuple(k.arg for k in call.keywords if k.arg)
    activation_node = keyword(call, "activation")
    activation = normalise_activation(activation_node, scope, context)
    fields: dict[str, object] = {}
    if kind is LayerKind.DENSE:
        fields["units"] = resolve.integer(argument(call, 0, "units", "output_dim"), scope)
        fields["in_features"] = resolve.integer(keyword(call, "input_dim"), scope)
    elif kind is LayerKind.CONV:
        fields["filters"] = resolve.integer(argument(call, 0, "filters", "nb_filter"), scope)
        fields["conv_dims"] = _dims(name)
        fields["kernel_size"] = _keras_kernel(call, scope, context)
        strides = keyword(call, "strides", "subsample")
        fields["strides"] = resolve.int_tuple(strides, scope) if strides is not None else None
        fields["padding"] = resolve.string(keyword(call, "padding", "border_mode"), scope)
    elif kind in (LayerKind.POOL, LayerKind.GLOBAL_POOL):
        pool = argument(call, 0, "pool_size")
        fields["pool_size"] = resolve.int_tuple(pool, scope) if pool is not None else None
        fields["conv_dims"] = _dims(name)
    elif kind is LayerKind.DROPOUT:
        fields["rate"] = resolve.number(argument(call, 0, "rate", "p"), scope)
    elif kind is LayerKind.ACTIVATION:
        if name == "Activation":
            activation = normalise_activation(argument(call, 0, "activation"), scope, context)
        else:
            activation = ACTIVATION_CLASSES.get(name, name.lower())
        activation_node = None
    elif kind is LayerKind.RECURRENT:
        fields["units"] = resolve.integer(argument(call, 0, "units", "output_dim"), scope)
        fields["return_sequences"] = resolve.value(keyword(call, "return_sequences"), scope) is True
    elif kind is LayerKind.EMBEDDING:
        fields["in_features"] = resolve.integer(argument(call, 0, "input_dim"), scope)
        fields["units"] = resolve.integer(argument(call, 1, "output_dim"), scope)
    elif kind is LayerKind.INPUT:
        shape = argument(call, 0, "shape", "input_shape")
        fields["input_shape"] = resolve.int_tuple(shape, scope) if shape is not None else None
    if kind is not LayerKind.INPUT:
        shape = keyword(call, "input_shape")
        if shape is not None:
            fields["input_shape"] = resolve.int_tuple(shape, scope)
        elif keyword(call, "input_dim") is not None:
            dim = resolve.integer(keyword(call, "input_dim"), scope)
            fields["input_shape"] = (dim,)
    return LayerFact(
        kind=kind,
        api=name,
        span=context.span(call),
        activation=activation,
        activation_span=context.span(activation_node) if activation_node is not None else None,
        keywords=keywords,
        **fields,  # type: ignore[arg-type]
    )


def _keras_kernel(
    call: ast.Call, scope: Scope, context: ExtractionContext
) -> tuple[int | None, ...] | None:
    """``kernel_size=(3, 3)``, or Keras 1's ``nb_row, nb_col`` (positional or keywords)."""
    resolve = context.resolver
    kernel = keyword(call, "kernel_size")
    if kernel is not None:
        return resolve.int_tuple(kernel, scope)
    rows = argument(call, 1, "nb_row", "kernel_dim1")
    columns = argument(call, 2, "nb_col", "kernel_dim2")
    if rows is not None and columns is not None:
        return (resolve.integer(rows, scope), resolve.integer(columns, scope))
    return resolve.int_tuple(rows, scope) if rows is not None else None


def _torch_layer(call: ast.Call, name: str, scope: Scope, context: ExtractionContext) -> LayerFact:
    kind = TORCH_LAYERS[name]
    resolve = context.resolver
    keywords = tuple(k.arg for k in call.keywords if k.arg)
    fields: dict[str, object] = {}
    activation: str | None = None
    if kind is LayerKind.DENSE:
        fields["in_features"] = resolve.integer(argument(call, 0, "in_features"), scope)
        fields["units"] = resolve.integer(argument(call, 1, "out_features"), scope)
        if name == "LazyLinear":
            fields["units"] = resolve.integer(argument(call, 0, "out_features"), scope)
            fields["in_features"] = None
    elif kind is LayerKind.CONV:
        fields["in_channels"] = resolve.integer(argument(call, 0, "in_channels"), scope)
        fields["filters"] = resolve.integer(argument(call, 1, "out_channels"), scope)
        fields["conv_dims"] = _dims(name)
        kernel = argument(call, 2, "kernel_size")
        fields["kernel_size"] = resolve.int_tuple(kernel, scope) if kernel is not None else None
        stride = argument(call, 3, "stride")
        fields["strides"] = resolve.int_tuple(stride, scope) if stride is not None else None
        padding = argument(call, 4, "padding")
        fields["padding"] = str(resolve.value(padding, scope)) if padding is not None else None
    elif kind in (LayerKind.POOL, LayerKind.GLOBAL_POOL):
        pool = argument(call, 0, "kernel_size", "output_size")
        fields["pool_size"] = resolve.int_tuple(pool, scope) if pool is not None else None
        fields["conv_dims"] = _dims(name)
    elif kind is LayerKind.DROPOUT:
        fields["rate"] = resolve.number(argument(call, 0, "p"), scope)
    elif kind is LayerKind.NORMALIZATION:
        fields["in_features"] = resolve.integer(argument(call, 0, "num_features"), scope)
    elif kind is LayerKind.ACTIVATION:
        activation = ACTIVATION_CLASSES.get(name, name.lower())
    elif kind is LayerKind.RECURRENT:
        fields["in_features"] = resolve.integer(argument(call, 0, "input_size"), scope)
        fields["units"] = resolve.integer(argument(call, 1, "hidden_size"), scope)
    elif kind is LayerKind.EMBEDDING:
        fields["in_features"] = resolve.integer(argument(call, 0, "num_embeddings"), scope)
        fields["units"] = resolve.integer(argument(call, 1, "embedding_dim"), scope)
    elif kind is LayerKind.FLATTEN:
        pass
    return LayerFact(
        kind=kind,
        api=f"nn.{name}",
        span=context.span(call),
        activation=activation,
        keywords=keywords,
        **fields,  # type: ignore[arg-type]
    )
