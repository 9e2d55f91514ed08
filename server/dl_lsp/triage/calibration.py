"""The ``unknown`` threshold, calibrated on labelled reports held out from the evaluation."""

from __future__ import annotations

from collections.abc import Sequence

# The confidence of one word-level hint alone (weight 0.5 over 0.5 + the prior mass 2.0) is 0.2:
# the threshold never goes that low, whatever a small calibration set says.
FLOOR = 0.25


def calibrate_threshold(scored: Sequence[tuple[float, bool]], floor: float = FLOOR) -> float:
    """The confidence threshold that maximises (right answers − wrong answers) on the given
    (confidence of the best type, whether the best type is right) pairs: answering pays where
    the best type is more often right than wrong, and ``unknown`` is better below that. Ties go
    to the lower threshold (more answers)."""
    candidates = sorted({floor, *(confidence for confidence, _ in scored if confidence >= floor)})
    best_threshold, best_gain = floor, None
    for threshold in candidates:
        gain = sum(1 if right else -1 for confidence, right in scored if confidence >= threshold)
        if best_gain is None or gain > best_gain:
            best_threshold, best_gain = threshold, gain
    return best_threshold
