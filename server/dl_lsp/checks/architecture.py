"""Placeholder: filled by the core commit."""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from dl_lsp.findings import Finding
from dl_lsp.ruleset import Rule

if TYPE_CHECKING:
    from dl_lsp.checks import CheckContext


def _none(context: CheckContext, rule: Rule) -> Iterable[Finding]:
    return ()


check_non_linearity = check_filter_counts = check_neuron_counts = check_downsampling = _none
check_dropout = check_normalization_layers = check_conv_layer_count = check_fc_layer_count = _none
