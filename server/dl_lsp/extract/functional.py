"""Keras functional models: ``Model(inputs, outputs)`` traced back through the layer calls."""

from __future__ import annotations

import ast
from functools import partial

from dl_lsp.extract.context import ExtractionContext, argument
from dl_lsp.extract.layers import layer_from_call
from dl_lsp.extract.scopes import Scope
from dl_lsp.extract.sequential import ModelDraft
from dl_lsp.facts import Framework, LayerFact, LayerKind

_MERGE_FUNCTIONS = frozenset(
    {"concatenate", "add", "multiply", "average", "maximum", "subtract", "dot"}
)
_MAX_TRACE = 400


def _is_model_call(node: ast.AST, context: ExtractionContext) -> bool:
    if not isinstance(node, ast.Call):
        return False
    qualified = context.qualify(node.func) or ""
    if qualified.rsplit(".", 1)[-1] != "Model":
        return False
    root = qualified.split(".")[0]
    return root in ("keras", "tensorflow", "tf_keras") or qualified == "Model"


def extract_functional_models(context: ExtractionContext) -> list[ModelDraft]:
    """Every ``x = Model(inputs=..., outputs=...)`` with its traced layer chain."""
    found = context.per_scope("functional models", partial(_scope_models, context=context))
    return [draft for drafts in found for draft in drafts]


def _scope_models(scope: Scope, context: ExtractionContext) -> list[ModelDraft]:
    """The functional models built in one scope (read-only once returned: they are kept)."""
    drafts: list[ModelDraft] = []
    for statement in scope.statements:
        if not isinstance(statement, ast.Assign) or len(statement.targets) != 1:
            continue
        target = statement.targets[0]
        if not isinstance(target, ast.Name) or not _is_model_call(statement.value, context):
            continue
        assert isinstance(statement.value, ast.Call)
        outputs = argument(statement.value, 1, "outputs", "output")
        if outputs is None:
            continue
        tracer = _Tracer(scope, context)
        tracer.trace(outputs, statement.lineno)
        if not tracer.layers:
            continue
        drafts.append(
            ModelDraft(
                name=target.id,
                framework=Framework.KERAS,
                span=context.span(statement.value),
                scope=scope.name,
                layers=list(reversed(tracer.layers)),
                linear=tracer.linear,
                line=statement.lineno,
            )
        )
    return drafts


class _Tracer:
    """Walks from the output tensor back to the input, collecting layers (in reverse)."""

    def __init__(self, scope: Scope, context: ExtractionContext) -> None:
        self.scope = scope
        self.context = context
        self.layers: list[LayerFact] = []
        self.linear = True
        self.steps = 0

    def trace(self, node: ast.expr | None, before_line: int) -> None:
        while node is not None and self.steps < _MAX_TRACE:
            self.steps += 1
            if isinstance(node, (ast.List, ast.Tuple)):
                if len(node.elts) != 1:
                    self.linear = False
                node = node.elts[0] if node.elts else None
                continue
            if isinstance(node, ast.Name):
                found = self._assignment_before(node.id, before_line)
                if found is None:
                    return
                before_line, node = found
                continue
            if not isinstance(node, ast.Call):
                self.linear = False
                return
            node = self._step_through_call(node, before_line)
        if self.steps >= _MAX_TRACE:
            self.linear = False

    def _step_through_call(self, call: ast.Call, line: int) -> ast.expr | None:
        func = call.func
        # Layer(...)(x): a layer applied to a tensor.
        if isinstance(func, ast.Call):
            found = layer_from_call(func, self.scope, self.context)
            if found is not None:
                layer = found[0]
                self.layers.append(layer)
                if layer.kind is LayerKind.MERGE:
                    self.linear = False
                return call.args[0] if call.args else None
            self.linear = False
            return call.args[0] if call.args else None
        # layer_variable(x): a layer built earlier and applied here.
        if isinstance(func, ast.Name):
            assigned = self._assignment_before(func.id, line)
            if assigned is not None and isinstance(assigned[1], ast.Call):
                found = layer_from_call(assigned[1], self.scope, self.context)
                if found is not None:
                    self.layers.append(found[0])
                    return call.args[0] if call.args else None
        found = layer_from_call(call, self.scope, self.context)
        if found is not None and found[0].kind is LayerKind.INPUT:
            self.layers.append(found[0])
            return None
        name = (self.context.qualify(func) or "").rsplit(".", 1)[-1]
        if name in _MERGE_FUNCTIONS:
            self.linear = False
            first = call.args[0] if call.args else None
            return first
        self.linear = False
        return None

    def _assignment_before(self, name: str, line: int) -> tuple[int, ast.expr] | None:
        history = self.scope.assignments.get(name, [])
        earlier = [(at, value) for at, value in history if at < line]
        return earlier[-1] if earlier else None
