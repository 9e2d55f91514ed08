"""The framework-neutral picture of a neural network: an ordered list of layers."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from dl_lsp.facts.span import Span


class LayerKind(str, Enum):
    """What a layer does, independent of the framework that spells it."""

    DENSE = "dense"
    CONV = "conv"
    POOL = "pool"
    GLOBAL_POOL = "global_pool"
    FLATTEN = "flatten"
    DROPOUT = "dropout"
    NORMALIZATION = "normalization"
    ACTIVATION = "activation"
    INPUT = "input"
    EMBEDDING = "embedding"
    RECURRENT = "recurrent"
    RESHAPE = "reshape"
    RESCALING = "rescaling"
    MERGE = "merge"
    OTHER = "other"


class Framework(str, Enum):
    KERAS = "keras"
    TORCH = "torch"


# The activation of a layer whose activation argument could not be resolved statically.
UNKNOWN_ACTIVATION = "?"


# Dense and convolution layers: the layers Theia's rules are about.
WEIGHTED_KINDS = (LayerKind.DENSE, LayerKind.CONV)


@dataclass(frozen=True)
class LayerFact:
    """One layer (or a functional activation such as ``F.relu``) in model order."""

    kind: LayerKind
    api: str
    span: Span
    units: int | None = None
    in_features: int | None = None
    filters: int | None = None
    in_channels: int | None = None
    conv_dims: int | None = None
    kernel_size: tuple[int, ...] | None = None
    strides: tuple[int, ...] | None = None
    padding: str | None = None
    pool_size: tuple[int, ...] | None = None
    # Normalised activation name ('relu', 'sigmoid', 'softmax', 'log_softmax', 'tanh', 'linear', ...);
    # None when the layer has no activation argument; UNKNOWN_ACTIVATION when it is not a literal.
    activation: str | None = None
    activation_span: Span | None = None
    rate: float | None = None
    input_shape: tuple[int | None, ...] | None = None
    return_sequences: bool | None = None
    # The attribute name of a PyTorch submodule (``self.fc1``) or the Keras layer variable.
    attribute: str | None = None
    # Keyword names given to the call: the edit actions and API rules read them.
    keywords: tuple[str, ...] = ()

    @property
    def is_weighted(self) -> bool:
        """Dense and convolution layers: the layers Theia's rules are about."""
        return self.kind in WEIGHTED_KINDS

    @property
    def width(self) -> int | None:
        """Units of a dense layer or filters of a convolution."""
        return self.units if self.kind is LayerKind.DENSE else self.filters


@dataclass(frozen=True)
class ModelFacts:
    """An ordered model as the extractor could see it."""

    name: str
    framework: Framework
    span: Span
    layers: tuple[LayerFact, ...]
    # False when the order or the content of the layers is partly unknown (branches, loops,
    # layers built by helper functions): order-sensitive rules then stay silent.
    linear: bool = True
    # The scope (function name or '<module>') where the model variable lives.
    scope: str = "<module>"
    input_shape: tuple[int | None, ...] | None = None
    aliases: tuple[str, ...] = field(default_factory=tuple)

    @property
    def weighted_layers(self) -> tuple[LayerFact, ...]:
        return tuple(layer for layer in self.layers if layer.is_weighted)

    @property
    def conv_layers(self) -> tuple[LayerFact, ...]:
        return tuple(layer for layer in self.layers if layer.kind is LayerKind.CONV)

    @property
    def dense_layers(self) -> tuple[LayerFact, ...]:
        return tuple(layer for layer in self.layers if layer.kind is LayerKind.DENSE)

    @property
    def is_cnn(self) -> bool:
        return any(layer.kind is LayerKind.CONV for layer in self.layers)
