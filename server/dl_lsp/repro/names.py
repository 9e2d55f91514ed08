"""Which names a snippet uses without ever binding them, and how it uses them."""

from __future__ import annotations

import ast
import builtins
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

# Names a notebook or the interpreter provides without a binding in the file.
_ALWAYS_BOUND = frozenset(dir(builtins)) | {"__file__", "__name__", "__doc__", "get_ipython"}


@dataclass(frozen=True)
class NameUse:
    """The first use of a name the file never binds."""

    name: str
    line: int
    # The 1-based line of the top-level statement holding the first use: definitions go before it.
    statement_line: int
    called: bool
    # Attributes read on the name anywhere (``model.fit`` → ``fit``).
    attributes: frozenset[str]
    # How many times the name is read.
    count: int


def bound_names(tree: ast.Module) -> frozenset[str]:
    """Every name the file binds anywhere: assignments, imports, definitions, parameters."""
    return frozenset(_bindings(tree))


def star_import_modules(tree: ast.Module) -> tuple[str, ...]:
    """The modules imported with ``from M import *``."""
    return tuple(
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        and node.module
        and any(alias.name == "*" for alias in node.names)
    )


def undefined_names(tree: ast.Module) -> Mapping[str, NameUse]:
    """Names read where no scope that encloses the read binds them (nor builtins), in order of
    first use. A function's parameters and locals are visible in that function only."""
    module_scope = _scope_bindings(tree.body) | _global_declarations(tree) | _ALWAYS_BOUND
    firsts: dict[str, tuple[int, int, bool]] = {}
    attributes: dict[str, set[str]] = {}
    counts: dict[str, int] = {}
    for statement in tree.body:
        for node, parent, visible in _reads(statement, module_scope):
            if node.id in visible:
                continue
            counts[node.id] = counts.get(node.id, 0) + 1
            called = isinstance(parent, ast.Call) and parent.func is node
            if isinstance(parent, ast.Attribute):
                attributes.setdefault(node.id, set()).add(parent.attr)
            if node.id not in firsts:
                firsts[node.id] = (node.lineno, statement.lineno, called)
            elif called and not firsts[node.id][2]:
                line, statement_line, _ = firsts[node.id]
                firsts[node.id] = (line, statement_line, True)
    ordered = sorted(firsts.items(), key=lambda item: (item[1][0], item[0]))
    return {
        name: NameUse(
            name=name,
            line=line,
            statement_line=statement_line,
            called=called,
            attributes=frozenset(attributes.get(name, ())),
            count=counts[name],
        )
        for name, (line, statement_line, called) in ordered
    }


_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def _reads(
    root: ast.AST, visible: frozenset[str]
) -> Iterator[tuple[ast.Name, ast.AST | None, frozenset[str]]]:
    """Every ``Name`` read under ``root`` with its parent and the names visible there."""
    stack: list[tuple[ast.AST, ast.AST | None, frozenset[str]]] = [(root, None, visible)]
    while stack:
        node, parent, seen = stack.pop()
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            yield node, parent, seen
        inner = seen
        if isinstance(node, _FUNCTIONS):
            body = node.body if isinstance(node.body, list) else [node.body]
            inner = seen | _parameters(node.args) | _scope_bindings(body)
            # Decorators and defaults are evaluated outside the function.
            outside: list[ast.AST] = [*node.args.defaults, *node.args.kw_defaults]  # type: ignore[list-item]
            if not isinstance(node, ast.Lambda):
                outside += [*node.decorator_list, *([node.returns] if node.returns else [])]
            stack.extend((child, node, seen) for child in outside if child is not None)
            stack.extend((child, node, inner) for child in reversed(body))
            continue
        if isinstance(node, ast.ClassDef):
            inner = seen | _scope_bindings(node.body)
            stack.extend((child, node, seen) for child in [*node.bases, *node.decorator_list])
            stack.extend(
                (child, node, seen if isinstance(child, _FUNCTIONS) else inner)
                for child in reversed(node.body)
            )
            continue
        stack.extend((child, node, inner) for child in reversed(list(ast.iter_child_nodes(node))))


def _parameters(arguments: ast.arguments) -> frozenset[str]:
    every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    every += [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
    return frozenset(argument.arg for argument in every)


def _scope_bindings(body: list[ast.stmt] | list[ast.expr]) -> frozenset[str]:
    """Names bound directly in a scope's body (not inside the functions and classes it defines)."""
    found: set[str] = set()
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.add(node.name)
            continue
        if isinstance(node, ast.Lambda):
            continue
        found.update(_own_bindings(node))
        stack.extend(ast.iter_child_nodes(node))
    return frozenset(found)


def _global_declarations(tree: ast.Module) -> frozenset[str]:
    return frozenset(
        name for node in ast.walk(tree) if isinstance(node, ast.Global) for name in node.names
    )


def _walk_with_parent(root: ast.AST) -> Iterator[tuple[ast.AST, ast.AST | None]]:
    stack: list[tuple[ast.AST, ast.AST | None]] = [(root, None)]
    while stack:
        node, parent = stack.pop()
        yield node, parent
        stack.extend((child, node) for child in reversed(list(ast.iter_child_nodes(node))))


def _bindings(tree: ast.Module) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield node.name
        elif isinstance(node, ast.arg):
            yield node.arg
        else:
            yield from _own_bindings(node)


def _own_bindings(node: ast.AST) -> Iterator[str]:
    """The names one node binds by itself (not its children)."""
    if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
        yield node.id
    elif isinstance(node, ast.Import):
        for alias in node.names:
            yield alias.asname or alias.name.split(".")[0]
    elif isinstance(node, ast.ImportFrom):
        for alias in node.names:
            if alias.name != "*":
                yield alias.asname or alias.name
    elif isinstance(node, ast.ExceptHandler) and node.name:
        yield node.name
    elif isinstance(node, (ast.Global, ast.Nonlocal)):
        yield from node.names
    elif (isinstance(node, ast.MatchAs) and node.name) or (
        isinstance(node, ast.MatchStar) and node.name
    ):
        yield node.name
    elif isinstance(node, ast.MatchMapping) and node.rest:
        yield node.rest
