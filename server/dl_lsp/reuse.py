"""What extraction learnt of the statements an edit did not touch, re-used by the next analysis.

An edit re-parses only the top-level statements it touched (``dl_lsp.reparse``): every other
statement keeps its very node objects. Most extraction work reads one node and, besides it, only
a few things of the whole file: the imports (to qualify names) and the module's assignments
(constants are looked up there; a function's own assignments come with its node). That work is
kept here under the node, with the file-wide ``Environment`` it ran in, and handed back only for
the same node object in an equal environment: an edit of an import or of a module-level
assignment re-computes everything, an edit inside one function re-computes that function.

A memo belongs to one parse; the parse of the next version takes over the entries the last
analysis used (``carried``), so that it never holds nodes of older versions.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Hashable, Sequence
from functools import cache
from typing import TypeVar

Result = TypeVar("Result")
Item = TypeVar("Item")
Key = TypeVar("Key", bound=Hashable)

Environment = tuple[object, ...]
"""The file-wide inputs of memoised results, compared with ``==`` (nodes by identity)."""

_MISSING = object()

# The environment and the key a result was computed with, and the result.
_Entry = tuple[Environment, Hashable, object]
# Per family, the entries under the node they were computed for (nodes hash by identity).
_Entries = dict[str, dict[ast.AST, _Entry]]


class ReuseMemo:
    """Results per family and node, valid for one environment and key."""

    def __init__(
        self,
        previous: _Entries | None = None,
        canonical: dict[str, Hashable] | None = None,
    ) -> None:
        self._previous = previous or {}
        self._current: _Entries = {}
        self._canonical = canonical or {}
        self._next_canonical: dict[str, Hashable] = {}
        self.hits = 0  # results handed back rather than computed

    def canonical(self, name: str, candidate: Key) -> Key:
        """``candidate``, or the equal value of the same name from the last analysis: results
        keyed by it are then checked by identity rather than compared item by item."""
        known = self._canonical.get(name, _MISSING)
        if known is not _MISSING and known == candidate:
            self._next_canonical[name] = known
            return known
        self._next_canonical[name] = candidate
        return candidate

    def result(
        self,
        family: str,
        node: ast.AST,
        environment: Environment,
        compute: Callable[[], Result],
        key: Hashable = None,
    ) -> Result:
        """The result of ``compute`` for ``node`` (with ``key``, when the same node is read in
        more than one way): kept from before, or computed now."""
        current = self._family(family)
        entry = current.get(node)
        if entry is None:
            previous = self._previous.get(family)
            if previous is not None:
                entry = previous.get(node)
        if entry is not None and _valid(entry, environment, key):
            current[node] = entry
            self.hits += 1
            return entry[2]  # type: ignore[return-value]
        value = compute()
        current[node] = (environment, key, value)
        return value

    def each(
        self,
        family: str,
        whole: ast.AST | None,
        statements: Sequence[tuple[ast.stmt, Item]],
        read: Callable[[ast.stmt, Item], Result],
        environment: Environment,
        key: Hashable = None,
    ) -> list[Result]:
        """``read`` of each statement (with its item), in order, kept like ``result``: all
        together under ``whole`` when there is one (a function's node stands for its
        statements), else statement by statement (the module's)."""
        if whole is not None:

            def read_all() -> list[Result]:
                return [read(statement, item) for statement, item in statements]

            # Under a family of its own: the module's results are under the ``def`` statement.
            return self.result(_whole_family(family), whole, environment, read_all, key)
        # The module's statements: ``result`` spelt out (the hottest loop of the memo).
        current = self._family(family)
        previous = self._previous.get(family) or {}
        results: list[Result] = []
        for statement, item in statements:
            entry = current.get(statement) or previous.get(statement)
            if entry is not None and _valid(entry, environment, key):
                current[statement] = entry
                self.hits += 1
                results.append(entry[2])  # type: ignore[arg-type]
                continue
            value = read(statement, item)
            current[statement] = (environment, key, value)
            results.append(value)
        return results

    def _family(self, family: str) -> dict[ast.AST, _Entry]:
        current = self._current.get(family)
        if current is None:
            current = self._current[family] = {}
        return current

    def carried(self) -> ReuseMemo:
        """The memo for the next version's parse: the entries this parse's analysis used (those
        it was given, when it was not analysed)."""
        entries = self._current or self._previous
        return ReuseMemo(
            {family: dict(kept) for family, kept in entries.items()},
            {**self._canonical, **self._next_canonical},
        )

    def __len__(self) -> int:
        return sum(len(entries) for entries in self._current.values())


@cache
def _whole_family(family: str) -> str:
    """The family a function's results of ``family`` are kept under, all together."""
    return f"{family} of a function"


def _valid(entry: _Entry, environment: Environment, key: Hashable) -> bool:
    """Whether a kept entry was computed with this environment and key."""
    return (entry[0] is environment or entry[0] == environment) and (
        entry[1] is key or entry[1] == key
    )
