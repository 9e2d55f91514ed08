"""Data-pipeline and reproducibility facts (DAT4xx, REP6xx): shuffling, scaling, seeds."""

from __future__ import annotations

from dataclasses import dataclass

from dl_lsp.facts.data import Evidence
from dl_lsp.facts.span import Span


@dataclass(frozen=True)
class ShuffleFact:
    """Training data that is not shuffled, where the pipeline decides the order.

    ``kind``: 'dataloader' (a PyTorch DataLoader without ``shuffle=True`` and no sampler),
    'fit' (Keras ``fit(..., shuffle=False)`` on arrays), 'tf_data' (a ``from_tensor_slices``
    dataset with no ``.shuffle``), 'directory' (``image_dataset_from_directory`` or
    ``flow_from_directory`` with ``shuffle=False``).
    """

    kind: str
    span: Span  # the call that builds the data (or the fit call)
    name: str | None  # the variable it is bound to
    shuffle_span: Span | None = None  # ``shuffle=False`` as written
    # A training use: 'named' (the variable is named like training data), 'fit', or 'loop'.
    trained: str | None = None
    used_at: Span | None = None  # the fit call or the loop that trains on it
    map_style: bool = False  # the dataset is known to support shuffle=True
    iterable_dataset: bool = False  # the dataset cannot be shuffled by the loader
    # The arrays come from train_test_split, which shuffled them once: only the order of the
    # epochs repeats.
    shuffled_once: bool = False


@dataclass(frozen=True)
class LeakFact:
    """A scaler fit on the full data before (or regardless of) the train/test split."""

    span: Span  # the fit / fit_transform call
    scaler: str  # 'StandardScaler', ...
    split: Span  # the train_test_split call, or the transform of a split part
    order: str  # 'fit_then_split' or 'fit_full_after_split'


@dataclass(frozen=True)
class OneHotTargetFact:
    """One-hot targets given to a loss that wants class indices."""

    span: Span  # the target argument
    loss: str  # 'cross_entropy' or 'nll'
    encoding: str  # 'int' (F.one_hot, get_dummies) or 'float' (to_categorical, np.eye)
    origin: Evidence


@dataclass(frozen=True)
class Uint8CastFact:
    """A float array in [0, 1] cast to uint8 without scaling back to 0..255."""

    span: Span  # the cast
    value: Span  # the expression cast (a fix multiplies it by 255)
    origin: Evidence
    receiver: bool = (
        True  # ``x.astype(...)`` rather than ``np.uint8(x)``: the fix needs parentheses
    )


@dataclass(frozen=True)
class ChannelsLastInputFact:
    """Channels-last images (N, H, W, C) given to a callable by name (a candidate model)."""

    callee: str
    span: Span  # the argument
    origin: Evidence
    tensor: Span | None = None  # where the array became a tensor (the fix permutes there)
    batched: bool = False  # (N, H, W, C) rather than one (H, W, C) image


@dataclass(frozen=True)
class SeedFact:
    """A call that seeds a random number generator."""

    family: str  # 'python', 'numpy', 'torch', 'tensorflow', 'all' (helpers that seed everything)
    span: Span
    call: str  # as qualified: 'torch.manual_seed'


@dataclass(frozen=True)
class UnseededRandomnessFact:
    """A split or shuffle that draws from an unseeded generator."""

    span: Span  # the call
    function: str  # 'train_test_split', 'np.random.shuffle', ...
    family: str  # the global seed that would make it reproducible: 'numpy', 'python', 'torch'
    keyword: str | None = None  # the keyword that seeds this call, when it has one


@dataclass(frozen=True)
class PipelineFacts:
    """Filled by ``extract.pipeline``."""

    unshuffled: tuple[ShuffleFact, ...] = ()
    leaks: tuple[LeakFact, ...] = ()
    one_hot_targets: tuple[OneHotTargetFact, ...] = ()
    uint8_casts: tuple[Uint8CastFact, ...] = ()
    channels_last_inputs: tuple[ChannelsLastInputFact, ...] = ()
    seeds: tuple[SeedFact, ...] = ()
    # Helpers whose effect is unknown but whose name says they seed (``set_seed(42)``).
    seed_helpers: tuple[Span, ...] = ()
    unseeded: tuple[UnseededRandomnessFact, ...] = ()
    # Determinism switches: ``cudnn.deterministic = True``, ``use_deterministic_algorithms``,
    # ``enable_op_determinism``, ``TF_DETERMINISTIC_OPS``, Lightning ``deterministic=True``.
    torch_deterministic: bool = False
    tf_deterministic: bool = False
    cudnn_benchmark: Span | None = None  # ``cudnn.benchmark = True``: the value
    uses_cuda: Span | None = None  # first CUDA use: .cuda(), 'cuda' devices
    uses_tf_gpu: Span | None = None  # explicit TensorFlow GPU use: tf.device('/GPU:0'), ...
    # Sequence or time-series data, where keeping the order can be deliberate.
    ordered_data: bool = False
    # Model classes that move axes themselves (``x.permute(0, 3, 1, 2)`` in ``forward``).
    permuting_classes: frozenset[str] = frozenset()
    # Every name the file binds (assignments, parameters, loop targets, imports): data used
    # but never defined marks a fragment rather than a script.
    defined_names: frozenset[str] = frozenset()
