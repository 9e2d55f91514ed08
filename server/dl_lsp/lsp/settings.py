"""Settings for the server: ``[tool.dl-lsp]`` in pyproject.toml, overlaid by the client's section.

The client's ``dl-lsp`` section (``workspace/configuration`` or ``initializationOptions``) uses
the same keys as ``[tool.dl-lsp]``; a key the client sets wins over the project's value, like
ruff's ``editorFirst``. A few keys only make sense for the server (``debounce-ms``,
``max-file-size``, ``log-level``). A bad value never replaces the last good one: the caller is
told what is wrong and the previous settings stay in force.
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard

from lsprotocol import types
from pygls.uris import to_fs_path

from dl_lsp.config import Settings, SettingsError, find_pyproject, settings_from_mapping
from dl_lsp.data_files import read_toml

if TYPE_CHECKING:
    from dl_lsp.lsp.server import DlLanguageServer

SECTION = "dl-lsp"
LOG_LEVELS = ("error", "warning", "info", "debug")

_CAMEL = re.compile(r"(?<=[a-z0-9])([A-Z])")
_ALIASES = {"severities": "severity"}


@dataclass(frozen=True)
class ServerOptions:
    """Knobs of the server itself (not of the analysis)."""

    debounce_ms: int = 75
    # Larger documents are not analysed: parsing holds the GIL, so a huge file would stall the
    # event loop (about 1 s per 700 kB on a slow core).
    max_file_size: int = 2_000_000
    log_level: str = "info"
    # The project's Python, whose installed frameworks decide the API migrations' direction
    # (None: the project's .venv/venv or $VIRTUAL_ENV, else its pinned requirements).
    interpreter: str | None = None


def kebab_keys(data: Mapping[str, Any]) -> dict[str, Any]:
    """``problemType``/``problem_type`` → ``problem-type`` for the top-level keys."""
    normalised: dict[str, Any] = {}
    for key, value in data.items():
        name = _CAMEL.sub(r"-\1", str(key)).replace("_", "-").lower()
        normalised[_ALIASES.get(name, name)] = value
    return normalised


def client_section(raw: Any) -> dict[str, Any]:
    """The ``dl-lsp`` section from what a client sent: the section itself, or a wrapper of it."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise SettingsError(f"the {SECTION} settings must be an object, not {type(raw).__name__}")
    inner = raw.get(SECTION, raw.get("dl_lsp", raw.get("dlLsp")))
    if isinstance(inner, Mapping):
        raw = inner
    return kebab_keys(raw)


def server_options_from(section: Mapping[str, Any]) -> ServerOptions:
    """The server knobs from a (kebab-keyed) client section."""
    defaults = ServerOptions()
    try:
        debounce = int(section.get("debounce-ms", defaults.debounce_ms))
        max_size = int(section.get("max-file-size", defaults.max_file_size))
    except (TypeError, ValueError):
        raise SettingsError("debounce-ms and max-file-size must be integers") from None
    level = str(section.get("log-level", defaults.log_level)).lower()
    if level not in LOG_LEVELS:
        raise SettingsError(
            f"unknown log-level {level!r} (expected one of: {', '.join(LOG_LEVELS)})"
        )
    if debounce < 0 or max_size <= 0:
        raise SettingsError("debounce-ms must be ≥ 0 and max-file-size > 0")
    interpreter = section.get("interpreter", section.get("python"))
    if isinstance(interpreter, list):  # ruff's form: ["/path/to/python"]
        interpreter = interpreter[0] if interpreter else None
    if interpreter is not None and not isinstance(interpreter, str):
        raise SettingsError("interpreter must be the path of a Python executable")
    return ServerOptions(
        debounce_ms=debounce,
        max_file_size=max_size,
        log_level=level,
        interpreter=interpreter or None,
    )


@dataclass(frozen=True)
class _Project:
    path: Path
    stamp: tuple[int, int]  # (mtime_ns, size) of the file the table was read from
    table: Mapping[str, Any]


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)


def validated(section: Mapping[str, Any]) -> Settings:
    """``settings_from_mapping``, with every way a value can be wrong reported as SettingsError."""
    try:
        return settings_from_mapping(section)
    except SettingsError:
        raise
    except (TypeError, AttributeError, ValueError) as error:
        raise SettingsError(f"a value has the wrong type ({error})") from None


def _read_table(path: Path) -> dict[str, Any]:
    try:
        # Through the JSON cache: the TOML parser is imported only when the file changed.
        data = read_toml(path)
    except (OSError, ValueError) as error:  # tomllib.TOMLDecodeError is a ValueError
        raise SettingsError(f"cannot read it: {error}") from None
    table = data.get("tool", {}).get(SECTION, {})
    if not isinstance(table, Mapping):
        raise SettingsError(f"[tool.{SECTION}] must be a table")
    table = kebab_keys(table)
    validated(table)
    return table


class SettingsStore:
    """The client's section and every project's table, validated, with the last good values."""

    def __init__(
        self, warn: Callable[[str], None], inform: Callable[[str], None] | None = None
    ) -> None:
        self._warn = warn
        self._inform = inform or (lambda message: None)
        self._client: dict[str, Any] = {}  # initializationOptions overlaid by configuration
        self._initialization: dict[str, Any] = {}
        self._configured: dict[str, Any] = {}
        self.options = ServerOptions()
        self._projects: dict[Path, _Project] = {}
        self._nearest: dict[Path, Path | None] = {}
        self._cache: dict[tuple[Path | None, tuple[int, int] | None], Settings] = {}
        # Framework → version of the project's environment, read in the background after
        # initialized (dl_lsp.lsp.extensions.migrate); empty until then: the newest releases.
        self.framework_versions: Mapping[str, str] = {}

    def set_framework_versions(self, versions: Mapping[str, str]) -> bool:
        """The environment's framework versions arrived; whether they change the settings."""
        if dict(versions) == dict(self.framework_versions):
            return False
        self.framework_versions = dict(versions)
        self._cache.clear()
        return True

    def set_client(self, raw: Any, *, initialization: bool = False) -> bool:
        """Take the client's section (from workspace/configuration, didChangeConfiguration or,
        with ``initialization``, initializationOptions, which the others overlay); whether the
        settings changed. An unusable section changes nothing and is reported."""
        try:
            section = client_section(raw)
            init = section if initialization else self._initialization
            configured = self._configured if initialization else section
            merged = {**init, **configured}
            options = server_options_from(merged)
            validated(merged)
        except SettingsError as error:
            self._warn(f"dl-lsp: ignoring the client's {SECTION} settings: {error}")
            return False
        self._initialization, self._configured = init, configured
        changed = merged != self._client
        self._client, self.options = merged, options
        self._cache.clear()
        return changed

    def client_option(self, key: str, default: Any = None) -> Any:
        """A key of the client's section (kebab-case) that is not an analysis setting."""
        return self._client.get(key, default)

    def for_path(self, path: str | None) -> Settings:
        """The settings for a file: its nearest pyproject.toml overlaid by the client's section."""
        project = self._project_for(Path(path)) if path else None
        key = (project.path, project.stamp) if project else (None, None)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        merged = {**(project.table if project else {}), **self._client}
        try:
            settings = validated(merged)
        except SettingsError as error:
            # Each part was valid alone; together they can still clash. Keep the project's.
            self._warn(f"dl-lsp: the client's settings do not combine with the project's: {error}")
            settings = validated(project.table if project else {})
        if self.framework_versions:
            settings = settings.merged(framework_versions=self.framework_versions)
        self._cache[key] = settings
        return settings

    def forget_locations(self) -> None:
        """Files were created or deleted: the nearest pyproject.toml may have moved."""
        self._nearest.clear()

    def reload(self, pyproject: Path) -> bool:
        """Re-read one pyproject.toml now; whether its settings changed (a bad file changes none)."""
        self._nearest.clear()  # it may be new, and nearer to some files than the one they had
        previous = self._projects.get(pyproject)
        current = self._refresh(pyproject, previous, force=True)
        before = previous.table if previous else None
        return (current.table if current else None) != before

    def _project_for(self, path: Path) -> _Project | None:
        folder = path.parent
        if folder not in self._nearest:
            self._nearest[folder] = find_pyproject(folder) if folder.is_dir() else None
        pyproject = self._nearest[folder]
        if pyproject is None:
            return None
        return self._refresh(pyproject, self._projects.get(pyproject), force=False)

    def _refresh(self, path: Path, previous: _Project | None, *, force: bool) -> _Project | None:
        stamp = _stamp(path)
        if stamp is None:
            self._projects.pop(path, None)
            return None
        if previous is not None and previous.stamp == stamp and not force:
            return previous
        try:
            table = _read_table(path)
        except SettingsError as error:
            self._warn(f"dl-lsp: keeping the previous settings, {path} is not usable: {error}")
            if previous is not None:
                # Remember the bad stamp so the warning is not repeated on every keystroke.
                kept = _Project(path, stamp, previous.table)
            else:
                kept = _Project(path, stamp, {})
            self._projects[path] = kept
            return kept
        project = _Project(path, stamp, table)
        self._projects[path] = project
        self._inform(f"dl-lsp: settings from {path}: {dict(table) or 'no [tool.dl-lsp] table'}")
        return project


def is_pyproject(path: str | None) -> TypeGuard[str]:
    return path is not None and os.path.basename(path) == "pyproject.toml"


# -- handlers: workspace/didChangeConfiguration, workspace/didChangeWatchedFiles --------------


async def pull_client_settings(ls: DlLanguageServer) -> bool:
    """Ask the client for its ``dl-lsp`` section; whether the settings changed."""
    request = types.ConfigurationParams(items=[types.ConfigurationItem(section=SECTION)])
    try:
        answer = await asyncio.wait_for(ls.workspace_configuration_async(request), 5.0)
    except Exception as error:  # a client that cannot answer keeps the settings it gave
        ls.log_warning(f"dl-lsp: workspace/configuration failed: {type(error).__name__}: {error}")
        return False
    section = answer[0] if answer else None
    return ls.settings.set_client(section)


async def on_did_change_configuration(
    ls: DlLanguageServer, params: types.DidChangeConfigurationParams
) -> None:
    if ls.supports_configuration:
        changed = await pull_client_settings(ls)
    else:
        changed = params.settings is not None and ls.settings.set_client(params.settings)
    if changed:
        ls.log_info("dl-lsp: settings changed, analysing the open documents again")
        ls.reanalyse_open_documents()


def pyproject_changed(ls: DlLanguageServer, path: str) -> None:
    """A pyproject.toml was saved or changed on disk: re-read it, re-analyse if it matters."""
    if ls.settings.reload(Path(path)):
        ls.log_info(f"dl-lsp: {path} changed, analysing the open documents again")
        ls.reanalyse_open_documents()


def on_did_change_watched_files(
    ls: DlLanguageServer, params: types.DidChangeWatchedFilesParams
) -> None:
    for change in params.changes:
        path = to_fs_path(change.uri)
        if not is_pyproject(path):
            continue
        if change.type != types.FileChangeType.Changed:
            ls.settings.forget_locations()
        pyproject_changed(ls, path)


def register(ls: DlLanguageServer) -> None:
    ls.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)(on_did_change_configuration)
    ls.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)(on_did_change_watched_files)
