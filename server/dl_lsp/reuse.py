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
from collections.abc import Callable
from typing import TypeVar

Result = TypeVar("Result")

Environment = tuple[object, ...]
"""The file-wide inputs of a memoised result, compared with ``==`` (nodes by identity)."""

# The node a result was computed for, the environment it was computed in, the result.
_Entry = tuple[ast.AST, Environment, object]


class ReuseMemo:
    """Results per (family, node), valid for one environment."""

    def __init__(self, previous: dict[tuple[str, int], _Entry] | None = None) -> None:
        self._previous = previous or {}
        self._current: dict[tuple[str, int], _Entry] = {}
        self.hits = 0  # results handed back rather than computed

    def result(
        self,
        family: str,
        node: ast.AST,
        environment: Environment,
        compute: Callable[[], Result],
    ) -> Result:
        """The result of ``compute`` for ``node``: kept from before, or computed now."""
        key = (family, id(node))
        entry = self._current.get(key) or self._previous.get(key)
        if entry is not None and entry[0] is node and entry[1] == environment:
            self._current[key] = entry
            self.hits += 1
            return entry[2]  # type: ignore[return-value]
        value = compute()
        self._current[key] = (node, environment, value)
        return value

    def carried(self) -> ReuseMemo:
        """The memo for the next version's parse: the entries this parse's analysis used."""
        return ReuseMemo(dict(self._current))

    def __len__(self) -> int:
        return len(self._current)
