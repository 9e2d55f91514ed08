"""The calls of a file, looked at once: the index the extractor families consult.

Every family asks the same first questions of a call (what does it call, under which name, is it
a method) and most calls matter to none of them. ``CallIndex`` answers those questions once per
call and groups the calls by name, so that a family reads only the calls it has rules for,
in file order (scopes in order, statements in order, calls in source order).
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import partial

from dl_lsp.extract.names import ImportTable
from dl_lsp.extract.scopes import Scope
from dl_lsp.reuse import Environment, ReuseMemo


@dataclass(slots=True, eq=False)
class CallSite:
    """One call with the names the families ask for first."""

    node: ast.Call
    # The callee as a dotted name with import aliases resolved ('' when it is not a dotted name):
    # ``torch.nn.functional.relu`` for ``F.relu(x)``.
    qualified: str
    # The name it is called by: the attribute of a method call, else the last part of
    # ``qualified``: ``relu``, ``step`` for ``opt.step()`` and ``get_model().step()``.
    name: str
    # The attribute for ``receiver.method(...)``, None for calls of a plain name.
    method: str | None
    # The last name as written (``D`` for ``D(10)`` after ``from keras.layers import Dense as D``).
    written_name: str | None
    scope: Scope
    statement: ast.stmt
    position: int  # the statement's index in ``scope.statements`` and ``scope.calls``
    order: int  # the call's index in file order


class CallIndex:
    """Every call of a file (outside lambdas), with its names, grouped by name."""

    def __init__(
        self,
        scopes: list[Scope],
        imports: ImportTable,
        memo: ReuseMemo | None = None,
        environment: Environment = (),
    ) -> None:
        self.sites: list[CallSite] = []
        # The qualified name of every callee (None when it is no dotted name).
        self.qualified_callees: dict[ast.AST, str | None] = {}
        self._by_node: dict[ast.Call, CallSite] = {}
        self._by_name: dict[str, list[CallSite]] = {}
        self._by_scope: dict[int, list[tuple[ast.stmt, list[CallSite]]]] = {}
        # One loop over every call of the file (the hottest in building the context).
        sites, by_node, by_name = self.sites, self._by_node, self._by_name
        qualified_callees = self.qualified_callees
        for scope in scopes:
            statements = self._by_scope[id(scope)] = []
            for position, ((statement, calls), names) in enumerate(
                zip(scope.calls, _scope_names(scope, imports, memo, environment), strict=True)
            ):
                if not calls:
                    statements.append((statement, []))
                    continue
                statement_sites: list[CallSite] = []
                for call, (resolved, method, written, name) in zip(calls, names, strict=True):
                    qualified_callees[call.func] = resolved
                    site = CallSite(
                        call,
                        resolved or "",
                        name,
                        method,
                        written,
                        scope,
                        statement,
                        position,
                        len(sites),
                    )
                    sites.append(site)
                    statement_sites.append(site)
                    by_node[call] = site
                    group = by_name.get(name)
                    if group is None:
                        by_name[name] = [site]
                    else:
                        group.append(site)
                    if written is not None and written != name:
                        by_name.setdefault(written, []).append(site)
                statements.append((statement, statement_sites))

    def statements(self, scope: Scope) -> list[tuple[ast.stmt, list[CallSite]]]:
        """Each statement of a scope with the sites of its calls (``Scope.calls`` as sites)."""
        return self._by_scope.get(id(scope), [])

    def site(self, call: ast.Call) -> CallSite | None:
        """The site of a call in the file's statements (None for calls inside lambdas)."""
        return self._by_node.get(call)

    def named(self, names: Collection[str]) -> list[CallSite]:
        """The calls whose name (or last written name) is one of ``names``, in file order."""
        found: list[list[CallSite]] = []
        if len(names) < len(self._by_name):
            found = [self._by_name[name] for name in names if name in self._by_name]
        else:
            found = [sites for name, sites in self._by_name.items() if name in names]
        if not found:
            return []
        if len(found) == 1:
            return list(found[0])
        unique = {site.order: site for sites in found for site in sites}
        return [unique[order] for order in sorted(unique)]


_Names = tuple[str | None, str | None, str | None, str]


def _scope_names(
    scope: Scope, imports: ImportTable, memo: ReuseMemo | None, environment: Environment
) -> list[list[_Names]]:
    """The names of each statement's calls: a function's kept whole while its node is, the
    module's statement by statement."""
    read = partial(_names_of, imports=imports)
    if memo is None:
        return [read(statement, calls) for statement, calls in scope.calls]
    whole = scope.node if scope.parent is not None else None
    return memo.each("call names", whole, scope.calls, read, environment)


def _names_of(statement: ast.stmt, calls: list[ast.Call], *, imports: ImportTable) -> list[_Names]:
    """(qualified callee or None, method, written name, name) of each of the statement's own
    calls (given: they depend on the statement alone)."""
    names: list[_Names] = []
    for call in calls:
        func = call.func
        resolved = imports.qualify(func)
        names.append((resolved, *_call_names(func, resolved or "")))
    return names


def _call_names(func: ast.expr, qualified: str) -> tuple[str | None, str | None, str]:
    """(method, written name, name) of a callee: see ``CallSite``."""
    if isinstance(func, ast.Attribute):
        return func.attr, func.attr, func.attr
    return None, func.id if isinstance(func, ast.Name) else None, qualified.rpartition(".")[2]


def by_scope(sites: Iterable[CallSite]) -> dict[int, list[CallSite]]:
    """Sites grouped under ``id(site.scope)``, each group in file order."""
    grouped: dict[int, list[CallSite]] = {}
    for site in sites:
        grouped.setdefault(id(site.scope), []).append(site)
    return grouped
