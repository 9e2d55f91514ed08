"""``migrate_to_tf2``: a TensorFlow 1 program made to run on TensorFlow 2.

- ``minimal``: ``import tensorflow.compat.v1 as tf`` and ``tf.disable_v2_behavior()``: the
  whole TF1 API, graph and sessions included, as TensorFlow 2 still ships it. With
  ``tf_upgrade_v2`` at hand (TensorFlow installed in the user's interpreter), its exhaustive
  renames are used instead, followed by the project's own API rules and the one line that turns
  eager execution off where graph code remains.
- ``idiomatic``: a placeholder/Session/feed_dict training of an MLP or a CNN becomes a Keras
  model trained with ``fit`` (``idiomatic.py``); a program whose pattern is not recognised
  falls back to the minimal path, and the notes say why.

The result parses, and migrating it again changes nothing: a file without TensorFlow 1 code is
returned as it is.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping

from dl_lsp.config import Settings
from dl_lsp.engine import analyze_source
from dl_lsp.environment import FrameworkVersion, FrameworkVersions
from dl_lsp.extract.api_usage import migration_table
from dl_lsp.fixes.edits import parses
from dl_lsp.migrate.api_fixes import migrate_source
from dl_lsp.migrate.graph_mode import insert_line_after, tensorflow_import
from dl_lsp.migrate.graph_model import Unrecognised
from dl_lsp.migrate.idiomatic import migrate_idiomatic
from dl_lsp.migrate.result import MigrationResult
from dl_lsp.migrate.tf_upgrade import run_tf_upgrade_v2

STYLES = ("minimal", "idiomatic")
# The rules whose findings mean "this is TensorFlow 1 code".
TF1_RULES = frozenset({"API101", "API102", "API103", "API104"})


def migrate_to_tf2(
    text: str,
    style: str = "minimal",
    versions: Mapping[str, str] | None = None,
    upgrade_python: str | None = None,
) -> MigrationResult:
    """``text`` migrated to TensorFlow 2 in ``style``; ``upgrade_python``: an interpreter with
    TensorFlow installed, whose ``tf_upgrade_v2`` does the renames of the minimal path."""
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r} (expected one of: {', '.join(STYLES)})")
    if not parses(text):
        return MigrationResult(text, [], ["the file does not parse: fix its syntax first"])
    versions = _towards_tf2(versions or {})
    if not tf1_lines(text, versions):
        return MigrationResult(text, [], ["no TensorFlow 1 code found: nothing to migrate"])
    notes: list[str] = []
    if style == "idiomatic":
        try:
            result = migrate_idiomatic(text)
        except (Unrecognised, SyntaxError) as reason:
            notes.append(f"no idiomatic migration ({reason}): the tf.compat.v1 path was used")
        else:
            return result.then(migrate_source(result.text, versions))
    minimal = _minimal(text, versions, upgrade_python)
    return MigrationResult(minimal.text, minimal.applied, [*notes, *minimal.notes])


def _towards_tf2(versions: Mapping[str, str]) -> dict[str, str]:
    """The versions, except a TensorFlow 1 one: the migration's target is TensorFlow 2."""
    chosen = dict(versions)
    tf = FrameworkVersion.parse(chosen.get("tensorflow", "")) if "tensorflow" in chosen else None
    if tf is not None and tf.before("2.0"):
        del chosen["tensorflow"]
    return chosen


def tf1_lines(text: str, versions: Mapping[str, str] | None = None) -> list[int]:
    """The lines with TensorFlow 1 API (what TensorFlow 2 removed, renamed or changed)."""
    settings = Settings(select=TF1_RULES, framework_versions=dict(versions or {}))
    findings = analyze_source(text, None, settings).findings
    return sorted({finding.span.line for finding in findings if finding.code in TF1_RULES})


def _minimal(text: str, versions: Mapping[str, str], python: str | None) -> MigrationResult:
    notes: list[str] = []
    if python is not None:
        upgraded = run_tf_upgrade_v2(text, python)
        if upgraded.text is not None and parses(upgraded.text):
            first = MigrationResult(upgraded.text, upgraded.report)
            return first.then(migrate_source(upgraded.text, versions))
        notes += upgraded.report or ["tf_upgrade_v2 returned code that does not parse"]
    result = _compat_alias(text, versions)
    if result is None:
        notes.append("no `import tensorflow as tf` at module level: the rules' renames were used")
        fallback = migrate_source(text, versions)
        return MigrationResult(fallback.text, fallback.applied, [*notes, *fallback.notes])
    return MigrationResult(result.text, result.applied, [*notes, *result.notes])


def _compat_alias(text: str, versions: Mapping[str, str]) -> MigrationResult | None:
    """``import tensorflow as tf`` → ``import tensorflow.compat.v1 as tf`` + disable_v2."""
    tree = ast.parse(text)
    found = tensorflow_import(tree)
    if found is None or found.compat:
        return None
    alias = _tensorflow_alias(tree)
    if alias is None or alias.end_col_offset is None:
        return None
    line = text.splitlines(keepends=True)[alias.lineno - 1]
    encoded = line.encode("utf-8")
    new_line = (
        encoded[: alias.col_offset].decode("utf-8")
        + f"tensorflow.compat.v1 as {found.alias}"
        + encoded[alias.end_col_offset :].decode("utf-8")
    )
    lines = text.splitlines(keepends=True)
    lines[alias.lineno - 1] = new_line
    migrated = insert_line_after(
        "".join(lines), found.insert_after_line, f"{found.alias}.disable_v2_behavior()"
    )
    applied = [
        f"line {alias.lineno}: import tensorflow.compat.v1 as {found.alias}: the TensorFlow 1 "
        "API as TensorFlow 2 still ships it",
        f"line {found.insert_after_line + 1}: added {found.alias}.disable_v2_behavior(): "
        "graph mode, sessions and placeholders as in TensorFlow 1",
    ]
    keras = FrameworkVersions.from_settings(versions).keras_for("tensorflow.keras")
    keras3 = keras.version is None or keras.version.at_least("3.0")
    return MigrationResult(migrated, applied, _compat_notes(tree, found.alias, keras3))


def _tensorflow_alias(tree: ast.Module) -> ast.alias | None:
    for statement in tree.body:
        if isinstance(statement, ast.Import):
            for alias in statement.names:
                if alias.name == "tensorflow":
                    return alias
    return None


def _compat_notes(tree: ast.Module, alias: str, keras3: bool) -> list[str]:
    """What tf.compat.v1 does not bring back: tf.contrib, the tutorial modules, and (with Keras 3
    behind tf.keras) the Keras 2 based tf.layers and tf.nn.rnn_cell."""
    notes: list[str] = []
    table = migration_table()
    for node in ast.walk(tree):
        chain = _chain(node) if isinstance(node, ast.Call) else None
        if keras3 and chain and chain[0] == alias and table.needs_keras2(".".join(chain[1:-1])):
            assert isinstance(node, ast.Call)
            notes.append(
                f"line {node.lineno}: {'.'.join(chain)} needs Keras 2, which TensorFlow ≥ 2.16 "
                "replaced by Keras 3 (AttributeError: not available with Keras 3) → install "
                "tf_keras and set TF_USE_LEGACY_KERAS=1 before importing TensorFlow, or use "
                "the idiomatic style"
            )
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            "tensorflow.examples"
        ):
            notes.append(
                f"line {node.lineno}: {node.module} is not part of TensorFlow 2, not even "
                "under tf.compat.v1 → load the data with tf.keras.datasets"
            )
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "contrib"
            and isinstance(node.value, ast.Name)
            and node.value.id == alias
        ):
            notes.append(
                f"line {node.lineno}: tf.contrib is not part of TensorFlow 2, not even under "
                "tf.compat.v1 → tf.keras, TensorFlow Addons or tf_slim"
            )
    return list(dict.fromkeys(notes))


def _chain(node: ast.Call) -> list[str] | None:
    """``tf.layers.dense(...)``'s callee as ``['tf', 'layers', 'dense']``."""
    parts: list[str] = []
    current: ast.expr = node.func
    while isinstance(current, ast.Attribute):
        parts.append(current.attr)
        current = current.value
    if not isinstance(current, ast.Name) or not parts:
        return None
    return [current.id, *reversed(parts)]
