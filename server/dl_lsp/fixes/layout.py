"""Inserting into and removing from comma-separated sequences, keeping the user's layout.

Call arguments, list elements and imported names all come down to the same shape: an
opening whitespace, items separated by commas (the whitespace after each comma carries the
comment of that line and the indentation of the next item), perhaps a trailing comma, and a
closing whitespace before the bracket. ``Sequence`` reads that shape from the three node
types, edits it, and writes it back, so a one-line call stays one line, a hanging indent stays
hanging, one-item-per-line with a trailing comma stays so, and comments stay on their lines.
"""

from __future__ import annotations

import collections.abc
from dataclasses import dataclass, replace
from typing import TypeAlias

import libcst as cst

from dl_lsp.fixes.document import FixRefused

Whitespace: TypeAlias = cst.BaseParenthesizableWhitespace
Item: TypeAlias = cst.Arg | cst.BaseElement | cst.ImportAlias
Container: TypeAlias = cst.Call | cst.List | cst.ImportFrom

_NOTHING = cst.SimpleWhitespace("")


@dataclass(frozen=True)
class Sequence:
    """The layout of a comma-separated sequence, detached from its node."""

    opening: Whitespace
    items: tuple[Item, ...]  # without their commas
    comma_spaces: tuple[Whitespace, ...]  # the whitespace before each item's comma
    separators: tuple[Whitespace, ...]  # after the comma of every item but the last
    trailing_comma: bool
    closing: Whitespace

    # -- editing -------------------------------------------------------------------------------

    def insert_after(self, index: int, item: Item) -> Sequence:
        """Insert ``item`` after the item at ``index`` (-1: as the first item of an empty one)."""
        items = list(self.items)
        spaces = list(self.comma_spaces)
        separators = list(self.separators)
        if not items:
            return replace(self, items=(item,), comma_spaces=(_NOTHING,), closing=_NOTHING)
        if not 0 <= index < len(items):
            raise FixRefused("insertion point outside the sequence")
        closing = self.closing
        if index < len(items) - 1:
            after_anchor, after_new = _split_separator(separators[index])
            separators[index : index + 1] = [after_anchor, after_new]
        else:
            template = self._item_separator()
            if isinstance(closing, cst.ParenthesizedWhitespace):
                # The comment of the old last line stays there; the new item takes the item
                # indentation, and the bracket keeps its own line.
                indent, last_line = (
                    (template.indent, template.last_line)
                    if isinstance(template, cst.ParenthesizedWhitespace)
                    else (closing.indent, closing.last_line)
                )
                separators.append(
                    cst.ParenthesizedWhitespace(
                        first_line=closing.first_line,
                        empty_lines=closing.empty_lines,
                        indent=indent,
                        last_line=last_line,
                    )
                )
                closing = _bare(closing)
            else:
                separators.append(template)
        items.insert(index + 1, item)
        spaces.insert(index + 1, _NOTHING)
        return replace(
            self,
            items=tuple(items),
            comma_spaces=tuple(spaces),
            separators=tuple(separators),
            closing=closing,
        )

    def remove(self, index: int) -> Sequence:
        """Remove the item at ``index``, with its comma and the comment of its own line."""
        count = len(self.items)
        if not 0 <= index < count:
            raise FixRefused("removal outside the sequence")
        items = list(self.items)
        spaces = list(self.comma_spaces)
        separators = list(self.separators)
        opening, closing = self.opening, self.closing
        del items[index]
        del spaces[index]
        if count == 1:
            return replace(
                self,
                opening=_join_empty(opening, closing),
                items=(),
                comma_spaces=(),
                separators=(),
                trailing_comma=False,
                closing=_NOTHING,
            )
        if index == count - 1:
            closing = _join_closing(separators.pop(), closing)
        elif index == 0:
            opening = _join_opening(opening, separators.pop(0))
        else:
            before = separators[index - 1]
            separators[index - 1 : index + 1] = [_join_middle(before, separators[index])]
        return replace(
            self,
            opening=opening,
            items=tuple(items),
            comma_spaces=tuple(spaces),
            separators=tuple(separators),
            closing=closing,
        )

    def _item_separator(self) -> Whitespace:
        """What goes between two items here: the last separator, or the opening's layout."""
        if self.separators:
            return _bare(self.separators[-1])
        if isinstance(self.opening, cst.ParenthesizedWhitespace):
            return _bare(self.opening)
        return cst.SimpleWhitespace(" ")


# -- reading and writing the three containers ----------------------------------------------


def read_sequence(node: Container) -> Sequence:
    """The layout of a call's arguments, a list's elements, or an import's names."""
    if isinstance(node, cst.Call):
        return _read(node.whitespace_before_args, node.args, _NOTHING)
    if isinstance(node, cst.List):
        return _read(node.lbracket.whitespace_after, node.elements, node.rbracket.whitespace_before)
    if isinstance(node.names, cst.ImportStar):
        raise FixRefused("star import")
    opening = node.lpar.whitespace_after if node.lpar else _NOTHING
    closing = node.rpar.whitespace_before if node.rpar else _NOTHING
    return _read(opening, node.names, closing)


def write_sequence(node: Container, sequence: Sequence) -> Container:
    """``node`` with the items and layout of ``sequence``."""
    items = _with_commas(sequence)
    if isinstance(node, cst.Call):
        args = [item for item in items if isinstance(item, cst.Arg)]
        if args:
            args[-1] = args[-1].with_changes(whitespace_after_arg=sequence.closing)
        return node.with_changes(whitespace_before_args=sequence.opening, args=args)
    if isinstance(node, cst.List):
        elements = [item for item in items if isinstance(item, cst.BaseElement)]
        return node.with_changes(
            elements=elements,
            lbracket=node.lbracket.with_changes(whitespace_after=sequence.opening),
            rbracket=node.rbracket.with_changes(whitespace_before=sequence.closing),
        )
    names = [item for item in items if isinstance(item, cst.ImportAlias)]
    if not names:
        raise FixRefused("an import needs a name")
    if node.lpar is None or node.rpar is None:
        if any(isinstance(s, cst.ParenthesizedWhitespace) for s in sequence.separators):
            raise FixRefused("a multi-line import needs parentheses")
        return node.with_changes(names=names)
    return node.with_changes(
        names=names,
        lpar=node.lpar.with_changes(whitespace_after=sequence.opening),
        rpar=node.rpar.with_changes(whitespace_before=sequence.closing),
    )


def _read(
    opening: Whitespace, items: collections.abc.Sequence[Item], closing: Whitespace
) -> Sequence:
    bare: list[Item] = []
    spaces: list[Whitespace] = []
    separators: list[Whitespace] = []
    trailing = False
    for number, item in enumerate(items):
        comma = item.comma
        after_item = item.whitespace_after_arg if isinstance(item, cst.Arg) else _NOTHING
        last = number == len(items) - 1
        if isinstance(comma, cst.Comma):
            spaces.append(comma.whitespace_before)
            following = _concat(comma.whitespace_after, after_item)
            if last:
                trailing = True
                closing = _concat(following, closing)
            else:
                separators.append(following)
        else:
            if not last:
                raise FixRefused("an item without its comma")
            spaces.append(_NOTHING)
            closing = _concat(after_item, closing)
        stripped = item.with_changes(comma=cst.MaybeSentinel.DEFAULT)
        if isinstance(stripped, cst.Arg):
            stripped = stripped.with_changes(whitespace_after_arg=_NOTHING)
        bare.append(stripped)
    return Sequence(opening, tuple(bare), tuple(spaces), tuple(separators), trailing, closing)


def _with_commas(sequence: Sequence) -> list[Item]:
    result: list[Item] = []
    count = len(sequence.items)
    for number, item in enumerate(sequence.items):
        space = sequence.comma_spaces[number]
        if number < count - 1:
            result.append(
                item.with_changes(
                    comma=cst.Comma(
                        whitespace_before=space, whitespace_after=sequence.separators[number]
                    )
                )
            )
        elif sequence.trailing_comma:
            result.append(
                item.with_changes(
                    comma=cst.Comma(whitespace_before=space, whitespace_after=_NOTHING)
                )
            )
        else:
            result.append(item.with_changes(comma=cst.MaybeSentinel.DEFAULT))
    return result


# -- whitespace arithmetic ------------------------------------------------------------------


def _concat(first: Whitespace, second: Whitespace) -> Whitespace:
    if _empty(second):
        return first
    if _empty(first):
        return second
    if isinstance(first, cst.SimpleWhitespace) and isinstance(second, cst.SimpleWhitespace):
        return cst.SimpleWhitespace(first.value + second.value)
    raise FixRefused("unusual whitespace layout")


def _empty(whitespace: Whitespace) -> bool:
    return isinstance(whitespace, cst.SimpleWhitespace) and whitespace.value == ""


def _bare(whitespace: Whitespace) -> Whitespace:
    """The same line break and indentation, without comments or blank lines."""
    if isinstance(whitespace, cst.ParenthesizedWhitespace):
        return cst.ParenthesizedWhitespace(
            first_line=cst.TrailingWhitespace(),
            empty_lines=(),
            indent=whitespace.indent,
            last_line=whitespace.last_line,
        )
    return whitespace


def _has_comment(whitespace: Whitespace) -> bool:
    if not isinstance(whitespace, cst.ParenthesizedWhitespace):
        return False
    return whitespace.first_line.comment is not None or any(
        line.comment is not None for line in whitespace.empty_lines
    )


def _split_separator(separator: Whitespace) -> tuple[Whitespace, Whitespace]:
    """Split the whitespace between two items around a new item placed between them.

    The comment on the first item's line stays with it; comment lines above the second item
    stay above it.
    """
    if not isinstance(separator, cst.ParenthesizedWhitespace):
        return separator, separator
    after_anchor = cst.ParenthesizedWhitespace(
        first_line=separator.first_line,
        empty_lines=(),
        indent=separator.indent,
        last_line=separator.last_line,
    )
    after_new = cst.ParenthesizedWhitespace(
        first_line=cst.TrailingWhitespace(),
        empty_lines=separator.empty_lines,
        indent=separator.indent,
        last_line=separator.last_line,
    )
    return after_anchor, after_new


def _merge(before: cst.ParenthesizedWhitespace, after: Whitespace) -> Whitespace:
    """Keep the comment of the line before, comment lines from both, the layout of after."""
    if not isinstance(after, cst.ParenthesizedWhitespace):
        return before
    return cst.ParenthesizedWhitespace(
        first_line=before.first_line,
        empty_lines=(*before.empty_lines, *after.empty_lines),
        indent=after.indent,
        last_line=after.last_line,
    )


def _join_middle(before: Whitespace, after: Whitespace) -> Whitespace:
    """The whitespace that replaces ``before, <removed item>, after`` between two items."""
    if isinstance(before, cst.ParenthesizedWhitespace):
        return _merge(before, after)
    # ``before`` keeps the neighbours on one line; a comment after the removed item is on
    # that same line, so it keeps its place.
    return after if isinstance(after, cst.ParenthesizedWhitespace) else before


def _join_closing(before: Whitespace, closing: Whitespace) -> Whitespace:
    """The whitespace between the new last item and the bracket."""
    if isinstance(before, cst.ParenthesizedWhitespace):
        if isinstance(closing, cst.ParenthesizedWhitespace):
            return _merge(before, closing)
        if _has_comment(before):
            return before  # a comment needs its line break before the bracket
        return closing
    return closing


def _join_opening(opening: Whitespace, after: Whitespace) -> Whitespace:
    """The whitespace between the bracket and the new first item."""
    if isinstance(opening, cst.ParenthesizedWhitespace):
        return _merge(opening, after)
    if isinstance(after, cst.ParenthesizedWhitespace) and any(
        line.comment is not None for line in after.empty_lines
    ):
        return cst.ParenthesizedWhitespace(
            first_line=cst.TrailingWhitespace(),
            empty_lines=after.empty_lines,
            indent=after.indent,
            last_line=after.last_line,
        )
    return opening


def _join_empty(opening: Whitespace, closing: Whitespace) -> Whitespace:
    """The whitespace left inside the brackets once the only item is gone."""
    comments = _has_comment(opening) or _has_comment(closing)
    if not comments:
        return _NOTHING
    first = opening if isinstance(opening, cst.ParenthesizedWhitespace) else None
    last = closing if isinstance(closing, cst.ParenthesizedWhitespace) else None
    return cst.ParenthesizedWhitespace(
        first_line=first.first_line if first else cst.TrailingWhitespace(),
        empty_lines=(
            *(first.empty_lines if first else ()),
            *(last.empty_lines if last else ()),
        ),
        indent=last.indent if last else True,
        last_line=last.last_line if last else _NOTHING,
    )
