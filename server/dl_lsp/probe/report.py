"""The probe's result for people: plain text for the terminal, Markdown for the editor."""

from __future__ import annotations

from dl_lsp.probe.results import DeviceCheck, ProbeResult

_STATUS_WORDS = {
    "ok": "ok — nothing failed",
    "failed": "failed",
    "timeout": "timeout — the script did not reach its first training step in time",
}


def format_bytes(value: int | None) -> str:
    if value is None:
        return "-"
    size = float(value)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GiB"


def _milliseconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} ms"


def _device_label(check: DeviceCheck) -> str:
    return f"{check.device} (simulated)" if check.simulated else check.device


def render_text(result: ProbeResult) -> str:
    """The result as terminal text: findings as ``path:line: CODE message``, then the figures."""
    lines = [
        f"probe {result.file}: {_STATUS_WORDS.get(result.status, result.status)}"
        f" in {result.seconds:.1f} s"
    ]
    if result.error:
        lines.append(f"  error: {result.error}")
    for finding in result.findings:
        where = f"{result.file}:{finding.line}" if finding.line else result.file
        lines.append(f"{where}: {finding.code} {finding.message}")
    environment = result.environment
    if environment.python:
        frameworks = ", ".join(f"{k} {v}" for k, v in sorted(environment.frameworks.items()))
        lines.append(f"environment: Python {environment.python}; {frameworks or 'no frameworks'}")
        cuda = f"CUDA {environment.cuda}" if environment.cuda else "no CUDA build"
        cudnn = f", cuDNN {environment.cudnn}" if environment.cudnn else ""
        devices = "; ".join(
            f"{d.name}: {d.description}"
            + (f", {format_bytes(d.memory_bytes)}" if d.memory_bytes else "")
            for d in environment.devices
        )
        lines.append(f"devices: {devices} ({cuda}{cudnn})")
        if environment.seeds:
            lines.append(
                "seeds: " + ", ".join(f"{s.function}({s.value})" for s in environment.seeds)
            )
        elif result.model is not None:
            lines.append("seeds: none set before the first step")
    model = result.model
    if model is not None:
        batch = f"batch {model.batch_shape} {model.batch_dtype or ''}".strip()
        synthetic = " (synthetic)" if model.synthetic else ""
        lines.append(
            f"model: {model.variable or model.type} ({model.type}, {model.framework}, "
            f"{model.parameters:,} parameters, {len(model.layers)} layers); "
            f"loss {model.loss or '-'}; optimizer {model.optimizer or '-'}"
            + (f" lr={model.learning_rate:g}" if model.learning_rate is not None else "")
            + f"; {batch}{synthetic}"
        )
    for check in result.checks:
        memory = format_bytes(check.peak_memory_bytes)
        kind = f" ({check.memory_kind})" if check.memory_kind else ""
        lines.append(
            f"check {_device_label(check)}: {check.status}; batch {check.batch_size or '-'}; "
            f"first step {_milliseconds(check.first_step_ms)}, step {_milliseconds(check.step_ms)}; "
            f"peak memory {memory}{kind}"
            + (f", tensors {format_bytes(check.tensor_bytes)}" if check.tensor_bytes else "")
            + (f"; {check.note}" if check.note else "")
        )
    if result.peak_rss_bytes:
        lines.append(f"worker peak resident memory: {format_bytes(result.peak_rss_bytes)}")
    lines += [f"note: {note}" for note in result.notes]
    isolation = result.isolation
    lines.append(
        f"isolation: network {isolation.network}, memory {isolation.memory}, "
        f"CPU time {isolation.cpu_seconds or '-'} s, temporary working directory"
    )
    if result.output_bytes:
        lines.append(
            f"script output: {format_bytes(result.output_bytes)} (last lines in the JSON report)"
        )
    return "\n".join(lines) + "\n"


def render_markdown(result: ProbeResult) -> str:
    """The report document the editor shows beside the file."""
    parts = [
        f"# Probe of `{result.file.rsplit('/', 1)[-1]}`",
        f"**Status:** {_STATUS_WORDS.get(result.status, result.status)} ({result.seconds:.1f} s)",
    ]
    if result.error:
        parts.append(f"**Probe error:** {result.error}")
    if result.findings:
        rows = ["| line | code | message |", "|---|---|---|"]
        rows += [
            f"| {f.line or '-'} | {f.code} | {f.message.replace('|', '/')} |"
            for f in result.findings
        ]
        parts.append("## Findings\n\n" + "\n".join(rows))
    else:
        parts.append("## Findings\n\nNone.")
    if result.checks:
        rows = [
            "| device | status | batch | first step | step | peak memory |",
            "|---|---|---|---|---|---|",
        ]
        rows += [
            f"| {_device_label(c)} | {c.status} | {c.batch_size or '-'} | "
            f"{_milliseconds(c.first_step_ms)} | {_milliseconds(c.step_ms)} | "
            f"{format_bytes(c.peak_memory_bytes)} |"
            for c in result.checks
        ]
        parts.append("## First step per device\n\n" + "\n".join(rows))
    model = result.model
    if model is not None:
        layers = "\n".join(
            f"- `{layer.name}`: {layer.type} {layer.config or ''}"
            + (f" → {layer.output_shape}" if layer.output_shape else "")
            for layer in model.layers[:40]
        )
        parts.append(
            f"## Model\n\n`{model.variable or model.type}` ({model.type}, {model.framework}), "
            f"{model.parameters:,} parameters; loss `{model.loss}`, optimizer `{model.optimizer}`"
            + (f" (lr {model.learning_rate:g})" if model.learning_rate is not None else "")
            + f"; first batch {model.batch_shape} {model.batch_dtype or ''}"
            + (" — synthetic (edit action A1)" if model.synthetic else "")
            + "\n\n"
            + layers
        )
    environment = result.environment
    if environment.python:
        rows = [f"- Python {environment.python} on {environment.platform}"]
        rows += [f"- {name} {version}" for name, version in sorted(environment.frameworks.items())]
        rows.append(f"- CUDA {environment.cuda or '-'}, cuDNN {environment.cudnn or '-'}")
        rows += [f"- device `{d.name}`: {d.description}" for d in environment.devices]
        rows += [f"- `{k}={v}`" for k, v in environment.variables.items()]
        rows += [f"- seed: `{s.function}({s.value})` (line {s.line})" for s in environment.seeds]
        parts.append("## Environment\n\n" + "\n".join(rows))
    if result.notes:
        parts.append("## Notes\n\n" + "\n".join(f"- {note}" for note in result.notes))
    isolation = result.isolation
    parts.append(
        f"## Isolation\n\nnetwork: {isolation.network}; memory: {isolation.memory}; "
        f"CPU time limit: {isolation.cpu_seconds or '-'} s; own process group; "
        "temporary working directory (removed)."
    )
    if result.output_tail:
        parts.append(
            f"## Script output (last {len(result.output_tail)} of {result.output_bytes} bytes)"
            f"\n\n```\n{result.output_tail}\n```"
        )
    return "\n\n".join(parts) + "\n"
