"""DAT4xx: data-preparation bugs (paper 003: data bugs > 26%, 32% of bugs in data preparation;
paper 004: preprocessing is 38% of data-pipeline defects).

The Keras label-encoding mismatch (``categorical_crossentropy`` with integer labels,
``sparse_*`` with one-hot labels) is LLM's, in ``checks/output_layer.py``; DAT403 covers the
PyTorch side only, so no bug is reported twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from dl_lsp.checks.fix_data import fix, fixes, replace_value, set_keyword, wrap_value
from dl_lsp.facts import Framework, LayerKind, ModelFacts, ProgramFacts
from dl_lsp.facts.pipeline import ShuffleFact
from dl_lsp.findings import Finding, Related
from dl_lsp.ruleset import Rule

if TYPE_CHECKING:
    from dl_lsp.checks import Check, CheckContext


def _ordered_data(facts: ProgramFacts) -> bool:
    """Sequence models and time-series helpers: keeping the order may be deliberate."""
    if facts.pipeline.ordered_data:
        return True
    return any(layer.kind is LayerKind.RECURRENT for m in facts.models for layer in m.layers)


def _trains(item: ShuffleFact, facts: ProgramFacts) -> Related | None:
    """Where the unshuffled data is trained on, or None when it is not known to be."""
    loops = facts.training_loops.gradient_loops
    if item.kind == "dataloader":
        for loop in loops:
            if loop.framework == "torch" and item.name and loop.iterable == item.name:
                return Related(loop.span, "this training loop iterates it")
        for call in facts.training.fit_calls:
            if item.name and item.name in (call.x_name, call.y_name) and call.method == "fit":
                return Related(call.span, "trained here")
        # Named like a training loader: it trains if some training loop's data is unknown
        # here (a function's parameter, a wrapped iterable), not if every loop names its own.
        if item.trained == "named" and any(
            loop.framework == "torch" and (loop.iterable is None or loop.scope != "<module>")
            for loop in loops
        ):
            return Related(item.span, "a training loader")
        return None
    if item.used_at is None:
        return None
    if item.trained == "loop":
        tf_loops = {loop.span for loop in loops if loop.framework == "tensorflow"}
        return (
            Related(item.used_at, "this training loop iterates it")
            if item.used_at in tf_loops
            else None
        )
    return Related(item.used_at, "trained here")


def check_unshuffled_training_data(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """DAT401: training data whose order is never shuffled."""
    facts = context.facts
    if _ordered_data(facts):
        return
    for item in facts.pipeline.unshuffled:
        if item.iterable_dataset:
            continue
        where = _trains(item, facts)
        if where is None:
            continue
        related = (where,) if where.span != item.span else ()
        key, anchor, fix_data = _shuffle_finding(item)
        if item.shuffled_once and key in ("loader_default", "tf_data"):
            key += "_shuffled_once"
        yield rule.finding(
            key, anchor, related=related, fix_data=fix_data, name=item.name or "the data"
        )


def _shuffle_finding(item: ShuffleFact) -> tuple[str, Any, dict[str, Any] | None]:
    if item.kind == "dataloader":
        if item.shuffle_span is not None:
            return (
                "loader_false",
                item.shuffle_span,
                fixes(fix("Shuffle: shuffle=True", replace_value(item.shuffle_span, True))),
            )
        return (
            "loader_default",
            item.span,
            fixes(
                fix(
                    "Shuffle: shuffle=True",
                    set_keyword(item.span, "shuffle", True),
                    safe=item.map_style,
                )
            ),
        )
    if item.kind == "fit" and item.shuffle_span is not None:
        return (
            "fit_false",
            item.shuffle_span,
            fixes(fix("Shuffle: shuffle=True", replace_value(item.shuffle_span, True))),
        )
    if item.kind == "directory" and item.shuffle_span is not None:
        return (
            "directory_false",
            item.shuffle_span,
            fixes(fix("Shuffle: shuffle=True", replace_value(item.shuffle_span, True))),
        )
    return (
        "tf_data",
        item.span,
        fixes(
            fix(
                "Shuffle the dataset: .shuffle(buffer_size=1024)",
                wrap_value(item.span, "{}.shuffle(buffer_size=1024)"),
            )
        ),
    )


def check_scaler_leak(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """DAT402: a scaler fit on data that includes the test split."""
    for leak in context.facts.pipeline.leaks:
        if leak.order == "fit_then_split":
            related = (Related(leak.split, "the scaled data is split here, after the fit"),)
        else:
            related = (Related(leak.split, "a split part is transformed with it here"),)
        yield rule.finding(leak.order, leak.span, related=related, scaler=leak.scaler)


def check_one_hot_targets(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """DAT403: one-hot targets for CrossEntropyLoss/NLLLoss, which want class indices."""
    for item in context.facts.pipeline.one_hot_targets:
        if item.loss == "cross_entropy" and item.encoding == "float":
            continue  # read as class probabilities since PyTorch 1.10: correct, if slower
        key = "nll" if item.loss == "nll" else "cross_entropy_int"
        related = (Related(item.origin.span, f"one-hot labels come from {item.origin.reason}"),)
        yield rule.finding(
            key,
            item.span,
            related=related,
            fix_data=fixes(
                fix("Pass class indices: .argmax(dim=1)", wrap_value(item.span, "{}.argmax(dim=1)"))
            ),
            origin=item.origin.reason,
        )


def check_uint8_cast(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """DAT404: [0, 1] floats cast to uint8 (every pixel becomes 0 or 1)."""
    for item in context.facts.pipeline.uint8_casts:
        template = "({} * 255)" if item.receiver else "{} * 255"
        yield rule.finding(
            "unit_range",
            item.span,
            related=(Related(item.origin.span, f"values in [0, 1] from {item.origin.reason}"),),
            fix_data=fixes(fix("Scale back to 0..255 first", wrap_value(item.value, template))),
            origin=item.origin.reason,
        )


def _first_conv2d_models(facts: ProgramFacts) -> dict[str, ModelFacts]:
    """PyTorch models whose first layer is a Conv2d and that do not move axes themselves."""
    found: dict[str, ModelFacts] = {}
    for model in facts.models:
        if model.framework is not Framework.TORCH or not model.layers:
            continue
        if model.name in facts.pipeline.permuting_classes:
            continue
        first = model.layers[0]
        if first.kind is LayerKind.CONV and first.conv_dims == 2:
            for alias in model.aliases or (model.name,):
                found[alias] = model
    return found


def check_channels_last_input(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """DAT405: (N, H, W, C) images given to a PyTorch Conv2d, which wants (N, C, H, W)."""
    facts = context.facts
    models = _first_conv2d_models(facts)
    for item in facts.pipeline.channels_last_inputs:
        model = models.get(item.callee)
        if model is None:
            continue
        fix_data = None
        if item.tensor is not None and item.batched:
            fix_data = fixes(
                fix(
                    "Move channels first: .permute(0, 3, 1, 2)",
                    wrap_value(item.tensor, "{}.permute(0, 3, 1, 2)"),
                )
            )
        yield rule.finding(
            "channels_last",
            item.span,
            related=(
                Related(item.origin.span, f"channels-last images from {item.origin.reason}"),
                Related(model.layers[0].span, "the model's first layer is a Conv2d"),
            ),
            fix_data=fix_data,
            model=item.callee,
            origin=item.origin.reason,
        )


CHECKS: dict[str, Check] = {
    "DAT401": check_unshuffled_training_data,
    "DAT402": check_scaler_leak,
    "DAT403": check_one_hot_targets,
    "DAT404": check_uint8_cast,
    "DAT405": check_channels_last_input,
}
