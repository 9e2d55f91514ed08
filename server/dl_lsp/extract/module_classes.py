"""Subclassed models: PyTorch ``nn.Module`` and Keras ``Model`` subclasses.

Layers come from ``__init__`` (``self.fc1 = nn.Linear(...)``); their order, and the functional
activations between them (``F.relu``, ``torch.sigmoid``, ``x.view``), come from ``forward``
(or Keras's ``call``).
"""

from __future__ import annotations

import ast
from dataclasses import replace

from dl_lsp.extract.catalog import FUNCTIONAL_ACTIVATIONS, FUNCTIONAL_LAYERS, TENSOR_RESHAPE_METHODS
from dl_lsp.extract.context import ExtractionContext
from dl_lsp.extract.layers import shared_layer_from_call
from dl_lsp.extract.scopes import Scope
from dl_lsp.extract.sequential import ModelDraft, is_sequential_call, layers_from_sequential_call
from dl_lsp.facts import Framework, LayerFact, LayerKind

_FORWARD_NAMES = ("forward", "call")
_MAX_DEPTH = 60
_ACTIVATION_ROOTS = ("torch", "tensorflow.nn", "tensorflow.math", "keras.activations")


def _model_base(node: ast.ClassDef, context: ExtractionContext) -> Framework | None:
    for base in node.bases:
        qualified = context.qualify(base) or ""
        name = qualified.rsplit(".", 1)[-1]
        if name == "Module" and (qualified.startswith("torch") or qualified == "Module"):
            return Framework.TORCH
        if name == "Model" and (
            qualified.split(".")[0] in ("keras", "tensorflow", "tf_keras") or qualified == "Model"
        ):
            return Framework.KERAS
    return None


def extract_module_classes(context: ExtractionContext) -> list[ModelDraft]:
    """One draft per model class, named after the class."""
    drafts: list[ModelDraft] = []
    scopes_by_node = {id(scope.node): scope for scope in context.scopes}
    classes = (
        statement
        for scope in context.scopes
        for statement in scope.statements
        if isinstance(statement, ast.ClassDef)
    )
    for node in classes:
        framework = _model_base(node, context)
        if framework is None:
            continue
        methods = {
            item.name: item
            for item in node.body
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))
        }
        init = methods.get("__init__") or methods.get("build")
        attributes: dict[str, list[LayerFact] | None] = {}
        init_order: list[LayerFact] = []
        if init is not None:
            scope = scopes_by_node.get(id(init))
            if scope is not None:
                _collect_attributes(scope, context, attributes, init_order)
        forward = next((methods[name] for name in _FORWARD_NAMES if name in methods), None)
        draft = ModelDraft(
            name=node.name,
            framework=framework,
            span=context.span(node),
            scope="<module>",
            line=node.lineno,
            is_class=True,
        )
        forward_scope = scopes_by_node.get(id(forward)) if forward is not None else None
        if forward is None or forward_scope is None:
            draft.layers = init_order
            draft.linear = False
        else:
            walker = _ForwardWalker(forward_scope, context, attributes)
            walker.walk(forward)
            draft.layers = walker.layers
            draft.linear = walker.linear
        if draft.layers:
            drafts.append(draft)
    return drafts


def _collect_attributes(
    scope: Scope,
    context: ExtractionContext,
    attributes: dict[str, list[LayerFact] | None],
    order: list[LayerFact],
) -> None:
    for statement in scope.statements:
        if not isinstance(statement, ast.Assign) or len(statement.targets) != 1:
            continue
        target = statement.targets[0]
        if not (
            isinstance(target, ast.Attribute)
            and isinstance(target.value, ast.Name)
            and target.value.id == "self"
        ):
            continue
        value = statement.value
        if not isinstance(value, ast.Call):
            continue
        found = shared_layer_from_call(value, scope, context)
        if found is not None:
            layer = replace(found[0], attribute=target.attr)
            attributes[target.attr] = [layer]
            order.append(layer)
            continue
        if is_sequential_call(value, context) is not None:
            layers, complete = layers_from_sequential_call(value, scope, context)
            attributes[target.attr] = layers if complete else None
            order.extend(layers)
            continue
        attributes[target.attr] = None  # ModuleList, custom blocks: contents unknown


class _ForwardWalker:
    """Evaluation-order walk of ``forward``: inner calls before the calls that consume them."""

    def __init__(
        self,
        scope: Scope,
        context: ExtractionContext,
        attributes: dict[str, list[LayerFact] | None],
    ) -> None:
        self.scope = scope
        self.context = context
        self.attributes = attributes
        self.layers: list[LayerFact] = []
        self.linear = True
        self.depth = 0

    def walk(self, function: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for statement in self.scope.statements:
            if isinstance(statement, (ast.For, ast.AsyncFor, ast.While, ast.If, ast.Try)):
                self.linear = False
                continue  # their bodies are visited as statements of their own
            for child in ast.iter_child_nodes(statement):
                if isinstance(child, ast.expr):
                    self._visit(child)

    def _visit(self, node: ast.expr) -> None:
        self.depth += 1
        try:
            if self.depth <= _MAX_DEPTH:
                self._visit_node(node)
            else:
                self.linear = False  # too deep to follow: the order is unknown
        finally:
            self.depth -= 1

    def _visit_node(self, node: ast.expr) -> None:
        if isinstance(node, ast.Call):
            self._visit_call(node)
            return
        if isinstance(node, (ast.Lambda, ast.ListComp, ast.GeneratorExp)):
            return
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self._visit(child)

    def _visit_call(self, call: ast.Call) -> None:
        func = call.func
        # self.layer(x)
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == "self"
        ):
            self._visit_arguments(call)
            if func.attr in self.attributes:
                layers = self.attributes[func.attr]
                if layers is None:
                    self.linear = False
                else:
                    self.layers.extend(layers)
            return
        # x.view(...), x.relu(), x.softmax(dim=1): the receiver is computed first.
        if isinstance(func, ast.Attribute) and not self._is_module_function(func):
            self._visit(func.value)
            self._visit_arguments(call)
            self._emit_method(call, func.attr)
            return
        self._visit_arguments(call)
        self._emit_function(call)

    def _visit_arguments(self, call: ast.Call) -> None:
        for argument in call.args:
            self._visit(argument)
        for keyword in call.keywords:
            self._visit(keyword.value)

    def _is_module_function(self, func: ast.Attribute) -> bool:
        qualified = self.context.qualify(func) or ""
        root = qualified.split(".")[0]
        return root in ("torch", "tensorflow", "keras", "numpy")

    def _emit_method(self, call: ast.Call, method: str) -> None:
        if method in TENSOR_RESHAPE_METHODS:
            self.layers.append(self._pseudo(call, LayerKind.FLATTEN, method))
        elif method in FUNCTIONAL_ACTIVATIONS:
            self.layers.append(self._activation(call, FUNCTIONAL_ACTIVATIONS[method], method))

    def _emit_function(self, call: ast.Call) -> None:
        qualified = self.context.qualify(call.func) or ""
        name = qualified.rsplit(".", 1)[-1]
        if not qualified.startswith(_ACTIVATION_ROOTS) and "." in qualified:
            return
        if name in FUNCTIONAL_ACTIVATIONS and (
            "." in qualified or self.context.imports.bindings.get(name, "").startswith("torch")
        ):
            self.layers.append(self._activation(call, FUNCTIONAL_ACTIVATIONS[name], qualified))
        elif name in FUNCTIONAL_LAYERS and qualified.startswith("torch"):
            kind = FUNCTIONAL_LAYERS[name]
            self.layers.append(self._pseudo(call, kind, qualified))

    def _activation(self, call: ast.Call, activation: str, api: str) -> LayerFact:
        return LayerFact(
            kind=LayerKind.ACTIVATION,
            api=api,
            span=self.context.span(call),
            activation=activation,
        )

    def _pseudo(self, call: ast.Call, kind: LayerKind, api: str) -> LayerFact:
        return LayerFact(kind=kind, api=api, span=self.context.span(call))
