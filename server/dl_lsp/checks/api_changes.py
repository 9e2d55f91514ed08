"""Rule family: api_changes (API1xx, see docs and rules/)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dl_lsp.checks import Check

CHECKS: dict[str, Check] = {}
