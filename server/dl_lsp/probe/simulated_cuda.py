"""A CUDA device simulated on the CPU, for the placement check on machines without a GPU.

``torch.cuda.is_available()`` answers True, so the script takes its GPU branch. Tensors stay
on the CPU but carry the device they were sent to (``.to(device)``, ``.cuda()``, ``device=`` of
factory functions, ``Module.to``); a ``TorchFunctionMode`` propagates that device through every
operation and, like a CUDA kernel, notices when one operation mixes devices. Only placement is
judged in this pass: the real CPU pass owns shapes, values and timings.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from typing import Any

from dl_lsp.probe.capture import Placement, module_depth, tensors_in
from dl_lsp.probe.errors import user_line_in_stack

TAG = "_dl_lsp_device"
SIMULATED_NAME = "simulated CUDA device (CPU)"
# Operations that accept a CPU index or scalar next to CUDA tensors.
_MIXING_ALLOWED = frozenset({"__getitem__", "__setitem__", "index_put_", "__repr__", "__format__"})


def simulated_device_of(tensor: Any) -> str:
    """The device a tensor would be on: its tag, else where it really is."""
    tag = getattr(tensor, TAG, None)
    return str(tag) if tag else str(tensor.device)


def _normalised(device: Any) -> str | None:
    """'cuda' → 'cuda:0'; None when ``device`` does not name a device."""
    torch_device_type = type(device).__name__ == "device"
    if isinstance(device, int) and not isinstance(device, bool):
        return f"cuda:{device}"
    if not isinstance(device, str) and not torch_device_type:
        return None
    text = str(device)
    if text.startswith("cuda"):
        return text if ":" in text else "cuda:0"
    if text in ("cpu", "meta", "mps") or text.startswith(("cpu:", "mps:")):
        return "cpu"
    return None


class SimulatedCuda:
    """Installs the simulation in the torch module; ``placements`` collects what it saw."""

    def __init__(self, torch: Any, path: str, seen: Callable[[], list[Placement]]) -> None:
        self.torch = torch
        self.path = path
        self.seen = seen  # what the module-call checks already reported
        self.placements: list[Placement] = []
        self._undo: list[Callable[[], None]] = []
        self._mode: Any = None
        self.reported_lines: set[int | None] = set()

    def install(self) -> None:
        torch = self.torch
        cuda = torch.cuda
        self._patch(cuda, "is_available", lambda original: lambda: True)
        self._patch(cuda, "device_count", lambda original: lambda: 1)
        self._patch(cuda, "current_device", lambda original: lambda: 0)
        self._patch(cuda, "get_device_name", lambda original: lambda *a, **k: SIMULATED_NAME)
        for name in ("set_device", "synchronize", "empty_cache", "reset_peak_memory_stats"):
            self._patch(cuda, name, lambda original: lambda *a, **k: None)
        for name in ("memory_allocated", "max_memory_allocated", "memory_reserved"):
            self._patch(cuda, name, lambda original: lambda *a, **k: 0)
        data = torch.utils.data
        self._patch(data.DataLoader, "__init__", self._no_pinned_memory)
        module = torch.nn.Module
        for name in ("to", "cuda", "cpu"):
            self._patch(module, name, functools.partial(self._module_move, name=name))
        self._mode = _mode_class(torch)(self)
        self._mode.__enter__()

    def uninstall(self) -> None:
        if self._mode is not None:
            self._mode.__exit__(None, None, None)
            self._mode = None
        while self._undo:
            self._undo.pop()()

    def _patch(self, owner: Any, name: str, make: Callable[[Any], Any]) -> None:
        original = getattr(owner, name, None)
        if original is None:
            return
        setattr(owner, name, make(original))
        self._undo.append(lambda: setattr(owner, name, original))

    @staticmethod
    def _no_pinned_memory(original: Callable[..., Any]) -> Callable[..., Any]:
        def init(loader: Any, *args: Any, **kwargs: Any) -> Any:
            kwargs["pin_memory"] = False
            return original(loader, *args, **kwargs)

        return init

    def _module_move(self, original: Callable[..., Any], *, name: str) -> Callable[..., Any]:
        def move(module: Any, *args: Any, **kwargs: Any) -> Any:
            if name == "cpu":
                target: str | None = "cpu"
            elif name == "cuda":
                target = _normalised(args[0] if args else kwargs.get("device", 0)) or "cuda:0"
            else:
                target = _target_of(args, kwargs)
            with self._paused():
                result = (
                    original(module, *_cpu_args(args), **_cpu_kwargs(kwargs))
                    if name == "to"
                    else module
                )
            if target is not None:
                for tensor in [*module.parameters(), *module.buffers()]:
                    setattr(tensor, TAG, target)
            return result

        return move

    def _paused(self) -> Any:
        import contextlib

        mode = self._mode

        @contextlib.contextmanager
        def paused() -> Any:
            if mode is None:
                yield
                return
            mode.__exit__(None, None, None)
            try:
                yield
            finally:
                mode.__enter__()

        return paused()

    def record(self, operation: str, devices: list[str]) -> None:
        """An operation mixes devices: report it unless it follows from a reported mismatch."""
        earlier = self.seen()
        if module_depth() > 0 and any(p.key == "inputs" for p in earlier):
            return  # the batch is on another device than the model: its operations follow
        line = user_line_in_stack(self.path, skip=2)
        if line in self.reported_lines or any(p.line == line for p in earlier):
            return
        self.reported_lines.add(line)
        self.placements.append(
            Placement("operation", line, {"operation": operation, "devices": " and ".join(devices)})
        )


def _target_of(args: tuple[Any, ...], kwargs: dict[str, Any]) -> str | None:
    candidates = [kwargs.get("device"), *args]
    for candidate in candidates:
        if hasattr(candidate, "dim") and hasattr(candidate, "device"):
            return simulated_device_of(candidate)
        device = _normalised(candidate)
        if device is not None:
            return device
    return None


def _cpu_args(args: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(
        "cpu" if _normalised(arg) is not None and not hasattr(arg, "dim") else arg for arg in args
    )


def _cpu_kwargs(kwargs: dict[str, Any]) -> dict[str, Any]:
    if "device" in kwargs and _normalised(kwargs["device"]) is not None:
        return {**kwargs, "device": "cpu"}
    return kwargs


def _mode_class(torch: Any) -> Any:
    base = torch.overrides.TorchFunctionMode
    tensor_type = torch.Tensor

    class PlacementMode(base):  # type: ignore[misc, valid-type]
        def __init__(self, simulation: SimulatedCuda) -> None:
            super().__init__()
            self.simulation = simulation

        def __torch_function__(
            self, func: Any, types: Any, args: Any = (), kwargs: Any = None
        ) -> Any:
            kwargs = kwargs or {}
            name = getattr(func, "__name__", str(func))
            if name == "__get__":
                return _property(func, args, kwargs)
            if name in ("to", "cuda", "cpu") and args and isinstance(args[0], tensor_type):
                return _move(func, name, args, kwargs)
            if name in ("pin_memory",):
                return args[0]
            tensors = [t for t in tensors_in((args, kwargs)) if isinstance(t, tensor_type)]
            devices = sorted({simulated_device_of(t) for t in tensors if t.dim() > 0})
            if len(devices) > 1 and name not in _MIXING_ALLOWED:
                self.simulation.record(name, devices)
            requested = _normalised(kwargs.get("device")) if "device" in kwargs else None
            result = func(*args, **_cpu_kwargs(kwargs))
            target = requested or next((d for d in devices if d != "cpu"), None)
            if target is None and tensors:
                target = simulated_device_of(tensors[0])
            if target and target != "cpu":
                for tensor in tensors_in(result):
                    if isinstance(tensor, tensor_type):
                        _tag(tensor, target)
            return result

    def _property(func: Any, args: Any, kwargs: Any) -> Any:
        owner = getattr(func, "__self__", None)
        prop = getattr(owner, "__name__", "") if owner is not None else ""
        value = func(*args, **kwargs)
        if not args or not isinstance(args[0], tensor_type):
            return value
        device = simulated_device_of(args[0])
        if prop == "device" or type(value).__name__ == "device":
            return torch.device(device)
        if prop == "is_cuda":
            return device.startswith("cuda")
        return value

    def _move(func: Any, name: str, args: Any, kwargs: Any) -> Any:
        tensor = args[0]
        if name == "cpu":
            target: str | None = "cpu"
        elif name == "cuda":
            target = _normalised(args[1] if len(args) > 1 else kwargs.get("device", 0)) or "cuda:0"
        else:
            target = _target_of(tuple(args[1:]), kwargs)
        if name == "to":
            rest = tuple(arg.to("cpu") if isinstance(arg, tensor_type) else arg for arg in args[1:])
            result = func(tensor, *_cpu_args(rest), **_cpu_kwargs(kwargs))
        else:
            result = tensor
        if result is tensor:  # a real move returns a new tensor: never re-tag the original
            result = tensor.view_as(tensor)
        _tag(result, target or simulated_device_of(tensor))
        return result

    def _tag(tensor: Any, device: str) -> None:
        with contextlib.suppress(AttributeError, RuntimeError):
            setattr(tensor, TAG, device)

    return PlacementMode
