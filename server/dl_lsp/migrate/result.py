"""What a migration returns."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class MigrationResult:
    """The migrated text, what was done (one line per change) and what is left to the user."""

    text: str
    applied: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.applied)

    def then(self, later: MigrationResult) -> MigrationResult:
        """This migration followed by ``later`` (which ran on this one's text)."""
        return MigrationResult(
            later.text, [*self.applied, *later.applied], _unique([*self.notes, *later.notes])
        )


def _unique(lines: list[str]) -> list[str]:
    return list(dict.fromkeys(lines))
