"""TRN3xx: training-loop bugs that do not crash (paper 004: 72% of training defects).

Each check reads ``ProgramFacts.training_loops`` (see ``extract.training_loop``) and the
models, and stays silent when the loop or the model is not known well enough.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from dl_lsp.checks.fix_data import fix, fixes, wrap_value
from dl_lsp.facts import Framework, LayerKind, ModelFacts, ProgramFacts
from dl_lsp.findings import Finding, Related
from dl_lsp.ruleset import Rule

if TYPE_CHECKING:
    from dl_lsp.checks import Check, CheckContext


def torch_model_names(facts: ProgramFacts, *, stochastic_only: bool = False) -> set[str]:
    """Names of PyTorch models; with ``stochastic_only``, those with dropout or batch norm."""
    names: set[str] = set()
    for model in facts.models:
        if model.framework is not Framework.TORCH:
            continue
        if stochastic_only and not _has_train_mode_layers(model):
            continue
        names.update(model.aliases or (model.name,))
    names |= facts.training_loops.pretrained_models
    return names


def _has_train_mode_layers(model: ModelFacts) -> bool:
    """Dropout and batch normalisation behave differently in train and eval mode."""
    return any(
        layer.kind is LayerKind.DROPOUT
        or (layer.kind is LayerKind.NORMALIZATION and "batch" in layer.api.lower())
        for layer in model.layers
    )


def check_missing_zero_grad(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """TRN301: backward() and step() in a loop that never clears the gradients."""
    for loop in context.facts.training_loops.gradient_loops:
        if loop.framework != "torch" or loop.zero_grad or loop.backward is None:
            continue
        optimizer = loop.optimizers[0] if len(loop.optimizers) == 1 else "optimizer"
        step = (Related(loop.step, f"{optimizer}.step() applies them"),) if loop.step else ()
        if loop.function:
            yield rule.finding("step_function", loop.backward, related=step, optimizer=optimizer)
        elif loop.outer_zero_grad is not None:
            if loop.conditional_step:
                continue  # accumulation over the inner loop, cleared by the outer one
            related = (
                Related(loop.outer_zero_grad, "zero_grad() runs once per outer iteration"),
                *step,
            )
            yield rule.finding("outer_loop", loop.backward, related=related, optimizer=optimizer)
        else:
            yield rule.finding("missing", loop.backward, related=step, optimizer=optimizer)


def check_step_order(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """TRN302: step() before backward(), or zero_grad() between backward() and step()."""
    for loop in context.facts.training_loops.gradient_loops:
        if loop.framework != "torch" or not loop.optimizers:
            continue
        optimizer = loop.optimizers[0]
        if loop.step_before_backward is not None:
            related: tuple[Related, ...] = ()
            if loop.backward is not None:
                related = (Related(loop.backward, "the gradients are computed here"),)
            yield rule.finding(
                "step_before_backward",
                loop.step_before_backward,
                related=related,
                optimizer=optimizer,
            )
        elif loop.zero_grad_before_step is not None and loop.step is not None:
            yield rule.finding(
                "zero_grad_before_step",
                loop.zero_grad_before_step,
                related=(Related(loop.step, f"{optimizer}.step() then sees zero gradients"),),
                optimizer=optimizer,
            )


def check_eval_mode(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """TRN303: a model with dropout/batch norm evaluated in training mode."""
    facts = context.facts
    loops = facts.training_loops
    models = torch_model_names(facts, stochastic_only=True)
    for loop in loops.evaluation_loops:
        if loop.callee not in models or loop.mode in ("eval", "unknown"):
            continue
        model, data = loop.callee, loop.iterable
        if loop.mode == "train" and loop.mode_span is not None:
            related = (Related(loop.mode_span, f"{model} is put in training mode here"),)
            yield rule.finding("after_train", loop.call, related=related, model=model, data=data)
            continue
        if loop.model_from_caller and loops.eval_calls_in - {loop.scope}:
            continue  # a caller may switch the model to eval mode before calling this function
        yield rule.finding("missing", loop.call, model=model, data=data)


def check_no_grad(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """TRN304: evaluation that records the autograd graph."""
    facts = context.facts
    loops = facts.training_loops
    if loops.global_no_grad:
        return
    models = torch_model_names(facts)
    for loop in loops.evaluation_loops:
        if loop.callee not in models or loop.no_grad:
            continue
        if loop.model_from_caller and loops.no_grad_in - {loop.scope}:
            continue  # a caller may run this function under torch.no_grad()
        yield rule.finding("missing", loop.call, model=loop.callee, data=loop.iterable)


def check_loss_accumulation(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """TRN305: a loss tensor kept across iterations keeps every iteration's graph alive."""
    for item in context.facts.training_loops.loss_accumulations:
        fix_data = None
        if not item.used_as_tensor:
            fix_data = fixes(
                fix(f"Accumulate {item.loss}.item()", wrap_value(item.span, "{}.item()"), safe=True)
            )
        yield rule.finding(
            item.kind,
            item.span,
            fix_data=fix_data,
            accumulator=item.accumulator,
            loss=item.loss,
        )


def check_functional_dropout(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """TRN306: ``F.dropout`` in a module method without ``training=self.training``."""
    for item in context.facts.training_loops.functional_dropouts:
        yield rule.finding("always_on", item.span, function=item.function, method=item.method)


def check_unrun_train_op(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """TRN307: a TF1 training op that no ``session.run`` receives."""
    for item in context.facts.training_loops.unrun_train_ops:
        key = "discarded" if item.name is None else "never_run"
        yield rule.finding(key, item.span, method=item.method, name=item.name or "")


def check_validation_on_training(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """TRN308: validation data that is the training data."""
    for item in context.facts.training_loops.validation_on_training:
        related = (Related(item.train_span, f"{item.data} is the training data here"),)
        key = "fit" if item.source == "fit" else "loader"
        yield rule.finding(key, item.span, related=related, data=item.data)


CHECKS: dict[str, Check] = {
    "TRN301": check_missing_zero_grad,
    "TRN302": check_step_order,
    "TRN303": check_eval_mode,
    "TRN304": check_no_grad,
    "TRN305": check_loss_accumulation,
    "TRN306": check_functional_dropout,
    "TRN307": check_unrun_train_op,
    "TRN308": check_validation_on_training,
}
