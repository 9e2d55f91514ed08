"""Step 3 for Keras / tf.keras, in the worker: one real train step per device.

The step is the model's own compiled ``train_on_batch`` on a small slice of the first batch, so
it fails exactly where ``fit`` would (shapes of the loss, a model never compiled); the weights
are restored between devices.
"""

from __future__ import annotations

import contextlib
import math
import time
from dataclasses import dataclass
from typing import Any

from dl_lsp.probe import isolation
from dl_lsp.probe.capture import KerasCapture
from dl_lsp.probe.errors import classify
from dl_lsp.probe.protocol import Observation, ShapeHints, error_observation
from dl_lsp.probe.results import DeviceCheck, ObservedLayer, ObservedModel

SMALL_BATCH = 8
_CONFIG_KEYS = (
    "units",
    "filters",
    "kernel_size",
    "strides",
    "padding",
    "activation",
    "rate",
    "pool_size",
    "return_sequences",
    "input_dim",
    "output_dim",
    "target_shape",
    "axis",
    "data_format",
    "use_bias",
    "batch_input_shape",
    "batch_shape",
)


@dataclass
class KerasBatch:
    model: Any
    x: Any
    y: Any
    line: int | None
    batch_size: int | None = None
    synthetic_shape: list[int] | None = None


def first_batch(np: Any, capture: KerasCapture) -> KerasBatch:
    """The first batch of what ``fit`` received: arrays, a tf.data.Dataset, a generator."""
    x, y = _numpy_of(capture.x), _numpy_of(capture.y)
    if y is None and x is not None and not _is_array(x) and not isinstance(x, dict):
        item = _first_item(x)
        if isinstance(item, (tuple, list)):
            x, y = item[0], item[1] if len(item) > 1 else None
        else:
            x = item
    return KerasBatch(capture.model, _small(x), _small(y), capture.line, capture.batch_size)


def _numpy_of(value: Any) -> Any:
    """pandas frames and series as arrays (they have a shape but index by label)."""
    return value.to_numpy() if hasattr(value, "iloc") and hasattr(value, "to_numpy") else value


def _first_item(source: Any) -> Any:
    if hasattr(source, "take") and hasattr(source, "element_spec"):  # tf.data.Dataset
        return next(iter(source.take(1)))
    if hasattr(source, "__getitem__") and hasattr(source, "__len__"):  # keras.utils.Sequence
        return source[0]
    return next(iter(source))


def _is_array(value: Any) -> bool:
    return hasattr(value, "shape") and hasattr(value, "dtype")


def _small(value: Any) -> Any:
    if _is_array(value):
        return value[:SMALL_BATCH] if len(value.shape) > 0 else value
    if isinstance(value, (list, tuple)):
        return type(value)(_small(item) for item in value)
    if isinstance(value, dict):
        return {key: _small(item) for key, item in value.items()}
    return value


def check_devices(
    tf: Any, np: Any, batch: KerasBatch, devices: list[str], path: str
) -> tuple[list[DeviceCheck], list[Observation]]:
    checks: list[DeviceCheck] = []
    observations: list[Observation] = []
    model = batch.model
    try:
        weights = model.get_weights()
    except Exception:
        weights = None
    for device in devices:
        check, found = _check_one(tf, np, batch, device, path)
        checks.append(check)
        observations += found
        if weights is not None:
            with contextlib.suppress(Exception):
                model.set_weights(weights)
        if any(o.code in ("PRB701", "PRB702", "PRB706") for o in found):
            break
    return checks, observations


def _tf_device(device: str) -> str:
    return "/CPU:0" if device == "cpu" else "/GPU:" + device.split(":")[-1]


def _check_one(
    tf: Any, np: Any, batch: KerasBatch, device: str, path: str
) -> tuple[DeviceCheck, list[Observation]]:
    model = batch.model
    size = _batch_size(batch.x)
    try:
        with tf.device(_tf_device(device)):
            if hasattr(model, "make_train_function"):
                model.make_train_function(force=True)
            _reset_peak(tf, device)  # the peak covers both steps (tracing included)
            before = isolation.resident_memory_bytes() or 0
            started = time.perf_counter()
            first_loss = _loss_of(model.train_on_batch(batch.x, batch.y))
            first_ms = (time.perf_counter() - started) * 1000
            weights_ok = _finite_weights(np, model)
            started = time.perf_counter()
            model.train_on_batch(batch.x, batch.y)
            step_ms = (time.perf_counter() - started) * 1000
            peak, kind = _peak(tf, device, before)
    except Exception as error:
        problem = classify(error, path)
        if problem.line is None:
            problem = type(problem)(problem.kind, problem.type, problem.message, batch.line)
        observation = error_observation(problem, device, synthetic_shape=batch.synthetic_shape)
        if observation is None:
            observation = Observation(
                "PRB706", "error", {"error": problem.summary}, problem.line, device
            )
        return DeviceCheck(device, "failed", batch_size=size, note=problem.summary), [observation]
    found: list[Observation] = []
    if first_loss is not None and not math.isfinite(first_loss):
        key = "inputs" if _nonfinite_input(np, batch.x) else "loss"
        value = "NaN" if math.isnan(first_loss) else "Inf"
        found.append(
            Observation("PRB704", key, {"value": value, "device": device}, batch.line, device)
        )
    elif weights_ok is not None:
        found.append(
            Observation(
                "PRB705",
                "gradients",
                {"device": device, "count": weights_ok[0], "parameter": weights_ok[1]},
                batch.line,
                device,
            )
        )
    check = DeviceCheck(
        device,
        "ok",
        batch_size=size,
        first_step_ms=round(first_ms, 3),
        step_ms=round(step_ms, 3),
        peak_memory_bytes=peak,
        memory_kind=kind,
        loss=first_loss if first_loss is not None and math.isfinite(first_loss) else None,
        note="first step includes tracing the train function",
    )
    return check, found


def _loss_of(value: Any) -> float | None:
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("loss")
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _finite_weights(np: Any, model: Any) -> tuple[int, str] | None:
    """(count, first name) of weights that became NaN/Inf after one step, None when all finite."""
    bad = []
    for weight in model.trainable_weights:
        try:
            values = np.asarray(weight)
        except Exception:
            continue
        if values.dtype.kind == "f" and not np.isfinite(values).all():
            bad.append(getattr(weight, "path", None) or getattr(weight, "name", "?"))
    return (len(bad), str(bad[0])) if bad else None


def _nonfinite_input(np: Any, x: Any) -> bool:
    try:
        values = np.asarray(x)
        return values.dtype.kind == "f" and not np.isfinite(values).all()
    except Exception:
        return False


def _batch_size(x: Any) -> int | None:
    value = x
    while isinstance(value, (list, tuple)) and value:
        value = value[0]
    if isinstance(value, dict) and value:
        value = next(iter(value.values()))
    shape = getattr(value, "shape", None)
    try:
        return int(shape[0]) if shape is not None and len(shape) else None
    except (TypeError, ValueError):
        return None


def _reset_peak(tf: Any, device: str) -> None:
    if device.startswith("cuda"):
        with contextlib.suppress(Exception):
            tf.config.experimental.reset_memory_stats(_tf_device(device)[1:])
    else:
        isolation.reset_peak_resident_memory()


def _peak(tf: Any, device: str, before: int) -> tuple[int | None, str]:
    if device.startswith("cuda"):
        try:
            info = tf.config.experimental.get_memory_info(_tf_device(device)[1:])
            return int(info["peak"]), "tf-allocator"
        except Exception:
            return None, "tf-allocator"
    peak = isolation.peak_resident_memory_bytes()
    return (max(0, peak - before) if peak is not None else None), "rss-growth"


# -- the model as Keras built it -------------------------------------------------------------


def observed_model(
    batch: KerasBatch, variable: str | None, defined_at: dict[int, int] | None = None
) -> ObservedModel:
    model = batch.model
    layers = []
    for layer in getattr(model, "layers", ()):
        try:
            config = layer.get_config()
        except Exception:
            config = {}
        layers.append(
            ObservedLayer(
                name=layer.name,
                type=type(layer).__name__,
                config={key: _json(config[key]) for key in _CONFIG_KEYS if key in config},
                output_shape=_shape(lambda layer=layer: layer.output.shape),
                parameters=_count(layer),
                line=(defined_at or {}).get(id(layer)),
            )
        )
    optimizer = getattr(model, "optimizer", None)
    lr = None
    try:
        lr = float(optimizer.learning_rate) if optimizer is not None else None
    except (TypeError, ValueError, AttributeError):
        lr = None
    loss = getattr(model, "loss", None)
    x = batch.x[0] if isinstance(batch.x, (list, tuple)) and batch.x else batch.x
    y = batch.y[0] if isinstance(batch.y, (list, tuple)) and batch.y else batch.y
    return ObservedModel(
        framework="keras",
        variable=variable,
        type=type(model).__name__,
        line=batch.line,
        parameters=_count(model),
        layers=tuple(layers),
        loss=loss if isinstance(loss, str) else (type(loss).__name__ if loss is not None else None),
        optimizer=type(optimizer).__name__ if optimizer is not None else None,
        learning_rate=lr,
        batch_shape=_shape(lambda: x.shape),
        batch_dtype=str(getattr(x, "dtype", "")) or None,
        label_shape=_shape(lambda: y.shape),
        label_dtype=str(getattr(y, "dtype", "")) or None if y is not None else None,
        synthetic=batch.synthetic_shape is not None,
    )


def _json(value: Any) -> Any:
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    return str(value)


def _shape(read: Any) -> list[int | None] | None:
    try:
        return [None if d is None else int(d) for d in read()]
    except Exception:
        return None


def _count(layer: Any) -> int:
    try:
        return int(layer.count_params())
    except Exception:
        return 0


# -- a synthetic batch -----------------------------------------------------------------------


def synthetic_batch(np: Any, model: Any, hints: ShapeHints, line: int | None) -> KerasBatch | None:
    """Random inputs of the model's input shape and labels that fit its loss and output."""
    shape = _shape(lambda: model.input_shape)
    if shape is None or any(d is None for d in shape[1:]):
        known = hints.input_shape
        if not known or any(d is None for d in known):
            return None
        shape = [None, *known]
    n = 4
    x = np.random.rand(n, *shape[1:]).astype("float32")
    output = _shape(lambda: model.output_shape) or [None, 1]
    units = output[-1] or hints.num_classes or 1
    loss = str(getattr(model, "loss", "") or "").lower()
    if "sparse" in loss:
        y = np.random.randint(0, units, size=(n,))
    elif "categorical" in loss:
        y = np.eye(units, dtype="float32")[np.random.randint(0, units, size=(n,))]
    elif "binary" in loss:
        y = np.random.randint(0, 2, size=(n, *[d or 1 for d in output[1:]])).astype("float32")
    else:
        y = np.random.rand(n, *[d or 1 for d in output[1:]]).astype("float32")
    return KerasBatch(model, x, y, line, None, [n, *(d or 1 for d in shape[1:])])
