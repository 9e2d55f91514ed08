"""Step 3 for PyTorch, in the worker: one forward and one backward step per device."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

from dl_lsp.probe import isolation
from dl_lsp.probe.capture import ModuleCall, TorchCapture, tensors_in
from dl_lsp.probe.errors import classify
from dl_lsp.probe.protocol import Observation, ShapeHints, error_observation
from dl_lsp.probe.results import DeviceCheck, ObservedLayer, ObservedModel

SMALL_BATCH = 8
_CONFIG_ATTRIBUTES = (
    "in_features",
    "out_features",
    "in_channels",
    "out_channels",
    "kernel_size",
    "stride",
    "padding",
    "num_features",
    "p",
    "num_embeddings",
    "embedding_dim",
    "input_size",
    "hidden_size",
    "num_layers",
    "batch_first",
    "bidirectional",
    "normalized_shape",
    "dim",
    "output_size",
    "start_dim",
    "negative_slope",
)


@dataclass
class TorchBatch:
    """What one step needs: the model, its inputs, the labels and the loss (when known)."""

    model: Any
    args: tuple[Any, ...]
    labels: Any = None
    loss: Any = None  # a loss module, or None (then a stand-in loss for the backward pass)
    line: int | None = None
    synthetic_shape: list[int] | None = None  # set when the batch was made up
    reliable: bool = True  # False when the synthetic sizes were guessed


@dataclass
class StepRecord:
    """The leaf modules in the order the forward pass called them, with their output shapes."""

    order: list[str] = field(default_factory=list)
    shapes: dict[str, tuple[list[int], list[int]]] = field(default_factory=dict)
    activation_bytes: int = 0  # the outputs of every layer: what backward keeps alive


def batch_from_capture(capture: TorchCapture) -> TorchBatch | None:
    call: ModuleCall | None = capture.model_call()
    if call is None:
        return None
    labels = loss = None
    if capture.loss_calls:
        loss_call = capture.loss_calls[0]
        loss = loss_call.module
        labels = loss_call.args[1] if len(loss_call.args) > 1 else None
    return TorchBatch(call.module, call.args, labels, loss, call.line)


def small(value: Any, size: int) -> Any:
    """The first ``size`` samples of every batched tensor in ``value``."""
    if hasattr(value, "dim") and hasattr(value, "shape"):
        return value[:size] if value.dim() > 0 and value.shape[0] > size else value
    if isinstance(value, (tuple, list)):
        return type(value)(small(item, size) for item in value)
    if isinstance(value, dict):
        return {key: small(item, size) for key, item in value.items()}
    return value


def moved(value: Any, device: str) -> Any:
    if hasattr(value, "to") and hasattr(value, "dim"):
        return value.to(device)
    if isinstance(value, (tuple, list)):
        return type(value)(moved(item, device) for item in value)
    if isinstance(value, dict):
        return {key: moved(item, device) for key, item in value.items()}
    return value


def first_tensor(value: Any) -> Any:
    return next(iter(tensors_in(value)), None)


def check_devices(
    torch: Any, batch: TorchBatch, devices: list[str], path: str
) -> tuple[list[DeviceCheck], list[Observation], StepRecord]:
    """One forward and one backward step of ``batch`` on each device."""
    checks: list[DeviceCheck] = []
    observations: list[Observation] = []
    record = StepRecord()
    args = small(batch.args, SMALL_BATCH)
    labels = small(batch.labels, SMALL_BATCH)
    for index, device in enumerate(devices):
        check, found = _check_one(
            torch, batch, args, labels, device, path, record if index == 0 else None
        )
        checks.append(check)
        observations += found
        if any(o.code in ("PRB701", "PRB702") for o in found):
            break  # the same error on the next device says nothing new
    return checks, observations, record


def _check_one(
    torch: Any,
    batch: TorchBatch,
    args: Any,
    labels: Any,
    device: str,
    path: str,
    record: StepRecord | None,
) -> tuple[DeviceCheck, list[Observation]]:
    found: list[Observation] = []
    first = first_tensor(args)
    size = int(first.shape[0]) if first is not None and first.dim() > 0 else None
    handles = _record_layers(batch.model, record) if record is not None else []
    try:
        model = batch.model.to(device)
        inputs, targets = moved(args, device), moved(labels, device)
        model.train()
        _reset_peak(torch, device)  # the peak covers both steps: the first allocates the most
        before = _memory_now(torch, device)
        first_ms, loss_value, _ = _timed_step(torch, model, inputs, targets, batch.loss, device)
        for handle in handles:
            handle.remove()
        handles = []
        step_ms, _, grads = _timed_step(torch, model, inputs, targets, batch.loss, device)
        peak, kind = _memory_peak(torch, device, before)
    except Exception as error:
        for handle in handles:
            handle.remove()
        problem = classify(error, path)
        if problem.kind == "shape" and not batch.reliable:
            return DeviceCheck(
                device,
                "skipped",
                batch_size=size,
                note=f"the guessed synthetic input does not fit: {problem.summary}",
            ), []
        observation = error_observation(problem, device, synthetic_shape=batch.synthetic_shape)
        if observation is None:
            observation = Observation(
                "PRB706", "error", {"error": problem.summary}, problem.line, device
            )
        return DeviceCheck(device, "failed", batch_size=size, note=problem.summary), [observation]
    line = batch.line
    if loss_value is not None and not math.isfinite(loss_value):
        key = "inputs" if _has_nonfinite(torch, args) else "loss"
        found.append(
            Observation("PRB704", key, {"value": _show(loss_value), "device": device}, line, device)
        )
    elif grads:
        found.append(
            Observation(
                "PRB705",
                "gradients",
                {"device": device, "count": len(grads), "parameter": grads[0]},
                line,
                device,
            )
        )
    weights = sum(int(p.numel()) * int(p.element_size()) for p in batch.model.parameters())
    check = DeviceCheck(
        device,
        "ok",
        tensor_bytes=2 * weights + record.activation_bytes if record is not None else None,
        batch_size=size,
        first_step_ms=round(first_ms, 3),
        step_ms=round(step_ms, 3),
        peak_memory_bytes=peak,
        memory_kind=kind,
        loss=loss_value if loss_value is None or math.isfinite(loss_value) else None,
        note=""
        if batch.loss is not None
        else "no loss module was captured: a stand-in loss (mean of the output) drove the backward pass",
    )
    return check, found


def _timed_step(
    torch: Any, model: Any, inputs: Any, labels: Any, loss_fn: Any, device: str
) -> tuple[float, float | None, list[str]]:
    """Forward and backward once; (milliseconds, loss or None, parameters with bad gradients)."""
    model.zero_grad(set_to_none=True)
    _synchronize(torch, device)
    started = time.perf_counter()
    output = model(*inputs) if isinstance(inputs, tuple) else model(inputs)
    out = first_tensor(output)
    if loss_fn is not None and labels is not None:
        loss = loss_fn(out, labels)
        value: float | None = float(loss.detach().float().item())
    else:
        loss = out.float().mean() if out is not None and out.is_floating_point() else None
        value = None
    if loss is not None and loss.requires_grad:
        loss.backward()
    _synchronize(torch, device)
    elapsed = (time.perf_counter() - started) * 1000
    bad = [
        name
        for name, parameter in model.named_parameters()
        if parameter.grad is not None and not bool(torch.isfinite(parameter.grad).all())
    ]
    return elapsed, value, bad


def _record_layers(model: Any, record: StepRecord) -> list[Any]:
    handles = []
    for name, module in model.named_modules():
        if any(True for _ in module.children()):
            continue

        def hook(module: Any, args: Any, output: Any, name: str = name) -> None:
            if name not in record.shapes:
                record.order.append(name)
                inp, out = first_tensor(args), first_tensor(output)
                record.activation_bytes += sum(
                    int(t.numel()) * int(t.element_size()) for t in tensors_in(output)
                )
                record.shapes[name] = (
                    list(inp.shape) if inp is not None else [],
                    list(out.shape) if out is not None else [],
                )

        handles.append(module.register_forward_hook(hook))
    return handles


def _synchronize(torch: Any, device: str) -> None:
    if device.startswith("cuda"):
        torch.cuda.synchronize(device)


def _reset_peak(torch: Any, device: str) -> None:
    if device.startswith("cuda"):
        torch.cuda.reset_peak_memory_stats(device)
    else:
        isolation.reset_peak_resident_memory()


def _memory_now(torch: Any, device: str) -> int:
    if device.startswith("cuda"):
        return int(torch.cuda.memory_allocated(device))
    return isolation.resident_memory_bytes() or 0


def _memory_peak(torch: Any, device: str, before: int) -> tuple[int | None, str]:
    if device.startswith("cuda"):
        return int(torch.cuda.max_memory_allocated(device)), "cuda-allocator"
    peak = isolation.peak_resident_memory_bytes()
    return (max(0, peak - before) if peak is not None else None), "rss-growth"


def _has_nonfinite(torch: Any, value: Any) -> bool:
    return any(
        t.is_floating_point() and not bool(torch.isfinite(t).all()) for t in tensors_in(value)
    )


def _show(value: float) -> str:
    return "NaN" if math.isnan(value) else ("+Inf" if value > 0 else "-Inf")


# -- the model as torch built it -------------------------------------------------------------


def observed_model(
    torch: Any,
    batch: TorchBatch,
    capture: TorchCapture | None,
    record: StepRecord,
    variable: str | None,
) -> ObservedModel:
    """Layers from ``named_modules()`` (in call order when the forward pass ran)."""
    model = batch.model
    leaves = {
        name: module
        for name, module in model.named_modules()
        if name and not any(True for _ in module.children())
    }
    if not leaves and not any(True for _ in model.children()):
        leaves = {type(model).__name__: model}
    names = [name for name in record.order if name in leaves] or list(leaves)
    layers = []
    for name in names:
        module = leaves[name]
        shapes = record.shapes.get(name)
        layers.append(
            ObservedLayer(
                name=name,
                type=type(module).__name__,
                config=_module_config(module),
                input_shape=list(shapes[0]) if shapes else None,
                output_shape=list(shapes[1]) if shapes else None,
                parameters=sum(int(p.numel()) for p in module.parameters(recurse=False)),
                line=capture.defined_at.get(id(module)) if capture is not None else None,
            )
        )
    optimizer = capture.optimizer if capture else None
    lr = None
    if optimizer is not None:
        try:
            lr = float(optimizer.param_groups[0]["lr"])
        except (TypeError, ValueError, KeyError, IndexError):
            lr = None
    first = first_tensor(batch.args)
    label = first_tensor(batch.labels)
    return ObservedModel(
        framework="torch",
        variable=variable,
        type=type(model).__name__,
        line=(capture.step_line if capture and capture.step_line else batch.line),
        parameters=sum(int(p.numel()) for p in model.parameters()),
        layers=tuple(layers),
        loss=type(batch.loss).__name__ if batch.loss is not None else None,
        optimizer=type(optimizer).__name__ if optimizer is not None else None,
        learning_rate=lr,
        batch_shape=list(first.shape) if first is not None else None,
        batch_dtype=str(first.dtype).replace("torch.", "") if first is not None else None,
        label_shape=list(label.shape) if label is not None else None,
        label_dtype=str(label.dtype).replace("torch.", "") if label is not None else None,
        synthetic=batch.synthetic_shape is not None,
    )


def _module_config(module: Any) -> dict[str, Any]:
    config: dict[str, Any] = {}
    for name in _CONFIG_ATTRIBUTES:
        value = getattr(module, name, None)
        if isinstance(value, (bool, int, float, str)):
            config[name] = value
        elif isinstance(value, tuple) and all(isinstance(v, (int, float)) for v in value):
            config[name] = list(value)
    return config


# -- a synthetic batch (no data, or the data could not be loaded) ----------------------------


def synthetic_batch(torch: Any, model: Any, hints: ShapeHints) -> TorchBatch | None:
    """A small random batch for ``model``'s first layer (dlRepro's edit action A1)."""
    first = next(
        (
            m
            for _, m in model.named_modules()
            if not any(True for _ in m.children())
            and any(True for _ in m.parameters(recurse=False))
        ),
        None,
    )
    if first is None:
        return None
    kind = type(first).__name__
    n = 4
    reliable = True
    known = [d for d in (hints.input_shape or []) if d is not None]
    if kind == "Linear":
        shape = [n, first.in_features]
        value = torch.rand(*shape)
    elif kind == "Embedding":
        shape = [n, known[-1] if known else 16]
        value = torch.randint(0, first.num_embeddings, tuple(shape))
    elif kind in ("LSTM", "GRU", "RNN"):
        steps = 16
        shape = [n, steps, first.input_size] if first.batch_first else [steps, n, first.input_size]
        value = torch.rand(*shape)
    elif kind.startswith("Conv"):
        dims = int(kind[4]) if len(kind) > 4 and kind[4].isdigit() else 2
        spatial = known[1:] if len(known) == dims + 1 and known[0] == first.in_channels else []
        if len(spatial) != dims:
            spatial, reliable = [32] * dims, False
        shape = [n, first.in_channels, *spatial]
        value = torch.rand(*shape)
    else:
        return None
    return TorchBatch(model, (value,), None, None, None, shape, reliable)
