"""A4 Import Addition: undefined framework names get the import the file's style implies."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from dl_lsp.facts import Framework
from dl_lsp.repro.import_table import (
    COMMON,
    KERAS,
    KERAS_BACKEND_ALIAS,
    KERAS_MODULES,
    TF_ONLY,
    TORCH,
)
from dl_lsp.repro.names import NameUse
from dl_lsp.repro.outcome import Gap, Missing, Options, Outcome, unchanged
from dl_lsp.repro.scene import KerasStyle, Scene
from dl_lsp.repro.statements import insert_imports

ACTION = "A4"
SearchImport = Callable[[str, str | None, str], str | None]


@dataclass(frozen=True)
class ImportPlan:
    """The imports a file lacks (statement per name) and the names nothing could resolve."""

    statements: Mapping[str, str]
    unresolved: tuple[str, ...]


def import_for(
    name: str,
    framework: Framework | None,
    style: KerasStyle,
    search: SearchImport | None = None,
) -> str | None:
    """The import statement that binds ``name`` in a file of this framework and Keras style."""
    keras = style.value
    if name == "keras":
        return "import keras" if style is KerasStyle.KERAS else "from tensorflow import keras"
    if name == KERAS_BACKEND_ALIAS:
        return f"from {keras} import backend as K"
    if name in KERAS_MODULES and framework is not Framework.TORCH:
        return f"from {keras} import {name}"
    if name in TF_ONLY:
        return TF_ONLY[name]
    torch_first = framework is Framework.TORCH
    tables: list[Mapping[str, str]] = [TORCH, KERAS] if torch_first else [KERAS, TORCH]
    if name in COMMON:
        return COMMON[name]
    for table in tables:
        module = table.get(name)
        if module is not None:
            return f"from {module.format(keras=keras)} import {name}"
    if search is not None and name[:1].isalpha():
        return search(name, framework.value if framework else None, keras)
    return None


def plan_imports(
    undefined: Mapping[str, NameUse],
    framework: Framework | None,
    style: KerasStyle,
    star_modules: Iterable[str] = (),
    search: SearchImport | None = None,
) -> ImportPlan:
    """Imports for the undefined names; names a star import may bring are left alone."""
    statements: dict[str, str] = {}
    unresolved: list[str] = []
    stars = tuple(star_modules)
    for name in undefined:
        statement = import_for(name, framework, style, search)
        if statement is None:
            unresolved.append(name)
        elif not _maybe_from_star(statement, stars):
            statements[name] = statement
    return ImportPlan(statements, tuple(unresolved))


def _maybe_from_star(statement: str, stars: tuple[str, ...]) -> bool:
    if not stars:
        return False
    node = ast.parse(statement).body[0]
    module = node.module if isinstance(node, ast.ImportFrom) else None
    return module is not None and any(
        module == star or module.startswith(f"{star}.") for star in stars
    )


def ordered_statements(statements: Iterable[str]) -> list[str]:
    """Distinct statements, ``import x`` before ``from x import y``, ``from`` lines merged."""
    plain: list[str] = []
    merged: dict[str, list[str]] = {}
    for statement in statements:
        if statement.startswith("from ") and " as " not in statement:
            module, _, name = statement[len("from ") :].partition(" import ")
            names = merged.setdefault(module, [])
            if name not in names:
                names.append(name)
        elif statement not in plain:
            plain.append(statement)
    froms = [f"from {module} import {', '.join(names)}" for module, names in merged.items()]
    return [*plain, *froms]


def add_imports(scene: Scene, options: Options) -> Outcome:
    """The edit action: import every undefined name a table or the interpreter knows."""
    plan = plan_imports(
        scene.undefined,
        scene.framework,
        scene.keras_style,
        scene.star_modules,
        options.search_import,
    )
    if not plan.statements:
        return unchanged(scene)
    lines = ordered_statements(plan.statements.values())
    text = insert_imports(scene.text, lines)
    return Outcome(text, tuple(f"added `{line}`" for line in lines))


def unresolved_gaps(scene: Scene) -> tuple[Gap, ...]:
    """The names still undefined once every action ran: code the question did not show."""
    return tuple(
        Gap(Missing.CODE, f"`{name}` (line {use.line}) is used but never defined")
        for name, use in scene.undefined.items()
    )


__all__ = [
    "ACTION",
    "ImportPlan",
    "add_imports",
    "import_for",
    "ordered_statements",
    "plan_imports",
]
