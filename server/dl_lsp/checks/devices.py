"""Device placement rules (DEV2xx): CUDA references, tensors on the wrong device, checkpoints."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from dl_lsp.checks.fix_data import fix, fixes, set_keyword, wrap_value
from dl_lsp.facts.devices import BatchPlacement
from dl_lsp.findings import Finding, Related
from dl_lsp.ruleset import Rule

if TYPE_CHECKING:
    from dl_lsp.checks import Check, CheckContext


def check_cuda_availability(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """DEV201: hard-wired CUDA in a file that never asks whether a GPU is there."""
    devices = context.facts.devices
    if not devices.uses_torch or devices.availability_check is not None or devices.distributed:
        return
    uses = sorted((use for use in devices.cuda_uses if not use.guarded), key=lambda u: u.span)
    if not uses:
        return
    first = uses[0]
    others = len(uses) - 1
    more = (
        f" ({others} more hard-wired reference{'s' if others > 1 else ''} below)" if others else ""
    )
    fix_data = None
    if first.literal is not None and devices.torch_alias is not None:
        template = f'{{}} if {devices.torch_alias}.cuda.is_available() else "cpu"'
        fix_data = fixes(
            fix(
                "Fall back to the CPU when no GPU is available",
                wrap_value(first.literal, template),
                safe=True,
            )
        )
    yield rule.finding(
        "hardwired", first.span, text=_short(first.text), more=more, fix_data=fix_data
    )


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_batch_devices(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """DEV202: batches, labels and models on different devices in a training loop."""
    for placement in context.facts.devices.placements:
        if placement.kind == "not_in_place":
            yield rule.finding("not_in_place", placement.span, name=placement.name)
        elif placement.kind == "model_not_moved":
            yield rule.finding("model_not_moved", placement.span, model=placement.name)
        else:
            yield _misplaced_batch(placement, rule)


def _misplaced_batch(placement: BatchPlacement, rule: Rule) -> Finding:
    device = placement.device or "device"
    template = "{}.cuda()" if device == "cuda" else f"{{}}.to({device})"
    shown = "" if device == "cuda" else device
    related = (
        (Related(placement.model_move, "the model is moved to the device here"),)
        if placement.model_move is not None
        else ()
    )
    values: dict[str, Any] = {
        "name": placement.name,
        "model": placement.model or "the model",
        "loader": placement.loader or "the loader",
        "line": placement.model_move.line if placement.model_move else "?",
        "device": shown or "device",
    }
    return rule.finding(
        placement.kind,
        placement.span,
        related=related,
        fix_data=fixes(
            fix(
                f"Move '{placement.name}' to the model's device",
                wrap_value(placement.span, template),
                safe=placement.same_scope,
            )
        ),
        **values,
    )


def check_forward_tensors(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """DEV203: tensors created in forward on the default device."""
    devices = context.facts.devices
    if not devices.mentions_cuda:
        return
    for tensor in devices.forward_tensors:
        if tensor.input_name is None:
            yield rule.finding(
                "default_device_no_input", tensor.span, function=tensor.function, owner=tensor.owner
            )
            continue
        yield rule.finding(
            "default_device",
            tensor.span,
            function=tensor.function,
            owner=tensor.owner,
            input=tensor.input_name,
            fix_data=fixes(
                fix(
                    f"Move it to {tensor.input_name}.device",
                    wrap_value(tensor.span, f"{{}}.to({tensor.input_name}.device)"),
                )
            ),
        )


def check_checkpoint_loads(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """DEV204: torch.load without map_location."""
    devices = context.facts.devices
    if devices.checkpoint_round_trip:
        return
    for load in devices.checkpoint_loads:
        if load.map_location or load.guarded:
            continue
        yield rule.finding(
            "missing",
            load.span,
            fix_data=fixes(
                fix("Add map_location='cpu'", set_keyword(load.span, "map_location", "cpu"))
            ),
        )


def check_wrapped_state_dicts(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """DEV205: the 'module.' prefix of DataParallel state dicts."""
    for item in context.facts.devices.wrapped_state_dicts:
        if item.kind == "load":
            yield rule.finding(
                "load",
                item.span,
                receiver=item.receiver,
                line=item.wrapper.line,
                related=(Related(item.wrapper, "saved from a DataParallel model here"),),
            )
            continue
        key = "save_conditional" if item.conditional else "save"
        yield rule.finding(
            key,
            item.span,
            receiver=item.receiver,
            line=item.wrapper.line,
            related=(Related(item.wrapper, "wrapped in DataParallel here"),),
            fix_data=fixes(
                fix(
                    f"Save {item.receiver}.module.state_dict()",
                    wrap_value(item.receiver_span, "{}.module"),
                    safe=not item.conditional,
                )
            ),
        )


def check_visible_devices(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """DEV206: CUDA_VISIBLE_DEVICES set after CUDA initialised."""
    for item in context.facts.devices.visible_devices:
        yield rule.finding(
            "late",
            item.span,
            initialiser=_short(item.initialiser),
            line=item.initialised_at.line,
            related=(Related(item.initialised_at, "CUDA is initialised here"),),
        )


CHECKS: dict[str, Check] = {
    "DEV201": check_cuda_availability,
    "DEV202": check_batch_devices,
    "DEV203": check_forward_tensors,
    "DEV204": check_checkpoint_loads,
    "DEV205": check_wrapped_state_dicts,
    "DEV206": check_visible_devices,
}
