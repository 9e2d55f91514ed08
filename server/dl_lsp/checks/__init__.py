"""Checks: pure functions from program facts to findings, one module per rule family.

Each family module exports ``CHECKS``, a mapping from rule code to check function; adding a
family means adding its module name to ``FAMILY_MODULES``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

from dl_lsp.config import Settings
from dl_lsp.environment import FrameworkVersions
from dl_lsp.facts import ProgramFacts
from dl_lsp.findings import Finding
from dl_lsp.ruleset import Rule


@dataclass(frozen=True)
class CheckContext:
    facts: ProgramFacts
    settings: Settings

    @cached_property
    def framework_versions(self) -> FrameworkVersions:
        """The versions the API checks migrate towards, parsed once for all of them."""
        return FrameworkVersions.from_settings(self.settings.framework_versions)


Check = Callable[[CheckContext, Rule], Iterable[Finding]]

FAMILY_MODULES = (
    "architecture",
    "input_data",
    "output_layer",
    "hyperparameters",
    "shapes",
    "devices",
    "training_loop",
    "data_pipeline",
    "reproducibility",
    "api_changes",
)


def _registry() -> dict[str, Check]:
    checks: dict[str, Check] = {}
    for name in FAMILY_MODULES:
        module = importlib.import_module(f"dl_lsp.checks.{name}")
        checks.update(module.CHECKS)
    return checks


ALL_CHECKS: dict[str, Check] = _registry()
