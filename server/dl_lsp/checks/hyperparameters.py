"""Theia's hyperparameter rules: LOB (learning rate) and IBS (batch size)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from dl_lsp.checks.fix_data import fix, fixes, replace_value, set_keyword
from dl_lsp.findings import Finding
from dl_lsp.ruleset import Rule

if TYPE_CHECKING:
    from dl_lsp.checks import Check, CheckContext

# Optimizers whose "learning rate" is a scale factor with a default of 1.0.
_SCALE_FACTOR_OPTIMIZERS = frozenset({"Adadelta", "AdadeltaOptimizer"})
RECOMMENDED_LEARNING_RATE = 0.001
RECOMMENDED_BATCH_SIZE = 32


def check_learning_rate(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """LOB: an explicit learning rate outside [min, max]."""
    low, high = rule.thresholds["min"], rule.thresholds["max"]
    for optimizer in context.facts.training.optimizers:
        rate, span = optimizer.learning_rate, optimizer.learning_rate_span
        if rate is None or span is None or optimizer.name in _SCALE_FACTOR_OPTIMIZERS:
            continue
        if low <= rate <= high:
            continue
        key = "too_high" if rate > high else "too_low"
        yield rule.finding(
            key,
            span,
            rate=f"{rate:g}",
            low=f"{low:g}",
            high=f"{high:g}",
            optimizer=optimizer.name,
            recommended=f"{RECOMMENDED_LEARNING_RATE:g}",
            fix_data=fixes(
                fix(
                    f"Set the learning rate to {RECOMMENDED_LEARNING_RATE:g}",
                    replace_value(span, RECOMMENDED_LEARNING_RATE),
                )
            ),
        )


def check_batch_size(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """IBS: a training batch size outside [min, max] (PyTorch's implicit 1 included)."""
    low, high = int(rule.thresholds["min"]), int(rule.thresholds["max"])
    for batch in context.facts.training.batch_sizes:
        if low <= batch.value <= high:
            continue
        target = low if batch.value < low else high
        if batch.implicit:
            yield rule.finding(
                "implicit_one",
                batch.span,
                source=batch.source,
                size=batch.value,
                low=low,
                high=high,
                target=RECOMMENDED_BATCH_SIZE,
                fix_data=fixes(
                    fix(
                        f"Set batch_size={RECOMMENDED_BATCH_SIZE}",
                        set_keyword(batch.span, "batch_size", RECOMMENDED_BATCH_SIZE),
                    )
                ),
            )
            continue
        yield rule.finding(
            "too_small" if batch.value < low else "too_large",
            batch.span,
            source=batch.source,
            size=batch.value,
            low=low,
            high=high,
            target=target,
            fix_data=fixes(
                fix(f"Set the batch size to {target}", replace_value(batch.span, target))
            ),
        )


CHECKS: dict[str, Check] = {
    "LOB": check_learning_rate,
    "IBS": check_batch_size,
}
