"""Fixes for files libcst cannot parse: Stack Overflow snippets with a stray bracket or a
Python 2 ``print``. The analysis still finds bugs in them (its parser blanks the broken line
and goes on), so the fixes that only rewrite one expression are still offered, computed on
that same tolerant ``ast`` tree. Such a fix is kept only when the file has exactly the syntax
errors it had before: it never adds one.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from typing import Any

from dl_lsp.facts.span import Span
from dl_lsp.fixes.actions import DOTTED_NAME, checked_index, checked_keyword
from dl_lsp.fixes.document import FixRefused
from dl_lsp.fixes.edits import TextEdit, parses
from dl_lsp.fixes.literals import python_literal
from dl_lsp.source import ParsedSource, SyntaxProblem

_ATOMIC = (
    ast.Name,
    ast.Attribute,
    ast.Call,
    ast.Subscript,
    ast.Constant,
    ast.List,
    ast.Tuple,
    ast.Dict,
    ast.Set,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.JoinedStr,
)
# Parents in which an operator expression would bind differently without parentheses.
_TIGHT_PARENTS = (
    ast.BinOp,
    ast.UnaryOp,
    ast.BoolOp,
    ast.Compare,
    ast.Attribute,
    ast.Subscript,
    ast.Await,
    ast.Starred,
)


class TolerantDocument:
    """The analysis's own error-tolerant parse of a file, indexed by span."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.source = ParsedSource(text)
        self._by_span: dict[tuple[int, int, int, int], ast.expr] = {}
        self._parents: dict[ast.AST, ast.AST] = {}
        self.quote = '"'
        tree = self.source.tree
        if tree is None:
            return
        for parent in ast.walk(tree):
            for child in ast.iter_child_nodes(parent):
                self._parents[child] = parent
            if isinstance(parent, ast.expr):
                span = self.source.span(parent)
                key = (span.line, span.column, span.end_line, span.end_column)
                self._by_span.setdefault(key, parent)  # the outermost comes first
        quotes = [
            _quote_of(self.source.segment(node))
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
        ]
        if quotes.count("'") > quotes.count('"'):
            self.quote = "'"

    def expression_at(self, span: object) -> ast.expr:
        if not (isinstance(span, Sequence) and len(span) == 4) or isinstance(span, str):
            raise FixRefused(f"not a span: {span!r}")
        node = self._by_span.get(tuple(span))  # type: ignore[arg-type]
        if node is None:
            raise FixRefused(f"no expression at {span!r}")
        return node

    def edit(self, node: ast.expr, new_text: str) -> TextEdit:
        if isinstance(self._parents.get(node), _TIGHT_PARENTS) and not _atomic_text(new_text):
            new_text = f"({new_text})"
        return TextEdit(self.source.span(node), new_text)


def tolerant_edits(document: TolerantDocument, actions: Sequence[Any]) -> tuple[TextEdit, ...]:
    """The edits of the one-expression actions; FixRefused for any other action."""
    edits: list[TextEdit] = []
    for action in actions:
        if not isinstance(action, Mapping):
            raise FixRefused("an action must be an object")
        kind = action.get("action")
        if kind == "replace_value":
            node = document.expression_at(action.get("span"))
            edits.append(document.edit(node, _literal_like(document, node, action.get("value"))))
        elif kind == "set_keyword":
            call = document.expression_at(action.get("call"))
            if not isinstance(call, ast.Call):
                raise FixRefused("not a call")
            value = next((k.value for k in call.keywords if k.arg == action.get("keyword")), None)
            if value is None:
                raise FixRefused("adding a keyword needs the file to parse")
            edits.append(document.edit(value, _literal_like(document, value, action.get("value"))))
        elif kind == "wrap_value":
            node = document.expression_at(action.get("span"))
            template = action.get("template")
            if not isinstance(template, str) or template.count("{}") != 1:
                raise FixRefused("the template needs exactly one {}")
            inner = document.source.segment(node)
            if not isinstance(node, _ATOMIC):
                inner = f"({inner})"
            edits.append(document.edit(node, template.replace("{}", inner)))
        elif kind in ("replace_name", "replace_expression"):
            node = document.expression_at(action.get("span"))
            new_text = _expression_text(action.get("new_text"), dotted=kind == "replace_name")
            edits.append(document.edit(node, new_text))
        elif kind == "rename_keyword":
            edits.extend(_renamed_keyword(document, action))
        elif kind == "merge_arguments":
            edits.append(_merged_arguments(document, action))
        else:
            raise FixRefused(f"{kind!r} needs a file that parses")
    return tuple(edits)


def _expression_text(value: object, *, dotted: bool) -> str:
    if not isinstance(value, str) or (dotted and not DOTTED_NAME.fullmatch(value)):
        raise FixRefused(f"not a {'dotted name' if dotted else 'expression'}: {value!r}")
    try:
        ast.parse(value, mode="eval")
    except SyntaxError as error:
        raise FixRefused("not an expression") from error
    return value


def _call_at(document: TolerantDocument, action: Mapping[str, Any]) -> ast.Call:
    call = document.expression_at(action.get("call"))
    if not isinstance(call, ast.Call):
        raise FixRefused("not a call")
    return call


def _renamed_keyword(document: TolerantDocument, action: Mapping[str, Any]) -> list[TextEdit]:
    call = _call_at(document, action)
    old = checked_keyword(action.get("keyword"))
    new = checked_keyword(action.get("new_keyword"))
    if any(item.arg == new for item in call.keywords):
        raise FixRefused(f"{new}= is already given")
    found = next((item for item in call.keywords if item.arg == old), None)
    if found is None:
        return []
    span = document.source.span(found)
    name = Span(span.line, span.column, span.line, span.column + len(old))
    if document.source.line_text(span.line)[name.column : name.end_column] != old:
        raise FixRefused("the keyword is not where the tree says")
    edits = [TextEdit(name, new)]
    if "value" in action:
        value = _literal_like(document, found.value, action.get("value"))
        edits.append(document.edit(found.value, value))
    return edits


def _merged_arguments(document: TolerantDocument, action: Mapping[str, Any]) -> TextEdit:
    call = _call_at(document, action)
    first, count = checked_index(action.get("first")), checked_index(action.get("count"))
    if count < 2:
        raise FixRefused("merging needs at least two arguments")
    if any(isinstance(arg, ast.Starred) for arg in call.args):
        raise FixRefused("starred arguments")
    chosen = call.args[first : first + count]
    if len(chosen) != count:
        raise FixRefused("not that many positional arguments")
    start, end = document.source.span(chosen[0]), document.source.span(chosen[-1])
    values = ", ".join(document.source.segment(arg) for arg in chosen)
    return TextEdit(Span(start.line, start.column, end.end_line, end.end_column), f"({values})")


def still_valid(before: str, after: str) -> bool:
    """``after`` parses; or, when ``before`` did not, it has no syntax error ``before`` lacked."""
    if parses(after):
        return True
    return not parses(before) and keeps_syntax_errors(before, after)


def keeps_syntax_errors(before: str, after: str) -> bool:
    """Whether ``after`` has the same syntax errors, on the same lines, as ``before``."""
    return _errors(ParsedSource(before).syntax_errors) == _errors(ParsedSource(after).syntax_errors)


def _errors(problems: Sequence[SyntaxProblem]) -> list[tuple[int, str]]:
    return [(problem.span.line, problem.message) for problem in problems]


def _literal_like(document: TolerantDocument, node: ast.expr, value: object) -> str:
    quote = document.quote
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        quote = _quote_of(document.source.segment(node))
    text = python_literal(value, quote)
    try:
        ast.parse(text, mode="eval")
    except SyntaxError as error:
        raise FixRefused("not a literal") from error
    return text


def _quote_of(literal: str) -> str:
    written = literal.lstrip("rRbBuUfF")
    return written[:3] if written[:3] in ("'''", '"""') else written[:1]


def _atomic_text(text: str) -> bool:
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
        return False
    return isinstance(tree.body, _ATOMIC)
