"""Step 2, in the worker: the training entry points, intercepted.

Keras ``Model.fit``/``train_on_batch``, PyTorch's first ``optimizer.step()`` (a global step
pre-hook; a second ``backward()`` without a step also stops), and TF1 ``Session.run`` of a train
op. At the first of them the model, loss, optimizer and the first batch are recorded and
``TrainingStepReached`` (a ``BaseException``, so that ``except Exception`` in the script does
not swallow it) stops the script before it trains.
"""

from __future__ import annotations

import functools
import importlib
import math
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from dl_lsp.probe.errors import user_line_in_stack
from dl_lsp.probe.results import SeedCall

_MODULE_FILE = "torch/nn/modules/module.py"


class TrainingStepReached(BaseException):
    """Raised by an intercepted training entry point: the first step is captured."""


@dataclass
class ModuleCall:
    """A call of a top-level torch module (the model, the loss) from the user's code."""

    module: Any
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    line: int | None
    variable: str | None = None


@dataclass
class Placement:
    """A device disagreement seen at a module call (real CUDA or simulated)."""

    key: str  # 'inputs', 'labels', 'operation'
    line: int | None
    values: dict[str, str]


@dataclass
class TorchCapture:
    calls: list[ModuleCall] = field(default_factory=list)
    loss_calls: list[ModuleCall] = field(default_factory=list)
    optimizer: Any = None
    step_line: int | None = None
    losses: list[tuple[float, int | None, Any]] = field(default_factory=list)
    backward_count: int = 0
    first_call_at: float | None = None
    defined_at: dict[int, int] = field(default_factory=dict)  # id(submodule) → the user's line
    current_leaf: Any = None  # the innermost layer running (the failing one after an error)
    step_reached_at: float | None = None

    def model_call(self) -> ModuleCall | None:
        """The top-level call of the module the optimizer trains (else the first call)."""
        if not self.calls:
            return None
        if self.optimizer is not None:
            trained = {id(p) for group in self.optimizer.param_groups for p in group["params"]}
            for call in self.calls:
                if any(id(p) in trained for p in call.module.parameters()):
                    return call
        return max(self.calls, key=lambda call: _parameter_count(call.module))


@dataclass
class KerasCapture:
    model: Any
    x: Any
    y: Any
    batch_size: int | None
    line: int | None
    method: str
    variable: str | None = None


@dataclass
class SessionCapture:
    line: int | None
    seconds: float
    values: list[tuple[str, Any]]


class Capture:
    """Installs the interceptions for one run of the user's module, and what they caught."""

    def __init__(self, path: str, modules: dict[str, Any], device_of: Callable[[Any], str]):
        self.path = path
        self.modules = modules
        self.device_of = device_of
        self.torch = TorchCapture()
        self.keras: KerasCapture | None = None
        self.session: SessionCapture | None = None
        self.seeds: list[SeedCall] = []
        self.placements: list[Placement] = []
        self.defined_at: dict[int, int] = {}  # id(Keras layer) → the user's line
        self.active = False
        self._undo: list[Callable[[], None]] = []

    # -- installation ---------------------------------------------------------------------

    def install(self) -> None:
        self.active = True
        self._patch_seeds()
        if "torch" in self.modules:
            self._install_torch(self.modules["torch"])
        if "keras" in self.modules:
            self._install_keras(self.modules["keras"])
        if "tensorflow" in self.modules:
            self._install_session(self.modules["tensorflow"])

    def uninstall(self) -> None:
        self.active = False
        while self._undo:
            self._undo.pop()()

    def _patch(self, owner: Any, name: str, make: Callable[[Any], Any]) -> None:
        original = getattr(owner, name, None)
        if original is None:
            return
        setattr(owner, name, make(original))
        self._undo.append(lambda: setattr(owner, name, original))

    def _line(self) -> int | None:
        return user_line_in_stack(self.path, skip=1)

    # -- seeds ----------------------------------------------------------------------------

    def _patch_seeds(self) -> None:
        import random

        targets: list[tuple[Any, str, str]] = [(random, "seed", "random.seed")]
        numpy = sys.modules.get("numpy")
        if numpy is not None:
            targets.append((numpy.random, "seed", "numpy.random.seed"))
        torch = self.modules.get("torch")
        if torch is not None:
            targets += [
                (torch, "manual_seed", "torch.manual_seed"),
                (torch.cuda, "manual_seed", "torch.cuda.manual_seed"),
                (torch.cuda, "manual_seed_all", "torch.cuda.manual_seed_all"),
                (torch, "use_deterministic_algorithms", "torch.use_deterministic_algorithms"),
            ]
        tf = self.modules.get("tensorflow")
        if tf is not None:
            targets.append((tf.random, "set_seed", "tf.random.set_seed"))
        keras = self.modules.get("keras")
        if keras is not None:
            targets.append((keras.utils, "set_random_seed", "keras.utils.set_random_seed"))
        for owner, name, label in targets:
            self._patch(owner, name, functools.partial(self._seed_wrapper, label=label))

    def _seed_wrapper(self, original: Callable[..., Any], *, label: str) -> Callable[..., Any]:
        def seeded(*args: Any, **kwargs: Any) -> Any:
            if self.active and len(self.seeds) < 20:
                value = ", ".join(
                    [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
                )
                self.seeds.append(SeedCall(label, value, self._line()))
            return original(*args, **kwargs)

        return seeded

    # -- torch ----------------------------------------------------------------------------

    def _install_torch(self, torch: Any) -> None:
        modules = torch.nn.modules.module
        pre = modules.register_module_forward_pre_hook(self._torch_forward_pre)
        self._undo.append(pre.remove)
        post = modules.register_module_forward_hook(self._torch_forward_post)
        self._undo.append(post.remove)
        registered = modules.register_module_module_registration_hook(self._torch_registered)
        self._undo.append(registered.remove)
        self._patch(torch.nn.Module, "__init__", self._torch_init_wrapper)
        optimizers = importlib.import_module("torch.optim.optimizer")
        step = optimizers.register_optimizer_step_pre_hook(self._torch_step)
        self._undo.append(step.remove)
        self._patch(torch.Tensor, "backward", self._torch_backward_wrapper)

    def _torch_init_wrapper(self, original: Callable[..., Any]) -> Callable[..., Any]:
        """Layers of the framework are placed where they are constructed (``nn.Linear(...)``)."""

        def init(module: Any, *args: Any, **kwargs: Any) -> Any:
            result = original(module, *args, **kwargs)
            if self.active and type(module).__module__.startswith("torch."):
                line = self._line()
                if line is not None:
                    self.torch.defined_at.setdefault(id(module), line)
            return result

        return init

    def _torch_registered(self, parent: Any, name: str, submodule: Any) -> None:
        if self.active and submodule is not None and id(submodule) not in self.torch.defined_at:
            line = self._line()
            if line is not None:
                self.torch.defined_at[id(submodule)] = line

    def _torch_forward_post(self, module: Any, args: Any, output: Any) -> None:
        if self.torch.current_leaf is module:
            self.torch.current_leaf = None

    def failing_layer(self) -> tuple[str, int] | None:
        """The layer that was running when the script failed, and the line that defines it."""
        leaf = self.torch.current_leaf
        line = self.torch.defined_at.get(id(leaf)) if leaf is not None else None
        return (_describe(leaf), line) if line is not None else None

    def _torch_forward_pre(self, module: Any, args: tuple[Any, ...]) -> None:
        if not self.active:
            return
        if not any(True for _ in module.children()):
            self.torch.current_leaf = module
        if module_depth() != 1:
            return
        torch = self.modules["torch"]
        line = self._line()
        if self.torch.first_call_at is None:
            self.torch.first_call_at = time.perf_counter()
        call = ModuleCall(module, args, {}, line, variable_name(module, self.path))
        if isinstance(module, torch.nn.modules.loss._Loss):
            if not self.torch.loss_calls:
                self.torch.loss_calls.append(call)
            self._check_labels(args, line)
            return
        if all(recorded.module is not module for recorded in self.torch.calls):
            self.torch.calls.append(call)
            self._check_inputs(module, args, line)

    def _check_inputs(self, module: Any, args: tuple[Any, ...], line: int | None) -> None:
        parameter = next(iter(module.parameters()), None)
        if parameter is None:
            return
        where = self.device_of(parameter)
        inputs = sorted({self.device_of(t) for t in tensors_in(args) if t.dim() > 0})
        others = [device for device in inputs if device != where]
        if others:
            self.placements.append(
                Placement(
                    "inputs",
                    line,
                    {"module": type(module).__name__, "parameters": where, "inputs": others[0]},
                )
            )

    def _check_labels(self, args: tuple[Any, ...], line: int | None) -> None:
        tensors = [t for t in tensors_in(args[:2]) if t.dim() > 0]
        if len(tensors) == 2:
            outputs, labels = (self.device_of(t) for t in tensors)
            if outputs != labels:
                self.placements.append(
                    Placement("labels", line, {"outputs": outputs, "labels": labels})
                )

    def _torch_step(self, optimizer: Any, args: Any, kwargs: Any) -> None:
        if not self.active:
            return
        self.torch.optimizer = optimizer
        self.torch.step_line = self._line()
        self.torch.step_reached_at = time.perf_counter()
        raise TrainingStepReached("optimizer.step")

    def _torch_backward_wrapper(self, original: Callable[..., Any]) -> Callable[..., Any]:
        def backward(tensor: Any, *args: Any, **kwargs: Any) -> Any:
            if not self.active:
                return original(tensor, *args, **kwargs)
            if self.torch.backward_count >= 1:
                self.torch.step_line = self._line()
                self.torch.step_reached_at = time.perf_counter()
                raise TrainingStepReached("second backward")
            self.torch.backward_count += 1
            value = _scalar(tensor)
            line = self._line()
            result = original(tensor, *args, **kwargs)
            self.torch.losses.append((value, line, tensor.detach()))
            return result

        return backward

    # -- keras ----------------------------------------------------------------------------

    def _install_keras(self, keras: Any) -> None:
        self._patch(keras.layers.Layer, "__init__", self._layer_init_wrapper)
        for method in ("fit", "train_on_batch", "fit_generator"):
            self._patch(keras.Model, method, functools.partial(self._keras_wrapper, method=method))

    def _layer_init_wrapper(self, original: Callable[..., Any]) -> Callable[..., Any]:
        """Keras layers are placed where the user's file constructs them (``Dense(...)``)."""

        def init(layer: Any, *args: Any, **kwargs: Any) -> Any:
            result = original(layer, *args, **kwargs)
            if self.active and type(layer).__module__.startswith("keras"):
                line = self._line()
                if line is not None:
                    self.defined_at.setdefault(id(layer), line)
            return result

        return init

    def _keras_wrapper(self, original: Callable[..., Any], *, method: str) -> Callable[..., Any]:
        def intercepted(model: Any, *args: Any, **kwargs: Any) -> Any:
            if not self.active:
                return original(model, *args, **kwargs)
            x = args[0] if args else kwargs.get("x")
            y = args[1] if len(args) > 1 else kwargs.get("y")
            batch_size = kwargs.get("batch_size")
            if batch_size is None and method == "fit" and len(args) > 2:
                batch_size = args[2]
            self.keras = KerasCapture(
                model, x, y, batch_size, self._line(), method, variable_name(model, self.path)
            )
            raise TrainingStepReached(f"Model.{method}")

        return intercepted

    # -- TF1 ------------------------------------------------------------------------------

    def _install_session(self, tf: Any) -> None:
        session = getattr(getattr(tf, "compat", None), "v1", None)
        if session is None:
            return
        self._patch(session.Session, "run", self._session_wrapper)

    def _session_wrapper(self, original: Callable[..., Any]) -> Callable[..., Any]:
        def run(session: Any, fetches: Any, *args: Any, **kwargs: Any) -> Any:
            if not self.active or not _has_train_op(fetches):
                return original(session, fetches, *args, **kwargs)
            line = self._line()
            started = time.perf_counter()
            values = original(session, fetches, *args, **kwargs)
            seconds = time.perf_counter() - started
            named = list(_named_values(fetches, values))
            self.session = SessionCapture(line, seconds, named)
            raise TrainingStepReached("Session.run")

        return run


def variable_name(value: Any, path: str) -> str | None:
    """The name the user's code gives ``value`` in the innermost frame of ``path`` that has one."""
    wanted = os.path.realpath(path)
    frame = sys._getframe(1)
    while frame is not None:
        filename = frame.f_code.co_filename
        if filename == wanted or os.path.realpath(filename) == wanted:
            for name, bound in list(frame.f_locals.items()):
                if bound is value and not name.startswith("_"):
                    return name
        frame = frame.f_back  # type: ignore[assignment]
    return None


def _describe(module: Any) -> str:
    try:
        extra = module.extra_repr()
    except Exception:
        extra = ""
    return f"{type(module).__name__}({extra})"


def module_depth() -> int:
    """How many torch module calls are running on this stack (1: a top-level call)."""
    depth = 0
    frame = sys._getframe(1)
    while frame is not None:
        code = frame.f_code
        if code.co_name == "_call_impl" and code.co_filename.endswith(_MODULE_FILE):
            depth += 1
        frame = frame.f_back  # type: ignore[assignment]
    return depth


def tensors_in(value: Any, depth: int = 0) -> Iterator[Any]:
    """Tensors in an argument (one level of tuples, lists and dicts)."""
    if hasattr(value, "dim") and hasattr(value, "device") and hasattr(value, "dtype"):
        yield value
    elif depth < 2 and isinstance(value, (tuple, list)):
        for item in value:
            yield from tensors_in(item, depth + 1)
    elif depth < 2 and isinstance(value, dict):
        for item in value.values():
            yield from tensors_in(item, depth + 1)


def _scalar(tensor: Any) -> float:
    try:
        return float(tensor.detach().float().sum().item())
    except Exception:
        return math.nan


def _parameter_count(module: Any) -> int:
    try:
        return sum(int(p.numel()) for p in module.parameters())
    except Exception:
        return 0


def _has_train_op(fetches: Any) -> bool:
    """Whether a TF1 fetch list holds an operation that is not an initializer (a train op)."""
    for fetch in _flat(fetches):
        kind = type(fetch).__name__
        name = str(getattr(fetch, "name", ""))
        if (
            kind == "Operation"
            and not name.startswith("init")
            and "initializer" not in name.lower()
        ):
            return True
    return False


def _named_values(fetches: Any, values: Any) -> Iterator[tuple[str, Any]]:
    for fetch, value in zip(_flat(fetches), _flat(values), strict=False):
        if value is not None:
            yield str(getattr(fetch, "name", fetch)), value


def _flat(value: Any) -> list[Any]:
    if isinstance(value, (list, tuple)):
        return [item for part in value for item in _flat(part)]
    if isinstance(value, dict):
        return [item for part in value.values() for item in _flat(part)]
    return [value]
