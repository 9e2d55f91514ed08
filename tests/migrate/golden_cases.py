"""Golden migrations: ``golden/<mode>_<name>.in.py`` → ``golden/<mode>_<name>.out.py``, and each
program of ``programs/`` in both TF2 styles → ``golden/<style>_<program>.out.py``.

Modes: ``api`` (``migrate_source``; a ``# versions: keras=1.2.2 torch=0.3`` line in the input
gives the framework versions), ``minimal`` and ``idiomatic`` (``migrate_to_tf2``, towards
TensorFlow 2.21 with Keras 3). ``DL_LSP_UPDATE_GOLDEN=1`` writes the outputs that are missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from dl_lsp.migrate import MigrationResult, migrate_source, migrate_to_tf2

HERE = Path(__file__).parent
GOLDEN = HERE / "golden"
PROGRAMS = HERE / "programs"
TF2_TARGET = {"tensorflow": "2.21.0", "keras": "3.12.0"}
_VERSIONS = re.compile(r"^# versions:(.*)$", re.MULTILINE)


@dataclass(frozen=True)
class GoldenMigration:
    name: str
    mode: str  # 'api', 'minimal', 'idiomatic'
    source: Path
    expected: Path

    def run(self, text: str | None = None) -> MigrationResult:
        text = self.source.read_text(encoding="utf-8") if text is None else text
        if self.mode == "api":
            return migrate_source(text, versions_in(text))
        return migrate_to_tf2(text, self.mode, TF2_TARGET)


def versions_in(text: str) -> dict[str, str]:
    found = _VERSIONS.search(text)
    if found is None:
        return {}
    pairs = (item.split("=", 1) for item in found.group(1).split())
    return {name: version for name, version in pairs}


def golden_migrations() -> list[GoldenMigration]:
    cases: list[GoldenMigration] = []
    for source in sorted(GOLDEN.glob("*.in.py")):
        name = source.name.removesuffix(".in.py")
        mode = name.split("_", 1)[0]
        cases.append(GoldenMigration(name, mode, source, GOLDEN / f"{name}.out.py"))
    for program in sorted(PROGRAMS.glob("*.py")):
        for style in ("minimal", "idiomatic"):
            name = f"{style}_{program.stem}"
            cases.append(GoldenMigration(name, style, program, GOLDEN / f"{name}.out.py"))
    return cases
