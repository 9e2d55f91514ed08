"""The probe's worker process: ``python -m dl_lsp.probe.worker --channel FD``.

Reads a ``ProbeRequest`` (JSON) on stdin, isolates itself, imports the frameworks the file uses,
runs the file up to its first training step with the entry points intercepted, checks one step
per device and reports events on the channel descriptor. Only this process imports torch or
tensorflow; the user's prints go to stdout/stderr, which the parent drains and truncates.
"""

from __future__ import annotations
import __future__

import argparse
import ast
import contextlib
import faulthandler
import importlib
import os
import re
import signal
import sys
import time
import types
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from dl_lsp.probe import isolation
from dl_lsp.probe.capture import Capture, Placement, TrainingStepReached
from dl_lsp.probe.errors import ScriptError, classify
from dl_lsp.probe.fingerprint import fingerprint
from dl_lsp.probe.protocol import (
    Channel,
    Observation,
    ProbeRequest,
    error_observation,
    request_from_json,
)
from dl_lsp.probe.results import DeviceCheck, Isolation

STACK_FILE = "stack.txt"
_FRAMEWORK_MODULES = {"torch": "torch", "tensorflow": "tensorflow", "keras": "keras"}
_NAME_ERROR = re.compile(r"name '(?P<name>[^']+)' is not defined")


@dataclass
class RunOutcome:
    """How one run of the user's module ended."""

    kind: str  # 'captured', 'finished', 'exited', 'error'
    namespace: dict[str, Any]
    error: ScriptError | None = None
    exit_line: int | None = None
    exit_code: str = ""
    missing_data: list[ScriptError] = field(default_factory=list)


class Worker:
    def __init__(self, request: ProbeRequest, channel: Channel) -> None:
        self.request = request
        self.channel = channel
        self.path = os.path.realpath(request.path)
        self.modules: dict[str, Any] = {}
        self.observations: list[Observation] = []
        self.cuda_devices: list[str] = []

    # -- the steps ------------------------------------------------------------------------

    def run(self) -> None:
        isolated = self._isolate()
        import_seconds = self._import_frameworks()
        environment = fingerprint(self.modules, import_seconds=import_seconds)
        self.cuda_devices = [d.name for d in environment.devices if d.kind == "cuda"]
        memory = "rss"
        if not self.cuda_devices and isolation.limit_address_space(self.request.memory_bytes):
            memory = "rlimit-as+rss"
        self.channel.send("isolation", data=asdict(replace(isolated, memory=memory)))
        self.channel.send("environment", data=asdict(environment))
        self.channel.send("phase", phase="run")
        capture = Capture(self.path, self.modules, device_of=lambda t: str(t.device))
        outcome = self._run_module(capture)
        self.channel.send("seeds", data=[asdict(s) for s in capture.seeds])
        self._report_placements(capture.placements, simulated=False)
        devices = self._devices()
        checked = self._after_run(outcome, capture, devices)
        if "torch" in self.modules and self._wants_cuda() and not self.cuda_devices:
            self._simulated_cuda_pass()
        elif self._wants_cuda() and not self.cuda_devices:
            self.note("no CUDA device on this machine: GPU placement was checked statically only")
        for observation in self.observations:
            self.channel.send("finding", data=asdict(observation))
        self.channel.send("done", checked=checked)

    def note(self, text: str) -> None:
        self.channel.send("note", text=text)

    def _isolate(self) -> Isolation:
        network = isolation.isolate_network() if self.request.isolate_network else "none"
        isolation.limit_cpu_and_files(self.request.cpu_seconds)
        stack = open(STACK_FILE, "w")  # noqa: SIM115 - open for the life of the process
        if hasattr(signal, "SIGUSR1"):
            faulthandler.register(signal.SIGUSR1, file=stack, all_threads=False)
        return Isolation(
            network=network, cpu_seconds=self.request.cpu_seconds, working_directory=os.getcwd()
        )

    def _import_frameworks(self) -> dict[str, float]:
        seconds: dict[str, float] = {}
        for name in self.request.frameworks:
            module_name = _FRAMEWORK_MODULES.get(name)
            if module_name is None:
                continue
            started = time.perf_counter()
            try:
                self.modules[name] = importlib.import_module(module_name)
            except Exception as error:  # the script's own import will say it again
                self.note(f"importing {module_name} failed: {type(error).__name__}: {error}")
                continue
            seconds[name] = round(time.perf_counter() - started, 3)
        if "keras" not in self.modules and "tensorflow" in self.modules:
            with contextlib.suppress(Exception):
                self.modules["keras"] = importlib.import_module("keras")
        if "numpy" not in self.modules:
            with contextlib.suppress(Exception):
                self.modules["numpy"] = importlib.import_module("numpy")
        return seconds

    def _wants_cuda(self) -> bool:
        return self.request.device in ("cuda", "all")

    def _devices(self) -> list[str]:
        cuda = self.cuda_devices[:1]
        wanted = {"cpu": ["cpu"], "cuda": cuda, "all": ["cpu", *cuda]}[self.request.device]
        return wanted or ["cpu"]

    # -- running the user's module --------------------------------------------------------

    def _run_module(self, capture: Capture) -> RunOutcome:
        text, path = self.request.text, self.path
        module = types.ModuleType("__main__")
        module.__file__ = path
        namespace = module.__dict__
        try:
            tree = ast.parse(text, filename=path)
        except SyntaxError as error:
            problem = ScriptError("other", "SyntaxError", str(error.msg), error.lineno)
            return RunOutcome("error", namespace, problem)
        flags = _future_flags(tree)
        saved_main, saved_argv = sys.modules.get("__main__"), sys.argv
        sys.modules["__main__"] = module
        sys.argv = [path]
        folder = os.path.dirname(path)
        if folder not in sys.path:
            sys.path.insert(0, folder)
        skipped: set[str] = set()
        missing: list[ScriptError] = []
        capture.install()
        try:
            for statement in tree.body:
                code = compile(
                    ast.Module([statement], []), path, "exec", flags=flags, dont_inherit=True
                )
                try:
                    exec(code, namespace)
                except TrainingStepReached:
                    return RunOutcome("captured", namespace, missing_data=missing)
                except SystemExit as exit_request:
                    line = _exit_line(exit_request, path) or statement.lineno
                    return RunOutcome(
                        "exited",
                        namespace,
                        exit_line=line,
                        exit_code=repr(exit_request.code),
                        missing_data=missing,
                    )
                except KeyboardInterrupt as error:
                    return RunOutcome(
                        "error", namespace, classify(error, path), missing_data=missing
                    )
                except Exception as error:
                    problem = classify(error, path)
                    if problem.kind == "missing-data":
                        missing.append(problem)
                        skipped.update(_bound_names(statement))
                        continue
                    name = _NAME_ERROR.search(str(error)) if isinstance(error, NameError) else None
                    if name and name.group("name") in skipped:
                        skipped.update(_bound_names(statement))
                        continue
                    return RunOutcome("error", namespace, problem, missing_data=missing)
        finally:
            capture.uninstall()
            sys.modules["__main__"] = saved_main  # type: ignore[assignment]
            sys.argv = saved_argv
        return RunOutcome("finished", namespace, missing_data=missing)

    # -- after the run: findings and the per-device check ---------------------------------

    def _after_run(self, outcome: RunOutcome, capture: Capture, devices: list[str]) -> bool:
        for problem in outcome.missing_data[:1]:
            self.observations.append(
                Observation(
                    "PRB709", "missing_data_unchecked", {"error": problem.summary}, problem.line
                )
            )
        if outcome.kind == "error" and outcome.error is not None:
            observation = error_observation(outcome.error, _script_device(capture))
            if outcome.error.kind == "device" and capture.placements:
                observation = None  # the placement check said it first, and more precisely
            # A shape error belongs to the layer that declares the size; a dtype error to the
            # tensor that reaches it (the call line).
            layer = capture.failing_layer() if outcome.error.kind == "shape" else None
            if observation is not None and layer is not None and layer[1] != outcome.error.line:
                values = {**observation.values, "layer": layer[0], "call_line": outcome.error.line}
                observation = replace(observation, key="layer", values=values, line=layer[1])
            if observation is None and outcome.error.kind != "device":
                observation = Observation(
                    "PRB706", "error", {"error": outcome.error.summary}, outcome.error.line
                )
            if observation is not None:
                self.observations.append(observation)
            if outcome.error.kind in ("shape", "dtype", "device", "memory"):
                return False
        if outcome.kind == "exited":
            self.observations.append(
                Observation(
                    "PRB709",
                    "exited",
                    {"error": f"sys.exit({outcome.exit_code})"},
                    outcome.exit_line,
                )
            )
        if capture.keras is not None:
            return self._check_keras(capture, devices)
        if capture.session is not None:
            return self._check_session(capture)
        if capture.torch.calls:
            return self._check_torch(capture, devices, outcome)
        return self._check_synthetic(outcome, devices)

    def _check_torch(self, capture: Capture, devices: list[str], outcome: RunOutcome) -> bool:
        from dl_lsp.probe import torch_check

        torch = self.modules["torch"]
        batch = torch_check.batch_from_capture(capture.torch)
        if batch is None:
            return False
        self._own_step_findings(torch, capture)
        if outcome.kind == "error":
            return False
        checks, found, record = torch_check.check_devices(torch, batch, devices, self.path)
        self.observations += found
        call = capture.torch.model_call()
        model = torch_check.observed_model(
            torch, batch, capture.torch, record, call.variable if call else None
        )
        self._send_checks(checks)
        self.channel.send("model", data=asdict(model))
        return True

    def _own_step_findings(self, torch: Any, capture: Capture) -> None:
        """The script's own first loss and gradients (on the device the script chose)."""
        import math

        for value, line, tensor in capture.torch.losses[:1]:
            if not math.isfinite(value):
                shown = "NaN" if math.isnan(value) else "Inf"
                self.observations.append(
                    Observation(
                        "PRB704", "loss", {"value": shown, "device": str(tensor.device)}, line
                    )
                )
                return
        optimizer = capture.torch.optimizer
        if optimizer is None or not capture.torch.losses:
            return
        names = {
            id(p): n for call in capture.torch.calls for n, p in call.module.named_parameters()
        }
        bad = [
            names.get(id(p), "?")
            for group in optimizer.param_groups
            for p in group["params"]
            if p.grad is not None and not bool(torch.isfinite(p.grad).all())
        ]
        if bad:
            self.observations.append(
                Observation(
                    "PRB705",
                    "gradients",
                    {"device": "the script's device", "count": len(bad), "parameter": bad[0]},
                    capture.torch.step_line,
                )
            )

    def _check_keras(self, capture: Capture, devices: list[str]) -> bool:
        from dl_lsp.probe import keras_check

        keras_capture = capture.keras
        assert keras_capture is not None
        tf = self.modules.get("tensorflow")
        np = self.modules["numpy"]
        batch = keras_check.first_batch(np, keras_capture)
        if tf is None:
            tf = importlib.import_module("tensorflow")
        checks, found = keras_check.check_devices(tf, np, batch, devices, self.path)
        self.observations += found
        self._send_checks(checks)
        self.channel.send(
            "model",
            data=asdict(
                keras_check.observed_model(batch, keras_capture.variable, capture.defined_at)
            ),
        )
        return True

    def _check_session(self, capture: Capture) -> bool:
        import math

        session = capture.session
        assert session is not None
        np = self.modules["numpy"]
        for name, value in session.values:
            array = np.asarray(value)
            if array.dtype.kind == "f" and array.size == 1 and not math.isfinite(float(array)):
                shown = "NaN" if math.isnan(float(array)) else "Inf"
                self.observations.append(
                    Observation(
                        "PRB704",
                        "loss",
                        {"value": f"{shown} ({name})", "device": "the session's device"},
                        session.line,
                    )
                )
        self._send_checks(
            [
                DeviceCheck(
                    "session",
                    "ok",
                    first_step_ms=round(session.seconds * 1000, 3),
                    note="TF1 Session.run of the train op, once, with the script's feed",
                )
            ]
        )
        return True

    def _check_synthetic(self, outcome: RunOutcome, devices: list[str]) -> bool:
        """No training step was seen: the model found in the script, with a synthetic batch."""
        checked = None
        if "keras" in self.modules:
            checked = self._synthetic_keras(outcome.namespace, devices)
        if "torch" in self.modules and checked is None:
            checked = self._synthetic_torch(outcome.namespace, devices)
        if outcome.kind == "finished" and not outcome.missing_data:
            said = checked or "no model was found to check"
            self.observations.append(Observation("PRB709", "no_step", {"checked": said}, None))
        return checked is not None

    def _synthetic_keras(self, namespace: dict[str, Any], devices: list[str]) -> str | None:
        from dl_lsp.probe import keras_check

        np = self.modules["numpy"]
        model = _find_keras_model(self.modules["keras"], namespace)
        if model is None:
            return None
        batch = keras_check.synthetic_batch(np, model, self.request.hints, None)
        if batch is None:
            return None
        tf = self.modules.get("tensorflow") or importlib.import_module("tensorflow")
        checks, found = keras_check.check_devices(tf, np, batch, devices, self.path)
        variable = next((k for k, v in namespace.items() if v is model), None)
        observed = keras_check.observed_model(batch, variable)
        return self._synthetic_done(
            checks, found, asdict(observed), variable or observed.type, batch.synthetic_shape
        )

    def _synthetic_torch(self, namespace: dict[str, Any], devices: list[str]) -> str | None:
        from dl_lsp.probe import torch_check

        torch = self.modules["torch"]
        model, variable = _find_torch_model(torch, namespace)
        if model is None:
            return None
        batch = torch_check.synthetic_batch(torch, model, self.request.hints)
        if batch is None:
            return None
        checks, found, record = torch_check.check_devices(torch, batch, devices, self.path)
        observed = torch_check.observed_model(torch, batch, None, record, variable)
        return self._synthetic_done(
            checks, found, asdict(observed), variable or observed.type, batch.synthetic_shape
        )

    def _synthetic_done(
        self,
        checks: list[DeviceCheck],
        found: list[Observation],
        model: dict[str, Any],
        name: str,
        shape: list[int] | None,
    ) -> str:
        self.observations += found
        self._send_checks(checks)
        model.update(synthetic=True, synthetic_reason="no training step was reached")
        self.channel.send("model", data=model)
        self._fill_shape(shape)
        return (
            f"the model '{name}' was checked with a synthetic batch of shape {tuple(shape or ())}"
        )

    def _fill_shape(self, shape: list[int] | None) -> None:
        for index, observation in enumerate(self.observations):
            if observation.code == "PRB709" and observation.key == "missing_data_unchecked":
                values = {**observation.values, "shape": str(tuple(shape or ()))}
                self.observations[index] = replace(observation, key="missing_data", values=values)

    def _send_checks(self, checks: list[DeviceCheck]) -> None:
        for check in checks:
            self.channel.send("check", data=asdict(check))

    def _report_placements(self, placements: list[Placement], *, simulated: bool) -> None:
        suffix = " (simulated CUDA device: this crashes on a GPU machine)" if simulated else ""
        seen: set[tuple[str, int | None]] = set()
        for placement in placements:
            if (placement.key, placement.line) in seen:
                continue
            seen.add((placement.key, placement.line))
            self.observations.append(
                Observation(
                    "PRB703",
                    placement.key,
                    {**placement.values, "simulated": suffix},
                    placement.line,
                    "cuda:0" if simulated else None,
                    simulated,
                )
            )

    def _simulated_cuda_pass(self) -> None:
        from dl_lsp.probe.simulated_cuda import SimulatedCuda, simulated_device_of

        torch = self.modules["torch"]
        self.channel.send("phase", phase="simulated-cuda")
        capture = Capture(self.path, self.modules, device_of=simulated_device_of)
        simulation = SimulatedCuda(torch, self.path, lambda: capture.placements)
        simulation.install()
        try:
            outcome = self._run_module(capture)
        finally:
            simulation.uninstall()
        placements = capture.placements + simulation.placements
        self._report_placements(placements, simulated=True)
        problem = outcome.error if outcome.kind == "error" else None
        if problem is not None and problem.kind == "device":
            observation = error_observation(problem, "cuda:0 (simulated)", simulated=True)
            if observation is not None:
                self.observations.append(observation)
        state = (
            "no placement problem" if not placements else f"{len(placements)} placement problem(s)"
        )
        reached = (
            "reached the first training step"
            if outcome.kind == "captured"
            else f"ended ({outcome.kind})"
        )
        self.note(
            f"no CUDA device on this machine: the script ran a second time on a simulated CUDA device (torch), {reached}, {state}"
        )
        self.channel.send(
            "check",
            data=asdict(
                DeviceCheck(
                    "cuda:0",
                    "ok" if not placements else "failed",
                    simulated=True,
                    note="placement only: tensors stayed on the CPU and carried the device they were sent to",
                )
            ),
        )


def _script_device(capture: Capture) -> str | None:
    """The device of the model the script called, when it called one."""
    call = capture.torch.model_call()
    parameter = next(iter(call.module.parameters()), None) if call is not None else None
    return str(parameter.device) if parameter is not None else None


def _future_flags(tree: ast.Module) -> int:
    flags = 0
    for statement in tree.body:
        if isinstance(statement, ast.ImportFrom) and statement.module == "__future__":
            for alias in statement.names:
                feature = getattr(__future__, alias.name, None)
                if feature is not None:
                    flags |= feature.compiler_flag
    return flags


def _bound_names(statement: ast.stmt) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(statement):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
    return names


def _exit_line(error: BaseException, path: str) -> int | None:
    from dl_lsp.probe.errors import user_line

    return user_line(error.__traceback__, path)


def _find_keras_model(keras: Any, namespace: dict[str, Any]) -> Any:
    models = [value for value in namespace.values() if isinstance(value, keras.Model)]
    return max(models, key=lambda m: len(getattr(m, "layers", ())), default=None)


def _find_torch_model(torch: Any, namespace: dict[str, Any]) -> tuple[Any, str | None]:
    """The largest module instance of the script, else an instance of a class it defines."""
    module_type, loss_type = torch.nn.Module, torch.nn.modules.loss._Loss
    instances = [
        (name, value)
        for name, value in namespace.items()
        if isinstance(value, module_type) and not isinstance(value, loss_type)
    ]
    if instances:
        name, model = max(instances, key=lambda item: sum(p.numel() for p in item[1].parameters()))
        return model, name
    for value in namespace.values():
        if (
            isinstance(value, type)
            and issubclass(value, module_type)
            and not issubclass(value, loss_type)
            and value.__module__ == "__main__"
        ):
            try:
                return value(), None
            except Exception:
                continue
    return None, None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="dl_lsp.probe.worker")
    parser.add_argument("--channel", type=int, required=True)
    args = parser.parse_args(argv)
    channel = Channel(args.channel)
    request = request_from_json(sys.stdin.read())
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)  # input() in the script sees end-of-file, never the parent's pipe
    try:
        Worker(request, channel).run()
    except BaseException as error:  # report, then leave without running the script's atexit
        import traceback

        where = "".join(traceback.format_exception(error)[-3:]).strip()
        channel.send("crash", error=f"{type(error).__name__}: {error}", traceback=where)
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(0)


if __name__ == "__main__":
    main()
