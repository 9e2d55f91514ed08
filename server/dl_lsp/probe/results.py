"""The probe's results as typed data, with their JSON form (the CLI and the server share it)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Status = Literal["ok", "failed", "timeout"]
STATUSES: tuple[Status, ...] = ("ok", "failed", "timeout")


@dataclass(frozen=True)
class DeviceInfo:
    """One device the worker can use: ``cpu`` or ``cuda:N``."""

    name: str  # 'cpu', 'cuda:0'
    kind: str  # 'cpu' or 'cuda'
    description: str = ""  # 'NVIDIA H100 80GB HBM3', the CPU model
    memory_bytes: int | None = None
    capability: str | None = None  # CUDA compute capability, '9.0'


@dataclass(frozen=True)
class SeedCall:
    """A seed the script set before its first training step."""

    function: str  # 'torch.manual_seed'
    value: str
    line: int | None


@dataclass(frozen=True)
class Environment:
    """Step 1: the dlRepro "Logs" information about where the script runs."""

    python: str = ""
    platform: str = ""
    frameworks: dict[str, str] = field(default_factory=dict)  # name → version
    cuda: str | None = None  # the CUDA version the framework was built with
    cudnn: str | None = None
    devices: tuple[DeviceInfo, ...] = ()
    variables: dict[str, str] = field(default_factory=dict)  # CUDA_VISIBLE_DEVICES, ...
    seeds: tuple[SeedCall, ...] = ()
    import_seconds: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class ProbeFinding:
    """A problem the probe saw happen, on a line of the user's file (1-based; 0 = no line)."""

    code: str
    name: str
    bug_type: str
    severity: str
    line: int
    message: str
    column: int = 0
    end_column: int | None = None  # None: to the end of the line
    device: str | None = None
    simulated: bool = False  # seen on the simulated CUDA device (a CPU-only machine)


@dataclass(frozen=True)
class DeviceCheck:
    """Step 3 on one device: one forward and one backward step on a small batch."""

    device: str  # 'cpu', 'cuda:0'
    status: str  # 'ok', 'failed', 'skipped'
    simulated: bool = False
    batch_size: int | None = None
    first_step_ms: float | None = None  # includes one-time costs (kernel selection, tracing)
    step_ms: float | None = None  # a second, warm step
    peak_memory_bytes: int | None = None  # device memory (CUDA) or process RSS growth (CPU)
    memory_kind: str | None = None  # 'cuda-allocator', 'rss-growth'
    # Weights, their gradients and every layer's output for the small batch (torch): what one
    # step needs at least, whatever the allocator keeps cached.
    tensor_bytes: int | None = None
    loss: float | None = None
    note: str = ""


@dataclass(frozen=True)
class ObservedLayer:
    """A layer as the framework built it (``get_config()``, ``named_modules()``)."""

    name: str  # the module path ('features.0') or the Keras layer name
    type: str  # 'Linear', 'Conv2d', 'Dense', ...
    config: dict[str, Any] = field(default_factory=dict)  # JSON values only
    input_shape: list[int | None] | None = None
    output_shape: list[int | None] | None = None
    parameters: int = 0
    line: int | None = None  # where the user's file constructs it, when the probe saw it


@dataclass(frozen=True)
class ObservedModel:
    """The captured model, loss, optimizer and first batch (step 2)."""

    framework: str  # 'torch' or 'keras'
    variable: str | None  # the name the script gave it, when found
    type: str  # the model's class
    line: int | None  # where the capture happened (the fit call, the optimizer step)
    parameters: int = 0
    layers: tuple[ObservedLayer, ...] = ()
    loss: str | None = None
    optimizer: str | None = None
    learning_rate: float | None = None
    batch_shape: list[int | None] | None = None
    batch_dtype: str | None = None
    label_shape: list[int | None] | None = None
    label_dtype: str | None = None
    synthetic: bool = False  # the batch was made from inferred shapes (edit action A1)
    synthetic_reason: str = ""


@dataclass(frozen=True)
class Isolation:
    """What the worker could isolate on this platform (the README's table, per run)."""

    network: str = "none"  # 'namespace' (no network at all), 'socket-guard', 'none'
    memory: str = "none"  # 'rlimit-as+rss', 'rss', 'none'
    cpu_seconds: int | None = None
    working_directory: str = ""
    process_group: bool = True


@dataclass(frozen=True)
class ProbeResult:
    """Everything the probe learned about one file."""

    status: Status
    file: str
    environment: Environment = field(default_factory=Environment)
    model: ObservedModel | None = None
    checks: tuple[DeviceCheck, ...] = ()
    findings: tuple[ProbeFinding, ...] = ()
    notes: tuple[str, ...] = ()
    isolation: Isolation = field(default_factory=Isolation)
    output_tail: str = ""
    output_bytes: int = 0
    peak_rss_bytes: int = 0  # the worker and its children, as the parent saw it
    seconds: float = 0.0
    error: str | None = None  # why the probe itself could not finish (not the script's bug)

    def to_json(self) -> dict[str, Any]:
        """The JSON object of the contract (``status``, ``environment``, ``findings``, ...)."""
        return asdict(self)


def result_from_json(data: dict[str, Any]) -> ProbeResult:
    """The inverse of ``ProbeResult.to_json`` (used by tests and by clients of the CLI)."""
    environment = dict(data.get("environment") or {})
    environment["devices"] = tuple(DeviceInfo(**d) for d in environment.get("devices", ()))
    environment["seeds"] = tuple(SeedCall(**s) for s in environment.get("seeds", ()))
    model = data.get("model")
    if model is not None:
        model = dict(model)
        model["layers"] = tuple(ObservedLayer(**layer) for layer in model.get("layers", ()))
        model = ObservedModel(**model)
    return ProbeResult(
        status=data["status"],
        file=data["file"],
        environment=Environment(**environment),
        model=model,
        checks=tuple(DeviceCheck(**c) for c in data.get("checks", ())),
        findings=tuple(ProbeFinding(**f) for f in data.get("findings", ())),
        notes=tuple(data.get("notes", ())),
        isolation=Isolation(**(data.get("isolation") or {})),
        output_tail=data.get("output_tail", ""),
        output_bytes=data.get("output_bytes", 0),
        peak_rss_bytes=data.get("peak_rss_bytes", 0),
        seconds=data.get("seconds", 0.0),
        error=data.get("error"),
    )
