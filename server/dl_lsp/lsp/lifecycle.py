"""initialize, initialized, shutdown, exit, and ``dl-lsp/serverStatus``."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.capabilities import get_capability

from dl_lsp import __version__, codecache
from dl_lsp.lsp import code_actions, diagnostics, settings
from dl_lsp.lsp.positions import encoding_name

if TYPE_CHECKING:
    from dl_lsp.lsp.server import DlLanguageServer

STATUS = "dl-lsp/serverStatus"
# Modules the server must never load: each takes seconds to import (DESIGN.md).
HEAVY_MODULES = ("torch", "tensorflow", "keras", "sentence_transformers", "jax")
# Modules it loads only when a code action needs them.
LAZY_MODULES = ("libcst", "jedi")


def on_initialize(ls: DlLanguageServer, params: types.InitializeParams) -> None:
    """Read what the client can do; take initializationOptions as the first client settings."""
    ls.bind_loop()
    capabilities = params.capabilities
    ls.encoding = encoding_name(ls.workspace.position_encoding)
    ls.pull_diagnostics = diagnostics.supports_pull(capabilities)
    ls.diagnostic_support = diagnostics.DiagnosticSupport.of(capabilities)
    ls.supports_document_changes = bool(
        get_capability(capabilities, "workspace.workspace_edit.document_changes", False)
    )
    ls.supports_code_action_resolve = code_actions.resolve_supported(capabilities)
    ls.supports_configuration = bool(get_capability(capabilities, "workspace.configuration", False))
    ls.supports_diagnostic_refresh = bool(
        get_capability(capabilities, "workspace.diagnostics.refresh_support", False)
    )
    if params.initialization_options is not None:
        ls.settings.set_client(params.initialization_options, initialization=True)
    if not ls.supports_configuration:
        ls.settings_ready.set()  # nothing more to wait for before the first analysis


async def on_initialized(ls: DlLanguageServer, params: types.InitializedParams) -> None:
    """Fetch the client's settings and ask to hear about pyproject.toml changes."""
    client = ls.client_capabilities
    mode = "pull" if ls.pull_diagnostics else "push"
    ls.log_info(
        f"dl-lsp {__version__} (Python {sys.version.split()[0]}, pid {os.getpid()}): "
        f"{mode} diagnostics, {ls.encoding} positions"
    )
    registrations: list[types.Registration] = []
    if get_capability(client, "workspace.did_change_watched_files.dynamic_registration", False):
        watcher = types.FileSystemWatcher(glob_pattern="**/pyproject.toml")
        registrations.append(
            types.Registration(
                id="dl-lsp-pyproject",
                method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=types.DidChangeWatchedFilesRegistrationOptions([watcher]),
            )
        )
    if get_capability(client, "workspace.did_change_configuration.dynamic_registration", False):
        registrations.append(
            types.Registration(
                id="dl-lsp-configuration", method=types.WORKSPACE_DID_CHANGE_CONFIGURATION
            )
        )
    if registrations:
        ls.client_register_capability(types.RegistrationParams(registrations))
    if ls.supports_configuration:
        changed = await settings.pull_client_settings(ls)
        ls.settings_ready.set()
        if changed:
            ls.reanalyse_open_documents()
    ls.settings_ready.set()
    for hook in ls.initialized_hooks:
        hook()


def on_shutdown(ls: DlLanguageServer, params: None) -> None:
    ls.log_info("dl-lsp: shutting down")
    ls.scheduler.shutdown()
    ls.notebooks.scheduler.shutdown()
    codecache.save()  # what the session compiled since the first diagnostics


def on_exit(ls: DlLanguageServer, params: None) -> None:
    ls.exit_requested = True


def on_status(ls: DlLanguageServer, params: Any) -> dict[str, Any]:
    """What the server runs with: for tests and bug reports (``dl-lsp/serverStatus``)."""
    loaded = sorted({name.split(".")[0] for name in list(sys.modules)})
    return {
        "version": __version__,
        "pid": os.getpid(),
        "python": sys.version.split()[0],
        "documents": len(ls.documents),
        # Handlers pygls still tracks (requests in flight): stays small, whatever came before.
        "pendingHandlers": len(ls.protocol._request_futures),
        "diagnostics": "pull" if ls.pull_diagnostics else "push",
        "positionEncoding": ls.encoding,
        "heavyModules": [name for name in loaded if name in HEAVY_MODULES],
        "lazyModules": [name for name in loaded if name in LAZY_MODULES],
        "modules": loaded,
    }


def register(ls: DlLanguageServer) -> None:
    ls.feature(types.INITIALIZE)(on_initialize)
    ls.feature(types.INITIALIZED)(on_initialized)
    ls.feature(types.SHUTDOWN)(on_shutdown)
    ls.feature(types.EXIT)(on_exit)
    ls.feature(STATUS)(on_status)
