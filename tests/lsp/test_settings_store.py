"""The settings store alone: project table overlaid by the client, bad values never applied."""

from __future__ import annotations

from pathlib import Path

from dl_lsp.findings import Severity
from dl_lsp.lsp.settings import ServerOptions, SettingsStore, client_section, kebab_keys


def store() -> tuple[SettingsStore, list[str]]:
    warnings: list[str] = []
    return SettingsStore(warn=warnings.append), warnings


def project(root: Path, table: str) -> Path:
    (root / "pyproject.toml").write_text(f"[tool.dl-lsp]\n{table}\n", encoding="utf-8")
    source = root / "pkg" / "model.py"
    source.parent.mkdir(exist_ok=True)
    source.write_text("", encoding="utf-8")
    return source


def test_keys_are_normalised() -> None:
    assert kebab_keys({"problemType": "binary", "input_type": "color", "severities": {}}) == {
        "problem-type": "binary",
        "input-type": "color",
        "severity": {},
    }
    assert client_section({"dl-lsp": {"ignore": ["LLM"]}}) == {"ignore": ["LLM"]}
    assert client_section({"ignore": ["LLM"]}) == {"ignore": ["LLM"]}


def test_the_client_overlays_the_project_key_by_key(tmp_path: Path) -> None:
    source = project(tmp_path, 'ignore = ["IBS"]\nselect = ["LLM", "IBS", "LOB"]')
    settings, warnings = store()
    assert settings.for_path(str(source)).ignore == frozenset({"IBS"})
    assert settings.set_client({"dl-lsp": {"ignore": ["LOB"]}})
    effective = settings.for_path(str(source))
    assert effective.ignore == frozenset({"LOB"})
    assert effective.select == frozenset({"LLM", "IBS", "LOB"})
    assert warnings == []


def test_bad_client_values_keep_the_previous_settings() -> None:
    settings, warnings = store()
    assert settings.set_client({"severity": {"LLM": "warning"}, "debounce-ms": 10})
    assert not settings.set_client({"severity": {"LLM": "fatal"}})
    assert not settings.set_client({"debounce-ms": "soon"})
    assert not settings.set_client({"select": 5})
    assert not settings.set_client(["not", "a", "mapping"])
    assert len(warnings) == 4
    assert settings.for_path(None).severities == {"LLM": Severity.WARNING}
    assert settings.options == ServerOptions(debounce_ms=10)


def test_initialization_options_stay_under_later_configuration() -> None:
    settings, _ = store()
    settings.set_client({"select": ["LLM"], "ignore": ["X"]}, initialization=True)
    settings.set_client(None)  # a client that has no dl-lsp section answers null
    assert settings.for_path(None).select == frozenset({"LLM"})
    settings.set_client({"ignore": ["Y"]})
    effective = settings.for_path(None)
    assert effective.select == frozenset({"LLM"}) and effective.ignore == frozenset({"Y"})


def test_a_broken_pyproject_keeps_its_last_good_table(tmp_path: Path) -> None:
    source = project(tmp_path, 'ignore = ["IBS"]')
    settings, warnings = store()
    assert settings.for_path(str(source)).ignore == frozenset({"IBS"})
    (tmp_path / "pyproject.toml").write_text("[tool.dl-lsp\n", encoding="utf-8")
    assert not settings.reload(tmp_path / "pyproject.toml")
    assert settings.for_path(str(source)).ignore == frozenset({"IBS"})
    assert len(warnings) == 1 and "keeping the previous settings" in warnings[0]
    project(tmp_path, 'ignore = ["LOB"]')
    assert settings.reload(tmp_path / "pyproject.toml")
    assert settings.for_path(str(source)).ignore == frozenset({"LOB"})


def test_a_changed_pyproject_is_seen_without_a_notification(tmp_path: Path) -> None:
    source = project(tmp_path, 'ignore = ["IBS"]')
    settings, _ = store()
    assert settings.for_path(str(source)).ignore == frozenset({"IBS"})
    project(tmp_path, 'ignore = ["LOB", "IBS"]')  # a different size: a different stamp
    assert settings.for_path(str(source)).ignore == frozenset({"LOB", "IBS"})
