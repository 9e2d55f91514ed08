"""Command line: ``dl-lsp check``, ``dl-lsp rules``, ``dl-lsp serve`` (filled by its own commit)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    print("dl-lsp: not yet wired", file=sys.stderr)
    return 2
