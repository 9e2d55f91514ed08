"""Framework versions: read from an interpreter's package metadata (never importing a framework),
from site-packages folders, or from the project's pins; and what they mean for Keras."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from dl_lsp.environment import (
    FrameworkVersion,
    FrameworkVersions,
    KerasApi,
    find_interpreter,
    framework_versions,
    installed_versions,
    pinned_versions,
    site_packages_versions,
)


def fake_distribution(folder: Path, name: str, version: str) -> None:
    info = folder / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8"
    )


# -- FrameworkVersion ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "release", "below"),
    [
        ("2.15.0", (2, 15, 0), False),
        ("1.13.1+cu117", (1, 13, 1), False),
        ("2.16.0rc1", (2, 16, 0), False),
        ("<2.11", (2, 11), True),
        ("<=2.3", (2, 3), False),
        ("v0.4", (0, 4), False),
    ],
)
def test_versions_parse(text: str, release: tuple[int, ...], below: bool) -> None:
    assert FrameworkVersion.parse(text) == FrameworkVersion(release, below)


@pytest.mark.parametrize("text", ["", "latest", "<", "abc1.0"])
def test_unreadable_versions_are_none(text: str) -> None:
    assert FrameworkVersion.parse(text) is None


def test_comparisons_pad_and_bounds_count_as_their_newest_release() -> None:
    tf = FrameworkVersion.parse("2.10")
    assert tf is not None and tf.before("2.11") and tf.at_least("2.10.0") and tf.at_least("2")
    bound = FrameworkVersion.parse("<2.11")
    assert bound is not None
    assert bound.before("2.11") and bound.at_least("2.10")
    assert not FrameworkVersion((2, 11)).before("2.11")
    assert str(bound) == "<2.11" and str(tf) == "2.10"


# -- what tf.keras and keras mean ------------------------------------------------------------


def keras_release(versions: dict[str, str], namespace: str) -> KerasApi:
    return FrameworkVersions.from_settings(versions).keras_for(namespace)


def test_nothing_known_means_the_newest_keras() -> None:
    api = keras_release({}, "keras")
    assert api.version is None and not api.before("3.0") and not api.standalone
    assert keras_release({}, "tensorflow.keras").version is None


def test_tf_keras_follows_the_tensorflow_release() -> None:
    assert keras_release({"tensorflow": "2.12.1"}, "tensorflow.keras").version == (
        FrameworkVersion((2, 12))
    )
    assert keras_release({"tensorflow": "<2.11"}, "tensorflow.keras").before("2.11")
    assert keras_release({"tensorflow": "1.15.0"}, "tensorflow.keras").before("2.3")
    newest = keras_release({"tensorflow": "2.16.1"}, "tensorflow.keras")
    assert newest.version is None
    assert keras_release(
        {"tensorflow": "2.16.1", "keras": "3.3.3"}, "tensorflow.keras"
    ).version == (FrameworkVersion((3, 3, 3)))


def test_standalone_keras_before_2_4_is_its_own_package() -> None:
    old = keras_release({"keras": "2.2.4", "tensorflow": "1.15"}, "keras")
    assert old.standalone and old.before("2.3")
    assert not keras_release({"keras": "2.15.0"}, "keras").standalone
    # No keras distribution known: the one TensorFlow 2 installs.
    assert keras_release({"tensorflow": "2.13.0"}, "keras").version == FrameworkVersion((2, 13))


def test_legacy_tf_keras_package_is_keras_2() -> None:
    assert keras_release({}, "tf_keras").before("3.0")


def test_distribution_names_and_junk_in_settings() -> None:
    parsed = FrameworkVersions.from_settings(
        {"tensorflow-gpu": "1.14", "Torch": "2.1.0", "numpy": "1.26", "keras": "latest"}
    )
    assert parsed.tensorflow == FrameworkVersion((1, 14))
    assert parsed.torch == FrameworkVersion((2, 1, 0))
    assert parsed.keras is None


# -- installed packages ----------------------------------------------------------------------


def test_the_interpreter_reports_metadata_without_importing_frameworks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_distribution(tmp_path, "tensorflow-cpu", "2.15.1")
    fake_distribution(tmp_path, "torch", "1.13.1+cu117")
    package = tmp_path / "tensorflow"
    package.mkdir()
    marker = tmp_path / "imported"
    (package / "__init__.py").write_text(f"open({str(marker)!r}, 'w').close()\n")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    versions = installed_versions(sys.executable)
    assert versions["tensorflow"] == "2.15.1"
    assert versions["torch"] == "1.13.1+cu117"
    assert not marker.exists(), "the probe imported tensorflow"


def test_an_interpreter_that_does_not_run_is_read_from_its_folders(tmp_path: Path) -> None:
    site = tmp_path / "venv" / "lib" / "python3.9" / "site-packages"
    fake_distribution(site, "keras", "2.3.1")
    python = tmp_path / "venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text("not an executable")
    assert installed_versions(python) == {"keras": "2.3.1"}
    assert installed_versions(tmp_path / "missing" / "python") == {}


def test_site_packages_scan_takes_the_first_folder_on_the_path(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    fake_distribution(first, "torchvision", "0.12.0")
    fake_distribution(second, "torchvision", "0.18.0")
    (second / "tensorflow_gpu-1.15.0-py3.7.egg-info").mkdir()
    (second / "numpy-1.26.0.dist-info").mkdir()
    versions = site_packages_versions([first, second, tmp_path / "absent"])
    assert versions == {"torchvision": "0.12.0", "tensorflow": "1.15.0"}


def test_find_interpreter_prefers_the_project_venv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VIRTUAL_ENV", raising=False)
    assert find_interpreter(tmp_path) is None
    python = tmp_path / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text("")
    assert find_interpreter(tmp_path) == python


# -- pins ------------------------------------------------------------------------------------


def test_requirements_pins_bounds_and_includes(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text(
        "# training\n"
        "tensorflow-gpu[and-cuda]==1.15.5 ; python_version < '3.8'\n"
        "-r requirements-torch.txt\n"
        "keras>=2.0,<2.4  # Keras 2 API\n"
        "numpy==1.26\n"
        "--index-url https://example.org\n",
        encoding="utf-8",
    )
    (tmp_path / "requirements-torch.txt").write_text(
        "torch~=1.13.0\ntorchvision>=0.12\n", encoding="utf-8"
    )
    assert pinned_versions(tmp_path) == {"tensorflow": "1.15.5", "keras": "<2.4", "torch": "1.13.0"}


def test_pyproject_dependencies_and_poetry(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[project]\n"
        'dependencies = ["tensorflow<=2.10.1", "requests"]\n'
        "[project.optional-dependencies]\n"
        'vision = ["torchvision==0.11.3"]\n'
        "[tool.poetry.dependencies]\n"
        'torch = "^1.12"\n'
        'keras = {version = "2.2.4"}\n',
        encoding="utf-8",
    )
    assert pinned_versions(tmp_path) == {
        "tensorflow": "2.10.1",
        "torchvision": "0.11.3",
        "torch": "<2",
        "keras": "2.2.4",
    }


def test_conda_environment_file(tmp_path: Path) -> None:
    (tmp_path / "environment.yml").write_text(
        "name: old\ndependencies:\n  - python=3.6\n  - tensorflow=1.14=gpu_py36\n"
        "  - pip:\n    - keras==2.2.4\n",
        encoding="utf-8",
    )
    assert pinned_versions(tmp_path) == {"tensorflow": "1.14", "keras": "2.2.4"}


def test_installed_versions_win_over_pins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    fake_distribution(site, "torch", "2.3.0")
    monkeypatch.setenv("PYTHONPATH", str(site))
    # tf-keras: pinned, and (unlike tensorflow, which the test set-up installs) not installed.
    (tmp_path / "requirements.txt").write_text("torch==1.4.0\ntf-keras==2.15.0\n")
    installed_here = installed_versions(sys.executable)
    versions = framework_versions(sys.executable, tmp_path)
    assert versions["torch"] == "2.3.0"
    assert versions["tf_keras"] == installed_here.get("tf_keras", "2.15.0")
    assert framework_versions(None, None) == {}
