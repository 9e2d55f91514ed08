"""Device placement facts (DEV2xx): where models, tensors and checkpoints live."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DeviceFacts:
    """Filled by ``extract.devices``; empty until that extractor reports something."""
