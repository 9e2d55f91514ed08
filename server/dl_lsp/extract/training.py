"""Training facts: losses, optimizers and learning rates, batch sizes, fit/evaluate calls."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import partial

from dl_lsp.extract.calls import CallSite
from dl_lsp.extract.catalog import (
    KERAS_LOSS_CLASSES,
    KERAS_LOSS_NAMES,
    KERAS_OPTIMIZERS,
    TORCH_LOSSES,
    TORCH_OPTIMIZERS,
)
from dl_lsp.extract.context import ExtractionContext, argument, keyword
from dl_lsp.extract.scopes import Scope
from dl_lsp.facts import BatchSizeFact, FitCallFact, LossFact, OptimizerFact, TrainingFacts

_FIT_METHODS = ("fit", "fit_generator", "train_on_batch")
_EVAL_METHODS = ("evaluate", "evaluate_generator", "predict", "predict_generator", "test_on_batch")
_BATCHED_TRAINING_CALLS = (
    "fit",
    "fit_generator",
    "flow",
    "flow_from_directory",
    "flow_from_dataframe",
    "image_dataset_from_directory",
    "text_dataset_from_directory",
    "DataLoader",
)
# Position of batch_size when given positionally.
_BATCH_POSITION = {"fit": 2, "DataLoader": 1, "flow": 2}
# Every call name the training facts come from; other calls are not looked at.
_TRAINING_NAMES = frozenset(
    {
        "compile",
        "batch",
        *_FIT_METHODS,
        *_EVAL_METHODS,
        *_BATCHED_TRAINING_CALLS,
        *TORCH_LOSSES,
        *TORCH_OPTIMIZERS,
        *KERAS_OPTIMIZERS,
    }
)


def _receiver(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return func.value.id
    return None


@dataclass(frozen=True)
class _CallFacts:
    """What one call says about training (kept while the call and its scope are)."""

    compile_loss: LossFact | None
    metrics: tuple[str, ...]
    torch_loss: LossFact | None
    optimizer: OptimizerFact | None
    batch_size: BatchSizeFact | None
    fit_call: FitCallFact | None


def extract_training(context: ExtractionContext) -> TrainingFacts:
    losses: list[LossFact] = []
    optimizers: list[OptimizerFact] = []
    batch_sizes: list[BatchSizeFact] = []
    fit_calls: list[FitCallFact] = []
    metrics: list[str] = []
    seen_losses: set[tuple[int, int]] = set()
    for site in context.calls.named(_TRAINING_NAMES):
        scope = site.scope
        key = scope.node if scope.parent is not None else None  # constants are looked up there
        found = context.reused("training call", site.node, partial(_call_facts, site, context), key)
        if found.compile_loss is not None:
            losses.append(found.compile_loss)
            seen_losses.add((found.compile_loss.span.line, found.compile_loss.span.column))
        metrics.extend(found.metrics)
        loss = found.torch_loss
        if loss is not None and (loss.span.line, loss.span.column) not in seen_losses:
            losses.append(loss)
        if found.optimizer is not None:
            optimizers.append(found.optimizer)
        if found.batch_size is not None:
            batch_sizes.append(found.batch_size)
        if found.fit_call is not None:
            fit_calls.append(found.fit_call)
    return TrainingFacts(
        losses=tuple(losses),
        optimizers=tuple(optimizers),
        batch_sizes=tuple(batch_sizes),
        fit_calls=tuple(fit_calls),
        metrics=tuple(metrics),
    )


def _call_facts(site: CallSite, context: ExtractionContext) -> _CallFacts:
    call, scope, method = site.node, site.scope, site.method
    compiled = method == "compile"
    fits = method in _FIT_METHODS or method in _EVAL_METHODS
    return _CallFacts(
        compile_loss=_compile_loss(call, scope, context) if compiled else None,
        metrics=tuple(_metrics(call, scope, context)) if compiled else (),
        torch_loss=_torch_loss(call, scope, context),
        optimizer=_optimizer(call, scope, context),
        batch_size=_batch_size(call, site.statement, scope, context),
        fit_call=_fit_call(call, method, context) if fits and method is not None else None,
    )


def _compile_loss(call: ast.Call, scope: Scope, context: ExtractionContext) -> LossFact | None:
    node = argument(call, 1, "loss")
    if node is None:
        return None
    model = _receiver(call)
    if isinstance(node, ast.Name):
        # loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        assigned = scope.lookup(node.id, call.lineno)
        if isinstance(assigned, ast.Call):
            found = keras_loss(assigned, scope, context, model)
            if found is not None:
                return LossFact(
                    found.name, context.span(node), found.from_logits, model, found.written
                )
    return keras_loss(node, scope, context, model)


def keras_loss(
    node: ast.AST, scope: Scope, context: ExtractionContext, model: str | None
) -> LossFact | None:
    """A Keras loss given as a string, a loss function, or a loss object."""
    text = context.resolver.string(node, scope)
    if text is not None:
        canonical = KERAS_LOSS_NAMES.get(text.strip().lower())
        if canonical is None:
            return None
        return LossFact(
            canonical, context.span(node), False, model, text, isinstance(node, ast.Constant)
        )
    if isinstance(node, ast.Call):
        name = (context.qualify(node.func) or "").rsplit(".", 1)[-1]
        canonical = KERAS_LOSS_CLASSES.get(name)
        if canonical is None:
            return None
        from_logits = context.resolver.value(keyword(node, "from_logits"), scope) is True
        return LossFact(canonical, context.span(node), from_logits, model, name)
    name = (context.qualify(node) or "").rsplit(".", 1)[-1]
    canonical = KERAS_LOSS_NAMES.get(name)
    return LossFact(canonical, context.span(node), False, model, name) if canonical else None


def _torch_loss(call: ast.Call, scope: Scope, context: ExtractionContext) -> LossFact | None:
    qualified = context.qualify(call.func) or ""
    if not qualified.startswith("torch"):
        return None
    name = qualified.rsplit(".", 1)[-1]
    canonical = TORCH_LOSSES.get(name)
    if canonical is None:
        return None
    return LossFact(canonical, context.span(call), False, None, name, framework="torch")


def _metrics(call: ast.Call, scope: Scope, context: ExtractionContext) -> list[str]:
    node = keyword(call, "metrics")
    if not isinstance(node, (ast.List, ast.Tuple)):
        return []
    names = [context.resolver.string(element, scope) for element in node.elts]
    return [name for name in names if name]


def _optimizer(call: ast.Call, scope: Scope, context: ExtractionContext) -> OptimizerFact | None:
    qualified = context.qualify(call.func) or ""
    name = qualified.rsplit(".", 1)[-1]
    root = qualified.split(".")[0]
    if root == "torch" or (
        root not in ("keras", "tensorflow")
        and name in TORCH_OPTIMIZERS
        and qualified.startswith("optim")
    ):
        position = TORCH_OPTIMIZERS.get(name)
    elif root in ("keras", "tensorflow", "tf_keras") or qualified == name:
        position = KERAS_OPTIMIZERS.get(name)
        if (
            position is not None
            and qualified == name
            and context.dominant is not None
            and context.dominant.value == "torch"
            and name in TORCH_OPTIMIZERS
        ):
            position = TORCH_OPTIMIZERS[name]
    else:
        position = None
    if position is None:
        return None
    node = argument(call, position, "lr", "learning_rate")
    written = next((k.arg for k in call.keywords if k.arg in ("lr", "learning_rate")), None)
    model = None
    params = call.args[0] if call.args else keyword(call, "params")
    if isinstance(params, ast.Call) and isinstance(params.func, ast.Attribute):
        receiver = params.func.value
        if isinstance(receiver, ast.Name):
            model = receiver.id
    return OptimizerFact(
        name=name,
        span=context.span(call),
        learning_rate=context.resolver.number(node, scope) if node is not None else None,
        learning_rate_span=context.span(node) if node is not None else None,
        learning_rate_keyword=written or ("positional" if node is not None else None),
        model=model,
    )


_EVALUATION_WORDS = ("test", "val", "eval", "pred", "dev", "infer")


def _assigned_name(statement: ast.stmt) -> str | None:
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        target = statement.targets[0]
        return target.id if isinstance(target, ast.Name) else None
    return None


def _is_evaluation_loader(
    call: ast.Call, statement: ast.stmt, scope: Scope, context: ExtractionContext
) -> bool:
    """Loaders for testing or validation: named so, or not shuffled (their batch size is free)."""
    name = (_assigned_name(statement) or "").lower()
    if "train" in name:
        return False
    if any(word in name for word in _EVALUATION_WORDS):
        return True
    return context.resolver.value(keyword(call, "shuffle"), scope) is False


def _batch_size(
    call: ast.Call, statement: ast.stmt, scope: Scope, context: ExtractionContext
) -> BatchSizeFact | None:
    qualified = context.qualify(call.func) or ""
    name = call.func.attr if isinstance(call.func, ast.Attribute) else qualified.rsplit(".", 1)[-1]
    if name != "batch" and name not in _BATCHED_TRAINING_CALLS:
        return None
    if name not in ("fit", "fit_generator") and _is_evaluation_loader(
        call, statement, scope, context
    ):
        return None
    if name == "batch" and isinstance(call.func, ast.Attribute) and len(call.args) == 1:
        value = context.resolver.integer(call.args[0], scope)
        if value is not None:
            return BatchSizeFact(value, context.span(call.args[0]), "batch")
        return None
    if name not in _BATCHED_TRAINING_CALLS:
        return None
    position = _BATCH_POSITION.get(name, 99)
    node = argument(call, position, "batch_size")
    if node is None:
        if any(item.arg is None for item in call.keywords):
            return None  # DataLoader(dataset, **kwargs): the batch size is hidden in kwargs
        if name == "DataLoader" and _loader_trains(call, statement, scope, context):
            return BatchSizeFact(1, context.span(call), "DataLoader", implicit=True)
        return None
    value = context.resolver.integer(node, scope)
    if value is None:
        return None
    return BatchSizeFact(value, context.span(node), name, model=_receiver(call))


def _loader_trains(
    call: ast.Call, statement: ast.stmt, scope: Scope, context: ExtractionContext
) -> bool:
    """A DataLoader is a training loader when it shuffles or is named like one."""
    if context.resolver.value(keyword(call, "shuffle"), scope) is True:
        return True
    if keyword(call, "sampler", "batch_sampler") is not None:
        return False
    return "train" in (_assigned_name(statement) or "").lower()


def _fit_call(call: ast.Call, method: str, context: ExtractionContext) -> FitCallFact:
    x_node = argument(call, 0, "x", "generator")
    y_node = argument(call, 1, "y")
    validation: list[str] = []
    validation_node = keyword(call, "validation_data")
    if isinstance(validation_node, (ast.Tuple, ast.List)):
        validation = [e.id for e in validation_node.elts if isinstance(e, ast.Name)]
    return FitCallFact(
        method=method,
        span=context.span(call),
        model=_receiver(call),
        x_name=x_node.id if isinstance(x_node, ast.Name) else None,
        x_span=context.span(x_node) if x_node is not None else None,
        y_name=y_node.id if isinstance(y_node, ast.Name) else None,
        validation_names=tuple(validation),
    )
