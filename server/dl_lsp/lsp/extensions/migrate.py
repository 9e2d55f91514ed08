"""Version migration in the editor: the framework versions of the project's environment, and
"Migrate this file to TF2".

- After ``initialized``, a background thread reads the framework versions installed in the
  project's interpreter (the ``interpreter`` setting, else its ``.venv``/``venv`` or
  ``$VIRTUAL_ENV``; package metadata read by that interpreter in a subprocess, never an import
  here), then its pinned requirements; when they arrive the open documents are analysed again,
  so the API1xx rules point the way the installed frameworks go.
- ``source.migrateToTF2`` code actions (minimal: ``tf.compat.v1``; idiomatic: Keras + ``fit``,
  offered only where the pattern is recognised) on a file with TensorFlow 1 code, and the
  command ``dl-lsp.migrateToTF2`` ``{uri, style?}``, which applies the migration with
  ``workspace/applyEdit`` and returns ``{applied, changes}``.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams

from dl_lsp.lsp import code_actions
from dl_lsp.lsp.analysis import DocumentAnalysis

if TYPE_CHECKING:
    from dl_lsp.lsp.server import DlLanguageServer
    from dl_lsp.migrate import MigrationResult

COMMAND = "dl-lsp.migrateToTF2"
KIND = "source.migrateToTF2"
STYLES = ("minimal", "idiomatic")
TITLES = {
    "minimal": "Migrate this file to TF2 (tf.compat.v1)",
    "idiomatic": "Migrate this file to TF2 (Keras model trained with fit)",
}
TF1_CODES = frozenset({"API101", "API102", "API103", "API104"})


def register(ls: DlLanguageServer) -> None:
    # pygls reads the handler's annotations at run time: only names this module imports.
    async def migrate_command(ls: Any, *arguments: Any) -> dict[str, Any]:
        return await execute(ls, arguments)

    ls.command(COMMAND)(migrate_command)
    code_actions.add_provider(KIND, provide_actions)

    def read_versions() -> None:
        start_version_probe(ls)

    ls.initialized_hooks.append(read_versions)


# -- the environment's framework versions -------------------------------------------------------


def start_version_probe(ls: DlLanguageServer) -> threading.Thread:
    """Read the versions in a thread (a subprocess can take seconds); apply them on the loop."""
    loop = asyncio.get_running_loop()
    python = ls.settings.options.interpreter
    root = ls.workspace.root_path
    project = Path(root) if root else None

    def probe() -> None:
        from dl_lsp.environment import framework_versions

        try:
            versions = framework_versions(python=python, project=project)
        except Exception as error:  # a broken environment must not take the server down
            ls.log_warning(f"dl-lsp: cannot read the framework versions: {error}")
            return
        loop.call_soon_threadsafe(apply_versions, ls, versions)

    thread = threading.Thread(target=probe, name="dl-lsp-framework-versions", daemon=True)
    thread.start()
    return thread


def apply_versions(ls: DlLanguageServer, versions: Mapping[str, str]) -> None:
    described = ", ".join(f"{name} {version}" for name, version in sorted(versions.items()))
    ls.log_info(f"dl-lsp: framework versions: {described or 'none found (newest assumed)'}")
    if ls.settings.set_framework_versions(versions):
        ls.reanalyse_open_documents()


# -- the migration ------------------------------------------------------------------------------


def has_tf1_code(result: DocumentAnalysis) -> bool:
    return any(finding.code in TF1_CODES for finding in result.findings or ())


def migrated(text: str, style: str, versions: Mapping[str, str]) -> MigrationResult:
    """The migration (worker thread; libcst loads only now)."""
    from dl_lsp.migrate import migrate_to_tf2

    return migrate_to_tf2(text, style, versions)


def whole_document_edit(result: DocumentAnalysis, new_text: str, encoding: str) -> types.TextEdit:
    from dl_lsp.fixes.edits import minimal_edit

    edit = minimal_edit(result.text, new_text)
    assert edit is not None
    return types.TextEdit(range=result.index.range(edit.span, encoding), new_text=edit.new_text)


async def provide_actions(
    ls: DlLanguageServer, params: types.CodeActionParams, result: DocumentAnalysis
) -> Sequence[types.CodeAction]:
    if not has_tf1_code(result):
        return []
    actions: list[types.CodeAction] = []
    versions = result.settings.framework_versions
    for style in STYLES:
        migration = await ls.scheduler.run(migrated, result.text, style, versions)
        if migration.text == result.text or (style == "idiomatic" and _fell_back(migration)):
            continue
        edit = whole_document_edit(result, migration.text, ls.encoding)
        workspace_edit = code_actions.workspace_edit(
            result.uri, result.version, [edit], ls.supports_document_changes
        )
        actions.append(types.CodeAction(title=TITLES[style], kind=KIND, edit=workspace_edit))
    return actions


def _fell_back(migration: MigrationResult) -> bool:
    return any(note.startswith("no idiomatic migration") for note in migration.notes)


async def execute(ls: DlLanguageServer, arguments: Sequence[Any]) -> dict[str, Any]:
    """``dl-lsp.migrateToTF2 {uri, style?}`` → ``{applied, changes}`` (and ``notes``)."""
    options = arguments[0] if len(arguments) == 1 else None
    if not isinstance(options, Mapping) or not isinstance(options.get("uri"), str):
        raise JsonRpcInvalidParams(f"{COMMAND} takes one object {{uri, style?}}")
    uri, style = options["uri"], options.get("style", "minimal")
    if style not in STYLES:
        raise JsonRpcInvalidParams(f"{COMMAND}: style must be one of {', '.join(STYLES)}")
    document = ls.documents.get(uri)
    if document is None:
        raise JsonRpcInvalidParams(f"{COMMAND}: {uri} is not an open document")
    result = await ls.scheduler.current(uri)
    if result is None or result.findings is None:
        raise JsonRpcInvalidParams(f"{COMMAND}: {uri} cannot be analysed (not Python?)")
    migration = await ls.scheduler.run(
        migrated, result.text, style, result.settings.framework_versions
    )
    answer: dict[str, Any] = {"applied": False, "changes": migration.applied}
    answer["notes"] = migration.notes
    if migration.text == result.text:
        return answer
    edit = whole_document_edit(result, migration.text, ls.encoding)
    workspace_edit = code_actions.workspace_edit(
        uri, result.version, [edit], ls.supports_document_changes
    )
    response = await ls.workspace_apply_edit_async(
        types.ApplyWorkspaceEditParams(edit=workspace_edit, label=TITLES[style])
    )
    answer["applied"] = bool(response.applied)
    if not response.applied:
        answer["changes"] = []
        answer["notes"] = [
            *migration.notes,
            f"the client refused the edit: {response.failure_reason}",
        ]
    return answer
