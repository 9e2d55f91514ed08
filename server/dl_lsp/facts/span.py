"""Source ranges shared by facts and findings."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Span:
    """A source range: 1-based lines, 0-based columns counted in code points, end exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int

    def contains(self, line: int, column: int) -> bool:
        """Whether the 1-based line and 0-based column fall inside this range."""
        if line < self.line or line > self.end_line:
            return False
        if line == self.line and column < self.column:
            return False
        return not (line == self.end_line and column > self.end_column)
