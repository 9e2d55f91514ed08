"""What a check reports: an internal type, free of LSP and output formats."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from dl_lsp.facts.span import Span


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFORMATION = "information"
    HINT = "hint"


class BugType(str, Enum):
    """The Humbatova taxonomy that dlRepro uses."""

    MODEL = "model"
    TENSOR = "tensor"
    TRAINING = "training"
    GPU = "gpu"
    API = "api"


@dataclass(frozen=True)
class Related:
    """Another place that belongs to the same bug (the loss of an LLM mismatch, say)."""

    span: Span
    message: str


@dataclass(frozen=True)
class Finding:
    """One reported problem. ``name``, ``bug_type`` and ``severity`` come from the rule data."""

    code: str
    name: str
    bug_type: BugType
    severity: Severity
    span: Span
    message: str
    fix: str | None = None
    related: tuple[Related, ...] = ()
    # What a quick fix needs (the replacement loss, the layer to insert, ...): plain JSON values.
    fix_data: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    tags: tuple[str, ...] = ()  # 'deprecated', 'unnecessary'
