"""Device placement extraction (DEV2xx): CUDA references, what training loops move, checkpoints.

One pass over the calls each scope already collected (``Scope.calls``) gathers the CUDA
references, ``torch.load``/``torch.save``, ``DataParallel`` wrappers and ``CUDA_VISIBLE_DEVICES``
assignments; the training loops are then followed statement by statement (``LoopFlow``) to see
which batch tensors reach the model and the loss without a ``.to(device)``.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import cast

from dl_lsp.extract.calls import CallSite
from dl_lsp.extract.catalog import TORCH_LOSSES
from dl_lsp.extract.context import ExtractionContext, argument, keyword
from dl_lsp.extract.names import dotted_name, last_name
from dl_lsp.extract.scopes import MODULE_SCOPE, Scope, iter_statements
from dl_lsp.facts import Framework, ModelFacts, Span
from dl_lsp.facts.devices import (
    BatchPlacement,
    CheckpointLoad,
    CudaUse,
    DeviceFacts,
    ForwardTensor,
    VisibleDevicesSet,
    WrappedStateDict,
)

_GPU_PREFIXES = ("cuda", "gpu", "mps", "xpu")
_DEVICE_WORDS = ("device", "dev", "gpu", "cuda", "rank")
_TORCH_DTYPES = frozenset(
    {
        "float",
        "float16",
        "float32",
        "float64",
        "double",
        "half",
        "bfloat16",
        "int",
        "int8",
        "int16",
        "int32",
        "int64",
        "long",
        "uint8",
        "bool",
        "complex64",
        "complex128",
    }
)
# Tensor methods that keep the device (and the batch) of their receiver.
_KEEPS_TENSOR = frozenset(
    {
        "float",
        "double",
        "long",
        "int",
        "half",
        "bool",
        "byte",
        "contiguous",
        "clone",
        "detach",
        "requires_grad_",
        "pin_memory",
    }
)
_RESHAPES = frozenset(
    {
        "view",
        "reshape",
        "flatten",
        "permute",
        "transpose",
        "unsqueeze",
        "squeeze",
        "repeat",
        "expand",
        "view_as",
        "unfold",
        "narrow",
    }
)
_LOOP_WRAPPERS = frozenset({"enumerate", "tqdm", "iter", "track", "progress_bar", "islice"})
# torch factories that allocate on the default device unless given ``device=``.
_FACTORIES = frozenset(
    {
        "zeros",
        "ones",
        "randn",
        "rand",
        "empty",
        "full",
        "arange",
        "eye",
        "randint",
        "linspace",
        "logspace",
        "randperm",
        "tensor",
    }
)
_TENSOR_CONSTRUCTORS = _FACTORIES | {
    "from_numpy",
    "Tensor",
    "FloatTensor",
    "LongTensor",
    "as_tensor",
    "stack",
    "cat",
}
_FORWARD_METHODS = ("forward", "init_hidden", "initHidden", "init_state", "init_hidden_state")
# torch.cuda functions that do not initialise CUDA (they are queued until it is).
_LAZY_CUDA = frozenset({"manual_seed", "manual_seed_all", "seed", "seed_all", "is_initialized"})
_TF_DEVICE_QUERIES = (
    "tensorflow.config.",
    "tensorflow.test.is_gpu_available",
    "tensorflow.test.gpu_device_name",
    "tensorflow.python.client.device_lib.list_local_devices",
)
_VISIBLE_DEVICES = "CUDA_VISIBLE_DEVICES"
# What ``_survey_call`` reads besides torch and TensorFlow calls and calls with keywords.
_SURVEYED_METHODS = frozenset(
    {"cuda", "to", "cpu", "state_dict", "load_state_dict"}
    | {"replace", "startswith", "removeprefix", "lstrip", "strip"}  # stripping 'module.'
)
_SURVEYED_SUFFIXES = ("DataParallel", "TensorDataset", "consume_prefix_in_state_dict_if_present")
_GUARD_WORDS = ("cuda", "gpu", "device", "is_available")


def device_kind(node: ast.expr | None, context: ExtractionContext) -> str:
    """What ``.to(node)`` moves to: 'gpu', 'cpu', 'dtype' or 'unknown'."""
    if node is None:
        return "unknown"
    if isinstance(node, ast.Constant):
        if isinstance(node.value, str):
            text = node.value.lower()
            if text.startswith(_GPU_PREFIXES):
                return "gpu"
            return "cpu" if text == "cpu" else "unknown"
        if isinstance(node.value, int) and not isinstance(node.value, bool):
            return "gpu"
        return "unknown"
    if isinstance(node, ast.IfExp):
        kinds = {device_kind(node.body, context), device_kind(node.orelse, context)}
        return "gpu" if "gpu" in kinds else "unknown"
    if isinstance(node, ast.Call):
        if context.qualify(node.func) == "torch.device":
            first = argument(node, 0, "type")
            kind = device_kind(first, context) if isinstance(first, ast.Constant) else "gpu"
            return kind if kind in ("gpu", "cpu") else "gpu"
        return "unknown"
    if isinstance(node, (ast.Name, ast.Attribute)):
        qualified = context.qualify(node) or ""
        if qualified.startswith("torch.") and qualified.rsplit(".", 1)[-1] in _TORCH_DTYPES:
            return "dtype"
        name = (last_name(node) or "").lower()
        if any(word in name for word in _DEVICE_WORDS):
            return "gpu"
    return "unknown"


def _move_of(call: ast.Call, context: ExtractionContext) -> str | None:
    """'gpu', 'cpu', 'dtype' or 'unknown' for a ``.to(...)``/``.cuda()`` call; None otherwise."""
    func = call.func
    if not isinstance(func, ast.Attribute):
        return None
    if func.attr == "cuda" and len(call.args) <= 1:
        return "gpu"
    if func.attr == "to":
        target = argument(call, 0, "device")
        if target is None:
            return "dtype" if keyword(call, "dtype") is not None else "unknown"
        return device_kind(target, context)
    return None


@dataclass(frozen=True)
class BatchState:
    """A tensor taken from a data loader: moved to a device yet, reshaped yet."""

    moved: bool = False
    reshaped: bool = False


@dataclass
class LoopCall:
    """A call inside a loop over a data loader, with the batch state of each argument."""

    callee: str  # dotted text of the called name: 'model', 'self.net', 'criterion'
    call: ast.Call
    arguments: list[tuple[ast.expr, BatchState | None]]


@dataclass
class LoopFlow:
    """What one ``for ... in loader`` loop does with its batches."""

    scope: Scope
    loop: ast.For | ast.AsyncFor
    loader: str
    calls: list[LoopCall] = field(default_factory=list)
    # Names bound to the result of a call: the called name (``out = model(x)``).
    outputs: dict[str, str] = field(default_factory=dict)
    # Bare ``x.to(device)`` statements on batch tensors: (statement, name).
    discarded_moves: list[tuple[ast.Expr, str]] = field(default_factory=list)
    # Ids of the ``.to()``/``.cuda()`` calls that move batch tensors.
    batch_moves: set[int] = field(default_factory=set)

    def states_passed_to(self, callee: str) -> Iterator[tuple[ast.Call, ast.expr, BatchState]]:
        """Each batch tensor given to ``callee``, where and in which state."""
        for record in self.calls:
            if record.callee == callee:
                for node, state in record.arguments:
                    if state is not None:
                        yield record.call, node, state


def loop_flows(context: ExtractionContext) -> list[LoopFlow]:
    """Every loop over a data loader in the file, followed statement by statement (computed
    once per file: the device and the shape facts both read them)."""
    shared = context.shared.get("loop_flows")
    if shared is None:
        shared = context.shared["loop_flows"] = _loop_flows(context)
    return cast("list[LoopFlow]", shared)


def _loop_flows(context: ExtractionContext) -> list[LoopFlow]:
    flows: list[LoopFlow] = []
    for scope in context.scopes:
        calls_of: dict[int, list[ast.Call]] | None = None
        for statement in scope.statements:
            if not isinstance(statement, (ast.For, ast.AsyncFor)):
                continue
            loader = _loader_of(statement.iter, scope, context)
            if loader is None:
                continue
            if calls_of is None:
                calls_of = {id(s): calls for s, calls in scope.calls}
            flow = LoopFlow(scope, statement, loader)
            _BatchTracker(flow, context, calls_of).run()
            flows.append(flow)
    return flows


def _loader_of(node: ast.expr, scope: Scope, context: ExtractionContext) -> str | None:
    """The data loader a ``for`` statement iterates (through enumerate/tqdm), if it is one."""
    depth = 0
    while isinstance(node, ast.Call) and node.args and depth < 4:
        if last_name(node.func) not in _LOOP_WRAPPERS:
            break
        node = node.args[0]
        depth += 1
    if isinstance(node, ast.Call):
        qualified = context.qualify(node.func) or ""
        return "DataLoader(...)" if qualified.endswith("DataLoader") else None
    text = dotted_name(node)
    if text is None:
        return None
    lowered = text.rsplit(".", 1)[-1].lower()
    if "loader" in lowered or lowered.endswith(("_dl", "_iter")):
        return text
    if isinstance(node, ast.Name):
        value = scope.lookup(node.id, node.lineno)
        if isinstance(value, ast.Call) and (context.qualify(value.func) or "").endswith(
            "DataLoader"
        ):
            return text
    return None


class _BatchTracker:
    """Follows the batch tensors of one loop through its body, in statement order."""

    def __init__(
        self, flow: LoopFlow, context: ExtractionContext, calls_of: dict[int, list[ast.Call]]
    ) -> None:
        self.flow = flow
        self.context = context
        self.calls_of = calls_of
        self.tracked: dict[str, BatchState] = {}

    def run(self) -> None:
        loop = self.flow.loop
        target = loop.target
        wrapped = isinstance(loop.iter, ast.Call) and last_name(loop.iter.func) == "enumerate"
        if wrapped and isinstance(target, ast.Tuple) and len(target.elts) == 2:
            target = target.elts[1]
        for name in _names_in(target):
            self.tracked[name] = BatchState()
        for statement in iter_statements(loop.body):
            for call in self.calls_of.get(id(statement), ()):
                self._record_call(call)
            self._apply(statement)

    def _record_call(self, call: ast.Call) -> None:
        if not self.tracked:
            return
        callee = dotted_name(call.func)
        if callee is None:
            return
        values = [*call.args, *(item.value for item in call.keywords)]
        arguments = [
            (value, self._state(value.value if isinstance(value, ast.Starred) else value))
            for value in values
        ]
        if any(state is not None for _, state in arguments) or any(
            isinstance(value, ast.Name) and value.id in self.flow.outputs for value in values
        ):
            self.flow.calls.append(LoopCall(callee, call, arguments))

    def _apply(self, statement: ast.stmt) -> None:
        if isinstance(statement, ast.Assign):
            for target in statement.targets:
                self._bind(target, statement.value)
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            self._bind(statement.target, statement.value)
        elif isinstance(statement, ast.AugAssign) and isinstance(statement.target, ast.Name):
            self.tracked.pop(statement.target.id, None)
        elif isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
            call = statement.value
            func = call.func
            if (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name)
                and func.value.id in self.tracked
                and _move_of(call, self.context) == "gpu"
            ):
                self.flow.discarded_moves.append((statement, func.value.id))
        elif isinstance(statement, (ast.For, ast.AsyncFor)):
            for name in _names_in(statement.target):
                self.tracked.pop(name, None)

    def _bind(self, target: ast.expr, value: ast.expr) -> None:
        if isinstance(target, ast.Name):
            state = self._state(value)
            if state is None:
                self.tracked.pop(target.id, None)
            else:
                self.tracked[target.id] = state
            callee = _called_name(value)
            if callee is not None:
                self.flow.outputs[target.id] = callee
            else:
                self.flow.outputs.pop(target.id, None)
        elif isinstance(target, (ast.Tuple, ast.List)):
            if isinstance(value, (ast.Tuple, ast.List)) and len(value.elts) == len(target.elts):
                for element, item in zip(target.elts, value.elts, strict=True):
                    self._bind(element, item)
                return
            state = self._state(value)
            for name in _names_in(target):
                if state is None:
                    self.tracked.pop(name, None)
                else:
                    self.tracked[name] = state

    def _state(self, node: ast.expr, depth: int = 0) -> BatchState | None:
        if depth > 20:
            return None
        if isinstance(node, ast.Name):
            return self.tracked.get(node.id)
        if isinstance(node, ast.Subscript):
            return self._state(node.value, depth + 1)
        if not isinstance(node, ast.Call):
            return None
        func = node.func
        if isinstance(func, ast.Name) and func.id == "Variable" and node.args:
            return self._state(node.args[0], depth + 1)
        if not isinstance(func, ast.Attribute):
            return None
        receiver = self._state(func.value, depth + 1)
        if receiver is None:
            return None
        move = _move_of(node, self.context)
        if move in ("gpu", "unknown"):
            self.flow.batch_moves.add(id(node))
            return BatchState(True, receiver.reshaped)
        if move == "cpu":
            return None
        if move == "dtype" or func.attr in _KEEPS_TENSOR:
            return receiver
        if func.attr == "type":
            moved = "cuda" in self.context.source.segment(node)
            return BatchState(receiver.moved or moved, receiver.reshaped)
        if func.attr in _RESHAPES:
            return BatchState(receiver.moved, True)
        return None


def _names_in(target: ast.expr) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [name for element in target.elts for name in _names_in(element)]
    if isinstance(target, ast.Starred):
        return _names_in(target.value)
    return []


def _called_name(value: ast.expr) -> str | None:
    """``model`` for ``model(x)``, ``model(x).squeeze()``, ``model(x)[0]``, ``model(**b).loss``."""
    node = value
    for _ in range(8):
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Call):
                node = node.func.value
                continue
            return dotted_name(node.func)
        if isinstance(node, (ast.Subscript, ast.Attribute)):
            node = node.value
            continue
        return None
    return None


@dataclass
class _Survey:
    """Everything one pass over the calls of every scope learns about devices."""

    availability: Span | None = None
    cuda_uses: list[CudaUse] = field(default_factory=list)
    loads: list[CheckpointLoad] = field(default_factory=list)
    load_paths: list[str] = field(default_factory=list)
    save_paths: set[str] = field(default_factory=set)
    # Names of models moved to a GPU (or an unknown device), with where and how.
    moved_models: dict[str, tuple[Span, str, str]] = field(default_factory=dict)
    cpu_models: set[str] = field(default_factory=set)  # names also moved back to the CPU
    all_moves: set[int] = field(default_factory=set)
    tensor_names: set[str] = field(default_factory=set)
    wrapped: dict[str, tuple[Span, bool, int, str]] = field(default_factory=dict)
    strips_prefix: bool = False
    state_dict_saves: list[tuple[ast.Call, str, Scope]] = field(default_factory=list)
    state_dict_loads: list[tuple[ast.Call, str, Scope]] = field(default_factory=list)
    visible_devices: list[VisibleDevicesSet] = field(default_factory=list)
    moves_in_data_code: bool = False
    # Names of tensors created with ``device=`` and names given to ``TensorDataset``.
    device_tensors: set[str] = field(default_factory=set)
    dataset_inputs: set[str] = field(default_factory=set)
    data_parallel: bool = False
    default_device: bool = False
    distributed: bool = False  # torch.distributed / DistributedDataParallel: GPUs by design


def extract_devices(context: ExtractionContext, models: tuple[ModelFacts, ...] = ()) -> DeviceFacts:
    """Device facts of one file."""
    if not _may_use_devices(context):
        return DeviceFacts()
    bindings = context.imports.bindings.values()
    uses_torch = context.dominant is Framework.TORCH or any(
        value == "torch" or value.startswith("torch.") for value in bindings
    )
    survey = _Survey()
    init_events: dict[str, list[tuple[int, Span, str]]] = {}
    for scope in context.scopes:
        _survey_scope(scope, context, survey, init_events)
    mentions_cuda = "cuda" in context.source.text or "CUDA" in context.source.text
    flows = loop_flows(context) if uses_torch else []
    placements = _placements(flows, survey, models, context, mentions_cuda)
    torch_alias = next(
        (local for local, target in context.imports.bindings.items() if target == "torch"), None
    )
    return DeviceFacts(
        uses_torch=uses_torch,
        availability_check=survey.availability,
        mentions_cuda=mentions_cuda,
        cuda_uses=tuple(survey.cuda_uses),
        placements=tuple(placements),
        forward_tensors=tuple(_forward_tensors(context)) if uses_torch else (),
        checkpoint_loads=tuple(survey.loads),
        checkpoint_round_trip=bool(survey.load_paths)
        and not mentions_cuda
        and set(survey.load_paths) <= survey.save_paths,
        wrapped_state_dicts=tuple(_wrapped_state_dicts(survey, context)),
        visible_devices=tuple(survey.visible_devices),
        torch_alias=torch_alias,
        distributed=survey.distributed,
    )


def _may_use_devices(context: ExtractionContext) -> bool:
    """Whether the file names torch, CUDA or DataParallel: in its text, or in a call that
    resolves to torch through a conventional alias (``nn.``, ``F.``, ``optim.``). Every device
    fact needs one of them; a file with none (a Keras script, say) has the empty facts."""
    text = context.source.text.lower()
    if "torch" in text or "cuda" in text or "dataparallel" in text:
        return True
    # Each distinct callee once (a set built in C): a large Keras file has thousands of calls.
    callees = set(context.calls.qualified_callees.values())
    return any(callee.startswith("torch") for callee in callees if callee)


def _enclosing(scope: Scope) -> dict[int, tuple[ast.stmt, ...]]:
    """Each statement of a scope with the compound statements around it, innermost last."""
    body = getattr(scope.node, "body", None)
    if not isinstance(body, list):
        return {}
    result: dict[int, tuple[ast.stmt, ...]] = {}
    stack: list[tuple[ast.stmt, tuple[ast.stmt, ...]]] = [(s, ()) for s in reversed(body)]
    while stack:
        statement, outer = stack.pop()
        result[id(statement)] = outer
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        inner = outer if isinstance(statement, ast.ClassDef) else (*outer, statement)
        children: list[ast.stmt] = []
        for name in ("body", "orelse", "finalbody"):
            children.extend(getattr(statement, name, ()) or ())
        for handler in getattr(statement, "handlers", ()) or ():
            children.extend(handler.body)
        for case in getattr(statement, "cases", ()) or ():
            children.extend(case.body)
        stack.extend((child, inner) for child in reversed(children))
    return result


def _is_main_guard(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.If)
        and isinstance(statement.test, ast.Compare)
        and isinstance(statement.test.left, ast.Name)
        and statement.test.left.id == "__name__"
    )


def _guarded(outer: tuple[ast.stmt, ...], context: ExtractionContext, *, device: bool) -> bool:
    """Inside an ``if``/``try`` (with ``device``: an ``if`` whose test is about the device)."""
    for statement in outer:
        if isinstance(statement, ast.Try) and not device:
            return True
        if isinstance(statement, (ast.If, ast.While)) and not _is_main_guard(statement):
            if not device:
                return True
            test = context.source.segment(statement.test).lower()
            if any(word in test for word in _GUARD_WORDS):
                return True
    return False


def _survey_scope(
    scope: Scope,
    context: ExtractionContext,
    survey: _Survey,
    init_events: dict[str, list[tuple[int, Span, str]]],
) -> None:
    events = init_events.setdefault(scope.name, [])
    blocks: dict[int, tuple[ast.stmt, ...]] = {}

    def around(statement: ast.stmt) -> tuple[ast.stmt, ...]:
        """The blocks around a statement, computed for the scope on first need."""
        if not blocks:
            blocks.update(_enclosing(scope))
        return blocks.get(id(statement), ())

    for statement, sites in context.calls.statements(scope):
        _survey_statement(statement, around, scope, context, survey)
        for site in sites:
            _survey_call(site, around, context, survey, events)
        visible = _sets_visible_devices(statement, context)
        if visible is not None:
            earlier = [event for event in events if event[0] < statement.lineno]
            if scope.name != MODULE_SCOPE:
                earlier += [
                    event
                    for event in init_events.get(MODULE_SCOPE, [])
                    if event[0] < statement.lineno
                ]
            if earlier:
                first = min(earlier, key=lambda event: event[0])
                survey.visible_devices.append(
                    VisibleDevicesSet(context.span(visible), first[1], first[2])
                )


def _survey_statement(
    statement: ast.stmt,
    around: Callable[[ast.stmt], tuple[ast.stmt, ...]],
    scope: Scope,
    context: ExtractionContext,
    survey: _Survey,
) -> None:
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        target, value = statement.targets[0], statement.value
        if not isinstance(value, (ast.Constant, ast.Call)):
            return
        name = dotted_name(target)
        if name is None:
            return
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            lowered = value.value.lower()
            if "device" in name.lower() and lowered.startswith("cuda"):
                survey.cuda_uses.append(
                    CudaUse(
                        context.span(statement),
                        "assignment",
                        context.source.segment(statement),
                        context.span(value),
                    )
                )
            return
        if not isinstance(value, ast.Call):
            return
        qualified = context.qualify(value.func) or ""
        if qualified.startswith("torch.") and qualified.rsplit(".", 1)[-1] in _TENSOR_CONSTRUCTORS:
            survey.tensor_names.add(name)
        if keyword(value, "device") is not None:
            survey.device_tensors.add(name)
        base = value
        while (
            isinstance(base, ast.Call)
            and isinstance(base.func, ast.Attribute)
            and base.func.attr in ("to", "cuda")
            and isinstance(base.func.value, ast.Call)
        ):
            base = base.func.value
        if isinstance(base, ast.Call) and (context.qualify(base.func) or "").endswith(
            "DataParallel"
        ):
            survey.data_parallel = True
            conditional = _guarded(around(statement), context, device=False)
            survey.wrapped[name] = (context.span(base), conditional, statement.lineno, scope.name)
        if isinstance(base, ast.Call) and (context.qualify(base.func) or "").startswith(
            "torch.load"
        ):
            survey.tensor_names.discard(name)


def _survey_call(
    site: CallSite,
    around: Callable[[ast.stmt], tuple[ast.stmt, ...]],
    context: ExtractionContext,
    survey: _Survey,
    events: list[tuple[int, Span, str]],
) -> None:
    call, statement, scope, qualified = site.node, site.statement, site.scope, site.qualified
    if (
        not call.keywords
        and site.method not in _SURVEYED_METHODS
        and not qualified.startswith(("torch", "tensorflow"))
        and not qualified.endswith(_SURVEYED_SUFFIXES)
    ):
        return  # none of the calls below
    func = call.func
    is_check = qualified in ("torch.cuda.is_available", "torch.cuda.device_count")
    if is_check and survey.availability is None:
        survey.availability = context.span(call)
    if qualified.startswith("torch.cuda.") or qualified.startswith(_TF_DEVICE_QUERIES):
        member = qualified.split(".")[2] if qualified.count(".") >= 2 else ""
        if not (qualified.startswith("torch.cuda.") and (member in _LAZY_CUDA or member == "amp")):
            events.append((call.lineno, context.span(call), f"{qualified}()"))
    if qualified.startswith("torch.distributed") or qualified.endswith("DistributedDataParallel"):
        survey.distributed = True
    if qualified in ("torch.set_default_device", "torch.set_default_tensor_type"):
        survey.default_device = True
    move = _move_of(call, context)
    if move is not None:
        _survey_move(call, move, statement, around, scope, context, survey, events)
    elif qualified == "torch.device":
        first = argument(call, 0, "type")
        if _is_cuda_literal(first):
            assert first is not None
            survey.cuda_uses.append(
                CudaUse(
                    context.span(call),
                    "device",
                    context.source.segment(call),
                    context.span(first),
                    _guarded(around(statement), context, device=False),
                )
            )
    device = keyword(call, "device")
    if _is_cuda_literal(device) and move is None and qualified != "torch.device":
        assert device is not None
        survey.cuda_uses.append(
            CudaUse(
                context.span(call),
                "keyword",
                context.source.segment(call),
                context.span(device),
                _guarded(around(statement), context, device=False),
            )
        )
    if qualified.endswith("TensorDataset"):
        for item in call.args:
            if isinstance(item, ast.Name):
                survey.dataset_inputs.add(item.id)
            elif any(
                isinstance(node, ast.Call) and _move_of(node, context) in ("gpu", "unknown")
                for node in ast.walk(item)
            ):
                survey.moves_in_data_code = True
    if qualified == "torch.load":
        has_location = keyword(call, "map_location") is not None or len(call.args) >= 2
        survey.loads.append(
            CheckpointLoad(
                context.span(call), has_location, _guarded(around(statement), context, device=True)
            )
        )
        if call.args:
            survey.load_paths.append(context.source.segment(call.args[0]))
    elif qualified == "torch.save" and len(call.args) >= 2:
        survey.save_paths.add(context.source.segment(call.args[1]))
    if isinstance(func, ast.Attribute):
        if func.attr == "cpu" and not call.args:
            _note_cpu_move(call, statement, survey)
        _survey_method(call, func, statement, scope, context, survey)
    elif qualified.endswith("consume_prefix_in_state_dict_if_present"):
        survey.strips_prefix = True


def _is_cuda_literal(node: ast.expr | None) -> bool:
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value.lower().startswith("cuda")
    )


def _survey_move(
    call: ast.Call,
    move: str,
    statement: ast.stmt,
    around: Callable[[ast.stmt], tuple[ast.stmt, ...]],
    scope: Scope,
    context: ExtractionContext,
    survey: _Survey,
    events: list[tuple[int, Span, str]],
) -> None:
    func = call.func
    assert isinstance(func, ast.Attribute)
    if move == "cpu":
        _note_cpu_move(call, statement, survey)
    if move not in ("gpu", "unknown"):
        return
    survey.all_moves.add(id(call))
    target = argument(call, 0, "device")
    if func.attr == "cuda" or _is_cuda_literal(target):
        guarded = _guarded(around(statement), context, device=False) or _in_conditional_expression(
            statement, call
        )
        literal = target if _is_cuda_literal(target) else None
        span = _method_span(call, context)
        text = "." + func.attr + "(" + ", ".join(context.source.segment(a) for a in call.args) + ")"
        survey.cuda_uses.append(
            CudaUse(
                span,
                "cuda_call" if func.attr == "cuda" else "to",
                text,
                context.span(literal) if literal is not None else None,
                guarded,
            )
        )
        events.append((call.lineno, span, text))
    device = "cuda" if func.attr == "cuda" else context.source.segment(target) if target else ""
    if move != "gpu":
        return
    receiver = dotted_name(func.value)
    if (
        isinstance(statement, ast.Expr)
        and statement.value is call
        and receiver is not None
        and receiver not in survey.tensor_names  # a bare tensor.to() moves nothing
    ):
        survey.moved_models.setdefault(receiver, (context.span(call), device, scope.name))
    elif isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        name = dotted_name(statement.targets[0])
        if name is not None and _is_chain_of(statement.value, call):
            survey.moved_models.setdefault(name, (context.span(call), device, scope.name))


def _method_span(call: ast.Call, context: ExtractionContext) -> Span:
    """The ``.cuda()`` part of ``receiver.cuda()``: from the end of the receiver to the end."""
    whole = context.span(call)
    func = call.func
    if not isinstance(func, ast.Attribute):
        return whole
    receiver = context.span(func.value)
    return Span(receiver.end_line, receiver.end_column, whole.end_line, whole.end_column)


def _note_cpu_move(call: ast.Call, statement: ast.stmt, survey: _Survey) -> None:
    """``model.cpu()``, ``model = model.to("cpu")``: the model may be on the CPU after all."""
    func = call.func
    assert isinstance(func, ast.Attribute)
    receiver = dotted_name(func.value)
    if isinstance(statement, ast.Expr) and statement.value is call and receiver is not None:
        survey.cpu_models.add(receiver)
    elif isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        name = dotted_name(statement.targets[0])
        if name is not None and _is_chain_of(statement.value, call):
            survey.cpu_models.add(name)


def _is_chain_of(value: ast.expr, call: ast.Call) -> bool:
    """Whether ``call`` is ``value`` or a receiver in its method chain (``Net().to(d).train()``)."""
    node: ast.expr = value
    for _ in range(8):
        if node is call:
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            node = node.func.value
            continue
        if isinstance(node, ast.Call) and node.args:
            node = node.args[0]  # nn.DataParallel(model.cuda())
            continue
        return False
    return False


def _in_conditional_expression(statement: ast.stmt, call: ast.Call) -> bool:
    """Whether ``call`` sits in a branch of a conditional expression (``x.cuda() if c else x``)."""
    if hasattr(statement, "body"):
        return False  # a block header: its body is not this statement's expression
    for node in ast.walk(statement):
        if isinstance(node, ast.IfExp):
            for branch in (node.body, node.orelse):
                if any(inner is call for inner in ast.walk(branch)):
                    return True
    return False


def _survey_method(
    call: ast.Call,
    func: ast.Attribute,
    statement: ast.stmt,
    scope: Scope,
    context: ExtractionContext,
    survey: _Survey,
) -> None:
    method = func.attr
    if method in ("replace", "startswith", "removeprefix", "lstrip", "strip") and call.args:
        first = call.args[0]
        if (
            isinstance(first, ast.Constant)
            and isinstance(first.value, str)
            and first.value.startswith("module")
        ):
            survey.strips_prefix = True
    if method not in ("state_dict", "load_state_dict"):
        return
    receiver = dotted_name(func.value)
    if receiver is None:
        return
    if method == "state_dict" and not call.args:
        survey.state_dict_saves.append((call, receiver, scope))
    elif method == "load_state_dict":
        survey.state_dict_loads.append((call, receiver, scope))


def _sets_visible_devices(statement: ast.stmt, context: ExtractionContext) -> ast.AST | None:
    """The ``CUDA_VISIBLE_DEVICES`` assignment this statement makes, if any."""
    if isinstance(statement, ast.Assign):
        for target in statement.targets:
            if (
                isinstance(target, ast.Subscript)
                and context.qualify(target.value) == "os.environ"
                and isinstance(target.slice, ast.Constant)
                and target.slice.value == _VISIBLE_DEVICES
            ):
                return statement
        return None
    if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)):
        return None
    call = statement.value
    qualified = context.qualify(call.func) or ""
    if qualified in ("os.environ.setdefault", "os.putenv"):
        first = call.args[0] if call.args else None
        if isinstance(first, ast.Constant) and first.value == _VISIBLE_DEVICES:
            return statement
    if qualified == "os.environ.update":
        if any(item.arg == _VISIBLE_DEVICES for item in call.keywords):
            return statement
        first = call.args[0] if call.args else None
        if isinstance(first, ast.Dict) and any(
            isinstance(key, ast.Constant) and key.value == _VISIBLE_DEVICES for key in first.keys
        ):
            return statement
    return None


def _wrapped_state_dicts(survey: _Survey, context: ExtractionContext) -> Iterator[WrappedStateDict]:
    if not survey.wrapped or survey.strips_prefix:
        return
    saved_wrapped: list[Span] = []
    for call, receiver, scope in survey.state_dict_saves:
        wrapped = survey.wrapped.get(receiver)
        if wrapped is None or not _saved(call, scope, context):
            continue
        wrapper, conditional, line, wrap_scope = wrapped
        if wrap_scope == scope.name and line > call.lineno:
            continue  # saved before it was wrapped
        func = call.func
        assert isinstance(func, ast.Attribute)
        span = context.span(call)
        saved_wrapped.append(span)
        yield WrappedStateDict(
            "save", span, receiver, context.span(func.value), wrapper, conditional
        )
    if not saved_wrapped:
        return
    for call, receiver, _ in survey.state_dict_loads:
        if receiver in survey.wrapped:
            continue
        func = call.func
        assert isinstance(func, ast.Attribute)
        yield WrappedStateDict(
            "load", context.span(call), receiver, context.span(func.value), saved_wrapped[0]
        )


def _saved(call: ast.Call, scope: Scope, context: ExtractionContext) -> bool:
    """Whether a ``state_dict()`` call ends up in ``torch.save`` (directly or through a name)."""
    names: set[str] = set()
    for _, calls in scope.calls:
        for other in calls:
            if context.qualify(other.func) != "torch.save":
                continue
            if _contains(other, call):
                return True
            names.update(n.id for n in ast.walk(other) if isinstance(n, ast.Name))
    for statement, _ in scope.calls:
        if (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
            and statement.targets[0].id in names
            and _contains(statement.value, call)
        ):
            return True
    return False


def _contains(outer: ast.AST, inner: ast.AST) -> bool:
    """Whether ``inner`` lies within ``outer``'s source range."""
    start = (getattr(outer, "lineno", 0), getattr(outer, "col_offset", 0))
    end = (getattr(outer, "end_lineno", 0) or 0, getattr(outer, "end_col_offset", 0) or 0)
    position = (getattr(inner, "lineno", -1), getattr(inner, "col_offset", -1))
    return start <= position < end


def _placements(
    flows: list[LoopFlow],
    survey: _Survey,
    models: tuple[ModelFacts, ...],
    context: ExtractionContext,
    mentions_cuda: bool,
) -> list[BatchPlacement]:
    placements: list[BatchPlacement] = []
    for flow in flows:
        for statement, name in flow.discarded_moves:
            placements.append(
                BatchPlacement("not_in_place", name, context.span(statement), loader=flow.loader)
            )
    for statement, name in _discarded_tensor_moves(context, survey):
        placements.append(BatchPlacement("not_in_place", name, context.span(statement)))
    on_device = survey.dataset_inputs & (set(survey.moved_models) | survey.device_tensors)
    if (
        not mentions_cuda
        or survey.default_device
        or survey.moves_in_data_code
        or on_device
        or _moves_in_data_code(context)
    ):
        return placements
    for flow in flows:
        placements.extend(_loop_placements(flow, survey, context))
    placements.extend(_unmoved_models(flows, survey, models, context))
    return placements


def _loop_placements(
    flow: LoopFlow, survey: _Survey, context: ExtractionContext
) -> Iterator[BatchPlacement]:
    reported: set[str] = set()
    for record in flow.calls:
        moved = survey.moved_models.get(record.callee)
        if record.callee in survey.cpu_models:
            continue  # moved back and forth: where it is at the loop is not known
        if moved is not None:
            move_span, device, move_scope = moved
            if move_scope == flow.scope.name and move_span.line > flow.loop.lineno:
                continue  # moved only after this loop
            if move_scope != flow.scope.name and _bound_locally(flow.scope, record.callee):
                continue  # a model of the same name, built in this function
            # Only the main input: extra arguments (sequence lengths for pack_padded_sequence,
            # say) may belong on the CPU.
            for node, state in record.arguments[:1]:
                if state is None or state.moved or not isinstance(node, ast.Name):
                    continue
                if node.id in reported:
                    continue
                reported.add(node.id)
                yield BatchPlacement(
                    "batch",
                    node.id,
                    context.span(node),
                    record.callee,
                    flow.loader,
                    move_span,
                    device,
                    move_scope == flow.scope.name,
                )
            continue
        if not _is_loss(record.callee, context, record.call):
            continue
        model = _model_output_among(record, flow, survey)
        if model is None:
            continue
        move_span, device, move_scope = survey.moved_models[model]
        if move_scope != flow.scope.name and _bound_locally(flow.scope, model):
            continue
        for node, state in record.arguments:
            if state is None or state.moved or not isinstance(node, ast.Name):
                continue
            if node.id in reported:
                continue
            reported.add(node.id)
            yield BatchPlacement(
                "labels",
                node.id,
                context.span(node),
                model,
                flow.loader,
                move_span,
                device,
                move_scope == flow.scope.name,
            )


def _bound_locally(scope: Scope, name: str) -> bool:
    """Whether a function assigns ``name`` itself (a parameter is not an assignment)."""
    history = scope.assignments.get(name, [])
    return any(
        not (isinstance(value, ast.Name) and value.id == "<parameter>") for _, value in history
    )


def _is_loss(callee: str, context: ExtractionContext, call: ast.Call) -> bool:
    lowered = callee.rsplit(".", 1)[-1].lower()
    if "loss" in lowered or "criterion" in lowered:
        return True
    qualified = context.qualify(call.func) or ""
    return qualified.startswith("torch") and qualified.rsplit(".", 1)[-1] in TORCH_LOSSES


def _model_output_among(record: LoopCall, flow: LoopFlow, survey: _Survey) -> str | None:
    """The moved model whose output is one of the arguments of a loss call."""
    for node, _ in record.arguments:
        producer = flow.outputs.get(node.id) if isinstance(node, ast.Name) else _called_name(node)
        if (
            producer is not None
            and producer in survey.moved_models
            and producer not in survey.cpu_models
        ):
            return producer
    return None


def _unmoved_models(
    flows: list[LoopFlow],
    survey: _Survey,
    models: tuple[ModelFacts, ...],
    context: ExtractionContext,
) -> Iterator[BatchPlacement]:
    """Batches moved to the GPU for a model that is never moved (and nothing else is)."""
    if survey.data_parallel:
        return
    batch_moves: set[int] = set()
    for flow in flows:
        batch_moves |= flow.batch_moves
    if not batch_moves or survey.all_moves - batch_moves:
        return
    aliases = {
        alias for model in models if model.framework is Framework.TORCH for alias in model.aliases
    }
    reported: set[str] = set()
    for flow in flows:
        for record in flow.calls:
            if record.callee not in aliases or record.callee in reported:
                continue
            if not any(state is not None and state.moved for _, state in record.arguments):
                continue
            reported.add(record.callee)
            yield BatchPlacement(
                "model_not_moved",
                record.callee,
                context.span(record.call.func),
                record.callee,
                flow.loader,
            )


def _discarded_tensor_moves(
    context: ExtractionContext, survey: _Survey
) -> Iterator[tuple[ast.Expr, str]]:
    """Bare ``x.to(device)`` statements on tensors built by torch: a tensor is not moved in place."""
    if not survey.tensor_names:
        return
    for scope in context.scopes:
        for statement, calls in scope.calls:
            if not (isinstance(statement, ast.Expr) and calls and statement.value is calls[0]):
                continue
            call = calls[0]
            func = call.func
            if (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name)
                and func.value.id in survey.tensor_names
                and _move_of(call, context) == "gpu"
            ):
                yield statement, func.value.id


def _moves_in_data_code(context: ExtractionContext) -> bool:
    """Datasets, collate functions or helpers that move batches to the device themselves."""
    for scope in context.scopes:
        name = scope.name.rsplit(".", 1)[-1].lower()
        if not (
            name in ("__getitem__", "__iter__", "__next__")
            or "collate" in name
            or "device" in name
            or name.startswith(("to_", "move"))
        ):
            continue
        for call in scope.iter_calls():
            if _move_of(call, context) in ("gpu", "unknown"):
                return True
    return False


def _forward_tensors(context: ExtractionContext) -> Iterator[ForwardTensor]:
    """Tensors created by torch factories in ``forward`` without ``device=``."""
    scopes_by_node = {id(scope.node): scope for scope in context.scopes}
    for scope in context.scopes:
        for statement in scope.statements:
            if not isinstance(statement, ast.ClassDef) or not _is_torch_module(statement, context):
                continue
            for item in statement.body:
                if not isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                if item.name not in _FORWARD_METHODS:
                    continue
                method_scope = scopes_by_node.get(id(item))
                if method_scope is not None:
                    owner = f"{statement.name}.{item.name}"
                    yield from _factories_without_device(method_scope, item, owner, context)


def _is_torch_module(node: ast.ClassDef, context: ExtractionContext) -> bool:
    for base in node.bases:
        qualified = context.qualify(base) or ""
        if qualified.rsplit(".", 1)[-1] == "Module" and (
            qualified.startswith("torch") or qualified == "Module"
        ):
            return True
    return False


def _factories_without_device(
    scope: Scope,
    function: ast.FunctionDef | ast.AsyncFunctionDef,
    owner: str,
    context: ExtractionContext,
) -> Iterator[ForwardTensor]:
    parameters = [arg.arg for arg in function.args.args]
    tensor_input = function.name == "forward" and len(parameters) > 1 and parameters[0] == "self"
    input_name = parameters[1] if tensor_input else None
    moved_calls: set[int] = set()
    moved_names: set[str] = set()
    created: list[tuple[ast.Call, str, str | None]] = []
    for statement, calls in scope.calls:
        target = (
            statement.targets[0].id
            if isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
            else None
        )
        for call in calls:
            func = call.func
            if isinstance(func, ast.Attribute) and func.attr in ("to", "cuda", "type_as", "type"):
                if isinstance(func.value, ast.Call):
                    moved_calls.add(id(func.value))
                elif isinstance(func.value, ast.Name):
                    moved_names.add(func.value.id)
            qualified = context.qualify(func) or ""
            member = qualified.rsplit(".", 1)[-1]
            if member not in _FACTORIES or qualified != f"torch.{member}":
                continue
            if any(item.arg in ("device", None) for item in call.keywords):
                continue  # device= given, or hidden in **kwargs
            if member == "tensor" and not (
                call.args and isinstance(call.args[0], (ast.List, ast.Tuple, ast.ListComp))
            ):
                continue  # a 0-dim tensor mixes with CUDA tensors
            direct = target if getattr(statement, "value", None) is call else None
            created.append((call, qualified, direct))
    if not created:
        return
    indices: set[int] = set()  # a CPU index tensor may index a CUDA tensor
    for statement, _ in scope.calls:
        for node in ast.walk(statement):
            if isinstance(node, ast.Subscript):
                indices.update(id(inner) for inner in ast.walk(node.slice))
    for call, qualified, name in created:
        if id(call) in moved_calls or id(call) in indices:
            continue
        if name is not None and name in moved_names:
            continue
        yield ForwardTensor(context.span(call), qualified, owner, input_name)
