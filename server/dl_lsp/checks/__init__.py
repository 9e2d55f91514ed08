"""Checks: pure functions from program facts to findings, one module per rule family."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from dl_lsp.config import Settings
from dl_lsp.facts import ProgramFacts
from dl_lsp.findings import Finding
from dl_lsp.ruleset import Rule


@dataclass(frozen=True)
class CheckContext:
    facts: ProgramFacts
    settings: Settings


Check = Callable[[CheckContext, Rule], Iterable[Finding]]


def _registry() -> dict[str, Check]:
    from dl_lsp.checks import architecture, hyperparameters, input_data, output_layer

    return {
        "CNL": architecture.check_non_linearity,
        "INF": architecture.check_filter_counts,
        "INN": architecture.check_neuron_counts,
        "IDS": architecture.check_downsampling,
        "MRD": architecture.check_dropout,
        "MNL": architecture.check_normalization_layers,
        "ICL": architecture.check_conv_layer_count,
        "IFL": architecture.check_fc_layer_count,
        "IDN": input_data.check_input_normalized,
        "LLM": output_layer.check_labels_activation_loss,
        "LOB": hyperparameters.check_learning_rate,
        "IBS": hyperparameters.check_batch_size,
    }


ALL_CHECKS: dict[str, Check] = _registry()
