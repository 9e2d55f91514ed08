"""The edit actions of the fix-data contract, each turned into changes of the libcst tree."""

from __future__ import annotations

import keyword
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import libcst as cst

from dl_lsp.fixes.document import Change, CstDocument, FixRefused, callee_name, dotted_name
from dl_lsp.fixes.layout import read_sequence, write_sequence
from dl_lsp.fixes.literals import python_literal
from dl_lsp.fixes.spelling import ImportNeed, spell_activation, spell_layer
from dl_lsp.fixes.statements import (
    insert_statements_after,
    remove_small_statement,
    statement_line,
)

Action = Mapping[str, Any]


@dataclass(frozen=True)
class ActionResult:
    """What one action does: tree changes, and bare names that must be imported."""

    changes: tuple[Change, ...] = ()
    imports: tuple[ImportNeed, ...] = field(default_factory=tuple)


def run_action(document: CstDocument, action: Action) -> ActionResult:
    """Carry out one action on the parsed file (FixRefused when it cannot be done)."""
    name = action.get("action")
    handler = _HANDLERS.get(name) if isinstance(name, str) else None
    if handler is None:
        raise FixRefused(f"unknown action {name!r}")
    return handler(document, action)


# -- replace_value, set_keyword, remove_keyword ---------------------------------------------


def replace_value(document: CstDocument, action: Action) -> ActionResult:
    node = document.expression_at(action.get("span"))
    new = _literal(document, action.get("value"), quote=_quote_of(node))
    return _changes(_replace_expression(document, node, new))


def set_keyword(document: CstDocument, action: Action) -> ActionResult:
    call = document.node_at(action.get("call"), cst.Call)
    name = _keyword_name(action)
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            new = _literal(document, action.get("value"), quote=_quote_of(arg.value))
            return _changes(_replace_expression(document, arg.value, new))
    new_arg = cst.Arg(
        value=_literal(document, action.get("value")),
        keyword=cst.Name(name),
        equal=cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""),
            whitespace_after=cst.SimpleWhitespace(""),
        ),
    )
    sequence = read_sequence(call)
    sequence = sequence.insert_after(len(sequence.items) - 1, new_arg)
    return _changes(Change(call, write_sequence(call, sequence)))


def remove_keyword(document: CstDocument, action: Action) -> ActionResult:
    call = document.node_at(action.get("call"), cst.Call)
    name = _keyword_name(action)
    for index, arg in enumerate(call.args):
        if arg.keyword is not None and arg.keyword.value == name:
            sequence = read_sequence(call).remove(index)
            return _changes(Change(call, write_sequence(call, sequence)))
    return ActionResult()  # already absent: nothing to do


# -- remove_layer, insert_layer_after ----------------------------------------------------------


@dataclass(frozen=True)
class _Site:
    """Where a layer constructor sits, which decides how it is removed or followed."""

    kind: str  # 'add', 'list', 'argument', 'pair', 'functional'
    container: cst.CSTNode  # the add() call, the list, the Sequential call, or the outer call
    index: int = 0


def remove_layer(document: CstDocument, action: Action) -> ActionResult:
    call = _layer_call(document, action.get("layer"))
    site = _site(document, call)
    if site is None:
        return _changes(*_unwrap_activation(document, call))
    if site.kind == "add":
        statement = document.parent(site.container)
        if not isinstance(statement, cst.Expr):
            raise FixRefused("add() is not a statement")
        return _changes(remove_small_statement(document, statement))
    if site.kind in ("list", "pair", "argument"):
        container = site.container
        assert isinstance(container, (cst.List, cst.Call))
        sequence = read_sequence(container).remove(site.index)
        return _changes(Change(container, write_sequence(container, sequence)))
    outer = site.container
    assert isinstance(outer, cst.Call)
    return _changes(*_replace_by_input(document, outer, _first_input(outer)))


def insert_layer_after(document: CstDocument, action: Action) -> ActionResult:
    anchor = _layer_call(document, action.get("layer"))
    site = _site(document, anchor)
    if site is None or site.kind == "pair":
        raise FixRefused("no layer container to insert into")
    new_name = action.get("new_layer")
    if not isinstance(new_name, str):
        raise FixRefused("new_layer must be a class name")
    if isinstance(anchor.func, cst.Call):
        anchor = anchor.func  # ``Dense(64)(x)``: the layer is the constructor inside
    spelled, need = spell_layer(document, anchor, new_name)
    constructor = f"{spelled}({_arguments(document, action)})"
    imports = (need,) if need is not None else ()
    if site.kind == "add":
        add_call = site.container
        assert isinstance(add_call, cst.Call) and isinstance(add_call.func, cst.Attribute)
        statement = document.parent(add_call)
        if not isinstance(statement, cst.Expr):
            raise FixRefused("add() is not a statement")
        receiver = document.code(add_call.func.value)
        line = statement_line(document, statement)
        new_line = document.parse_statement(f"{receiver}.add({constructor})")
        return ActionResult((insert_statements_after(document, line, [new_line]),), imports)
    if site.kind in ("list", "argument"):
        container = site.container
        assert isinstance(container, (cst.List, cst.Call))
        value = document.parse_expression(constructor)
        item: cst.Arg | cst.Element = (
            cst.Arg(value=value) if isinstance(container, cst.Call) else cst.Element(value=value)
        )
        sequence = read_sequence(container).insert_after(site.index, item)
        return ActionResult((Change(container, write_sequence(container, sequence)),), imports)
    outer = site.container
    assign = document.parent(outer)
    if not (
        isinstance(assign, cst.Assign)
        and len(assign.targets) == 1
        and isinstance(assign.targets[0].target, cst.Name)
    ):
        raise FixRefused("the functional layer's output is not assigned to a name")
    target = assign.targets[0].target.value
    line = statement_line(document, assign)
    new_line = document.parse_statement(f"{target} = {constructor}({target})")
    return ActionResult((insert_statements_after(document, line, [new_line]),), imports)


def _layer_call(document: CstDocument, span: object) -> cst.Call:
    """The layer constructor at ``span``; ``model.add(Layer())`` itself stands for its layer."""
    call = document.node_at(span, cst.Call)
    if _is_add_call(call) and isinstance(call.args[0].value, cst.Call):
        return call.args[0].value
    return call


def _is_add_call(call: cst.Call) -> bool:
    return (
        isinstance(call.func, cst.Attribute)
        and call.func.attr.value == "add"
        and len(call.args) == 1
        and call.args[0].keyword is None
        and call.args[0].star == ""
    )


def _site(document: CstDocument, call: cst.Call) -> _Site | None:
    """The container of a layer constructor call, or None for a functional activation."""
    if isinstance(call.func, cst.Call):
        return _Site("functional", call)
    parent = document.parent(call)
    if isinstance(parent, cst.Call) and parent.func is call:
        return _Site("functional", parent)
    if isinstance(parent, cst.Arg):
        owner = document.parent(parent)
        if not isinstance(owner, cst.Call):
            return None
        if _is_add_call(owner) and owner.args[0] is parent:
            return _Site("add", owner)
        if (
            callee_name(owner) == "Sequential"
            and parent.keyword is None
            and parent.star == ""
            and _is_constructor(call)
        ):
            return _Site("argument", owner, _index_of(owner.args, parent))
        return None
    if isinstance(parent, cst.Element):
        owner = document.parent(parent)
        if isinstance(owner, cst.List) and _is_constructor(call):
            return _Site("list", owner, _index_of(owner.elements, parent))
        if (
            isinstance(owner, cst.Tuple)
            and len(owner.elements) == 2
            and owner.elements[1] is parent
        ):
            # ``OrderedDict([("fc", nn.Linear(...)), ...])`` inside nn.Sequential.
            pair_element = document.parent(owner)
            pairs = document.parent(pair_element)
            if isinstance(pair_element, cst.Element) and isinstance(pairs, cst.List):
                return _Site("pair", pairs, _index_of(pairs.elements, pair_element))
    return None


def _is_constructor(call: cst.Call) -> bool:
    name = callee_name(call)
    return name is not None and name[:1].isupper()


def _index_of(items: object, item: cst.CSTNode) -> int:
    assert isinstance(items, (list, tuple))
    for number, candidate in enumerate(items):
        if candidate is item:
            return number
    raise FixRefused("item not found in its container")


def _first_input(call: cst.Call) -> cst.BaseExpression:
    """The tensor a layer or activation call is applied to."""
    for arg in call.args:
        if arg.star:
            raise FixRefused("starred input")
        if arg.keyword is None:
            return arg.value
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value in ("input", "inputs", "x", "features"):
            return arg.value
    raise FixRefused("the call has no input argument")


def _unwrap_activation(document: CstDocument, call: cst.Call) -> tuple[Change, ...]:
    """``F.softmax(x, dim=1)`` → ``x``; ``x.softmax(dim=1)`` → ``x``."""
    name = callee_name(call)
    if name is None or not name[:1].islower():
        raise FixRefused("not a functional activation call")
    try:
        value = _first_input(call)
    except FixRefused:
        receiver = call.func.value if isinstance(call.func, cst.Attribute) else None
        if receiver is None or _is_module_name(document, receiver):
            raise
        value = receiver
    return _replace_by_input(document, call, value)


def _is_module_name(document: CstDocument, node: cst.BaseExpression) -> bool:
    while isinstance(node, cst.Attribute):
        node = node.value
    return isinstance(node, cst.Name) and document.binding(node.value) is not None


def _replace_by_input(
    document: CstDocument, call: cst.Call, value: cst.BaseExpression
) -> tuple[Change, ...]:
    """Replace ``call`` by ``value``; a statement that becomes ``x = x`` goes entirely."""
    parent = document.parent(call)
    if (
        isinstance(parent, cst.Assign)
        and len(parent.targets) == 1
        and isinstance(parent.targets[0].target, cst.Name)
        and isinstance(value, cst.Name)
        and parent.targets[0].target.value == value.value
    ):
        return (remove_small_statement(document, parent),)
    moved = value
    if call.lpar:
        moved = value.with_changes(lpar=[*call.lpar, *value.lpar], rpar=[*value.rpar, *call.rpar])
    return (_replace_expression(document, call, moved, keep_parentheses=False),)


# -- wrap_call, wrap_value --------------------------------------------------------------------


def wrap_call(document: CstDocument, action: Action) -> ActionResult:
    node = document.expression_at(action.get("span"))
    function = action.get("function")
    if not isinstance(function, str):
        raise FixRefused("function must be a name")
    callee = document.parse_expression(spell_activation(document, function))
    inner = node.with_changes(lpar=[], rpar=[])
    wrapped = cst.Call(func=callee, args=[cst.Arg(value=inner)], lpar=node.lpar, rpar=node.rpar)
    return _changes(Change(node, wrapped))


_PLACEHOLDER = "__dl_lsp_value__"


def wrap_value(document: CstDocument, action: Action) -> ActionResult:
    node = document.expression_at(action.get("span"))
    template = action.get("template")
    if not isinstance(template, str) or template.count("{}") != 1 or _PLACEHOLDER in template:
        raise FixRefused("the template needs exactly one {}")
    shell = document.parse_expression(template.replace("{}", _PLACEHOLDER))
    holes = [n for n in _names(shell) if n.value == _PLACEHOLDER]
    if len(holes) != 1:
        raise FixRefused("the template's {} is not an expression slot")
    inner: cst.BaseExpression = node
    if not _is_atomic(node):
        inner = node.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    filled = shell.deep_replace(holes[0], inner)
    assert isinstance(filled, cst.BaseExpression)
    return _changes(_replace_expression(document, node, filled, keep_parentheses=False))


def _names(node: cst.CSTNode) -> list[cst.Name]:
    found: list[cst.Name] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name):
            found.append(current)
        stack.extend(current.children)
    return found


# -- rename_keyword, replace_name, replace_expression, merge_arguments (API migrations) ---------


def rename_keyword(document: CstDocument, action: Action) -> ActionResult:
    """``nb_epoch=10`` → ``epochs=10``; with ``value``, the value is replaced too."""
    call = document.node_at(action.get("call"), cst.Call)
    old = _keyword_name(action)
    new = checked_keyword(action.get("new_keyword"))
    if any(arg.keyword is not None and arg.keyword.value == new for arg in call.args):
        raise FixRefused(f"{new}= is already given")
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == old:
            changes = [Change(arg.keyword, cst.Name(new))]
            if "value" in action:
                value = _literal(document, action.get("value"), quote=_quote_of(arg.value))
                changes.append(_replace_expression(document, arg.value, value))
            return _changes(*changes)
    return ActionResult()  # already renamed: nothing to do


DOTTED_NAME = re.compile(r"[^\W\d]\w*(?:\.[^\W\d]\w*)*")


def replace_name(document: CstDocument, action: Action) -> ActionResult:
    """A dotted name, in an expression or as an import's module: ``tf.Session`` →
    ``tf.compat.v1.Session``, ``from keras.utils.np_utils`` → ``from keras.utils``."""
    node = document.expression_at(action.get("span"))
    new_text = action.get("new_text")
    if dotted_name(node) is None:
        raise FixRefused("not a dotted name")
    if not (isinstance(new_text, str) and DOTTED_NAME.fullmatch(new_text)) or any(
        keyword.iskeyword(part) for part in new_text.split(".")
    ):
        raise FixRefused(f"not a dotted name: {new_text!r}")
    new = document.parse_expression(new_text)
    return _changes(Change(node, new.with_changes(lpar=node.lpar, rpar=node.rpar)))


def replace_expression(document: CstDocument, action: Action) -> ActionResult:
    """An expression replaced by another: ``loss.data[0]`` → ``loss.item()``."""
    node = document.expression_at(action.get("span"))
    new_text = action.get("new_text")
    if not isinstance(new_text, str):
        raise FixRefused("new_text must be an expression")
    if any(isinstance(parent, (cst.Import, cst.ImportFrom)) for parent in document.ancestors(node)):
        raise FixRefused("an import is changed with replace_name")
    return _changes(_replace_expression(document, node, document.parse_expression(new_text)))


def merge_arguments(document: CstDocument, action: Action) -> ActionResult:
    """Positional arguments made one tuple: ``Conv2D(32, 3, 3)`` → ``Conv2D(32, (3, 3))``."""
    call = document.node_at(action.get("call"), cst.Call)
    first, count = checked_index(action.get("first")), checked_index(action.get("count"))
    if count < 2:
        raise FixRefused("merging needs at least two arguments")
    positional = [i for i, arg in enumerate(call.args) if arg.keyword is None and not arg.star]
    indices = positional[first : first + count]
    if len(indices) != count or indices != list(range(indices[0], indices[0] + count)):
        raise FixRefused("the arguments to merge are not consecutive positional arguments")
    values = ", ".join(document.code(call.args[i].value) for i in indices)
    merged = cst.Arg(value=document.parse_expression(f"({values})"))
    sequence = read_sequence(call)
    for index in reversed(indices[1:]):
        sequence = sequence.remove(index)
    items = list(sequence.items)
    items[indices[0]] = merged
    sequence = replace(sequence, items=tuple(items))
    return _changes(Change(call, write_sequence(call, sequence)))


def checked_index(value: object) -> int:
    """``value`` when it is a non-negative integer (FixRefused otherwise)."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise FixRefused(f"not an index: {value!r}")
    return value


# -- shared pieces ----------------------------------------------------------------------------

_ATOMIC = (
    cst.Name,
    cst.Attribute,
    cst.Call,
    cst.Subscript,
    cst.SimpleString,
    cst.ConcatenatedString,
    cst.FormattedString,
    cst.Integer,
    cst.Float,
    cst.Imaginary,
    cst.List,
    cst.Dict,
    cst.Set,
    cst.ListComp,
    cst.SetComp,
    cst.DictComp,
    cst.Ellipsis,
)
# Parents in which any expression can stand without parentheses.
_OPEN_SLOTS = (
    cst.Element,
    cst.Assign,
    cst.AnnAssign,
    cst.AugAssign,
    cst.Return,
    cst.Expr,
    cst.Index,
    cst.DictElement,
    cst.Param,
)


def _is_atomic(node: cst.BaseExpression) -> bool:
    return bool(node.lpar) or isinstance(node, _ATOMIC)


def _replace_expression(
    document: CstDocument,
    old: cst.BaseExpression,
    new: cst.BaseExpression,
    *,
    keep_parentheses: bool = True,
) -> Change:
    """Replace an expression, keeping its parentheses, and adding some where precedence needs."""
    if keep_parentheses and old.lpar and not new.lpar:
        new = new.with_changes(lpar=old.lpar, rpar=old.rpar)
    elif not _is_atomic(new) and not _open_slot(document, old):
        new = new.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return Change(old, new)


def _open_slot(document: CstDocument, node: cst.BaseExpression) -> bool:
    parent = document.parent(node)
    if isinstance(parent, cst.Arg):
        return not parent.star
    return isinstance(parent, _OPEN_SLOTS)


def _literal(document: CstDocument, value: object, quote: str | None = None) -> cst.BaseExpression:
    """The literal for a JSON value, in the quotes of the string it replaces or of the file."""
    return document.parse_expression(python_literal(value, quote or document.quote))


def _quote_of(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.SimpleString):
        return node.quote
    if isinstance(node, cst.ConcatenatedString):
        return _quote_of(node.left)
    if isinstance(node, cst.FormattedString):
        return node.start.lstrip("fFrRbBuU")
    return None


def _keyword_name(action: Action) -> str:
    return checked_keyword(action.get("keyword"))


def checked_keyword(name: object) -> str:
    """``name`` when it can be a keyword argument's name (FixRefused otherwise)."""
    if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
        raise FixRefused(f"not a keyword argument name: {name!r}")
    return name


def _arguments(document: CstDocument, action: Action) -> str:
    args = action.get("args", [])
    kwargs = action.get("kwargs", {})
    if not isinstance(args, list) or not isinstance(kwargs, dict):
        raise FixRefused("args must be a list and kwargs an object")
    parts = [python_literal(value, document.quote, tuples=True) for value in args]
    for name, value in kwargs.items():
        if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
            raise FixRefused(f"not a keyword argument name: {name!r}")
        parts.append(f"{name}={python_literal(value, document.quote, tuples=True)}")
    return ", ".join(parts)


def _changes(*changes: Change) -> ActionResult:
    return ActionResult(tuple(changes))


_HANDLERS: dict[str, Callable[[CstDocument, Action], ActionResult]] = {
    "replace_value": replace_value,
    "set_keyword": set_keyword,
    "remove_keyword": remove_keyword,
    "remove_layer": remove_layer,
    "insert_layer_after": insert_layer_after,
    "wrap_call": wrap_call,
    "wrap_value": wrap_value,
    "rename_keyword": rename_keyword,
    "replace_name": replace_name,
    "replace_expression": replace_expression,
    "merge_arguments": merge_arguments,
}
