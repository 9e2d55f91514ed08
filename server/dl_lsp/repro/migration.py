"""A6 Obsolete Parameter Removal and A10 Version Migration, behind one function.

For now the API-change rules' own quick fixes (``API1xx``, applied by fix-all) do the work; the
dedicated migration engine (``dl_lsp.migrate.migrate_source``) takes over at merge.
"""

from __future__ import annotations

from dl_lsp.engine import analyze_source
from dl_lsp.findings import Finding
from dl_lsp.repro.outcome import Options, Outcome, unchanged
from dl_lsp.repro.scene import Scene

ACTION = "A10"
_API_PREFIX = "API1"


def _migrate(text: str) -> tuple[str, list[str]]:
    """The file migrated to the installed framework versions, and what changed."""
    from dl_lsp.fixes import fix_all

    def api_findings(current: str) -> list[Finding]:
        return [f for f in analyze_source(current).findings if f.code.startswith(_API_PREFIX)]

    new_text, applied = fix_all(text, api_findings)
    return new_text, [f"{proposal.code}: {proposal.title}" for proposal in applied]


def migrate_versions(scene: Scene, options: Options) -> Outcome:
    """The edit action: obsolete parameters removed, old APIs moved to their current names."""
    text, changes = _migrate(scene.text)
    if text == scene.text:
        return unchanged(scene)
    return Outcome(text, tuple(changes))
