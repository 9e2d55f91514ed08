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
from collections.abc import Callable, Hashable
from typing import TypeVar

Result = TypeVar("Result")

Environment = tuple[object, ...]
"""The file-wide inputs of memoised results, compared with ``==`` (nodes by identity)."""

# The node a result was computed for, the environment and the key it was computed with, the result.
_Entry = tuple[ast.AST, Environment, Hashable, object]


class ReuseMemo:
    """Results per (family, node), valid for one environment and key."""

    def __init__(
        self,
        previous: dict[tuple[str, int], _Entry] | None = None,
        environment: Environment | None = None,
    ) -> None:
        self._previous = previous or {}
        self._current: dict[tuple[str, int], _Entry] = {}
        self._environment = environment
        self.hits = 0  # results handed back rather than computed

    def environment(self, candidate: Environment) -> Environment:
        """``candidate``, or the equal environment of the last analysis: then every entry is
        checked by identity rather than compared item by item."""
        if self._environment is not None and self._environment == candidate:
            return self._environment
        self._environment = candidate
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
        slot = (family, id(node))
        entry = self._current.get(slot) or self._previous.get(slot)
        if (
            entry is not None
            and entry[0] is node
            and (entry[1] is environment or entry[1] == environment)
            and entry[2] == key
        ):
            self._current[slot] = entry
            self.hits += 1
            return entry[3]  # type: ignore[return-value]
        value = compute()
        self._current[slot] = (node, environment, key, value)
        return value

    def carried(self) -> ReuseMemo:
        """The memo for the next version's parse: the entries this parse's analysis used."""
        return ReuseMemo(dict(self._current), self._environment)

    def __len__(self) -> int:
        return len(self._current)
