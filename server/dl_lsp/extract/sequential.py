"""Sequential models: Keras ``Sequential`` (list and ``.add`` forms) and PyTorch ``nn.Sequential``."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from functools import partial

from dl_lsp.extract.context import ExtractionContext, argument
from dl_lsp.extract.layers import shared_layer_from_call
from dl_lsp.extract.scopes import Scope
from dl_lsp.facts import Framework, LayerFact, LayerKind, ModelFacts, Span


@dataclass
class ModelDraft:
    """A model while its layers are still being collected."""

    name: str
    framework: Framework
    span: Span
    scope: str
    layers: list[LayerFact] = field(default_factory=list)
    linear: bool = True
    line: int = 0
    # True for a model class (``class Net(nn.Module)``): instances are made by calling it.
    is_class: bool = False

    def freeze(self) -> ModelFacts:
        input_shape = next(
            (layer.input_shape for layer in self.layers if layer.input_shape is not None), None
        )
        return ModelFacts(
            name=self.name,
            framework=self.framework,
            span=self.span,
            layers=tuple(self.layers),
            linear=self.linear,
            scope=self.scope,
            input_shape=input_shape,
        )


_DEVICE_MOVES = frozenset({"to", "cuda", "cpu", "float", "double", "half", "train", "eval"})


def unwrap_device_moves(node: ast.expr) -> ast.expr:
    """``nn.Sequential(...).to(device)`` → the ``nn.Sequential(...)`` call."""
    while (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in _DEVICE_MOVES
        and isinstance(node.func.value, ast.Call)
    ):
        node = node.func.value
    return node


def is_sequential_call(node: ast.AST, context: ExtractionContext) -> Framework | None:
    """The framework of a ``Sequential(...)`` constructor call, if ``node`` is one."""
    if not isinstance(node, ast.Call):
        return None
    qualified = context.qualify(node.func) or ""
    if not qualified.endswith("Sequential"):
        return None
    if qualified.startswith("torch"):
        return Framework.TORCH
    if qualified.split(".")[0] in ("keras", "tensorflow", "tf_keras") or qualified == "Sequential":
        return (
            Framework.KERAS if qualified != "Sequential" else (context.dominant or Framework.KERAS)
        )
    return None


def layers_from_elements(
    elements: list[ast.expr], scope: Scope, context: ExtractionContext
) -> tuple[list[LayerFact], bool]:
    """Layers from constructor calls given as a list; False when some element is not a layer."""
    layers: list[LayerFact] = []
    complete = True
    for element in elements:
        if isinstance(element, ast.Call):
            found = shared_layer_from_call(element, scope, context)
            if found is not None:
                layers.append(found[0])
                continue
            nested = is_sequential_call(element, context)
            if nested is not None:
                inner, inner_complete = layers_from_sequential_call(element, scope, context)
                layers.extend(inner)
                complete = complete and inner_complete
                continue
            layers.append(_unknown_layer(element, context))
        complete = False
    return layers, complete


def layers_from_sequential_call(
    call: ast.Call, scope: Scope, context: ExtractionContext
) -> tuple[list[LayerFact], bool]:
    """Layers passed to a ``Sequential`` call (a list, positional modules, or an OrderedDict)."""
    first = argument(call, 0, "layers")
    if isinstance(first, (ast.List, ast.Tuple)) and len(call.args) <= 1:
        return layers_from_elements(list(first.elts), scope, context)
    if isinstance(first, ast.Call) and (context.qualify(first.func) or "").endswith("OrderedDict"):
        pairs = first.args[0] if first.args else None
        if isinstance(pairs, (ast.List, ast.Tuple)):
            modules = [
                pair.elts[1]
                for pair in pairs.elts
                if isinstance(pair, ast.Tuple) and len(pair.elts) == 2
            ]
            return layers_from_elements(modules, scope, context)
        return [], False
    if first is None:
        return [], True
    return layers_from_elements(list(call.args), scope, context)


def _unknown_layer(call: ast.Call, context: ExtractionContext) -> LayerFact:
    return LayerFact(
        kind=LayerKind.OTHER, api=context.source.segment(call.func), span=context.span(call)
    )


def extract_sequential_models(context: ExtractionContext) -> list[ModelDraft]:
    """Every ``model = Sequential(...)`` with the layers added to it afterwards."""
    found = context.per_scope("sequential models", partial(_scope_models, context=context))
    return [draft for drafts in found for draft in drafts]


def _scope_models(scope: Scope, context: ExtractionContext) -> list[ModelDraft]:
    """The Sequential models built in one scope (read-only once returned: they are kept)."""
    drafts: list[ModelDraft] = []
    conditional: set[int] | None = None
    current: dict[str, ModelDraft] = {}
    for statement in scope.statements:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
            value = unwrap_device_moves(statement.value)
            framework = is_sequential_call(value, context)
            if framework is not None and isinstance(target, ast.Name):
                assert isinstance(value, ast.Call)
                layers, complete = layers_from_sequential_call(value, scope, context)
                draft = ModelDraft(
                    name=target.id,
                    framework=framework,
                    span=context.span(value),
                    scope=scope.name,
                    layers=layers,
                    linear=complete,
                    line=statement.lineno,
                )
                current[target.id] = draft
                drafts.append(draft)
                continue
        if not current:
            continue
        if conditional is None:
            conditional = _conditional_statements(scope)
        _collect_add_call(statement, current, scope, context, id(statement) in conditional)
    return drafts


def _collect_add_call(
    statement: ast.stmt,
    current: dict[str, ModelDraft],
    scope: Scope,
    context: ExtractionContext,
    conditional: bool,
) -> None:
    if not isinstance(statement, ast.Expr) or not isinstance(statement.value, ast.Call):
        return
    call = statement.value
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr == "add"):
        return
    if not isinstance(func.value, ast.Name) or func.value.id not in current:
        return
    draft = current[func.value.id]
    if conditional:
        draft.linear = False
    layer_node = argument(call, 0, "layer")
    if isinstance(layer_node, ast.Call):
        found = shared_layer_from_call(layer_node, scope, context)
        if found is not None:
            draft.layers.append(found[0])
            return
        if is_sequential_call(layer_node, context) is not None:
            inner, complete = layers_from_sequential_call(layer_node, scope, context)
            draft.layers.extend(inner)
            draft.linear = draft.linear and complete
            return
        draft.layers.append(_unknown_layer(layer_node, context))
    draft.linear = False


def _conditional_statements(scope: Scope) -> set[int]:
    """Ids of statements inside loops or conditionals of this scope."""
    inside: set[int] = set()
    for statement in scope.statements:
        if isinstance(statement, ast.If) and _always_runs(statement.test):
            continue
        if isinstance(statement, (ast.For, ast.AsyncFor, ast.While, ast.If)):
            for child in ast.walk(statement):
                if child is not statement and isinstance(child, ast.stmt):
                    inside.add(id(child))
    return inside


def _always_runs(test: ast.expr) -> bool:
    """``if __name__ == "__main__":`` (a script's main block) and ``if True:``."""
    if isinstance(test, ast.Constant):
        return bool(test.value)
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
    )
