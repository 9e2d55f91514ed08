"""Removing a statement from its block and inserting one after another."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

import libcst as cst

from dl_lsp.fixes.document import Change, CstDocument, FixRefused

Block: TypeAlias = cst.Module | cst.IndentedBlock


def statement_line(document: CstDocument, small: cst.BaseSmallStatement) -> cst.SimpleStatementLine:
    """The line a small statement stands alone on (FixRefused when it shares it)."""
    line = document.parent(small)
    if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
        raise FixRefused("the statement shares its line with others")
    return line


def remove_small_statement(document: CstDocument, small: cst.BaseSmallStatement) -> Change:
    """Remove a small statement; its line goes too when nothing else is on it."""
    line = document.parent(small)
    if isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1:
        return remove_statement(document, line)
    if not isinstance(line, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
        raise FixRefused("unexpected statement container")
    body = [s for s in line.body if s is not small]
    if not body:
        body = [cst.Pass()]
    elif line.body[-1] is small:
        body[-1] = body[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
    return Change(line, line.with_changes(body=body))


def remove_statement(document: CstDocument, statement: cst.BaseStatement) -> Change:
    """Remove a whole statement; blank and comment lines above it stay in the file."""
    block = _block(document, statement)
    body = list(block.body)
    index = _index(body, statement)
    leading = tuple(_leading_lines(statement))
    del body[index]
    footer = tuple(block.footer)
    if index < len(body):
        following = body[index]
        body[index] = following.with_changes(leading_lines=(*leading, *_leading_lines(following)))
    elif isinstance(block, cst.IndentedBlock) and not body:
        body.append(cst.SimpleStatementLine(body=[cst.Pass()], leading_lines=leading))
    else:
        footer = (*leading, *footer)
    return Change(block, block.with_changes(body=body, footer=footer))


def insert_statements_after(
    document: CstDocument, anchor: cst.BaseStatement, new: Sequence[cst.BaseStatement]
) -> Change:
    """Insert statements right after ``anchor``, in the same block and indentation."""
    block = _block(document, anchor)
    body = list(block.body)
    index = _index(body, anchor)
    body[index + 1 : index + 1] = list(new)
    return Change(block, block.with_changes(body=body))


def _leading_lines(statement: cst.BaseStatement) -> Sequence[cst.EmptyLine]:
    # Every statement class has them, but their common base does not declare them.
    lines: Sequence[cst.EmptyLine] = getattr(statement, "leading_lines", ())
    return lines


def _block(document: CstDocument, statement: cst.BaseStatement) -> Block:
    block = document.parent(statement)
    if not isinstance(block, (cst.Module, cst.IndentedBlock)):
        raise FixRefused("the statement is not in a block")
    return block


def _index(body: Sequence[cst.CSTNode], node: cst.CSTNode) -> int:
    for number, candidate in enumerate(body):
        if candidate is node:
            return number
    raise FixRefused("statement not found in its block")
