"""One libcst parse of a file, with the maps a fix needs: Span to node, node to parent."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar, cast

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, ParentNodeProvider, PositionProvider

from dl_lsp.facts.span import Span

NodeT = TypeVar("NodeT", bound=cst.CSTNode)


class FixRefused(Exception):
    """An action that cannot be carried out on this file: the fix that holds it is dropped."""


@dataclass(frozen=True)
class Change:
    """Replace ``old`` (a node of the parsed file, found by identity) by ``new``."""

    old: cst.CSTNode
    new: cst.CSTNode


@dataclass(frozen=True)
class ImportBinding:
    """A name bound by an import statement, and where."""

    name: str
    # The dotted module for ``from M import x`` (None for ``import M``), or the imported module.
    module: str
    imported: str
    statement: cst.CSTNode  # the ImportFrom or Import node


class CstDocument:
    """A file parsed once with libcst, with positions and parents resolved."""

    def __init__(self, text: str) -> None:
        self.text = text
        # ParserSyntaxError propagates: the caller offers no rule fixes for such a file.
        module = cst.parse_module(text)
        wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        resolved = wrapper.resolve_many([PositionProvider, ParentNodeProvider])
        self.module: cst.Module = wrapper.module
        self._positions = dict(cast("Mapping[cst.CSTNode, CodeRange]", resolved[PositionProvider]))
        self._parents = dict(
            cast("Mapping[cst.CSTNode, cst.CSTNode]", resolved[ParentNodeProvider])
        )
        self._by_range: dict[tuple[int, int, int, int], list[cst.CSTNode]] = {}
        for node, code_range in self._positions.items():
            key = (
                code_range.start.line,
                code_range.start.column,
                code_range.end.line,
                code_range.end.column,
            )
            self._by_range.setdefault(key, []).append(node)
        self.bindings: tuple[ImportBinding, ...] = tuple(_import_bindings(self.module))
        self.star_imports: tuple[str, ...] = tuple(_star_imports(self.module))
        self.quote = _preferred_quote(self.module)

    # -- lookups -------------------------------------------------------------------------------

    def node_at(self, span: object, kind: type[NodeT]) -> NodeT:
        """The outermost node of ``kind`` whose range is exactly ``span`` (FixRefused if none)."""
        node = self._outermost_at(span, lambda n: isinstance(n, kind))
        assert isinstance(node, kind)
        return node

    def expression_at(self, span: object) -> cst.BaseExpression:
        """The outermost expression whose range is exactly ``span`` (FixRefused if none)."""
        node = self._outermost_at(span, lambda n: isinstance(n, cst.BaseExpression))
        assert isinstance(node, cst.BaseExpression)
        return node

    def _outermost_at(self, span: object, wanted: Callable[[cst.CSTNode], bool]) -> cst.CSTNode:
        matches = [node for node in self._by_range.get(_span_key(span), ()) if wanted(node)]
        if not matches:
            raise FixRefused(f"no matching node at {span!r}")
        outermost = [m for m in matches if not any(self.is_ancestor(o, m) for o in matches)]
        return outermost[0]

    def parent(self, node: cst.CSTNode) -> cst.CSTNode:
        parent = self._parents.get(node)
        if parent is None:
            raise FixRefused("node has no parent")
        return parent

    def ancestors(self, node: cst.CSTNode) -> Iterator[cst.CSTNode]:
        current = self._parents.get(node)
        while current is not None:
            yield current
            current = self._parents.get(current)

    def is_ancestor(self, candidate: cst.CSTNode, node: cst.CSTNode) -> bool:
        return any(a is candidate for a in self.ancestors(node))

    def enclosing(self, node: cst.CSTNode, kind: type[NodeT]) -> NodeT | None:
        for ancestor in self.ancestors(node):
            if isinstance(ancestor, kind):
                return ancestor
        return None

    def position(self, node: cst.CSTNode) -> CodeRange:
        return self._positions[node]

    def code(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)

    def binding(self, name: str) -> ImportBinding | None:
        """The first import that binds ``name`` in this file."""
        return next((b for b in self.bindings if b.name == name), None)

    def is_bound(self, name: str) -> bool:
        """Whether ``name`` is imported, defined or assigned at module level."""
        if self.binding(name) is not None:
            return True
        return any(name in _names_defined(statement) for statement in self.module.body)

    # -- producing the changed text ------------------------------------------------------------

    def replaced(self, old: cst.CSTNode, new: cst.CSTNode) -> str:
        """The file's text with ``old`` (found by identity) replaced by ``new``."""
        if old is self.module:
            if not isinstance(new, cst.Module):
                raise FixRefused("the module can only be replaced by a module")
            return new.code
        changed = self.module.deep_replace(old, new)
        if not isinstance(changed, cst.Module):
            raise FixRefused("replacement removed the module")
        return changed.code

    def statement_config(self) -> cst.PartialParserConfig:
        return self.module.config_for_parsing

    def parse_statement(self, code: str) -> cst.BaseStatement:
        try:
            return cst.parse_statement(code, config=self.statement_config())
        except cst.ParserSyntaxError as error:
            raise FixRefused(f"generated statement does not parse: {code!r}") from error

    def parse_expression(self, code: str) -> cst.BaseExpression:
        try:
            return cst.parse_expression(code, config=self.statement_config())
        except cst.ParserSyntaxError as error:
            raise FixRefused(f"generated expression does not parse: {code!r}") from error


def _span_key(span: object) -> tuple[int, int, int, int]:
    """A Span or a JSON list ``[line, column, end_line, end_column]`` as a lookup key."""
    if isinstance(span, Span):
        return (span.line, span.column, span.end_line, span.end_column)
    if (
        isinstance(span, Sequence)
        and not isinstance(span, str)
        and len(span) == 4
        and all(isinstance(v, int) and not isinstance(v, bool) for v in span)
    ):
        line, column, end_line, end_column = span
        return (line, column, end_line, end_column)
    raise FixRefused(f"not a span: {span!r}")


def dotted_name(node: cst.BaseExpression) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted_name(node.value)
        return f"{base}.{node.attr.value}" if base is not None else None
    return None


def callee_name(call: cst.Call) -> str | None:
    """The last name of a call's callee: ``Dense`` for ``layers.Dense(...)``."""
    func = call.func
    if isinstance(func, cst.Name):
        return func.value
    if isinstance(func, cst.Attribute):
        return func.attr.value
    return None


def _import_bindings(module: cst.Module) -> Iterator[ImportBinding]:
    for node in _walk(module, lambda n: isinstance(n, (cst.Import, cst.ImportFrom))):
        if isinstance(node, cst.ImportFrom):
            if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
                continue
            source = dotted_name(node.module)
            if source is None:
                continue
            for alias in node.names:
                imported = dotted_name(alias.name)
                if imported is None:
                    continue
                bound = _alias_name(alias) or imported
                yield ImportBinding(bound, source, imported, node)
        elif isinstance(node, cst.Import):
            for alias in node.names:
                imported = dotted_name(alias.name)
                if imported is None:
                    continue
                asname = _alias_name(alias)
                if asname is not None:
                    yield ImportBinding(asname, imported, imported, node)
                else:
                    root = imported.split(".")[0]
                    yield ImportBinding(root, root, root, node)


def _star_imports(module: cst.Module) -> Iterator[str]:
    for node in _walk(module, lambda n: isinstance(n, cst.ImportFrom)):
        assert isinstance(node, cst.ImportFrom)
        if isinstance(node.names, cst.ImportStar) and node.module is not None:
            source = dotted_name(node.module)
            if source is not None:
                yield source


def _alias_name(alias: cst.ImportAlias) -> str | None:
    if alias.asname is None:
        return None
    target = alias.asname.name
    return target.value if isinstance(target, cst.Name) else None


def _names_defined(statement: cst.BaseStatement) -> set[str]:
    if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
        return {statement.name.value}
    names: set[str] = set()
    if isinstance(statement, cst.SimpleStatementLine):
        for small in statement.body:
            if isinstance(small, cst.Assign):
                for target in small.targets:
                    if isinstance(target.target, cst.Name):
                        names.add(target.target.value)
    return names


def _walk(node: cst.CSTNode, wanted: Callable[[cst.CSTNode], bool]) -> Iterator[cst.CSTNode]:
    stack = [node]
    while stack:
        current = stack.pop()
        if wanted(current):
            yield current
        stack.extend(reversed(current.children))


def _preferred_quote(module: cst.Module) -> str:
    """The quote character most string literals in the file use (double quotes on a tie)."""
    counts = {"'": 0, '"': 0}
    for node in _walk(module, lambda n: isinstance(n, cst.SimpleString)):
        assert isinstance(node, cst.SimpleString)
        quote = node.quote[0]
        counts[quote] = counts.get(quote, 0) + 1
    return "'" if counts["'"] > counts['"'] else '"'
