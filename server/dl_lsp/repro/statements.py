"""Inserting whole statements into a module with libcst, keeping every other byte as it was."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

MARK = "# dl-lsp repro"


def parse_statements(code: str) -> list[cst.BaseStatement]:
    """The statements of a code fragment (raises ``libcst.ParserSyntaxError`` when it is broken)."""
    return list(cst.parse_module(code).body)


def _leading_lines(statement: cst.BaseStatement) -> list[cst.EmptyLine]:
    """The comment and blank lines above a statement (simple and compound ones have them)."""
    return list(getattr(statement, "leading_lines", ()))


def _with_comment(
    statements: list[cst.BaseStatement], comment: str | None
) -> list[cst.BaseStatement]:
    if not statements or comment is None:
        return statements
    first = statements[0]
    line = cst.EmptyLine(comment=cst.Comment(f"{MARK}: {comment}"))
    leading = [line, *_leading_lines(first)]
    return [first.with_changes(leading_lines=leading), *statements[1:]]


def _leading_header_count(module: cst.Module) -> int:
    """How many statements open the module as its header: docstring, imports, ``__future__``."""
    count = 0
    for index, statement in enumerate(module.body):
        if isinstance(statement, cst.SimpleStatementLine) and all(
            isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body
        ):
            count = index + 1
            continue
        if index == 0 and _is_docstring(statement):
            count = 1
            continue
        if _is_inert(statement):
            continue  # a notebook magic's stand-in (``0``) between the imports
        break
    return count


def _is_inert(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, cst.Integer)
    )


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _splice(
    module: cst.Module, index: int, new: list[cst.BaseStatement]
) -> list[cst.BaseStatement]:
    """The module's statements with ``new`` before statement ``index``; the blank lines that
    separated that statement from the one above now separate the new statements from it."""
    if index >= len(module.body) or not new:
        return [*module.body, *new]
    target = module.body[index]
    leading = _leading_lines(target)
    blanks = 0
    while blanks < len(leading) and leading[blanks].comment is None:
        blanks += 1
    if blanks:
        new[0] = new[0].with_changes(leading_lines=[*leading[:blanks], *_leading_lines(new[0])])
        target = target.with_changes(leading_lines=leading[blanks:])
    return [*module.body[:index], *new, target, *module.body[index + 1 :]]


def insert_after_header(text: str, code: str, comment: str | None = None) -> str:
    """Insert ``code`` after the module's docstring and leading imports."""
    module = cst.parse_module(text)
    index = _leading_header_count(module)
    new = _with_comment(parse_statements(code), comment)
    return module.with_changes(body=_splice(module, index, new)).code


def insert_before_line(text: str, line: int, code: str, comment: str | None = None) -> str:
    """Insert ``code`` before the top-level statement that starts on (or spans) ``line``.

    The statements go after the module header when ``line`` falls inside it."""
    module = cst.parse_module(text)
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    positions = wrapper.resolve(PositionProvider)
    index = len(module.body)
    for number, statement in enumerate(module.body):
        where = positions[statement]
        if where.end.line >= line:
            index = number
            break
    index = max(index, _leading_header_count(module))
    new = _with_comment(parse_statements(code), comment)
    # The user's comments above the statement stay with it, below the new statements.
    return module.with_changes(body=_splice(module, index, new)).code


def insert_imports(text: str, lines: Sequence[str]) -> str:
    """Add import statements after the module's leading imports (after ``__future__``)."""
    if not lines:
        return text
    module = cst.parse_module(text)
    index = _leading_header_count(module)
    new = parse_statements("\n".join(lines) + "\n")
    body = [*module.body[:index], *new, *module.body[index:]]
    return module.with_changes(body=body).code
