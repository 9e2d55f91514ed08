"""Size arithmetic of PyTorch layers: convolution, pooling and flattening of per-sample shapes.

Shapes are per sample (the batch dimension is left out): ``(C, H, W)`` for a 2-D feature map,
``(F,)`` for features. ``None`` stands for a size that is not known statically; every function
answers ``None`` rather than guessing when one of its inputs is unknown.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

Dims = tuple[int | None, ...]


@dataclass(frozen=True)
class Window:
    """A sliding window over the spatial dimensions (a convolution or pooling kernel)."""

    kernel: Dims
    stride: Dims
    padding: Dims | str = (0,)  # per dimension, or 'same' / 'valid'
    dilation: Dims = (1,)
    ceil_mode: bool = False

    def along(self, values: Dims | str, dims: int, axis: int) -> int | str | None:
        """The value for spatial ``axis`` of ``dims``: a scalar broadcasts, a tuple is per axis."""
        if isinstance(values, str):
            return values
        if len(values) == 1:
            return values[0]
        return values[axis] if len(values) == dims else None


def conv_output(
    size: int | None, kernel: int, stride: int, padding: int, dilation: int
) -> int | None:
    """Output length of ``nn.ConvNd`` along one axis (floor division, as PyTorch computes it)."""
    if size is None:
        return None
    out = (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1
    return out if out > 0 else None


def pool_output(
    size: int | None,
    kernel: int,
    stride: int,
    padding: int = 0,
    dilation: int = 1,
    ceil_mode: bool = False,
) -> int | None:
    """Output length of ``nn.MaxPoolNd``/``nn.AvgPoolNd`` along one axis."""
    if size is None:
        return None
    span = size + 2 * padding - dilation * (kernel - 1) - 1
    if span < 0:
        return None
    out = (math.ceil(span / stride) if ceil_mode else span // stride) + 1
    if ceil_mode and (out - 1) * stride >= size + padding:
        out -= 1  # the last window must start inside the input or its left padding
    return out


def transposed_conv_output(
    size: int | None,
    kernel: int,
    stride: int,
    padding: int = 0,
    output_padding: int = 0,
    dilation: int = 1,
) -> int | None:
    """Output length of ``nn.ConvTransposeNd`` along one axis."""
    if size is None:
        return None
    out = (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1
    return out if out > 0 else None


def slide(spatial: Dims, window: Window, *, pooling: bool) -> Dims | None:
    """Spatial sizes after a convolution (``pooling=False``) or pooling window; None if invalid.

    A size that is unknown stays unknown; None as a whole means the window's own parameters
    could not be read (a non-literal kernel, say), so nothing after it can be computed either.
    """
    dims = len(spatial)
    result: list[int | None] = []
    for axis, size in enumerate(spatial):
        kernel = window.along(window.kernel, dims, axis)
        stride = window.along(window.stride, dims, axis)
        dilation = window.along(window.dilation, dims, axis)
        padding = window.along(window.padding, dims, axis)
        if not (isinstance(kernel, int) and isinstance(stride, int) and isinstance(dilation, int)):
            return None
        if kernel < 1 or stride < 1 or dilation < 1:
            return None
        if padding == "same":
            if stride != 1:
                return None  # PyTorch refuses padding='same' with strides
            result.append(size)
            continue
        if padding == "valid":
            padding = 0
        if not isinstance(padding, int) or padding < 0:
            return None
        if pooling:
            result.append(pool_output(size, kernel, stride, padding, dilation, window.ceil_mode))
        else:
            result.append(conv_output(size, kernel, stride, padding, dilation))
    return tuple(result)


def adaptive_output(spatial: Dims, output_size: Dims) -> Dims | None:
    """Spatial sizes after adaptive pooling: the requested size, ``None`` entries keep the input's."""
    dims = len(spatial)
    if len(output_size) == 1:
        output_size = output_size * dims
    if len(output_size) != dims:
        return None
    return tuple(
        size if wanted is None else wanted
        for size, wanted in zip(spatial, output_size, strict=True)
    )


def flattened_size(dims: Sequence[int | None]) -> int | None:
    """Number of values in a per-sample shape, or None when a dimension is unknown."""
    total = 1
    for size in dims:
        if size is None:
            return None
        total *= size
    return total


def format_dims(dims: Sequence[int | None]) -> str:
    """``16×5×5``; an unknown size is written ``?``."""
    return "×".join("?" if size is None else str(size) for size in dims)
