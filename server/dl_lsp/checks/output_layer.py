"""LLM: the output layer's activation, the loss and the labels must fit the problem type."""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dl_lsp.checks.fix_data import (
    fix,
    fixes,
    remove_keyword,
    remove_layer,
    replace_value,
    set_keyword,
)
from dl_lsp.checks.model_view import ReconstructionFits, output_index
from dl_lsp.extract.catalog import REGRESSION_LOSSES
from dl_lsp.facts import (
    UNKNOWN_ACTIVATION,
    Framework,
    LabelEncoding,
    LayerFact,
    LayerKind,
    LossFact,
    ModelFacts,
    ProblemType,
    ProgramFacts,
)
from dl_lsp.findings import Finding, Related
from dl_lsp.ruleset import Rule

if TYPE_CHECKING:
    from dl_lsp.checks import Check, CheckContext

_KERAS_CATEGORICAL = ("categorical_crossentropy", "sparse_categorical_crossentropy")
_TORCH_LOSS_NAMES = {
    "torch_cross_entropy": "CrossEntropyLoss",
    "torch_nll": "NLLLoss",
    "torch_bce": "BCELoss",
    "torch_bce_logits": "BCEWithLogitsLoss",
}


@dataclass(frozen=True)
class OutputLayer:
    """The output layer of a model and the activation applied to it."""

    layer: LayerFact
    activation: str  # 'linear' when none
    activation_layer: LayerFact | None  # a separate Activation/Softmax layer or F.softmax call

    @property
    def units(self) -> int | None:
        return self.layer.units


@dataclass(frozen=True)
class Mismatch:
    """What is wrong: which side to change (activation or loss), the message key and values."""

    target: str  # 'activation' or 'loss'
    key: str
    expected: str
    values: dict[str, Any]


def find_output(model: ModelFacts) -> OutputLayer | None:
    index = output_index(model)
    if index is None:
        return None
    layer = model.layers[index]
    activation = layer.activation or "linear"
    activation_layer: LayerFact | None = None
    for later in model.layers[index + 1 :]:
        if later.kind is LayerKind.ACTIVATION:
            if activation not in ("linear", None):
                break
            activation = later.activation or "linear"
            activation_layer = later
        elif later.kind not in (LayerKind.DROPOUT, LayerKind.RESHAPE, LayerKind.FLATTEN):
            return None  # something unknown after the "output" layer
    return OutputLayer(layer, activation, activation_layer)


class LossModels:
    """Which model each loss trains, with the models indexed once per program (a program with
    hundreds of models and losses must not compare every pair)."""

    def __init__(self, facts: ProgramFacts) -> None:
        self._by_framework: dict[Framework, list[ModelFacts]] = {}
        self._by_alias: dict[tuple[Framework, str], list[ModelFacts]] = {}
        for model in facts.models:
            self._by_framework.setdefault(model.framework, []).append(model)
            for alias in dict.fromkeys(model.aliases):
                self._by_alias.setdefault((model.framework, alias), []).append(model)
        # Per alias, by line (stable: models on one line keep their order) for a bisection.
        self._by_line = {key: _ByLine(models) for key, models in self._by_alias.items()}
        trained = {o.model for o in facts.training.optimizers if o.model}
        self._torch_owners = [
            m for m in self._by_framework.get(Framework.TORCH, []) if trained & set(m.aliases)
        ]

    def model_for(self, loss: LossFact) -> ModelFacts | None:
        """The model a loss trains: the compiled variable's latest definition, or the only
        model."""
        framework = Framework.TORCH if loss.framework == "torch" else Framework.KERAS
        if loss.model is not None:
            named = self._by_line.get((framework, loss.model))
            if named:
                return named.latest_at_or_before(loss.span.line)
        candidates = self._by_framework.get(framework, [])
        if len(candidates) == 1:
            return candidates[0]
        if framework is Framework.TORCH:
            owners = self._torch_owners
            return owners[0] if len(owners) == 1 else None
        return None


class _ByLine:
    """Models of one alias, in definition order and by line."""

    def __init__(self, models: list[ModelFacts]) -> None:
        self.models = models
        self.by_line = sorted(models, key=lambda m: m.span.line)  # stable: ties keep order
        self.lines = [m.span.line for m in self.by_line]

    def latest_at_or_before(self, line: int) -> ModelFacts:
        """The first model defined on the last line at or before ``line``; else the first."""
        after = bisect.bisect_right(self.lines, line)
        if after == 0:
            return self.models[0]
        return self.by_line[bisect.bisect_left(self.lines, self.lines[after - 1])]


def problem_type_of(facts: ProgramFacts) -> ProblemType | None:
    if facts.problem_type is not None:
        return facts.problem_type
    data = facts.data
    if data.label_encoding is LabelEncoding.ONE_HOT and data.num_classes and data.num_classes >= 3:
        return ProblemType.MULTICLASS
    return None


def diagnose(
    output: OutputLayer, loss: LossFact, problem: ProblemType | None, labels: LabelEncoding | None
) -> list[Mismatch]:
    """What is wrong between output activation, loss and problem type (each side once)."""
    act, units, name = output.activation, output.units, loss.name
    if act == UNKNOWN_ACTIVATION:
        return []
    always = _always_wrong(act, units, loss)
    if always is not None:
        return [always]
    if problem is None:
        problem = _guess_problem(act, units, loss)
        if problem is None:
            return []
    if loss.framework == "torch":
        found = _torch_mismatch(act, units, name, problem)
        return [found] if found else []
    if problem is ProblemType.MULTICLASS:
        return _multiclass_mismatches(act, units, loss, labels)
    found = _keras_mismatch(act, units, loss, problem, labels)
    return [found] if found else []


def _always_wrong(act: str, units: int | None, loss: LossFact) -> Mismatch | None:
    name = loss.name
    if units == 1 and act == "softmax":
        if name in REGRESSION_LOSSES:
            return Mismatch("activation", "single_unit_softmax_regression", "linear", {})
        return Mismatch("activation", "single_unit_softmax", "sigmoid", {})
    if units == 1 and name == "categorical_crossentropy":
        return Mismatch("loss", "single_unit_categorical", "binary_crossentropy", {})
    if units == 1 and name == "torch_cross_entropy":
        return Mismatch("loss", "single_unit_torch_ce", "BCEWithLogitsLoss", {})
    if name == "torch_cross_entropy" and act in ("softmax", "sigmoid"):
        return Mismatch("activation", "torch_ce_after_activation", "linear", {"activation": act})
    if name == "torch_bce_logits" and act in ("sigmoid", "softmax"):
        return Mismatch(
            "activation", "torch_bce_logits_after_activation", "linear", {"activation": act}
        )
    if name == "torch_nll" and act != "log_softmax":
        return Mismatch(
            "activation", "torch_nll_without_log_softmax", "log_softmax", {"activation": act}
        )
    if name == "torch_bce" and act != "sigmoid":
        return Mismatch("activation", "torch_bce_without_sigmoid", "sigmoid", {"activation": act})
    if loss.from_logits and act in ("softmax", "sigmoid"):
        return Mismatch("activation", "from_logits_after_activation", "linear", {"activation": act})
    return None


def _guess_problem(act: str, units: int | None, loss: LossFact) -> ProblemType | None:
    name = loss.name
    if name in REGRESSION_LOSSES and act not in ("softmax", "sigmoid", "log_softmax"):
        return ProblemType.REGRESSION
    if units is not None and units > 1 and act == "softmax":
        return ProblemType.MULTICLASS
    if (
        units is not None
        and units > 1
        and act == "sigmoid"
        and name in ("binary_crossentropy", "torch_bce")
    ):
        return ProblemType.MULTILABEL
    if units == 1 and name in ("binary_crossentropy", "torch_bce", "torch_bce_logits"):
        return ProblemType.BINARY
    if units == 1 and act == "sigmoid":
        return ProblemType.BINARY
    if name in _KERAS_CATEGORICAL or name in ("torch_cross_entropy", "torch_nll"):
        return ProblemType.MULTICLASS
    return None


def _keras_mismatch(
    act: str, units: int | None, loss: LossFact, problem: ProblemType, labels: LabelEncoding | None
) -> Mismatch | None:
    name = loss.name
    logits = loss.from_logits
    values = {"problem": problem.value}
    if problem is ProblemType.BINARY:
        if units == 2:
            if name not in _KERAS_CATEGORICAL:
                return Mismatch(
                    "loss", "two_unit_binary_needs_categorical", _categorical_for(labels), values
                )
            if act != "softmax" and not logits:
                return Mismatch("activation", "needs_softmax", "softmax", values)
            return None
        if name not in ("binary_crossentropy", "hinge", "squared_hinge"):
            return Mismatch("loss", "binary_needs_bce", "binary_crossentropy", values)
        if act != "sigmoid" and not (logits and act == "linear"):
            return Mismatch("activation", "binary_needs_sigmoid", "sigmoid", values)
        return None
    if problem is ProblemType.MULTILABEL:
        if act == "softmax":
            return Mismatch("activation", "multilabel_needs_sigmoid", "sigmoid", values)
        if name != "binary_crossentropy":
            return Mismatch("loss", "multilabel_needs_bce", "binary_crossentropy", values)
        if act != "sigmoid" and not logits:
            return Mismatch("activation", "multilabel_needs_sigmoid", "sigmoid", values)
        return None
    # Regression.
    if act in ("softmax", "sigmoid", "tanh", "log_softmax"):
        return Mismatch(
            "activation", "regression_needs_linear", "linear", {**values, "activation": act}
        )
    if name not in REGRESSION_LOSSES and name != "cosine_similarity":
        return Mismatch("loss", "regression_needs_mse", "mse", values)
    return None


def _multiclass_mismatches(
    act: str, units: int | None, loss: LossFact, labels: LabelEncoding | None
) -> list[Mismatch]:
    """Multiclass: softmax output and (sparse) categorical cross-entropy matched to the labels."""
    name = loss.name
    values = {"problem": ProblemType.MULTICLASS.value}
    found: list[Mismatch] = []
    if not (act == "softmax" or (loss.from_logits and act == "linear")):
        found.append(Mismatch("activation", "needs_softmax", "softmax", values))
    if name not in _KERAS_CATEGORICAL and name != "categorical_hinge":
        found.append(
            Mismatch("loss", "multiclass_needs_categorical", _categorical_for(labels), values)
        )
    elif name == "sparse_categorical_crossentropy" and labels is LabelEncoding.ONE_HOT:
        found.append(Mismatch("loss", "sparse_with_one_hot", "categorical_crossentropy", values))
    elif (
        name == "categorical_crossentropy" and labels is LabelEncoding.INTEGER and (units or 0) > 1
    ):
        found.append(
            Mismatch("loss", "categorical_with_integers", "sparse_categorical_crossentropy", values)
        )
    return found


def _categorical_for(labels: LabelEncoding | None) -> str:
    return (
        "sparse_categorical_crossentropy"
        if labels is LabelEncoding.INTEGER
        else "categorical_crossentropy"
    )


def _torch_mismatch(
    act: str, units: int | None, name: str, problem: ProblemType
) -> Mismatch | None:
    values = {"problem": problem.value}
    if problem is ProblemType.REGRESSION:
        if act in ("softmax", "sigmoid", "tanh", "log_softmax"):
            return Mismatch(
                "activation", "regression_needs_linear", "linear", {**values, "activation": act}
            )
        if name in _TORCH_LOSS_NAMES:
            return Mismatch("loss", "regression_needs_mse_torch", "MSELoss", values)
        return None
    if (
        problem is ProblemType.MULTICLASS
        and name in ("mse", "mae", "torch_bce", "torch_bce_logits")
        and (units or 0) > 2
    ):
        return Mismatch("loss", "multiclass_needs_ce_torch", "CrossEntropyLoss", values)
    if problem is ProblemType.MULTILABEL and name in ("torch_cross_entropy", "torch_nll"):
        return Mismatch("loss", "multilabel_needs_bce_torch", "BCEWithLogitsLoss", values)
    if problem is ProblemType.BINARY and name in ("mse", "mae"):
        return Mismatch("loss", "binary_needs_bce_torch", "BCEWithLogitsLoss", values)
    return None


def check_labels_activation_loss(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """LLM for every model whose output layer and loss are both known."""
    facts = context.facts
    if not facts.models or not facts.training.losses:
        return  # no output layer and loss to compare
    problem = problem_type_of(facts)
    outputs = {id(model): find_output(model) for model in facts.models}
    loss_models = LossModels(facts)
    reconstruction = ReconstructionFits(facts)
    for loss in facts.training.losses:
        model = loss_models.model_for(loss)
        output = outputs.get(id(model)) if model is not None else None
        if model is None or output is None:
            continue
        if reconstruction.is_reconstruction(model) and not _always_wrong(
            output.activation, output.units, loss
        ):
            continue  # an autoencoder's targets are its inputs: no class labels involved
        for mismatch in diagnose(output, loss, problem, facts.data.label_encoding):
            yield _finding(rule, model, output, loss, mismatch)


def _finding(
    rule: Rule, model: ModelFacts, output: OutputLayer, loss: LossFact, mismatch: Mismatch
) -> Finding:
    layer = output.layer
    activation_span = (
        output.activation_layer.span
        if output.activation_layer is not None
        else layer.activation_span or layer.span
    )
    values = {
        "activation": output.activation,
        "loss": loss.written or loss.name,
        "expected": mismatch.expected,
        "units": output.units if output.units is not None else "?",
        **mismatch.values,
    }
    if mismatch.target == "activation":
        span = activation_span
        related = (Related(loss.span, f"the loss: {loss.written or loss.name}"),)
    else:
        span = loss.span
        related = (
            Related(
                activation_span,
                f"the output layer: {layer.api} with {output.activation} activation",
            ),
        )
    return rule.finding(
        mismatch.key,
        span,
        related=related,
        fix_data=_llm_fix(model, output, loss, mismatch),
        **values,
    )


def _llm_fix(
    model: ModelFacts, output: OutputLayer, loss: LossFact, mismatch: Mismatch
) -> dict[str, Any] | None:
    expected = mismatch.expected
    layer = output.layer
    if mismatch.target == "loss":
        if loss.is_string:
            return fixes(
                fix(f"Change the loss to '{expected}'", replace_value(loss.span, expected))
            )
        return None
    safe = mismatch.key in (
        "single_unit_softmax",
        "torch_ce_after_activation",
        "torch_bce_logits_after_activation",
    )
    if expected == "linear":
        if output.activation_layer is not None:
            return fixes(
                fix(
                    f"Remove the {output.activation} activation",
                    remove_layer(output.activation_layer.span),
                    safe=safe,
                )
            )
        if layer.activation_span is not None:
            return fixes(
                fix(
                    f"Remove activation='{output.activation}'",
                    remove_keyword(layer.span, "activation"),
                    safe=safe,
                )
            )
        return None
    if model.framework is Framework.TORCH:
        return None
    if output.activation_layer is not None:
        return fixes(
            fix(
                f"Use activation='{expected}' on the output layer",
                remove_layer(output.activation_layer.span),
                set_keyword(layer.span, "activation", expected),
                safe=safe,
            )
        )
    if layer.activation_span is not None:
        return fixes(
            fix(
                f"Change the activation to '{expected}'",
                replace_value(layer.activation_span, expected),
                safe=safe,
            )
        )
    return fixes(
        fix(
            f"Add activation='{expected}'",
            set_keyword(layer.span, "activation", expected),
            safe=safe,
        )
    )


CHECKS: dict[str, Check] = {
    "LLM": check_labels_activation_loss,
}
