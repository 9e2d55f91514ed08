"""Device placement facts (DEV2xx): where models, tensors and checkpoints live."""

from __future__ import annotations

from dataclasses import dataclass

from dl_lsp.facts.span import Span


@dataclass(frozen=True)
class CudaUse:
    """A hard-wired CUDA device: ``.cuda()``, ``torch.device('cuda')``, ``device='cuda'``."""

    span: Span
    kind: str  # 'cuda_call', 'device', 'to', 'keyword'
    text: str  # as written, for the message
    literal: Span | None = None  # the 'cuda' string (a fix can make it conditional)
    guarded: bool = False  # inside an ``if``/``try`` of its own


@dataclass(frozen=True)
class BatchPlacement:
    """A tensor of a training loop on another device than the model it meets (or a no-op move)."""

    kind: str  # 'batch', 'labels', 'model_not_moved', 'not_in_place'
    name: str  # the tensor variable
    span: Span  # where it is passed to the model or loss (the bare move for 'not_in_place')
    model: str | None = None
    loader: str | None = None
    model_move: Span | None = None  # where the model was moved to the device
    device: str | None = None  # the device expression the model was moved with ('device')
    same_scope: bool = False  # the move and the loop are in the same function


@dataclass(frozen=True)
class ForwardTensor:
    """A tensor created inside ``forward`` (or ``init_hidden``) on the default (CPU) device."""

    span: Span
    function: str  # 'torch.zeros'
    owner: str  # 'Net.forward'
    input_name: str | None  # the method's tensor argument, whose device the new tensor needs


@dataclass(frozen=True)
class CheckpointLoad:
    """A ``torch.load`` call."""

    span: Span
    map_location: bool
    guarded: bool  # inside an ``if`` that tests the device


@dataclass(frozen=True)
class WrappedStateDict:
    """``state_dict()`` of a ``DataParallel``/``DistributedDataParallel`` model saved, or loaded back."""

    kind: str  # 'save' or 'load'
    span: Span  # the state_dict()/load_state_dict() call
    receiver: str
    receiver_span: Span
    wrapper: Span  # where the model was wrapped
    conditional: bool = False  # the wrapping happens only under an ``if``


@dataclass(frozen=True)
class VisibleDevicesSet:
    """``CUDA_VISIBLE_DEVICES`` set after a call that initialises CUDA."""

    span: Span
    initialised_at: Span
    initialiser: str  # 'torch.cuda.is_available()'


@dataclass(frozen=True)
class DeviceFacts:
    """Filled by ``extract.devices``."""

    uses_torch: bool = False
    # Where the file asks whether a GPU is there (torch.cuda.is_available(), device_count()).
    availability_check: Span | None = None
    mentions_cuda: bool = False  # some code may run on a CUDA device
    cuda_uses: tuple[CudaUse, ...] = ()
    placements: tuple[BatchPlacement, ...] = ()
    forward_tensors: tuple[ForwardTensor, ...] = ()
    checkpoint_loads: tuple[CheckpointLoad, ...] = ()
    checkpoint_round_trip: bool = False  # loads only what this CPU-only file saved itself
    wrapped_state_dicts: tuple[WrappedStateDict, ...] = ()
    visible_devices: tuple[VisibleDevicesSet, ...] = ()
    # torch.distributed or DistributedDataParallel: a multi-GPU program that needs CUDA by design.
    distributed: bool = False
    torch_alias: str | None = None  # the name ``import torch`` binds, for fixes that call torch
