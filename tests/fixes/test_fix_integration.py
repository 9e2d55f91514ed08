"""The fix engine against the real analysis: the corpus's findings, and import isolation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from dl_lsp.engine import analyze_source
from dl_lsp.fixes import apply_edits, fix_all, fixes_for
from dl_lsp.fixes.tolerant import still_valid

ROOT = Path(__file__).parents[2]
PROGRAMS = sorted((ROOT / "tests" / "corpus").glob("*/*.py")) + sorted(
    (ROOT / "examples").glob("**/*.py")
)


@pytest.mark.parametrize("path", PROGRAMS, ids=[str(path.relative_to(ROOT)) for path in PROGRAMS])
def test_every_offered_fix_of_the_real_checks_parses(path: Path) -> None:
    text = path.read_bytes().decode("utf-8")
    for finding in analyze_source(text).findings:
        for proposal in fixes_for(text, finding):
            fixed = apply_edits(text, proposal.edits)
            assert still_valid(text, fixed), (finding.code, proposal.title)
    fixed, applied = fix_all(text, lambda current: analyze_source(current).findings)
    assert still_valid(text, fixed)
    assert all(proposal.safe and proposal.preferred for proposal in applied)


def test_the_analysis_path_does_not_import_libcst() -> None:
    script = (
        "import sys\n"
        "from dl_lsp.engine import analyze_source\n"
        "analyze_source(\"model.compile(loss='mse')\\n\")\n"
        "assert 'libcst' not in sys.modules, 'libcst imported by the analysis'\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
