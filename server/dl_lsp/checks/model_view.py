"""Read-only helpers over ModelFacts shared by the architecture and output-layer checks."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from dl_lsp.facts import LayerFact, LayerKind, ModelFacts, ProgramFacts
from dl_lsp.facts.model import WEIGHTED_KINDS

# Layers that end a weighted layer's "block" (Theia's call-strings window).
_BLOCK_END = (LayerKind.DENSE, LayerKind.CONV, LayerKind.POOL, LayerKind.GLOBAL_POOL)
_NO_ACTIVATION = (None, "linear", "identity")


@dataclass(frozen=True)
class Block:
    """A Dense/Conv layer and the layers after it up to the next Dense/Conv/pooling layer."""

    layer: LayerFact
    index: int
    following: tuple[LayerFact, ...]

    @property
    def activations(self) -> list[tuple[str, LayerFact, bool]]:
        """(activation, where, is_keyword) for the layer's own activation and activation layers."""
        found: list[tuple[str, LayerFact, bool]] = []
        if self.layer.activation not in _NO_ACTIVATION:
            found.append((self.layer.activation or "", self.layer, True))
        for layer in self.following:
            if layer.kind is LayerKind.ACTIVATION and layer.activation not in _NO_ACTIVATION:
                found.append((layer.activation or "", layer, False))
        return found


def blocks(model: ModelFacts, end: tuple[LayerKind, ...] = _BLOCK_END) -> list[Block]:
    """One block per weighted layer, in model order."""
    result: list[Block] = []
    layers = model.layers
    kinds = [layer.kind for layer in layers]
    count = len(kinds)
    for index, kind in enumerate(kinds):
        if kind not in WEIGHTED_KINDS:
            continue
        stop = index + 1
        while stop < count and kinds[stop] not in end:
            stop += 1
        result.append(Block(layers[index], index, layers[index + 1 : stop]))
    return result


def output_index(model: ModelFacts) -> int | None:
    """Index of the output layer: the last weighted layer, when it is a Dense/Linear layer."""
    for index in range(len(model.layers) - 1, -1, -1):
        layer = model.layers[index]
        if layer.is_weighted:
            return index if layer.kind is LayerKind.DENSE else None
        if layer.kind is LayerKind.RECURRENT:
            return None
    return None


def last_weighted_index(model: ModelFacts) -> int | None:
    """Index of the last Dense/Conv layer: the model's output (a conv in decoders)."""
    for index in range(len(model.layers) - 1, -1, -1):
        if model.layers[index].is_weighted:
            return index
    return None


def hidden_weighted(model: ModelFacts) -> list[tuple[int, LayerFact]]:
    """Dense/Conv layers other than the output layer."""
    out = last_weighted_index(model)
    return [
        (index, layer)
        for index, layer in enumerate(model.layers)
        if layer.is_weighted and index != out
    ]


def has_unknown_layers(model: ModelFacts) -> bool:
    return any(layer.kind is LayerKind.OTHER for layer in model.layers)


def models_trained_by(facts: ProgramFacts, receiver: str | None) -> list[ModelFacts]:
    """The models a call's receiver refers to (all models when it names none we know)."""
    if receiver is not None:
        named = [model for model in facts.models if receiver in model.aliases]
        if named:
            return named
    return list(facts.models)


def bottleneck_index(model: ModelFacts) -> int | None:
    """Index (into ``model.layers``) of the code layer of a Dense encoder-decoder, if any.

    Dense widths that shrink to a minimum and grow back (784 → 128 → 32 → 128 → 784) are an
    autoencoder: the widening half and the linear code layer are by design. A code size that
    is a constructor parameter (``nn.Linear(128, latent_dim)``) counts as the minimum.
    """
    dense = [(i, layer) for i, layer in enumerate(model.layers) if layer.kind is LayerKind.DENSE]
    if len(dense) < 3:
        return None
    widths = [layer.units for _, layer in dense]
    unknown = [k for k, width in enumerate(widths) if width is None]
    if len(unknown) > 1:
        return None
    if unknown:
        low = unknown[0]
        before = [w for w in widths[:low] if w is not None]
        after = [w for w in widths[low + 1 :] if w is not None]
    else:
        known = [w or 0 for w in widths]
        low = min(range(len(known)), key=lambda k: known[k])
        before, after = known[: low + 1], known[low:]
    if low in (0, len(widths) - 1) or not before or not after:
        return None
    shrinking = all(a >= b for a, b in pairwise(before))
    growing = all(a <= b for a, b in pairwise(after))
    if shrinking and growing and after[-1] > min(after[0], before[-1]) and before[0] > before[-1]:
        return dense[low][0]
    if shrinking and growing and unknown and after[-1] > after[0]:
        return dense[low][0]
    return None


class ReconstructionFits:
    """The ``fit(x, x)`` calls of a program, gathered once: which models learn to reproduce
    their input."""

    def __init__(self, facts: ProgramFacts) -> None:
        fits = [
            call
            for call in facts.training.fit_calls
            if call.method == "fit" and call.x_name is not None and call.x_name == call.y_name
        ]
        self._any_model = any(call.model is None for call in fits)
        self._models = frozenset(call.model for call in fits if call.model is not None)

    def is_reconstruction(self, model: ModelFacts) -> bool:
        """An autoencoder: bottleneck-shaped, or trained with ``fit(x, x)``."""
        if bottleneck_index(model) is not None:
            return True
        return self._any_model or not self._models.isdisjoint(model.aliases)
