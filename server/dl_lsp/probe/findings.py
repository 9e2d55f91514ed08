"""Observations of the worker as findings, with the message templates of ``rules/probe.toml``."""

from __future__ import annotations

from dl_lsp.probe.protocol import Observation
from dl_lsp.probe.results import ProbeFinding
from dl_lsp.ruleset import get_rule


def finding_from(observation: Observation) -> ProbeFinding:
    """The finding for one observation (an unknown template key keeps the raw values)."""
    rule = get_rule(observation.code)
    values = {key: value for key, value in observation.values.items()}
    try:
        message = rule.message(observation.key, **values)
    except (KeyError, IndexError, ValueError):
        message = f"{rule.summary} ({', '.join(f'{k}: {v}' for k, v in values.items())})"
    return ProbeFinding(
        code=rule.code,
        name=rule.name,
        bug_type=rule.bug_type.value,
        severity=rule.severity.value,
        line=observation.line or 0,
        message=message,
        device=observation.device,
        simulated=observation.simulated,
    )
