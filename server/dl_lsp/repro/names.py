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
    """Names read but bound nowhere in the file (nor builtins), in order of first use."""
    bound = bound_names(tree) | _ALWAYS_BOUND
    firsts: dict[str, tuple[int, int, bool]] = {}
    attributes: dict[str, set[str]] = {}
    counts: dict[str, int] = {}
    for statement in tree.body:
        for node, parent in _walk_with_parent(statement):
            if not isinstance(node, ast.Name) or not isinstance(node.ctx, ast.Load):
                continue
            if node.id in bound:
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


def _walk_with_parent(root: ast.AST) -> Iterator[tuple[ast.AST, ast.AST | None]]:
    stack: list[tuple[ast.AST, ast.AST | None]] = [(root, None)]
    while stack:
        node, parent = stack.pop()
        yield node, parent
        stack.extend((child, node) for child in reversed(list(ast.iter_child_nodes(node))))


def _bindings(tree: ast.Module) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            yield node.id
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield node.name
        elif isinstance(node, ast.arg):
            yield node.arg
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
