"""``source.addMissingImports``: A4 over a whole file as it is in the editor, broken or not."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from dl_lsp.engine import analyze_source
from dl_lsp.repro.imports import SearchImport, ordered_statements, plan_imports
from dl_lsp.repro.names import star_import_modules, undefined_names
from dl_lsp.repro.scene import guess_framework, keras_style
from dl_lsp.source import ParsedSource, split_lines


@dataclass(frozen=True)
class ImportsEdit:
    """The file with its missing imports added, and the statements added."""

    text: str
    imports: tuple[str, ...]


def add_missing_imports(text: str, search: SearchImport | None = None) -> ImportsEdit:
    """Import every undefined name the table (or ``search``) knows; never adds a syntax error."""
    parsed = ParsedSource(text)
    if parsed.tree is None:
        return ImportsEdit(text, ())
    framework = guess_framework(text, analyze_source(text).facts)
    plan = plan_imports(
        undefined_names(parsed.tree),
        framework,
        keras_style(text),
        star_import_modules(parsed.tree),
        search,
    )
    lines = ordered_statements(plan.statements.values())
    if not lines:
        return ImportsEdit(text, ())
    new_text = _insert_lines(text, parsed.tree, lines)
    if len(ParsedSource(new_text).syntax_errors) > len(parsed.syntax_errors):
        return ImportsEdit(text, ())
    return ImportsEdit(new_text, tuple(lines))


def _insert_lines(text: str, tree: ast.Module, lines: list[str]) -> str:
    """After the leading docstring, ``__future__`` and imports (on the tolerant parse)."""
    after = 0
    for index, statement in enumerate(tree.body):
        if isinstance(statement, (ast.Import, ast.ImportFrom)) or (
            index == 0
            and isinstance(statement, ast.Expr)
            and isinstance(statement.value, ast.Constant)
            and isinstance(statement.value.value, str)
        ):
            after = statement.end_lineno or statement.lineno
            continue
        break
    source_lines = split_lines(text)
    newline = "\r\n" if source_lines and source_lines[0].endswith("\r\n") else "\n"
    if after and not source_lines[after - 1].endswith(("\n", "\r")):
        source_lines[after - 1] += newline
    block = "".join(f"{line}{newline}" for line in lines)
    return "".join(source_lines[:after]) + block + "".join(source_lines[after:])
