"""The short fuzzing campaign (the long one is ``bench/fuzz_campaign.py``): generated Python
source and deep-learning programs through parse, extraction, every check and every fix."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.fuzzing import (
    check_analysis,
    check_fix_all,
    check_fixes,
    damaged,
    dl_programs,
    python_source,
    settings_variants,
)

from dl_lsp.config import Settings

SHORT = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


@SHORT
@given(python_source(), settings_variants)
def test_any_python_source_is_analysed_without_failure(text: str, chosen: Settings) -> None:
    check_analysis(text, chosen)


@SHORT
@given(dl_programs(), settings_variants)
def test_every_fix_of_a_generated_program_keeps_it_valid_and_applies_once(
    text: str, chosen: Settings
) -> None:
    check_fixes(text, chosen)


@SHORT
@given(damaged(dl_programs()))
def test_fixes_of_a_half_typed_program_add_no_syntax_error(text: str) -> None:
    check_fixes(text)


@SHORT
@given(dl_programs())
def test_fix_all_is_valid_and_idempotent(text: str) -> None:
    check_fix_all(text)


@SHORT
@given(st.one_of(python_source(), damaged(python_source())))
def test_fixes_of_arbitrary_source_keep_it_valid(text: str) -> None:
    check_fixes(text)


def test_a_repeated_softmax_is_removed_one_copy_at_a_time() -> None:
    """Found by this campaign: two ``nn.Softmax`` layers before CrossEntropyLoss. The fix
    removes the first; the second is then the output's activation, a finding of its own."""
    text = (
        "import torch\nimport torch.nn as nn\n"
        "model = nn.Sequential(\n    nn.Linear(1, 2),\n    nn.Softmax(dim=1),\n"
        "    nn.Softmax(dim=1)\n)\n"
        "criterion = nn.CrossEntropyLoss()\n"
        "optimizer = torch.optim.SGD(model.parameters(), lr=0.01)\n"
    )
    check_fixes(text)
    check_fix_all(text)
    check_fixes(text.replace("nn.Softmax(dim=1)\n)", "nn.Softmax(dim=-1)\n)"))
