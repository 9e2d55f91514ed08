"""User settings: ``[tool.dl-lsp]`` in ``pyproject.toml``, the CLI, or LSP configuration."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from dl_lsp.facts.data import InputType, ProblemType
from dl_lsp.findings import Severity


class SettingsError(ValueError):
    """A setting has a value that cannot be used; the message says which and why."""


_PROBLEM_ALIASES = {
    "binary": ProblemType.BINARY,
    "binary_classification": ProblemType.BINARY,
    "multiclass": ProblemType.MULTICLASS,
    "multi-class": ProblemType.MULTICLASS,
    "multiclass_classification": ProblemType.MULTICLASS,
    "multilabel": ProblemType.MULTILABEL,
    "multi-label": ProblemType.MULTILABEL,
    "regression": ProblemType.REGRESSION,
}
_INPUT_ALIASES = {
    "color": InputType.COLOR,
    "colour": InputType.COLOR,
    "rgb": InputType.COLOR,
    "color_images": InputType.COLOR,
    "grayscale": InputType.GRAYSCALE,
    "greyscale": InputType.GRAYSCALE,
    "gray": InputType.GRAYSCALE,
    "grayscale_images": InputType.GRAYSCALE,
    "tabular": InputType.TABULAR,
    "sequence": InputType.SEQUENCE,
    "text": InputType.SEQUENCE,
}


@dataclass(frozen=True)
class Settings:
    """What to check and how: codes, severities, thresholds, and known data characteristics."""

    select: frozenset[str] | None = None
    ignore: frozenset[str] = frozenset()
    severities: Mapping[str, Severity] = field(default_factory=dict)
    thresholds: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    problem_type: ProblemType | None = None
    input_type: InputType | None = None
    # Framework → installed (or pinned) version, filled by the CLI or the server from
    # ``dl_lsp.environment``; empty means the newest releases. Decides migration directions.
    framework_versions: Mapping[str, str] = field(default_factory=dict)

    def enabled(self, code: str) -> bool:
        """Whether a rule code is selected and not ignored (prefixes match, like ruff)."""
        if any(code.startswith(prefix) for prefix in self.ignore):
            return False
        if self.select is None or "ALL" in self.select:
            return True
        return any(code.startswith(prefix) for prefix in self.select)

    def merged(self, **changes: Any) -> Settings:
        return replace(self, **changes)


def parse_problem_type(value: str) -> ProblemType:
    try:
        return _PROBLEM_ALIASES[value.strip().lower()]
    except KeyError:
        known = ", ".join(sorted({p.value for p in ProblemType}))
        raise SettingsError(f"unknown problem type {value!r} (expected one of: {known})") from None


def parse_input_type(value: str) -> InputType:
    try:
        return _INPUT_ALIASES[value.strip().lower()]
    except KeyError:
        known = ", ".join(sorted({i.value for i in InputType}))
        raise SettingsError(f"unknown input type {value!r} (expected one of: {known})") from None


def parse_codes(values: str | Iterable[str] | None) -> frozenset[str] | None:
    """``"LLM,CNL"`` or ``["LLM", "CNL"]`` → ``{"LLM", "CNL"}``."""
    if values is None:
        return None
    items = values.split(",") if isinstance(values, str) else values
    return frozenset(str(item).strip().upper() for item in items if str(item).strip())


def settings_from_mapping(data: Mapping[str, Any]) -> Settings:
    """Settings from a ``[tool.dl-lsp]`` table or an LSP ``dl-lsp`` section (same keys)."""

    def get(*names: str) -> Any:
        for name in names:
            if name in data:
                return data[name]
        return None

    severities: dict[str, Severity] = {}
    for code, value in (get("severity", "severities") or {}).items():
        try:
            severities[str(code).upper()] = Severity(str(value).lower())
        except ValueError:
            raise SettingsError(f"unknown severity {value!r} for {code}") from None
    thresholds: dict[str, dict[str, float]] = {}
    for code, table in (get("thresholds") or {}).items():
        if not isinstance(table, Mapping):
            raise SettingsError(f"thresholds for {code} must be a table of numbers")
        try:
            thresholds[str(code).upper()] = {
                str(k).replace("-", "_"): float(v) for k, v in table.items()
            }
        except (TypeError, ValueError):
            raise SettingsError(f"thresholds for {code} must be numbers") from None
    problem = get("problem-type", "problem_type", "problemType")
    input_type = get("input-type", "input_type", "inputType")
    return Settings(
        select=parse_codes(get("select")),
        ignore=parse_codes(get("ignore")) or frozenset(),
        severities=severities,
        thresholds=thresholds,
        problem_type=parse_problem_type(problem) if problem else None,
        input_type=parse_input_type(input_type) if input_type else None,
    )


def find_pyproject(start: Path) -> Path | None:
    """The nearest ``pyproject.toml`` at or above ``start``."""
    current = start if start.is_dir() else start.parent
    for folder in (current, *current.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_pyproject_settings(path: Path) -> Settings:
    """Read ``[tool.dl-lsp]`` from a ``pyproject.toml``; an absent table gives defaults."""
    # Through the JSON cache: the TOML parser is imported only when the file changed.
    from dl_lsp.data_files import read_toml

    try:
        data = read_toml(path)
    except (OSError, ValueError) as error:  # tomllib.TOMLDecodeError is a ValueError
        raise SettingsError(f"{path}: cannot read settings: {error}") from None
    table = data.get("tool", {}).get("dl-lsp", {})
    return settings_from_mapping(table)
