"""What every extractor needs: the source, the imports, scopes and the constant resolver."""

from __future__ import annotations

import ast
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import partial
from typing import TypeVar

from dl_lsp.extract.calls import CallIndex, CallSite
from dl_lsp.extract.names import ImportTable
from dl_lsp.extract.scopes import ConstantResolver, Scope, build_scopes
from dl_lsp.facts import Framework, Span
from dl_lsp.reuse import Environment, ReuseMemo
from dl_lsp.source import ParsedSource

Result = TypeVar("Result")
Key = TypeVar("Key", bound=Hashable)


@dataclass
class ExtractionContext:
    source: ParsedSource
    tree: ast.Module
    imports: ImportTable
    scopes: list[Scope]
    calls: CallIndex
    resolver: ConstantResolver = field(default_factory=ConstantResolver)
    # Several extractors qualify the same node: remember the answer per node.
    _qualified: dict[ast.AST, str | None] = field(default_factory=dict)
    # Results that more than one family reads, computed once by the first that asks
    # (``devices.loop_flows``).
    shared: dict[str, object] = field(default_factory=dict)
    # Results of earlier analyses for the statements an edit kept (``dl_lsp.reuse``).
    memo: ReuseMemo = field(default_factory=ReuseMemo)
    environment: Environment = ()

    @classmethod
    def create(cls, source: ParsedSource, tree: ast.Module) -> ExtractionContext:
        memo = source.reuse if tree is source.tree else ReuseMemo()
        scopes = build_scopes(tree, memo)
        statements = (statement for scope in scopes for statement in scope.statements)
        imports = ImportTable.from_statements(statements)
        environment = memo.canonical("environment", environment_of(imports, scopes[0]))
        calls = CallIndex(scopes, imports, memo, environment)
        return cls(
            source,
            tree,
            imports,
            scopes,
            calls,
            _qualified=dict(calls.qualified_callees),
            memo=memo,
            environment=environment,
        )

    def reused(
        self, family: str, node: ast.AST, compute: Callable[[], Result], key: Hashable = None
    ) -> Result:
        """What ``compute`` finds for ``node``, kept from an earlier version when the node, the
        file-wide environment (imports, module assignments) and ``key`` are the same.
        ``compute`` must read nothing else of the file than the node, the scope it is in, that
        environment and what ``key`` stands for; its result must hold no reference to the
        context (the memo outlives it)."""
        return self.memo.result(family, node, self.environment, compute, key)

    def per_scope(
        self, family: str, read: Callable[[Scope], Result], key: Hashable = None
    ) -> list[Result]:
        """``read`` of each scope, in order: the module's computed, a function's re-used like
        ``reused`` (``read`` must depend on the function's node alone, with the environment
        and ``key``)."""
        module, *functions = self.scopes
        return [read(module)] + [
            self.memo.result(family, scope.node, self.environment, partial(read, scope), key)
            for scope in functions
        ]

    def each_statement(
        self,
        family: str,
        scope: Scope,
        read: Callable[[ast.stmt, list[CallSite]], Result],
        key: Hashable = None,
    ) -> list[Result]:
        """``read`` of each statement of ``scope`` with its calls, in order, re-using earlier
        results like ``reused``: a function's statements together (its node stands for them
        all), the module's one by one. ``read`` must depend on its statement alone, with the
        environment and ``key``."""
        whole = scope.node if scope.parent is not None else None
        statements = self.calls.statements(scope)
        return self.memo.each(family, whole, statements, read, self.environment, key)

    def canonical(self, name: str, value: Key) -> Key:
        """``value``, or the equal one of the last analysis (cheap to compare as a ``key``)."""
        return self.memo.canonical(name, value)

    @property
    def dominant(self) -> Framework | None:
        return self.imports.dominant_framework

    @property
    def module_scope(self) -> Scope:
        return self.scopes[0]

    def span(self, node: ast.AST) -> Span:
        return self.source.span(node)

    def qualify(self, node: ast.AST) -> str | None:
        """The dotted name of an expression with import aliases resolved (``CallIndex`` has
        it already for every callee)."""
        try:
            return self._qualified[node]
        except KeyError:
            qualified = self._qualified[node] = self.imports.qualify(node)
            return qualified


def environment_of(imports: ImportTable, module: Scope) -> Environment:
    """The file-wide inputs of per-statement extraction: the imports and the module's assignment
    history (line and value of each; a function's own assignments come with its node)."""
    assignments = tuple(
        (name, tuple((line, _value_key(value)) for line, value in history))
        for name, history in module.assignments.items()
    )
    return (
        tuple(imports.bindings.items()),
        imports.keras_score,
        imports.torch_score,
        assignments,
    )


def _value_key(value: ast.expr) -> object:
    # Markers such as ``<loop>`` are made afresh by every analysis: compare them by name.
    if isinstance(value, ast.Name) and not hasattr(value, "lineno"):
        return value.id
    return value


def keyword(call: ast.Call, *names: str) -> ast.expr | None:
    """The value of the first keyword argument among ``names``, if given."""
    for item in call.keywords:
        if item.arg in names:
            return item.value
    return None


def argument(call: ast.Call, index: int, *names: str) -> ast.expr | None:
    """A call argument given by keyword (any of ``names``) or at a position."""
    value = keyword(call, *names)
    if value is not None:
        return value
    args = call.args
    if index >= len(args) or any(isinstance(arg, ast.Starred) for arg in args):
        return None  # not given, or *args hides the positions
    return args[index]
