"""Builders for ``Finding.fix_data``: the edit actions the quick-fix engine performs.

The contract: ``{"fixes": [{"title", "safe", "edits": [action, ...]}, ...]}``, the first fix
preferred, spans as ``[line, column, end_line, end_column]``.
"""

from __future__ import annotations

from typing import Any

from dl_lsp.facts import Span

Action = dict[str, Any]
Fix = dict[str, Any]


def span_list(span: Span) -> list[int]:
    return [span.line, span.column, span.end_line, span.end_column]


def replace_value(span: Span, value: object) -> Action:
    return {"action": "replace_value", "span": span_list(span), "value": value}


def set_keyword(call: Span, keyword: str, value: object) -> Action:
    return {"action": "set_keyword", "call": span_list(call), "keyword": keyword, "value": value}


def remove_keyword(call: Span, keyword: str) -> Action:
    return {"action": "remove_keyword", "call": span_list(call), "keyword": keyword}


def remove_layer(layer: Span) -> Action:
    return {"action": "remove_layer", "layer": span_list(layer)}


def insert_layer_after(
    layer: Span,
    new_layer: str,
    args: list[object] | None = None,
    kwargs: dict[str, object] | None = None,
) -> Action:
    return {
        "action": "insert_layer_after",
        "layer": span_list(layer),
        "new_layer": new_layer,
        "args": args or [],
        "kwargs": kwargs or {},
    }


def wrap_value(span: Span, template: str) -> Action:
    return {"action": "wrap_value", "span": span_list(span), "template": template}


def rename_keyword(call: Span, keyword: str, new_keyword: str, *value: object) -> Action:
    """Rename a keyword argument; an optional ``value`` replaces its value as well."""
    action: Action = {
        "action": "rename_keyword",
        "call": span_list(call),
        "keyword": keyword,
        "new_keyword": new_keyword,
    }
    if value:
        action["value"] = value[0]
    return action


def replace_name(span: Span, new_text: str) -> Action:
    """Replace a dotted name (in an expression, or an import's module) by another."""
    return {"action": "replace_name", "span": span_list(span), "new_text": new_text}


def replace_expression(span: Span, new_text: str) -> Action:
    return {"action": "replace_expression", "span": span_list(span), "new_text": new_text}


def merge_arguments(call: Span, first: int, count: int) -> Action:
    """Make ``count`` positional arguments from index ``first`` on one tuple argument."""
    return {"action": "merge_arguments", "call": span_list(call), "first": first, "count": count}


def fix(title: str, *edits: Action, safe: bool = False) -> Fix:
    return {"title": title, "safe": safe, "edits": list(edits)}


def fixes(*proposals: Fix | None) -> dict[str, Any]:
    """The fix_data of a finding; ``None`` proposals (not applicable here) are dropped."""
    return {"fixes": [proposal for proposal in proposals if proposal is not None]}
