"""The JSON cache of TOML data: the same data, refreshed when the file changes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import tomllib

from dl_lsp.data_files import read_toml
from dl_lsp.ruleset import rules_directory


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("DL_LSP_CACHE_DIR", str(folder))
    return folder


def test_every_rule_file_reads_the_same_through_the_cache(cache: Path) -> None:
    for path in sorted(rules_directory().glob("*.toml")):
        with path.open("rb") as handle:
            expected = tomllib.load(handle)
        assert read_toml(path) == expected  # parsed, then stored
        assert read_toml(path) == expected  # from the cache
    assert len(list(cache.glob("*.json"))) == len(list(rules_directory().glob("*.toml")))


def test_a_changed_file_is_read_again(cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "rule.toml"
    path.write_text('code = "A"\nthreshold = 1.5\n', encoding="utf-8")
    assert read_toml(path) == {"code": "A", "threshold": 1.5}
    path.write_text('code = "B"\nthreshold = 2.5\n', encoding="utf-8")
    os.utime(path, ns=(1, 1))  # even an older time stamp counts as a change
    assert read_toml(path) == {"code": "B", "threshold": 2.5}


def test_a_change_that_keeps_the_size_and_time_stamp_is_read_again(
    cache: Path, tmp_path: Path
) -> None:
    # Two saves within the file system's time-stamp granularity: same size, same mtime.
    path = tmp_path / "pyproject.toml"
    path.write_text('[tool.dl-lsp]\nselect = ["LLM"]\n', encoding="utf-8")
    stamp = path.stat()
    assert read_toml(path) == {"tool": {"dl-lsp": {"select": ["LLM"]}}}
    path.write_text('[tool.dl-lsp]\nselect = ["CNL"]\n', encoding="utf-8")
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert read_toml(path) == {"tool": {"dl-lsp": {"select": ["CNL"]}}}


def test_a_corrupt_cache_entry_is_ignored(cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "data.toml"
    path.write_text("[table]\nvalues = [1, 2]\n", encoding="utf-8")
    read_toml(path)
    for entry in cache.glob("*.json"):
        entry.write_text("{not json", encoding="utf-8")
    assert read_toml(path) == {"table": {"values": [1, 2]}}


def test_dates_are_not_cached_as_strings(cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "dated.toml"
    path.write_text("day = 2026-11-22\n", encoding="utf-8")
    first, second = read_toml(path), read_toml(path)
    assert first == second and not isinstance(second["day"], str)
    assert not list(cache.glob("*.json"))


def test_no_cache_folder_when_disabled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DL_LSP_CACHE_DIR", "")
    path = tmp_path / "plain.toml"
    path.write_text("a = 1\n", encoding="utf-8")
    assert read_toml(path) == {"a": 1}


def test_an_invalid_file_raises_the_toml_error(cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("a = = 1\n", encoding="utf-8")
    with pytest.raises(tomllib.TOMLDecodeError):
        read_toml(path)


def test_a_missing_file_raises_os_error(cache: Path, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_toml(tmp_path / "absent.toml")
