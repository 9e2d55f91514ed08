"""A6 Obsolete Parameter Removal and A10 Version Migration, behind one function.

The migration engine (``dl_lsp.migrate.migrate_source``) does the work: the API-change rules'
preferred fixes, towards the newest framework versions.
"""

from __future__ import annotations

from dl_lsp.repro.outcome import Options, Outcome, unchanged
from dl_lsp.repro.scene import Scene

ACTION = "A10"


def _migrate(text: str) -> tuple[str, list[str]]:
    """The file migrated to the newest framework versions, and what changed (the preferred
    fixes, safe or not: a reproduction has to run)."""
    from dl_lsp.migrate import migrate_source

    result = migrate_source(text)
    return result.text, list(result.applied)


def migrate_versions(scene: Scene, options: Options) -> Outcome:
    """The edit action: obsolete parameters removed, old APIs moved to their current names."""
    text, changes = _migrate(scene.text)
    if text == scene.text:
        return unchanged(scene)
    return Outcome(text, tuple(changes))
