"""Where values sit in a JSON text: the offsets of each cell's ``source`` in a notebook file.

``json.loads`` gives values but no positions. Writing a notebook back must change only the
cell sources (every other byte kept), and SARIF wants the lines of the file a finding is on,
so this small scanner walks a text that ``json.loads`` already accepted and records spans.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from json import decoder

# The json module's own string scanner (C-accelerated): (text, offset after the opening quote)
# -> (the string's value, the offset after its closing quote). Missing from typeshed.
scanstring: Callable[[str, int], tuple[str, int]] = decoder.scanstring  # type: ignore[attr-defined]

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")
_LITERALS = ("true", "false", "null")


@dataclass
class JsonNode:
    """A value's offsets (end exclusive), with its members or items when it has any."""

    start: int
    end: int
    members: dict[str, JsonNode] = field(default_factory=dict)
    items: list[JsonNode] = field(default_factory=list)


def scan_json(text: str) -> JsonNode:
    """The position tree of a valid JSON text (raises ValueError on text json.loads refuses)."""
    node, end = _value(text, _skip(text, 0))
    if _skip(text, end) != len(text):
        raise ValueError("extra data after the JSON value")
    return node


def _skip(text: str, position: int) -> int:
    match = _WHITESPACE.match(text, position)
    return match.end() if match else position


def _value(text: str, position: int) -> tuple[JsonNode, int]:
    char = text[position : position + 1]
    if char == "{":
        return _object(text, position)
    if char == "[":
        return _array(text, position)
    if char == '"':
        _, end = scanstring(text, position + 1)
        return JsonNode(position, end), end
    for literal in _LITERALS:
        if text.startswith(literal, position):
            return JsonNode(position, position + len(literal)), position + len(literal)
    number = _NUMBER.match(text, position)
    if number is None:
        raise ValueError(f"unexpected character at offset {position}")
    return JsonNode(position, number.end()), number.end()


def _object(text: str, start: int) -> tuple[JsonNode, int]:
    node = JsonNode(start, start)
    position = _skip(text, start + 1)
    if text.startswith("}", position):
        node.end = position + 1
        return node, node.end
    while True:
        key, position = scanstring(text, position + 1)
        position = _skip(text, position)
        if not text.startswith(":", position):
            raise ValueError(f"expected ':' at offset {position}")
        member, position = _value(text, _skip(text, position + 1))
        node.members[key] = member
        position = _skip(text, position)
        if text.startswith("}", position):
            node.end = position + 1
            return node, node.end
        if not text.startswith(",", position):
            raise ValueError(f"expected ',' or '}}' at offset {position}")
        position = _skip(text, position + 1)


def _array(text: str, start: int) -> tuple[JsonNode, int]:
    node = JsonNode(start, start)
    position = _skip(text, start + 1)
    if text.startswith("]", position):
        node.end = position + 1
        return node, node.end
    while True:
        item, position = _value(text, position)
        node.items.append(item)
        position = _skip(text, position)
        if text.startswith("]", position):
            node.end = position + 1
            return node, node.end
        if not text.startswith(",", position):
            raise ValueError(f"expected ',' or ']' at offset {position}")
        position = _skip(text, position + 1)


class TextLines:
    """1-based line numbers of offsets into a text."""

    def __init__(self, text: str) -> None:
        self._starts = [0, *(match.end() for match in re.finditer(r"\r\n|\r|\n", text))]

    def line_of(self, offset: int) -> int:
        return bisect_right(self._starts, offset)
