"""Runs the extractors over one parsed file and infers the data characteristics."""

from __future__ import annotations

import ast
from dataclasses import replace

from dl_lsp.config import Settings
from dl_lsp.extract.api_usage import extract_api_usage
from dl_lsp.extract.context import ExtractionContext
from dl_lsp.extract.data import channels_of, collect_data_evidence, input_type_from_models
from dl_lsp.extract.devices import extract_devices
from dl_lsp.extract.functional import extract_functional_models
from dl_lsp.extract.module_classes import extract_module_classes
from dl_lsp.extract.normalization import find_unnormalized_inputs
from dl_lsp.extract.pipeline import extract_pipeline
from dl_lsp.extract.scopes import Scope
from dl_lsp.extract.sequential import ModelDraft, extract_sequential_models
from dl_lsp.extract.shapes import extract_shapes
from dl_lsp.extract.training import extract_training
from dl_lsp.extract.training_loop import extract_training_loops
from dl_lsp.facts import (
    DataFacts,
    Evidence,
    InputType,
    LayerKind,
    ModelFacts,
    ProblemType,
    ProgramFacts,
    Span,
    UnnormalizedInput,
)
from dl_lsp.source import ParsedSource

_INPUT_NORMALIZING_KINDS = (LayerKind.RESCALING, LayerKind.NORMALIZATION)


def extract_program(source: ParsedSource, settings: Settings) -> ProgramFacts:
    """Every fact about one parsed file."""
    assert source.tree is not None
    context = ExtractionContext.create(source, source.tree)
    drafts = [
        *extract_sequential_models(context),
        *extract_functional_models(context),
        *extract_module_classes(context),
    ]
    instances, returned = _instances_by_constructor(context), _returned_names(context)
    models = tuple(_with_aliases(draft, instances, returned) for draft in drafts if draft.layers)
    training = extract_training(context)
    evidence = collect_data_evidence(context)
    raw_inputs, normalizes_somewhere = find_unnormalized_inputs(context)

    input_type, input_evidence = _input_type(settings, evidence.input_types, models)
    num_classes, classes_evidence = (
        evidence.num_classes[0] if evidence.num_classes else (None, None)
    )
    problem_type, problem_evidence = _problem_type(settings, evidence.problem_types, num_classes)
    first_shape = next((m.input_shape for m in models if m.input_shape), None)
    data = DataFacts(
        input_type=input_type,
        input_type_evidence=input_evidence,
        channels=channels_of(first_shape),
        num_classes=num_classes,
        num_classes_evidence=classes_evidence,
        label_encoding=evidence.label_encoding,
        datasets=tuple(evidence.datasets),
        unnormalized_inputs=tuple(_reportable_inputs(raw_inputs, models, normalizes_somewhere)),
        feature_count=first_shape[0] if first_shape and len(first_shape) == 1 else None,
    )
    frameworks = frozenset(model.framework for model in models)
    if not frameworks and context.dominant is not None:
        frameworks = frozenset({context.dominant})
    return ProgramFacts(
        models=models,
        training=training,
        data=data,
        frameworks=frameworks,
        problem_type=problem_type,
        problem_type_evidence=problem_evidence,
        input_type=input_type,
        devices=extract_devices(context, models),
        training_loops=extract_training_loops(context),
        pipeline=extract_pipeline(context),
        shapes=extract_shapes(context, models, data.datasets),
        api=extract_api_usage(context),
    )


def _instances_by_constructor(context: ExtractionContext) -> dict[str, set[str]]:
    """Variables assigned from a call, keyed by the called name (``net = Net().to(dev)``)."""
    found = context.per_scope("instances", _scope_instances)
    instances: dict[str, set[str]] = {}
    for pairs in found:
        for constructor, name in pairs:
            instances.setdefault(constructor, set()).add(name)
    return instances


def _scope_instances(scope: Scope) -> tuple[tuple[str, str], ...]:
    """(called name, variable) of each assignment from a call in one scope."""
    return tuple(
        (constructor, name)
        for name, history in scope.assignments.items()
        for _, value in history
        if (constructor := _constructor_name(value)) is not None
    )


def _constructor_name(value: ast.expr) -> str | None:
    """``Net`` for ``Net()``, ``build_model()`` for ``build_model``, ``Net().to(device)``..."""
    while isinstance(value, ast.Call):
        func = value.func
        if isinstance(func, ast.Name):
            return func.id
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call):
            value = func.value
            continue
        return None
    return None


def _returned_names(context: ExtractionContext) -> dict[str, set[str]]:
    """For each function scope, the names it returns (``return model``)."""
    returned: dict[str, set[str]] = {}
    found = context.per_scope("returned names", _scope_returns)
    for scope, names in zip(context.scopes, found, strict=True):
        if names:
            returned.setdefault(scope.name, set()).update(names)
    return returned


def _scope_returns(scope: Scope) -> tuple[str, ...]:
    return tuple(
        statement.value.id
        for statement in scope.statements
        if isinstance(statement, ast.Return) and isinstance(statement.value, ast.Name)
    )


def _with_aliases(
    draft: ModelDraft,
    instances: dict[str, set[str]],
    returned: dict[str, set[str]],
) -> ModelFacts:
    """Names under which the model is used: its variable, instances, results of its builder."""
    aliases = {draft.name}
    if draft.is_class:
        aliases |= instances.get(draft.name, set())
    if draft.name in returned.get(draft.scope, set()):
        builder = draft.scope.rsplit(".", 1)[-1]
        aliases |= instances.get(builder, set())
    return replace(draft.freeze(), aliases=tuple(sorted(aliases)))


def _input_type(
    settings: Settings,
    found: list[tuple[InputType, Evidence]],
    models: tuple[ModelFacts, ...],
) -> tuple[InputType | None, Evidence | None]:
    if settings.input_type is not None:
        return settings.input_type, Evidence("settings or file pragma", Span(1, 0, 1, 0))
    if found:
        return found[0]
    guessed = input_type_from_models(models)
    if guessed is not None:
        input_type, reason = guessed
        model = next(m for m in models if m.layers)
        return input_type, Evidence(reason, model.layers[0].span)
    return None, None


def _problem_type(
    settings: Settings,
    found: list[tuple[ProblemType, Evidence]],
    num_classes: int | None,
) -> tuple[ProblemType | None, Evidence | None]:
    if settings.problem_type is not None:
        return settings.problem_type, Evidence("settings or file pragma", Span(1, 0, 1, 0))
    multilabel = next((item for item in found if item[0] is ProblemType.MULTILABEL), None)
    if multilabel is not None:
        return multilabel
    if found:
        return found[0]
    return None, None


def _reportable_inputs(
    raw_inputs: list[UnnormalizedInput],
    models: tuple[ModelFacts, ...],
    normalizes_somewhere: bool,
) -> list[UnnormalizedInput]:
    """Drop raw inputs that the model normalises itself, and CSV data in files that scale."""
    reportable: list[UnnormalizedInput] = []
    for item in raw_inputs:
        if item.tabular and normalizes_somewhere:
            continue
        receiving = [m for m in models if item.model in m.aliases] or list(models)
        if any(_normalizes_input(model) for model in receiving):
            continue
        unknown_receiver = item.model is not None and not any(
            item.model in m.aliases for m in models
        )
        if models and unknown_receiver and not _looks_like_model_name(item.model or ""):
            continue  # ``scaler.fit(x)`` and other estimators are not the network
        reportable.append(item)
    return reportable


def _normalizes_input(model: ModelFacts) -> bool:
    for layer in model.layers:
        if layer.kind in _INPUT_NORMALIZING_KINDS:
            return True
        if layer.kind is LayerKind.OTHER and layer.api.endswith("Lambda"):
            return True
        if layer.is_weighted:
            return False
    return False


def _looks_like_model_name(name: str) -> bool:
    lowered = name.lower()
    return any(part in lowered for part in ("model", "net", "classifier", "cnn", "mlp"))
