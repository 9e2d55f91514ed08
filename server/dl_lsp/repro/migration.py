"""A6 Obsolete Parameter Removal and A10 Version Migration, behind one function.

For now the API-change rules' own quick fixes (``API1xx``, applied by fix-all) do the work; the
dedicated migration engine (``dl_lsp.migrate.migrate_source``) takes over at merge.
"""

from __future__ import annotations

from dl_lsp.engine import analyze_source
from dl_lsp.repro.outcome import Options, Outcome, unchanged
from dl_lsp.repro.scene import Scene

ACTION = "A10"
_API_PREFIX = "API1"
_MAX_ROUNDS = 40


def _migrate(text: str) -> tuple[str, list[str]]:
    """The file migrated to the installed framework versions, and what changed.

    Unlike ``fix-all`` it also takes the preferred fixes that are not marked safe (importing
    from ``keras.layers`` instead of ``keras.layers.core``): a reproduction has to run."""
    from dl_lsp.fixes import apply_edits, fixes_for

    current = text
    changes: list[str] = []
    for _ in range(_MAX_ROUNDS):
        findings = [f for f in analyze_source(current).findings if f.code.startswith(_API_PREFIX)]
        for finding in findings:
            proposals = fixes_for(current, finding)
            if proposals and proposals[0].preferred:
                fixed = apply_edits(current, proposals[0].edits)
                if fixed != current:
                    current = fixed
                    changes.append(f"{finding.code}: {proposals[0].title}")
                    break
        else:
            break
    return current, changes


def migrate_versions(scene: Scene, options: Options) -> Outcome:
    """The edit action: obsolete parameters removed, old APIs moved to their current names."""
    text, changes = _migrate(scene.text)
    if text == scene.text:
        return unchanged(scene)
    return Outcome(text, tuple(changes))
