"""What every extractor needs: the source, the imports, scopes and the constant resolver."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from dl_lsp.extract.calls import CallIndex
from dl_lsp.extract.names import ImportTable
from dl_lsp.extract.scopes import ConstantResolver, Scope, build_scopes
from dl_lsp.facts import Framework, Span
from dl_lsp.source import ParsedSource


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

    @classmethod
    def create(cls, source: ParsedSource, tree: ast.Module) -> ExtractionContext:
        scopes = build_scopes(tree, source.call_memo if tree is source.tree else None)
        statements = (statement for scope in scopes for statement in scope.statements)
        imports = ImportTable.from_statements(statements)
        calls = CallIndex(scopes, imports)
        return cls(source, tree, imports, scopes, calls, _qualified=dict(calls.qualified_callees))

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
