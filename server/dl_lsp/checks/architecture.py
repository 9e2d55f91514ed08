"""Theia's architecture rules: CNL, INF, INN, IDS, MRD, MNL, ICL, IFL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from dl_lsp.checks.fix_data import (
    fix,
    fixes,
    insert_layer_after,
    remove_layer,
    replace_value,
    set_keyword,
)
from dl_lsp.checks.model_view import (
    blocks,
    bottleneck_index,
    has_unknown_layers,
    hidden_weighted,
    last_weighted_index,
    output_index,
)
from dl_lsp.extract.catalog import SATURATING_ACTIVATIONS
from dl_lsp.facts import Framework, InputType, LayerFact, LayerKind, ModelFacts
from dl_lsp.findings import Finding
from dl_lsp.ruleset import Rule

if TYPE_CHECKING:
    from dl_lsp.checks import Check, CheckContext

_IMAGE_INPUTS = (InputType.COLOR, InputType.GRAYSCALE)
_POOLING = (LayerKind.POOL, LayerKind.GLOBAL_POOL)
# Layers after which the width feeding the next Dense layer is not known (INN).
_UNKNOWN_WIDTH_AFTER = frozenset(
    {
        LayerKind.RECURRENT,
        LayerKind.EMBEDDING,
        LayerKind.FLATTEN,
        LayerKind.RESHAPE,
        LayerKind.MERGE,
        LayerKind.OTHER,
    }
)
# Layers that end a run of convolutions (IDS).
_ENDS_CONV_RUN = frozenset({*_POOLING, LayerKind.DENSE, LayerKind.FLATTEN, LayerKind.RECURRENT})


def _ordered_models(context: CheckContext) -> Iterator[ModelFacts]:
    """Models whose layer order is fully known."""
    return (model for model in context.facts.models if model.linear)


def _relu_fix(model: ModelFacts, layer: LayerFact) -> dict[str, object]:
    if model.framework is Framework.KERAS:
        return fixes(fix("Add activation='relu'", set_keyword(layer.span, "activation", "relu")))
    if layer.attribute is None:
        return fixes(fix("Add nn.ReLU() after this layer", insert_layer_after(layer.span, "ReLU")))
    return fixes()


def check_non_linearity(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """CNL: hidden layers need exactly one, non-saturating (for images) activation."""
    input_type = context.facts.input_type
    for model in _ordered_models(context):
        out = last_weighted_index(model)
        code_layer = bottleneck_index(model)
        is_cnn = model.is_cnn
        for block in blocks(model):
            activations = block.activations
            hidden = block.index != out
            layer = block.layer
            if hidden and not activations and layer.activation != "?" and block.index != code_layer:
                yield rule.finding(
                    "missing", layer.span, layer=layer.api, fix_data=_relu_fix(model, layer)
                )
                continue
            if len(activations) > 1:
                name, where, is_keyword = activations[1]
                span = where.activation_span if is_keyword and where.activation_span else where.span
                remove = remove_layer(where.span) if not is_keyword else None
                yield rule.finding(
                    "multiple",
                    span,
                    layer=layer.api,
                    first=activations[0][0],
                    second=name,
                    fix_data=fixes(fix(f"Remove the extra {name} activation", remove, safe=True))
                    if remove
                    else None,
                )
                continue
            saturating_scope = layer.kind is LayerKind.CONV or is_cnn
            if hidden and input_type in _IMAGE_INPUTS and saturating_scope:
                for name, where, is_keyword in activations:
                    if name in SATURATING_ACTIVATIONS:
                        span = (
                            where.activation_span
                            if is_keyword and where.activation_span
                            else where.span
                        )
                        data = (
                            fixes(fix("Use activation='relu'", replace_value(span, "relu")))
                            if is_keyword and where.activation_span
                            else None
                        )
                        yield rule.finding(
                            "saturating", span, layer=layer.api, activation=name, fix_data=data
                        )


def check_filter_counts(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """INF: filters within the bounds for the input type, not shrinking with depth."""
    input_type = context.facts.input_type
    bounds = (
        {
            InputType.COLOR: (rule.thresholds["color_min"], rule.thresholds["color_max"]),
            InputType.GRAYSCALE: (rule.thresholds["gray_min"], rule.thresholds["gray_max"]),
            InputType.TABULAR: (rule.thresholds["gray_min"], rule.thresholds["gray_max"]),
        }.get(input_type)
        if input_type
        else None
    )
    for model in context.facts.models:
        convs = [
            layer
            for layer in model.conv_layers
            if "Transpose" not in layer.api and "Deconv" not in layer.api
        ]
        decoder = any(
            layer.api.startswith(("UpSampling", "nn.Upsample")) for layer in model.layers
        ) or len(convs) != len(model.conv_layers)
        out = last_weighted_index(model)
        output_layer = model.layers[out] if out is not None else None
        previous: LayerFact | None = None
        for layer in convs:
            if layer is output_layer:
                continue  # the output of a decoder / segmentation model: filters = channels
            filters = layer.filters
            if filters is None:
                previous = None
                continue
            if bounds is not None and not bounds[0] <= filters <= bounds[1]:
                low, high = int(bounds[0]), int(bounds[1])
                key = "too_few" if filters < low else "too_many"
                target = low if filters < low else high
                yield rule.finding(
                    key,
                    layer.span,
                    filters=filters,
                    low=low,
                    high=high,
                    input_type=input_type.value if input_type else "",
                    target=target,
                )
            elif (
                model.linear
                and not decoder
                and previous is not None
                and previous.filters is not None
                and filters < previous.filters
            ):
                yield rule.finding(
                    "decreasing",
                    layer.span,
                    filters=filters,
                    previous=previous.filters,
                )
            previous = layer


def check_neuron_counts(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """INN: a hidden Dense layer should not be wider than its input."""
    for model in _ordered_models(context):
        out = output_index(model)
        code_layer = bottleneck_index(model)
        previous_weighted: LayerFact | None = None
        first = True
        for index, layer in enumerate(model.layers):
            if layer.kind in _UNKNOWN_WIDTH_AFTER:
                previous_weighted = None
                first = False
                continue
            if not layer.is_weighted:
                continue
            decoding = code_layer is not None and index > code_layer
            if (
                layer.kind is LayerKind.DENSE
                and index != out
                and layer.units is not None
                and not decoding
            ):
                size, source = _input_size(model, layer, previous_weighted, first)
                if size is not None and layer.units > size:
                    key = "wider_than_input" if first else "widening"
                    yield rule.finding(key, layer.span, units=layer.units, size=size, source=source)
            previous_weighted = layer
            first = False


def _input_size(
    model: ModelFacts, layer: LayerFact, previous: LayerFact | None, first: bool
) -> tuple[int | None, str]:
    if layer.in_features is not None:
        return layer.in_features, "input features" if first else "in_features"
    if first and model.input_shape is not None and len(model.input_shape) == 1:
        return model.input_shape[0], "input features"
    if previous is not None and previous.kind is LayerKind.DENSE and previous.units is not None:
        return previous.units, "units of the previous Dense layer"
    return None, ""


def check_downsampling(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """IDS: pooling after at most 4 convolutions, and before the classifier."""
    limit = int(rule.thresholds["max_consecutive_conv"])
    for model in _ordered_models(context):
        reported: set[int] = set()
        run: list[LayerFact] = []
        downsampled = False
        for layer in model.layers:
            if layer.kind is LayerKind.CONV:
                run.append(layer)
                if _is_strided(layer):
                    run = []
                    downsampled = True
                continue
            if layer.kind in _POOLING:
                downsampled = True
            if layer.kind in _ENDS_CONV_RUN:
                if len(run) > limit:
                    reported.add(id(run[-1]))
                    yield rule.finding(
                        "too_many_convs",
                        run[-1].span,
                        count=len(run),
                        limit=limit,
                        fix_data=_pool_fix(model, run[-1]),
                    )
                if (
                    layer.kind in (LayerKind.DENSE, LayerKind.FLATTEN)
                    and run
                    and not downsampled
                    and id(run[-1]) not in reported
                ):
                    reported.add(id(run[-1]))
                    yield rule.finding(
                        "no_pooling_before_classifier",
                        run[-1].span,
                        fix_data=_pool_fix(model, run[-1]),
                    )
                if layer.kind in _POOLING or layer.kind is LayerKind.DENSE:
                    run = []
        if len(run) > limit and id(run[-1]) not in reported:
            yield rule.finding(
                "too_many_convs",
                run[-1].span,
                count=len(run),
                limit=limit,
                fix_data=_pool_fix(model, run[-1]),
            )


def _is_strided(layer: LayerFact) -> bool:
    return layer.strides is not None and any((s or 1) > 1 for s in layer.strides)


def _pool_fix(model: ModelFacts, layer: LayerFact) -> dict[str, object]:
    dims = layer.conv_dims or 2
    if model.framework is Framework.KERAS:
        return fixes(
            fix(
                f"Add MaxPooling{dims}D after this layer",
                insert_layer_after(
                    layer.span, f"MaxPooling{dims}D", [[2] * dims if dims > 1 else 2]
                ),
            )
        )
    if layer.attribute is None:
        return fixes(
            fix(
                f"Add nn.MaxPool{dims}d(2) after this layer",
                insert_layer_after(layer.span, f"MaxPool{dims}d", [2]),
            )
        )
    return fixes()


def check_dropout(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """MRD: one Dropout per block at most; large models without any Dropout."""
    minimum = int(rule.thresholds["min_hidden_layers"])
    for model in context.facts.models:
        dropouts_in_model = sum(layer.kind is LayerKind.DROPOUT for layer in model.layers)
        if model.linear and dropouts_in_model > 1:  # a block with two needs two in the model
            for block in blocks(model, end=(LayerKind.DENSE, LayerKind.CONV)):
                dropouts = [layer for layer in block.following if layer.kind is LayerKind.DROPOUT]
                if len(dropouts) > 1:
                    yield rule.finding(
                        "redundant",
                        dropouts[1].span,
                        layer=block.layer.api,
                        fix_data=fixes(
                            fix(
                                "Remove the extra Dropout",
                                remove_layer(dropouts[1].span),
                                safe=True,
                            )
                        ),
                    )
        hidden = hidden_weighted(model)
        if (
            len(hidden) >= minimum
            and not dropouts_in_model
            and not has_unknown_layers(model)
            and output_index(model) is not None
        ):
            dense = [layer for _, layer in hidden if layer.kind is LayerKind.DENSE]
            anchor = dense[-1] if dense else hidden[-1][1]
            dropout_fix = (
                fixes(
                    fix(
                        "Add Dropout(0.5) after this layer",
                        insert_layer_after(anchor.span, "Dropout", [0.5]),
                    )
                )
                if model.framework is Framework.KERAS or anchor.attribute is None
                else None
            )
            yield rule.finding(
                "missing", anchor.span, count=len(hidden), minimum=minimum, fix_data=dropout_fix
            )


def check_normalization_layers(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """MNL: deep models should normalise activations (BatchNormalization)."""
    minimum = int(rule.thresholds["min_hidden_layers"])
    for model in context.facts.models:
        hidden = hidden_weighted(model)
        if len(hidden) < minimum or has_unknown_layers(model):
            continue
        if any(layer.kind is LayerKind.NORMALIZATION for layer in model.layers):
            continue
        anchor = hidden[0][1]
        yield rule.finding(
            "missing",
            anchor.span,
            count=len(hidden),
            minimum=minimum,
            fix_data=_batchnorm_fix(model, anchor),
        )


def _batchnorm_fix(model: ModelFacts, layer: LayerFact) -> dict[str, object] | None:
    if model.framework is Framework.KERAS:
        return fixes(
            fix(
                "Add BatchNormalization() after this layer",
                insert_layer_after(layer.span, "BatchNormalization"),
            )
        )
    width = layer.width
    if layer.attribute is None and width is not None:
        name = "BatchNorm2d" if layer.kind is LayerKind.CONV else "BatchNorm1d"
        return fixes(
            fix(
                f"Add nn.{name}({width}) after this layer",
                insert_layer_after(layer.span, name, [width]),
            )
        )
    return None


def check_conv_layer_count(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """ICL: enough convolution layers for the kind of images."""
    input_type = context.facts.input_type
    minimum = (
        {
            InputType.COLOR: int(rule.thresholds["color_min"]),
            InputType.GRAYSCALE: int(rule.thresholds["gray_min"]),
        }.get(input_type)
        if input_type
        else None
    )
    if minimum is None:
        return
    for model in context.facts.models:
        convs = [layer for layer in model.conv_layers if layer.conv_dims == 2]
        if convs and len(convs) < minimum and not has_unknown_layers(model):
            yield rule.finding(
                "too_few",
                convs[-1].span,
                count=len(convs),
                minimum=minimum,
                input_type=input_type.value if input_type else "",
            )


def check_fc_layer_count(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """IFL: a CNN should have at most three fully connected layers."""
    limit = int(rule.thresholds["max_dense_layers"])
    for model in context.facts.models:
        dense = model.dense_layers
        if model.is_cnn and len(dense) > limit:
            yield rule.finding("too_many", dense[limit].span, count=len(dense), limit=limit)


CHECKS: dict[str, Check] = {
    "CNL": check_non_linearity,
    "INF": check_filter_counts,
    "INN": check_neuron_counts,
    "IDS": check_downsampling,
    "MRD": check_dropout,
    "MNL": check_normalization_layers,
    "ICL": check_conv_layer_count,
    "IFL": check_fc_layer_count,
}
