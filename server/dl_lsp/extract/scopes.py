"""Scopes and simple constant propagation (``batch_size = 16`` used later as ``batch_size``)."""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial

from dl_lsp.reuse import ReuseMemo

MODULE_SCOPE = "<module>"

_BINARY: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Pow: operator.pow,
}


@dataclass
class Scope:
    """A module or function body, its statements in order and its simple assignments."""

    name: str
    node: ast.AST
    parent: Scope | None
    statements: list[ast.stmt] = field(default_factory=list)
    assignments: dict[str, list[tuple[int, ast.expr]]] = field(default_factory=dict)
    # Each statement with the calls in its own expressions (nested blocks not included).
    calls: list[tuple[ast.stmt, list[ast.Call]]] = field(default_factory=list)

    def iter_calls(self) -> Iterator[ast.Call]:
        """Every call made directly in this scope, in statement order."""
        for _, calls in self.calls:
            yield from calls

    def assign(self, name: str, line: int, value: ast.expr) -> None:
        self.assignments.setdefault(name, []).append((line, value))

    def lookup(self, name: str, line: int) -> ast.expr | None:
        """The value last assigned to ``name`` before ``line``, here or in enclosing scopes."""
        scope: Scope | None = self
        while scope is not None:
            history = scope.assignments.get(name)
            if history:
                before = [value for at, value in history if at <= line]
                if before:
                    return before[-1]
                if scope is not self:
                    return history[-1][1]
            # Enclosing scopes run before a function is called: any of their values may apply.
            line = 10**9
            scope = scope.parent
        return None


# For each statement type, its fields that hold blocks of statements, in source order
# (filled on first use; functions and classes are scopes of their own and not entered).
_BLOCK_FIELDS: dict[type, tuple[str, ...]] = {
    ast.FunctionDef: (),
    ast.AsyncFunctionDef: (),
    ast.ClassDef: (),
}


def _block_fields(statement_type: type) -> tuple[str, ...]:
    fields = _BLOCK_FIELDS.get(statement_type)
    if fields is None:
        present: tuple[str, ...] = getattr(statement_type, "_fields", ())
        order = ("body", "orelse", "finalbody", "handlers", "cases")
        fields = _BLOCK_FIELDS[statement_type] = tuple(name for name in order if name in present)
    return fields


def iter_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements in source order, entering blocks but not nested functions or classes."""
    stack: list[ast.stmt] = list(reversed(body))
    while stack:
        statement = stack.pop()
        yield statement
        fields = _block_fields(type(statement))
        if not fields:
            continue
        children: list[ast.stmt] = []
        for name in fields:
            block = getattr(statement, name, None) or ()
            if name in ("handlers", "cases"):
                for clause in block:
                    children.extend(clause.body)
            else:
                children.extend(block)
        stack.extend(reversed(children))


_Definition = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef


@dataclass(frozen=True)
class _Body:
    """What reading one body adds to its scope, and the definitions found in it, in order."""

    calls: list[tuple[ast.stmt, list[ast.Call]]]  # each statement with its own calls
    assignments: list[tuple[str, int, ast.expr]]
    definitions: list[_Definition]


def build_scopes(tree: ast.Module, memo: ReuseMemo | None = None) -> list[Scope]:
    """The module scope and one scope per function (methods included), parents linked.

    With a ``memo``, the bodies of functions and classes an edit did not touch are not read
    again (what they add depends on nothing but their node)."""
    module = Scope(MODULE_SCOPE, tree, None)
    scopes = [module]
    pending: list[tuple[ast.AST, list[ast.stmt], Scope, str]] = [(tree, tree.body, module, "")]
    while pending:
        owner, body, scope, prefix = pending.pop()
        if owner is tree:
            found = _read_body(body, memo)
        elif memo is not None:
            found = memo.result("body", owner, (), partial(_read_body, body, None))
        else:
            found = _read_body(body, None)
        scope.statements.extend(statement for statement, _ in found.calls)
        scope.calls.extend(found.calls)
        for name, line, value in found.assignments:
            scope.assign(name, line, value)
        for definition in found.definitions:
            names = f"{prefix}{definition.name}"
            if isinstance(definition, ast.ClassDef):
                pending.append((definition, definition.body, scope, f"{names}."))
                continue
            child = Scope(names, definition, scope)
            _record_defaults(child, definition)
            scopes.append(child)
            pending.append((definition, definition.body, child, f"{names}."))
    return scopes


def _read_body(body: list[ast.stmt], memo: ReuseMemo | None) -> _Body:
    """What one body adds to its scope. With a ``memo`` (the module's body), each statement's
    calls are kept under its node; a function's body is kept whole under the function's node
    (its statements are new whenever it is: an edit re-parses whole top-level statements)."""
    statements = list(iter_statements(body))
    if memo is None:
        calls = [(statement, own_calls(statement)) for statement in statements]
    else:
        found_calls = memo.each("calls", None, [(s, s) for s in statements], _own_calls_of, ())
        calls = list(zip(statements, found_calls, strict=True))
    found = _Body(calls, [], [])
    recorder = Scope(MODULE_SCOPE, _NO_NODE, None)  # collects the assignments only
    for statement in statements:
        _record_assignment(recorder, statement)
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.definitions.append(statement)
    found.assignments.extend(
        (name, line, value)
        for name, history in recorder.assignments.items()
        for line, value in history
    )
    return found


_NO_NODE = ast.Module(body=[], type_ignores=[])


def _own_calls_of(statement: ast.stmt, _: object) -> list[ast.Call]:
    return own_calls(statement)


_STATEMENT_BODIES = frozenset({"body", "orelse", "finalbody", "handlers", "cases"})
# Fields that never hold an expression with a call: names, operators, contexts, flags.
_LEAF_FIELDS = frozenset(
    {
        "ctx",
        "id",
        "attr",
        "arg",
        "name",
        "names",
        "module",
        "level",
        "op",
        "ops",
        "kind",
        "conversion",
        "is_async",
        "simple",
        "type_comment",
        "rest",
        "kwd_attrs",
    }
)
# For each node type, the fields worth entering when looking for calls (filled on first use).
_EXPRESSION_FIELDS: dict[type, tuple[str, ...]] = {ast.Constant: (), ast.Lambda: ()}
_STATEMENT_FIELDS: dict[type, tuple[str, ...]] = {}


def _fields_with_calls(node_type: type, skipped: frozenset[str]) -> tuple[str, ...]:
    fields: tuple[str, ...] = getattr(node_type, "_fields", ())
    return tuple(name for name in fields if name not in _LEAF_FIELDS and name not in skipped)


def own_calls(statement: ast.stmt) -> list[ast.Call]:
    """Calls in a statement's own expressions (not in the statements of its blocks, nor in
    lambdas), in source order."""
    stack: list[ast.AST | None] = []
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        stack.extend(statement.decorator_list)
    else:
        statement_type = type(statement)
        fields = _STATEMENT_FIELDS.get(statement_type)
        if fields is None:
            fields = _fields_with_calls(statement_type, _STATEMENT_BODIES)
            _STATEMENT_FIELDS[statement_type] = fields
        for name in fields:
            value = getattr(statement, name, None)
            if type(value) is list:
                stack.extend(value)
            elif value is not None:
                stack.append(value)
    calls: list[ast.Call] = []
    call_type, list_type, expression_fields = ast.Call, list, _EXPRESSION_FIELDS
    while stack:
        node = stack.pop()
        if node is None:
            continue  # the key of ``**mapping`` in a dict display
        node_type = type(node)
        if node_type is call_type:
            calls.append(node)  # type: ignore[arg-type]
        fields = expression_fields.get(node_type)
        if fields is None:
            fields = _fields_with_calls(node_type, frozenset())
            expression_fields[node_type] = fields
        for name in fields:
            value = getattr(node, name, None)
            if type(value) is list_type:
                stack.extend(value)
            elif value is not None:
                stack.append(value)
    if len(calls) > 1:
        calls.sort(key=_SOURCE_POSITION)
    return calls


_SOURCE_POSITION = operator.attrgetter("lineno", "col_offset")


def _record_assignment(scope: Scope, statement: ast.stmt) -> None:
    if isinstance(statement, ast.Assign):
        for target in statement.targets:
            _bind(scope, target, statement.value, statement.lineno)
    elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
        _bind(scope, statement.target, statement.value, statement.lineno)
    elif isinstance(statement, (ast.For, ast.AsyncFor)) and isinstance(statement.target, ast.Name):
        # A loop variable takes many values: remember that it is not a constant.
        scope.assign(statement.target.id, statement.lineno, ast.Name(id="<loop>"))


def _bind(scope: Scope, target: ast.expr, value: ast.expr, line: int) -> None:
    if isinstance(target, ast.Name):
        scope.assign(target.id, line, value)
    elif isinstance(target, (ast.Tuple, ast.List)):
        if isinstance(value, (ast.Tuple, ast.List)) and len(value.elts) == len(target.elts):
            for element, item in zip(target.elts, value.elts, strict=True):
                _bind(scope, element, item, line)
        else:
            for element in target.elts:
                _bind(scope, element, ast.Name(id="<unpacked>"), line)


def _record_defaults(scope: Scope, function: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
    arguments = function.args
    positional = [*arguments.posonlyargs, *arguments.args]
    for argument, default in zip(
        positional[len(positional) - len(arguments.defaults) :], arguments.defaults, strict=True
    ):
        scope.assign(argument.arg, function.lineno, default)
    for argument, kw_default in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True):
        if kw_default is not None:
            scope.assign(argument.arg, function.lineno, kw_default)
    for argument in positional[: len(positional) - len(arguments.defaults)]:
        scope.assign(argument.arg, function.lineno, ast.Name(id="<parameter>"))


class ConstantResolver:
    """Evaluates literal expressions, following simple name assignments."""

    def __init__(self, max_depth: int = 8) -> None:
        self.max_depth = max_depth

    def value(self, node: ast.AST | None, scope: Scope, depth: int = 0) -> object:
        """The constant value of an expression, or None when it is not known statically."""
        if node is None or depth > self.max_depth:
            return None
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            assigned = scope.lookup(node.id, getattr(node, "lineno", 10**9))
            return self.value(assigned, scope, depth + 1) if assigned is not None else None
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            inner = self.value(node.operand, scope, depth + 1)
            return -inner if _is_number(inner) else None  # type: ignore[operator]
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            left = self.value(node.left, scope, depth + 1)
            right = self.value(node.right, scope, depth + 1)
            if _is_number(left) and _is_number(right):
                try:
                    return _BINARY[type(node.op)](left, right)  # type: ignore[arg-type]
                except (ZeroDivisionError, OverflowError):
                    return None
            return None
        if isinstance(node, (ast.Tuple, ast.List)):
            items = [self.value(element, scope, depth + 1) for element in node.elts]
            return tuple(items)
        return None

    def integer(self, node: ast.AST | None, scope: Scope) -> int | None:
        value = self.value(node, scope)
        if isinstance(value, bool):
            return None
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return None

    def number(self, node: ast.AST | None, scope: Scope) -> float | None:
        value = self.value(node, scope)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        return float(value)

    def string(self, node: ast.AST | None, scope: Scope) -> str | None:
        value = self.value(node, scope)
        return value if isinstance(value, str) else None

    def int_tuple(self, node: ast.AST | None, scope: Scope) -> tuple[int | None, ...] | None:
        value = self.value(node, scope)
        if isinstance(value, bool):
            return None
        if isinstance(value, int):
            return (value,)
        if isinstance(value, tuple):
            return tuple(
                v if isinstance(v, int) and not isinstance(v, bool) else None for v in value
            )
        if isinstance(node, (ast.Tuple, ast.List)):
            return tuple(self.integer(element, scope) for element in node.elts)
        return None


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
