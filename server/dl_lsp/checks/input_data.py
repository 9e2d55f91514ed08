"""Placeholder: filled by the core commit."""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from dl_lsp.findings import Finding
from dl_lsp.ruleset import Rule

if TYPE_CHECKING:
    from dl_lsp.checks import CheckContext


def _none(context: CheckContext, rule: Rule) -> Iterable[Finding]:
    return ()


check_input_normalized = _none
