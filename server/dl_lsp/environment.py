"""Framework versions of the user's environment, which decide the direction of API migrations.

Found without importing a framework: the metadata of the packages installed in the user's
interpreter (read by that interpreter, in a subprocess, through ``importlib.metadata``), else
the ``*.dist-info`` folders of its ``sys.path``, else the versions pinned in the project's
``requirements*.txt``, ``pyproject.toml`` or conda ``environment.yml``. With nothing known the
checks assume the newest releases (TensorFlow 2, Keras 3, PyTorch 2).

The analysis itself stays pure: the CLI and the language server call ``framework_versions``
once per interpreter and project, and pass the result in ``Settings.framework_versions``
(framework → version, or ``"<2.11"`` for an upper bound only); the checks read it through
``FrameworkVersions``, which does no I/O.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from dl_lsp.data_files import read_toml

FRAMEWORKS = ("tensorflow", "keras", "tf_keras", "torch", "torchvision")

# Normalised distribution name (PEP 503) → the framework it provides.
DISTRIBUTIONS: Mapping[str, str] = {
    "tensorflow": "tensorflow",
    "tensorflow-cpu": "tensorflow",
    "tensorflow-gpu": "tensorflow",
    "tensorflow-macos": "tensorflow",
    "tensorflow-intel": "tensorflow",
    "tensorflow-aarch64": "tensorflow",
    "tensorflow-rocm": "tensorflow",
    "tf-nightly": "tensorflow",
    "tf-nightly-cpu": "tensorflow",
    "tf-nightly-gpu": "tensorflow",
    "keras": "keras",
    "keras-nightly": "keras",
    "tf-keras": "tf_keras",
    "torch": "torch",
    "torchvision": "torchvision",
}

PROBE_TIMEOUT_S = 10.0

# Runs in the user's interpreter: metadata only, never an import of a framework. Prints a
# JSON object, ``{"versions": {...}}`` or, without importlib.metadata, ``{"path": sys.path}``.
_PROBE = """
import json, sys
names = NAMES
try:
    import importlib.metadata as metadata
except ImportError:
    print(json.dumps({"path": sys.path}))
else:
    found = {}
    for name in names:
        try:
            found[name] = metadata.version(name)
        except Exception:
            pass
    print(json.dumps({"versions": found}))
""".replace("NAMES", json.dumps(sorted(DISTRIBUTIONS)))


def normalize_distribution(name: str) -> str:
    """PEP 503: ``TensorFlow_GPU`` → ``tensorflow-gpu``."""
    return re.sub(r"[-_.]+", "-", name).lower()


# -- versions --------------------------------------------------------------------------------

_RELEASE = re.compile(r"\s*v?(\d+(?:\.\d+)*)")


@dataclass(frozen=True)
class FrameworkVersion:
    """A release (``2.15.0``), or, with ``below``, some release before it (``<2.11``)."""

    release: tuple[int, ...]
    below: bool = False

    @classmethod
    def parse(cls, text: str) -> FrameworkVersion | None:
        """``"2.15.0"``, ``"1.13.1+cu117"``, ``"2.16.0rc1"``, ``"<2.11"``; None if unreadable."""
        text = text.strip()
        below = text.startswith("<")
        match = _RELEASE.match(text.lstrip("<="))
        if match is None:
            return None
        release = tuple(int(part) for part in match.group(1).split("."))
        return cls(release, below and not text.startswith("<="))

    def before(self, version: str) -> bool:
        """Whether this release is older than ``version``; a bound counts as its newest release."""
        threshold = _release_of(version)
        mine, theirs = _padded(self.release, threshold)
        return mine <= theirs if self.below else mine < theirs

    def at_least(self, version: str) -> bool:
        return not self.before(version)

    def __str__(self) -> str:
        text = ".".join(str(part) for part in self.release)
        return f"<{text}" if self.below else text


def _release_of(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def _padded(left: tuple[int, ...], right: tuple[int, ...]) -> tuple[tuple[int, ...], ...]:
    width = max(len(left), len(right))
    return (left + (0,) * (width - len(left)), right + (0,) * (width - len(right)))


@dataclass(frozen=True)
class KerasApi:
    """Which Keras a name space means: its version (None: the newest) and whether it is the
    standalone ``keras`` package of before Keras 2.4 (its own code, not tf.keras)."""

    version: FrameworkVersion | None
    standalone: bool = False

    def before(self, version: str) -> bool:
        return self.version is not None and self.version.before(version)


_NEWEST_KERAS = KerasApi(None)


@dataclass(frozen=True)
class FrameworkVersions:
    """The versions the checks migrate towards; a missing framework means its newest release."""

    tensorflow: FrameworkVersion | None = None
    keras: FrameworkVersion | None = None
    tf_keras: FrameworkVersion | None = None
    torch: FrameworkVersion | None = None
    torchvision: FrameworkVersion | None = None

    @staticmethod
    def from_settings(versions: Mapping[str, str]) -> FrameworkVersions:
        """Parsed (and memoised) from ``Settings.framework_versions``."""
        return _parsed(tuple(sorted(versions.items())))

    def keras_for(self, namespace: str) -> KerasApi:
        """The Keras that ``keras.*``, ``tensorflow.keras.*`` or ``tf_keras.*`` means here."""
        tf, keras = self.tensorflow, self.keras
        if namespace == "tf_keras":
            return KerasApi(self.tf_keras or FrameworkVersion((2, 15)))
        if namespace == "keras":
            if keras is not None:
                return KerasApi(keras, standalone=keras.before("2.4"))
            if tf is not None and not tf.before("2.0"):
                return _keras_bundled_with(tf, None)
            return _NEWEST_KERAS
        # tf.keras: the Keras that ships with (or, from TF 2.16, is installed beside) TensorFlow.
        if tf is None:
            # Keras 2.6 and later is the code tf.keras runs: the two go together.
            return (
                KerasApi(keras)
                if keras is not None and not keras.before("2.6")
                else (_NEWEST_KERAS)
            )
        if tf.before("2.0"):
            return KerasApi(FrameworkVersion((2, 2)))
        return _keras_bundled_with(tf, keras)


def _keras_bundled_with(tf: FrameworkVersion, keras: FrameworkVersion | None) -> KerasApi:
    if tf.before("2.16"):
        # TF 2.x up to 2.15 carries (or pins) the Keras 2 of the same minor release.
        if tf.below:  # "<2.11": the newest TF allowed is 2.10, with Keras 2.10
            return KerasApi(FrameworkVersion((2, *tf.release[1:]), below=True))
        return KerasApi(FrameworkVersion((2, tf.release[1] if len(tf.release) > 1 else 0)))
    if keras is not None and not keras.before("3.0"):
        return KerasApi(keras)
    return _NEWEST_KERAS


@cache
def _parsed(items: tuple[tuple[str, str], ...]) -> FrameworkVersions:
    found: dict[str, FrameworkVersion] = {}
    for name, text in items:
        framework = DISTRIBUTIONS.get(normalize_distribution(name), name.replace("-", "_"))
        version = FrameworkVersion.parse(str(text))
        if framework in FRAMEWORKS and version is not None:
            found[framework] = version
    return FrameworkVersions(**found)


# -- the user's interpreter ------------------------------------------------------------------


def installed_versions(
    python: str | os.PathLike[str], timeout: float = PROBE_TIMEOUT_S
) -> dict[str, str]:
    """Framework → version installed in the interpreter ``python`` ({} when it cannot tell)."""
    answer = _run_probe(python, timeout)
    if answer is None:
        return _versions_beside(Path(python))
    versions = answer.get("versions")
    if isinstance(versions, dict):
        return _by_framework(
            (str(name), str(version)) for name, version in versions.items() if version
        )
    paths = answer.get("path")
    if isinstance(paths, list):
        return site_packages_versions(Path(str(p)) for p in paths if p)
    return {}


def _run_probe(python: str | os.PathLike[str], timeout: float) -> dict[str, Any] | None:
    try:
        completed = subprocess.run(
            [os.fspath(python), "-c", _PROBE],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    if completed.returncode != 0:
        return None
    for line in reversed(completed.stdout.splitlines()):
        try:
            answer = json.loads(line)
        except ValueError:
            continue
        if isinstance(answer, dict):
            return answer
    return None


def _versions_beside(python: Path) -> dict[str, str]:
    """An interpreter that does not run (another platform's venv): its site-packages folders."""
    prefix = python.parent.parent
    folders = [*prefix.glob("lib/python*/site-packages"), prefix / "Lib" / "site-packages"]
    return site_packages_versions(folder for folder in folders if folder.is_dir())


def site_packages_versions(paths: Iterable[Path]) -> dict[str, str]:
    """Framework → version from the ``*.dist-info``/``*.egg-info`` entries of these folders."""
    found: list[tuple[str, str]] = []
    for folder in paths:
        try:
            entries = list(folder.iterdir())
        except OSError:
            continue
        for entry in entries:
            parsed = _distribution_entry(entry.name)
            if parsed is not None:
                found.append(parsed)
    return _by_framework(found, first_wins=True)


def _distribution_entry(name: str) -> tuple[str, str] | None:
    for suffix in (".dist-info", ".egg-info"):
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            distribution, _, rest = stem.partition("-")
            version = rest.split("-py")[0]
            if distribution and version:
                return distribution, version
    return None


def _by_framework(pairs: Iterable[tuple[str, str]], first_wins: bool = False) -> dict[str, str]:
    versions: dict[str, str] = {}
    for distribution, version in pairs:
        framework = DISTRIBUTIONS.get(normalize_distribution(distribution))
        if framework is None or FrameworkVersion.parse(version) is None:
            continue
        if first_wins and framework in versions:
            continue  # sys.path order: the first folder is the one Python imports from
        versions[framework] = version
    return versions


def find_interpreter(project: Path) -> Path | None:
    """The project's virtual environment interpreter (``.venv``, ``venv``, ``$VIRTUAL_ENV``)."""
    candidates: list[Path] = []
    active = os.environ.get("VIRTUAL_ENV")
    for folder in (project / ".venv", project / "venv", *([Path(active)] if active else [])):
        candidates += [folder / "bin" / "python", folder / "Scripts" / "python.exe"]
    return next((path for path in candidates if path.is_file()), None)


# -- the project's pins ----------------------------------------------------------------------

_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(.*)$")
_CLAUSE = re.compile(r"(===|==|~=|<=|>=|!=|<|>)\s*([0-9][0-9A-Za-z.*+!_-]*)")


def pinned_versions(project: Path) -> dict[str, str]:
    """Framework → pinned version (or ``<X`` bound) from the project's dependency files."""
    pins: dict[str, str] = {}
    for requirement in _project_requirements(project):
        parsed = _requirement_version(requirement)
        if parsed is not None and parsed[0] not in pins:
            pins[parsed[0]] = parsed[1]
    return pins


def _project_requirements(project: Path) -> Iterator[str]:
    for path in sorted(project.glob("requirements*.txt")):
        yield from _requirements_file(path, set())
    pyproject = project / "pyproject.toml"
    if pyproject.is_file():
        yield from _pyproject_requirements(pyproject)
    for name in ("environment.yml", "environment.yaml"):
        path = project / name
        if path.is_file():
            yield from _conda_requirements(path)


def _requirements_file(path: Path, seen: set[Path]) -> Iterator[str]:
    if path in seen or len(seen) > 16:
        return
    seen.add(path)
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return
    for line in lines:
        line = line.split(" #")[0].strip()
        if line.startswith(("-r ", "--requirement ")):
            yield from _requirements_file(path.parent / line.split(maxsplit=1)[1], seen)
        elif line and not line.startswith(("#", "-")):
            yield line


def _pyproject_requirements(path: Path) -> Iterator[str]:
    try:
        data = read_toml(path)  # through the JSON cache: no TOML parser on a hit
    except (OSError, ValueError):
        return
    project = data.get("project", {})
    yield from (str(item) for item in project.get("dependencies", []) or [])
    for group in (project.get("optional-dependencies", {}) or {}).values():
        yield from (str(item) for item in group or [])
    poetry = data.get("tool", {}).get("poetry", {})
    for name, spec in (poetry.get("dependencies", {}) or {}).items():
        if isinstance(spec, dict):
            spec = spec.get("version", "")
        if isinstance(spec, str):
            yield f"{name}{_poetry_specifier(spec)}"


def _poetry_specifier(spec: str) -> str:
    """Poetry's ``^2.4`` / ``~2.4`` / ``2.4`` as PEP 440 clauses (the bound that matters here)."""
    spec = spec.strip()
    release = _RELEASE.match(spec.lstrip("^~="))
    if release is None:
        return spec if spec[:1] in "<>=!~" else ""
    parts = [int(p) for p in release.group(1).split(".")]
    if spec.startswith("^"):
        index = next((i for i, part in enumerate(parts) if part != 0), len(parts) - 1)
        return f">={release.group(1)},<{_bumped(parts, index)}"
    if spec.startswith("~") and not spec.startswith("~="):
        return f">={release.group(1)},<{_bumped(parts, min(1, len(parts) - 1))}"
    if spec[:1].isdigit():
        return f"=={spec}"
    return spec


def _bumped(parts: list[int], index: int) -> str:
    return ".".join(str(p) for p in [*parts[:index], parts[index] + 1])


def _conda_requirements(path: Path) -> Iterator[str]:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return
    for line in lines:
        item = line.strip()
        if not item.startswith("- "):
            continue
        item = item[2:].strip().strip("'\"")
        name, equals, version = item.partition("=")
        if equals and not version.startswith(("=", ">", "<")):
            yield f"{name}=={version.split('=')[0]}"  # conda's ``pkg=1.15=build``
        else:
            yield item


def _requirement_version(requirement: str) -> tuple[str, str] | None:
    requirement = requirement.split(";")[0].strip()
    match = _REQUIREMENT.match(requirement)
    if match is None:
        return None
    framework = DISTRIBUTIONS.get(normalize_distribution(match.group(1)))
    if framework is None:
        return None
    clauses = _CLAUSE.findall(match.group(2))
    version = _version_of_clauses(clauses)
    return (framework, version) if version is not None else None


def _version_of_clauses(clauses: list[tuple[str, str]]) -> str | None:
    """The newest release the clauses allow, as the checks read it; None for no upper bound."""
    upper: tuple[tuple[int, ...], str] | None = None
    for operator, text in clauses:
        version = text.split("+")[0].rstrip(".*")
        parsed = FrameworkVersion.parse(version)
        if parsed is None:
            continue
        if operator in ("==", "===", "~="):
            return version
        if operator in ("<", "<=") and (upper is None or parsed.release < upper[0]):
            upper = (parsed.release, f"<{version}" if operator == "<" else version)
    return upper[1] if upper is not None else None


def framework_versions(
    python: str | os.PathLike[str] | None = None,
    project: Path | None = None,
    timeout: float = PROBE_TIMEOUT_S,
) -> dict[str, str]:
    """What to put in ``Settings.framework_versions``: installed versions, then the project's
    pins for the frameworks the interpreter lacks; {} means the newest releases."""
    if python is None and project is not None:
        python = find_interpreter(project)
    versions = installed_versions(python, timeout) if python is not None else {}
    if project is not None:
        for framework, version in pinned_versions(project).items():
            versions.setdefault(framework, version)
    return versions
