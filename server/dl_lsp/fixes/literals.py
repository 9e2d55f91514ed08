"""Python source for the JSON values that fix data carries."""

from __future__ import annotations

import math

from dl_lsp.fixes.document import FixRefused


def python_literal(value: object, quote: str = '"', *, tuples: bool = False) -> str:
    """The Python literal for a JSON value; strings use ``quote`` (``'``, ``"`` or triples).

    With ``tuples``, JSON lists become tuples, which is how Python code spells shapes and sizes.
    """
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise FixRefused(f"{value!r} has no literal")
        return repr(value)
    if isinstance(value, str):
        return string_literal(value, quote)
    if isinstance(value, (list, tuple)):
        items = [python_literal(item, quote, tuples=tuples) for item in value]
        if tuples:
            return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"
        return f"[{', '.join(items)}]"
    if isinstance(value, dict):
        pairs = [
            f"{string_literal(key, quote)}: {python_literal(item, quote, tuples=tuples)}"
            for key, item in value.items()
            if isinstance(key, str)
        ]
        if len(pairs) != len(value):
            raise FixRefused("dictionary keys must be strings")
        return "{" + ", ".join(pairs) + "}"
    raise FixRefused(f"{type(value).__name__} has no literal")


def string_literal(value: str, quote: str = '"') -> str:
    """A string literal delimited by ``quote``, escaping what must be escaped."""
    if quote not in ("'", '"', "'''", '"""'):
        quote = '"'
    mark = quote[0]
    triple = len(quote) == 3
    parts: list[str] = []
    for char in value:
        if char == "\\":
            parts.append("\\\\")
        elif char == mark:
            parts.append("\\" + char)
        elif char == "\n" and triple:
            parts.append(char)
        elif not char.isprintable():
            parts.append(repr(char)[1:-1])
        else:
            parts.append(char)
    return f"{quote}{''.join(parts)}{quote}"
