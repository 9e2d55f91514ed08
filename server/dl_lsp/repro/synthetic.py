"""Python source for synthetic stand-ins: arrays and tensors of a given shape, labels, frames."""

from __future__ import annotations

from collections.abc import Sequence

from dl_lsp.repro.inference import InputSpec, Labels, TargetSpec


def _dims(samples: int, shape: Sequence[int]) -> str:
    dims = (samples, *shape)
    return "(" + ", ".join(map(str, dims)) + ("," if len(dims) == 1 else "") + ")"


def numpy_inputs(spec: InputSpec, samples: int) -> str:
    dims = _dims(samples, spec.shape)
    if spec.integer:
        return f"np.random.randint(0, {spec.high}, {dims})"
    if spec.high > 1:
        return f'np.random.randint(0, {spec.high}, {dims}).astype("float32")'
    return f'np.random.rand{dims}.astype("float32")'


def torch_inputs(spec: InputSpec, samples: int) -> str:
    dims = _dims(samples, spec.shape)
    if spec.integer:
        return f"torch.randint(0, {spec.high}, {dims})"
    if spec.high > 1:
        return f"torch.randint(0, {spec.high}, {dims}).float()"
    return f"torch.rand{dims}"


def numpy_targets(target: TargetSpec, samples: int) -> str:
    width = target.width
    if target.labels is Labels.INDEX:
        return f"np.random.randint(0, {width}, ({samples},))"
    if target.labels is Labels.ONE_HOT:
        return f'np.eye({width}, dtype="float32")[np.random.randint(0, {width}, {samples})]'
    if target.labels is Labels.BINARY:
        return f'np.random.randint(0, 2, ({samples}, {width})).astype("float32")'
    return f'np.random.rand({samples}, {width}).astype("float32")'


def torch_targets(target: TargetSpec, samples: int) -> str:
    width = target.width
    if target.labels is Labels.INDEX:
        return f"torch.randint(0, {width}, ({samples},))"
    if target.labels is Labels.ONE_HOT:
        return f"torch.eye({width})[torch.randint(0, {width}, ({samples},))]"
    if target.labels is Labels.BINARY:
        return f"torch.randint(0, 2, ({samples}, {width})).float()"
    return f"torch.rand({samples}, {width})"


def numpy_table(features: int, label_classes: int | None, rows: int) -> str:
    """A numeric table: ``features`` float columns, then an integer label column if asked."""
    if label_classes is None:
        return f"np.random.rand({rows}, {features})"
    return (
        f"np.column_stack([np.random.rand({rows}, {features}), "
        f"np.random.randint(0, {label_classes}, {rows})])"
    )


def frame(
    columns: Sequence[str], label: str | None, label_classes: int, rows: int, unnamed: int
) -> str:
    """A pandas DataFrame with named float columns (the label column holds class indices)."""
    if not columns:
        table = numpy_table(max(unnamed - (1 if label_classes else 0), 1), label_classes, rows)
        return f"pd.DataFrame({table})"
    parts = []
    for column in columns:
        if column == label:
            parts.append(f"{column!r}: np.random.randint(0, {label_classes}, {rows})")
        else:
            parts.append(f"{column!r}: np.random.rand({rows})")
    return "pd.DataFrame({" + ", ".join(parts) + "})"
