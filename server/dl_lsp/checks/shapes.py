"""Tensor-shape rules (SHP5xx): sizes that do not line up between layers, data and labels."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from dl_lsp.checks.fix_data import (
    fix,
    fixes,
    insert_layer_after,
    replace_value,
    set_keyword,
    wrap_value,
)
from dl_lsp.checks.output_layer import LossModels, find_output
from dl_lsp.extract.shape_arithmetic import flattened_size, format_dims
from dl_lsp.facts import Framework, LayerFact, LayerKind, ModelFacts, ProblemType, Span
from dl_lsp.facts.shapes import LayerInputFact, SizeArgument
from dl_lsp.findings import Finding, Related
from dl_lsp.ruleset import Rule

if TYPE_CHECKING:
    from dl_lsp.checks import Check, CheckContext

_WHAT = {
    "in_features": "input features",
    "in_channels": "input channels",
    "num_features": "channels",
    "normalized_shape": "features",
    "input_size": "input features",
}
_CONSTANT = re.compile(r"[\d\s*+()-]+")
_MULTICLASS_LOSSES = frozenset(
    {
        "categorical_crossentropy",
        "sparse_categorical_crossentropy",
        "torch_cross_entropy",
        "torch_nll",
    }
)
# Layers that may sit between two layers without changing which axis the second one reads.
_TRANSPARENT = (LayerKind.DROPOUT, LayerKind.ACTIVATION, LayerKind.NORMALIZATION)
# Layers after which a Keras model's output is no longer a 4-D feature map.
_RESHAPING = (
    LayerKind.FLATTEN,
    LayerKind.GLOBAL_POOL,
    LayerKind.RESHAPE,
    LayerKind.RECURRENT,
    LayerKind.MERGE,
    LayerKind.OTHER,
    LayerKind.EMBEDDING,
)


def _constant(argument: SizeArgument) -> bool:
    """A size written as integer arithmetic (``400``, ``16 * 5 * 5``): safe to rewrite."""
    return _CONSTANT.fullmatch(argument.text) is not None


def _unique(records: tuple[LayerInputFact, ...]) -> Iterator[LayerInputFact]:
    """One record per layer: a layer applied twice is reported once."""
    seen: set[tuple[Span, str]] = set()
    for record in records:
        key = (record.layer.span, record.axis)
        if key not in seen:
            seen.add(key)
            yield record


def _origin(record: LayerInputFact) -> str:
    if record.input_size is None:
        return ""
    size = record.input_size
    return f"{format_dims(size.dims)} from {size.evidence.reason}"


def _size_fix(argument: SizeArgument | None, value: int, title: str) -> dict[str, Any] | None:
    if argument is None:
        return None
    return fixes(fix(title, replace_value(argument.span, value), safe=_constant(argument)))


def check_layer_sizes(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """SHP501: consecutive layers whose sizes do not line up."""
    yield from _keras_reshapes(context, rule)
    reported: set[Span] = set()
    for record in context.facts.shapes.layer_inputs:
        if record.flattened is not None or record.unflattened is not None:
            continue
        expected, actual = record.expects, record.receives
        if expected is None or actual is None or expected == actual:
            continue
        if record.layer.span in reported:
            continue
        reported.add(record.layer.span)
        what = _WHAT.get(record.axis, record.axis)
        values: dict[str, Any] = {
            "layer": record.layer.api,
            "expected": expected,
            "actual": actual,
            "what": what,
            "argument": record.axis,
        }
        title = f"Change {record.axis} → {actual}"
        if record.view_span is not None and record.view_argument is not None:
            yield rule.finding(
                "view_mismatch",
                record.layer.span,
                line=record.view_span.line,
                related=(Related(record.view_span, "the reshape that sets the size"),),
                **values,
            )
        elif record.producer is not None:
            yield rule.finding(
                "mismatch",
                record.layer.span,
                producer=record.producer.api,
                line=record.producer.span.line,
                related=(Related(record.producer.span, f"outputs {actual}"),),
                fix_data=_size_fix(record.argument, actual, title),
                **values,
            )
        elif record.input_size is not None:
            yield rule.finding(
                "input_mismatch",
                record.layer.span,
                origin=_origin(record),
                related=(Related(record.input_size.evidence.span, "the input size"),),
                fix_data=_size_fix(record.argument, actual, title),
                **values,
            )


def _keras_reshapes(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """A Keras ``Reshape`` whose target size differs from the Dense units before it."""
    targets = dict(context.facts.shapes.reshapes)
    if not targets:
        return
    units_arguments = dict(context.facts.shapes.units_arguments)
    for model in context.facts.models:
        if model.framework is not Framework.KERAS or not model.linear:
            continue
        for index, layer in enumerate(model.layers):
            target = targets.get(layer.span)
            if target is None:
                continue
            previous = _previous_shaping(model.layers, index)
            if previous is None or previous.kind is not LayerKind.DENSE or previous.units is None:
                continue
            written = units_arguments.get(previous.span)
            needed = flattened_size(target)
            if needed is None or needed == previous.units or written is None or written.from_caller:
                continue
            yield rule.finding(
                "keras_reshape",
                layer.span,
                target=format_dims(target),
                needed=needed,
                producer=previous.api,
                line=previous.span.line,
                actual=previous.units,
                related=(Related(previous.span, f"outputs {previous.units}"),),
                fix_data=fixes(
                    fix(f"Change the Dense units → {needed}", replace_value(written.span, needed))
                ),
            )


def check_flatten_size(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """SHP502: the Linear after a flatten against the size computed through conv/pool layers."""
    reported: set[Span] = set()
    for record in _unique(context.facts.shapes.layer_inputs):
        if record.flattened is None or record.axis != "in_features" or record.expects is None:
            continue
        computed = flattened_size(record.flattened)
        if computed is None:
            continue
        view, written = record.view_span, record.view_argument
        view_wrong = view is not None and written is not None and record.receives != computed
        if record.expects == computed and not view_wrong:
            continue
        values: dict[str, Any] = {
            "layer": record.layer.api,
            "expected": record.expects,
            "computed": computed,
            "dims": format_dims(record.flattened),
            "what": "feature map" if record.producer is not None else "input",
            "origin": f" (input {_origin(record)})" if record.input_size is not None else "",
            "suggestion": _linear_suggestion(record.layer, computed),
        }
        related = (
            (Related(record.input_size.evidence.span, "the input size"),)
            if record.input_size is not None
            else ()
        )
        if record.expects != computed:
            if record.layer.span in reported:
                continue
            reported.add(record.layer.span)
            edits = [replace_value(record.argument.span, computed)] if record.argument else []
            arguments = [record.argument] if record.argument else []
            if view_wrong and view is not None and written is not None:
                edits.append(replace_value(written.span, computed))
                arguments.append(written)
                yield rule.finding(
                    "flatten_view",
                    record.layer.span,
                    line=view.line,
                    written=written.text,
                    related=(*related, Related(view, "hard-codes the flattened size")),
                    fix_data=_flatten_fix(edits, arguments, "Change in_features and the reshape"),
                    **values,
                )
            else:
                yield rule.finding(
                    "flatten",
                    record.layer.span,
                    related=related,
                    fix_data=_flatten_fix(edits, arguments, f"Change in_features → {computed}"),
                    **values,
                )
        elif view is not None and written is not None and view not in reported:
            reported.add(view)
            yield rule.finding(
                "view",
                view,
                written=written.text,
                related=related,
                fix_data=_flatten_fix(
                    [replace_value(written.span, computed)], [written], f"Use {computed}"
                ),
                **values,
            )


def _linear_suggestion(layer: LayerFact, computed: int) -> str:
    if layer.units is not None:
        return f"{layer.api}({computed}, {layer.units})"
    return f"in_features={computed}"


def _flatten_fix(
    edits: list[dict[str, Any]], arguments: list[SizeArgument], title: str
) -> dict[str, Any] | None:
    if not edits:
        return None
    safe = all(_constant(argument) for argument in arguments)
    return fixes(fix(title, *edits, safe=safe))


def check_missing_flatten(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """SHP503: Dense/Linear on a convolutional feature map that was never flattened."""
    for model in context.facts.models:
        if model.framework is Framework.KERAS:
            yield from _keras_missing_flatten(model, rule)
    seen: set[Span] = set()
    for record in context.facts.shapes.layer_inputs:
        if record.unflattened is None or record.layer.span in seen:
            continue
        seen.add(record.layer.span)
        producer = record.producer.api if record.producer is not None else "the previous layer"
        yield rule.finding(
            "torch",
            record.layer.span,
            layer=record.layer.api,
            dims=_feature_map(record.unflattened),
            producer=producer,
        )


def _feature_map(dims: tuple[int | None, ...]) -> str:
    if all(size is not None for size in dims):
        return format_dims(dims)
    return f"{dims[0]}-channel" if dims and dims[0] is not None else "convolutional"


def _keras_missing_flatten(model: ModelFacts, rule: Rule) -> Iterator[Finding]:
    layers = model.layers
    if not model.linear or any(
        "UpSampling" in layer.api or "Transpose" in layer.api or "Deconv" in layer.api
        for layer in layers
    ):
        return
    for index, layer in enumerate(layers):
        if layer.kind is not LayerKind.DENSE:
            continue
        previous = _previous_shaping(layers, index)
        if previous is None or previous.kind not in (LayerKind.CONV, LayerKind.POOL):
            return  # only the first Dense decides: after it the feature map is consumed
        if (previous.conv_dims or 2) < 2:
            return
        rest = layers[index + 1 :]
        if any(later.kind not in (LayerKind.DENSE, *_TRANSPARENT) for later in rest):
            return  # flattened later: a per-position Dense is deliberate
        before = layers[index - 1]
        yield rule.finding(
            "keras",
            layer.span,
            layer=layer.api,
            previous=previous.api,
            related=(Related(previous.span, "the feature map comes from here"),),
            fix_data=fixes(
                fix("Add Flatten() before this layer", insert_layer_after(before.span, "Flatten"))
            ),
        )
        return


def _previous_shaping(layers: tuple[LayerFact, ...], index: int) -> LayerFact | None:
    """The nearest earlier layer that changes the shape (skipping dropout, activations, norms)."""
    for earlier in reversed(layers[:index]):
        if earlier.kind in _TRANSPARENT:
            continue
        return earlier
    return None


def check_stacked_recurrent(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """SHP504: stacked Keras RNNs need return_sequences=True on all but the last."""
    recurrent = {fact.span: fact for fact in context.facts.shapes.recurrent}
    for model in context.facts.models:
        if model.framework is not Framework.KERAS or not model.linear:
            continue
        layers = model.layers
        for index, layer in enumerate(layers):
            fact = recurrent.get(layer.span)
            if layer.kind is not LayerKind.RECURRENT or fact is None:
                continue
            if fact.return_sequences is not False:
                continue
            following = next(
                (later for later in layers[index + 1 :] if later.kind not in _TRANSPARENT), None
            )
            if following is None or following.kind is not LayerKind.RECURRENT:
                continue
            yield rule.finding(
                "missing",
                layer.span,
                layer=layer.api,
                next=following.api,
                line=following.span.line,
                fix_data=fixes(
                    fix(
                        "Set return_sequences=True",
                        set_keyword(fact.inner_span, "return_sequences", True),
                        safe=True,
                    )
                ),
            )


def check_output_classes(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """SHP505: a multi-class output layer needs one unit per class."""
    facts = context.facts
    data = facts.data
    classes, evidence = data.num_classes, data.num_classes_evidence
    if classes is None or classes < 2 or evidence is None:
        return
    if facts.problem_type in (ProblemType.MULTILABEL, ProblemType.REGRESSION):
        return
    if len({d.num_classes for d in data.datasets if d.num_classes is not None}) > 1:
        return
    units_arguments = dict(facts.shapes.units_arguments)
    reported: set[Span] = set()
    loss_models = LossModels(facts)
    for loss in facts.training.losses:
        if loss.name not in _MULTICLASS_LOSSES:
            continue
        model = loss_models.model_for(loss)
        output = find_output(model) if model is not None else None
        if output is None or output.units is None or output.units in (1, classes):
            continue
        layer = output.layer
        written = units_arguments.get(layer.span)
        if layer.span in reported or written is None or written.from_caller:
            continue
        reported.add(layer.span)
        name = (
            "out_features" if model is not None and model.framework is Framework.TORCH else "units"
        )
        from_dataset = any(d.span == evidence.span for d in data.datasets)
        data_fix = fixes(
            fix(
                f"Change the output units → {classes}",
                replace_value(written.span, classes),
                safe=from_dataset and written.literal,
            )
        )
        yield rule.finding(
            "mismatch",
            layer.span,
            units=output.units,
            classes=classes,
            evidence=evidence.reason,
            argument=name,
            related=(Related(evidence.span, f"{classes} classes"),),
            fix_data=data_fix,
        )


def check_embedding_vocabulary(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """SHP506: Embedding input dimension one short of a Keras Tokenizer's vocabulary."""
    for fact in context.facts.shapes.vocabularies:
        argument = fact.argument
        if fact.source == "word_index":
            yield rule.finding(
                "word_index",
                argument.span,
                argument=argument.name,
                text=argument.text,
                related=(Related(fact.source_span, "the vocabulary size"),),
                fix_data=fixes(
                    fix(f"Use {argument.text} + 1", wrap_value(argument.span, "{} + 1"), safe=True)
                ),
            )
        elif fact.num_words is not None and fact.input_dim is not None:
            yield rule.finding(
                "num_words",
                argument.span,
                argument=argument.name,
                value=fact.input_dim,
                words=fact.num_words,
                largest=fact.num_words - 1,
                line=fact.source_span.line,
                related=(Related(fact.source_span, f"num_words={fact.num_words}"),),
                fix_data=_size_fix(
                    argument, fact.num_words, f"Change {argument.name} → {fact.num_words}"
                ),
            )


CHECKS: dict[str, Check] = {
    "SHP501": check_layer_sizes,
    "SHP502": check_flatten_size,
    "SHP503": check_missing_flatten,
    "SHP504": check_stacked_recurrent,
    "SHP505": check_output_classes,
    "SHP506": check_embedding_vocabulary,
}
