"""IDN: training and evaluation inputs should arrive normalised."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from dl_lsp.checks.fix_data import fix, fixes, wrap_value
from dl_lsp.findings import Finding, Related
from dl_lsp.ruleset import Rule

if TYPE_CHECKING:
    from dl_lsp.checks import Check, CheckContext


def check_input_normalized(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """IDN: raw pixel values or raw CSV features reaching fit/evaluate/predict."""
    for item in context.facts.data.unnormalized_inputs:
        related = (Related(item.origin.span, f"raw values come from {item.origin.reason}"),)
        if item.tabular:
            yield rule.finding(
                "tabular",
                item.span,
                variable=item.variable,
                method=item.method,
                origin=item.origin.reason,
                related=related,
            )
            continue
        yield rule.finding(
            "images",
            item.span,
            variable=item.variable,
            method=item.method,
            origin=item.origin.reason,
            related=related,
            fix_data=fixes(
                fix(f"Normalize: {item.variable} / 255.0", wrap_value(item.span, "{} / 255.0"))
            ),
        )


CHECKS: dict[str, Check] = {
    "IDN": check_input_normalized,
}
