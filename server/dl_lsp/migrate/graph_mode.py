"""TensorFlow 1 graph code kept through ``tf.compat.v1`` needs eager execution turned off once:
``tf.compat.v1.placeholder`` raises under TensorFlow 2's default eager mode, and a session runs
nothing eager. Found and inserted on the text, after the file's leading imports."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

# What cannot run eagerly: names under tf.compat.v1 (or a compat.v1 alias).
GRAPH_ONLY = frozenset(
    {
        "placeholder",
        "placeholder_with_default",
        "sparse_placeholder",
        "Session",
        "InteractiveSession",
        "global_variables_initializer",
        "local_variables_initializer",
        "initialize_all_variables",
        "get_variable",
        "variable_scope",
    }
)
SWITCHES = frozenset({"disable_eager_execution", "disable_v2_behavior"})


@dataclass(frozen=True)
class TensorFlowImport:
    """The module-level import that binds TensorFlow, and where code may go after imports."""

    alias: str  # 'tf'
    compat: bool  # the alias is tensorflow.compat.v1
    insert_after_line: int  # 1-based: the last line of the import block it belongs to


def tensorflow_import(tree: ast.Module) -> TensorFlowImport | None:
    """``import tensorflow as tf`` or ``import tensorflow.compat.v1 as tf`` at module level."""
    body = tree.body
    for index, statement in enumerate(body):
        if not isinstance(statement, ast.Import):
            continue
        for alias in statement.names:
            if alias.name in ("tensorflow", "tensorflow.compat.v1") and (
                alias.asname or alias.name == "tensorflow"
            ):
                last = index
                while last + 1 < len(body) and isinstance(
                    body[last + 1], (ast.Import, ast.ImportFrom)
                ):
                    last += 1
                end = body[last].end_lineno or body[last].lineno
                return TensorFlowImport(
                    alias.asname or alias.name, alias.name.endswith("compat.v1"), end
                )
    return None


def _attribute_chains(tree: ast.AST) -> Iterator[list[str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            parts: list[str] = []
            current: ast.expr = node
            while isinstance(current, ast.Attribute):
                parts.append(current.attr)
                current = current.value
            if isinstance(current, ast.Name):
                parts.append(current.id)
                yield list(reversed(parts))


def uses_graph_mode(tree: ast.Module, found: TensorFlowImport) -> bool:
    """Whether the file calls graph-only TF1 names through compat.v1."""
    for chain in _attribute_chains(tree):
        if chain[0] != found.alias or chain[-1] not in GRAPH_ONLY:
            continue
        middle = chain[1:-1]
        if found.compat and not middle:
            return True
        if middle[-2:] == ["compat", "v1"]:
            return True
    return False


def switches_eager_off(tree: ast.Module) -> bool:
    return any(chain[-1] in SWITCHES for chain in _attribute_chains(tree))


def insert_line_after(text: str, line: int, statement: str) -> str:
    """``statement`` as a line of its own after line ``line`` (1-based), in the file's EOLs."""
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if "\r\n" in text else "\n"
    if lines and line <= len(lines) and not lines[line - 1].endswith(("\n", "\r")):
        lines[line - 1] += newline
    lines.insert(line, statement + newline)
    return "".join(lines)


def ensure_graph_mode(text: str) -> tuple[str, str | None]:
    """``text`` with eager execution disabled after the imports when its compat.v1 code needs
    it, and a description of the change (None when nothing was needed or possible)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return text, None
    found = tensorflow_import(tree)
    if found is None or not uses_graph_mode(tree, found) or switches_eager_off(tree):
        return text, None
    call = (
        f"{found.alias}.disable_eager_execution()"
        if found.compat
        else f"{found.alias}.compat.v1.disable_eager_execution()"
    )
    return (
        insert_line_after(text, found.insert_after_line, call),
        f"line {found.insert_after_line + 1}: added {call}: the tf.compat.v1 graph code "
        "(placeholders, sessions) does not run under TensorFlow 2's eager execution",
    )
