"""One libcst parse of a file, with the maps a fix needs: Span to node, node to parent."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar, cast

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from dl_lsp.facts.span import Span
from dl_lsp.fixes.edits import LINE_BREAK

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

    name: str  # the name the file uses
    module: str  # ``M`` of ``from M import x``; for ``import M`` (as N), ``M`` itself
    imported: str  # ``x`` of ``from M import x``; for ``import M``, ``M``
    statement: cst.CSTNode  # the ImportFrom or Import node


class CstDocument:
    """A file parsed once with libcst, with parents resolved and positions on demand."""

    def __init__(self, text: str) -> None:
        self.text = text
        # ParserSyntaxError propagates: the caller falls back to the tolerant ast parse.
        self.module: cst.Module = cst.parse_module(text)
        self._parents, imports, quotes = _survey(self.module)
        # The first import that binds a name is the one that counts; the survey walks the
        # statements in file order.
        self.bindings: tuple[ImportBinding, ...] = tuple(
            binding for node in imports for binding in _import_bindings(node)
        )
        self.quote = "'" if quotes["'"] > quotes['"'] else '"'
        # Each top-level statement's code and lines: positions are resolved, and the fixed
        # text regenerated, one statement at a time.
        self._codes = {
            id(statement): self.module.code_for_node(statement) for statement in self.module.body
        }
        self._statements = _statement_lines(self.module, self._codes)
        if self._module_code(self.module) != text:
            raise ValueError("libcst did not round-trip the file")  # never seen; be safe
        self._resolved: set[int] = set()
        self._by_range: dict[tuple[int, int, int, int], list[cst.CSTNode]] = {}

    def _resolve_lines(self, first: int, last: int) -> None:
        """Positions of the nodes of the top-level statements that cover these lines.

        Resolving positions costs twice the parse, so it is done only for the statements a
        fix looks at, each in a module of its own, with its line numbers shifted back.
        """
        for number, (start, end, statement) in enumerate(self._statements):
            if end < first or start > last or number in self._resolved:
                continue
            self._resolved.add(number)
            alone = self.module.with_changes(header=(), body=(statement,), footer=())
            wrapper = MetadataWrapper(alone, unsafe_skip_copy=True)
            positions = cast("Mapping[cst.CSTNode, CodeRange]", wrapper.resolve(PositionProvider))
            shift = start - 1
            for node, code_range in positions.items():
                if node is alone:
                    continue
                key = (
                    code_range.start.line + shift,
                    code_range.start.column,
                    code_range.end.line + shift,
                    code_range.end.column,
                )
                self._by_range.setdefault(key, []).append(node)

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
        key = _span_key(span)
        self._resolve_lines(key[0], key[2])
        matches = [node for node in self._by_range.get(key, ()) if wanted(node)]
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
        # Rebuild only the path from the replaced node up to the module (a transformer would
        # visit the whole tree), then regenerate only the statements that changed.
        child, replacement = old, new
        for parent in self.ancestors(old):
            replacement = _with_child(parent, child, replacement)
            child = parent
        if child is not self.module or not isinstance(replacement, cst.Module):
            raise FixRefused("the node is not in this file")
        return self._module_code(replacement)

    def _module_code(self, module: cst.Module) -> str:
        """``module.code``, reusing the code of the statements it shares with this file."""
        parts = [module.code_for_node(line) for line in module.header]
        for statement in module.body:
            code = self._codes.get(id(statement))
            parts.append(code if code is not None else module.code_for_node(statement))
        parts.extend(module.code_for_node(line) for line in module.footer)
        code = "".join(parts)
        if module.has_trailing_newline:
            return code or module.default_newline
        # Like libcst: the last token, a line break, goes.
        return code[:-2] if code.endswith("\r\n") else code[:-1]

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


def _statement_lines(
    module: cst.Module, codes: Mapping[int, str]
) -> list[tuple[int, int, cst.BaseStatement]]:
    """The first and last line of each top-level statement, its leading comments included."""
    line = 1 + len(LINE_BREAK.findall("".join(module.code_for_node(e) for e in module.header)))
    result: list[tuple[int, int, cst.BaseStatement]] = []
    for statement in module.body:
        count = max(1, len(LINE_BREAK.findall(codes[id(statement)])))
        result.append((line, line + count - 1, statement))
        line += count
    return result


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


_FIELDS: dict[type[cst.CSTNode], tuple[str, ...]] = {}


def _field_names(node: cst.CSTNode) -> tuple[str, ...]:
    kind = type(node)
    names = _FIELDS.get(kind)
    if names is None:
        names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(node))
    return names


_IS_NODE: dict[type, bool] = {}


def _is_node(value: object) -> bool:
    # isinstance against libcst's abstract base is slow; the answer per type is cached.
    kind = type(value)
    known = _IS_NODE.get(kind)
    if known is None:
        known = _IS_NODE[kind] = issubclass(kind, cst.CSTNode)
    return known


def _children(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    # Reading the dataclass fields directly: libcst's own ``children`` runs a visitor.
    for name in _field_names(node):
        value = getattr(node, name)
        if type(value) in (list, tuple):
            for item in value:
                if _is_node(item):
                    yield item
        elif _is_node(value):
            yield value


def _survey(
    module: cst.Module,
) -> tuple[dict[cst.CSTNode, cst.CSTNode], list[cst.Import | cst.ImportFrom], dict[str, int]]:
    """One walk over the tree: every node's parent, the imports, the quotes strings use."""
    parents: dict[cst.CSTNode, cst.CSTNode] = {}
    imports: list[cst.Import | cst.ImportFrom] = []
    quotes = {"'": 0, '"': 0}
    stack: list[cst.CSTNode] = [module]
    while stack:
        node = stack.pop()  # pre-order, in file order: children are pushed last first
        kind = type(node)
        if kind is cst.Import or kind is cst.ImportFrom:
            imports.append(node)  # type: ignore[arg-type]
        elif kind is cst.SimpleString:
            quotes[node.quote[0]] += 1  # type: ignore[attr-defined]
        children = list(_children(node))
        for child in children:
            parents[child] = node
        stack.extend(reversed(children))
    return parents, imports, quotes


def _with_child(parent: cst.CSTNode, child: cst.CSTNode, new: cst.CSTNode) -> cst.CSTNode:
    """``parent`` with ``child`` (by identity) replaced by ``new``."""
    for name in _field_names(parent):
        value = getattr(parent, name)
        if value is child:
            return parent.with_changes(**{name: new})
        if isinstance(value, (list, tuple)) and any(item is child for item in value):
            return parent.with_changes(**{name: [new if item is child else item for item in value]})
    raise FixRefused("child not found in its parent")


def _import_bindings(node: cst.Import | cst.ImportFrom) -> Iterator[ImportBinding]:
    if isinstance(node, cst.Import):
        for alias in node.names:
            imported = dotted_name(alias.name)
            asname = _alias_name(alias)
            if imported is None:
                continue
            if asname is not None:
                yield ImportBinding(asname, imported, imported, node)
            else:
                root = imported.split(".")[0]
                yield ImportBinding(root, root, root, node)
        return
    if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
        return
    source = dotted_name(node.module)
    if source is None:
        return
    for alias in node.names:
        imported = dotted_name(alias.name)
        if imported is not None:
            yield ImportBinding(_alias_name(alias) or imported, source, imported, node)


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
