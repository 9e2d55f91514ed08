"""Device facts behind the DEV2xx rules: CUDA references, loop data flow, checkpoints."""

from __future__ import annotations

import textwrap

from dl_lsp.config import Settings
from dl_lsp.extract.program import extract_program
from dl_lsp.facts.devices import DeviceFacts
from dl_lsp.source import ParsedSource


def devices_of(text: str) -> DeviceFacts:
    return extract_program(ParsedSource(textwrap.dedent(text)), Settings()).devices


def test_cuda_references_and_their_guards() -> None:
    devices = devices_of(
        """
        import torch
        a = torch.zeros(3).cuda()
        b = torch.zeros(3).to("cuda:1")
        c = torch.ones(2, device="cuda")
        d = torch.device("cuda")
        if use_gpu:
            e = a.cuda()
        f = a.cuda() if use_gpu else a
        """
    )
    assert devices.uses_torch and devices.availability_check is None
    assert [(use.kind, use.guarded) for use in devices.cuda_uses] == [
        ("cuda_call", False),
        ("to", False),
        ("keyword", False),
        ("device", False),
        ("cuda_call", True),
        ("cuda_call", True),
    ]


def test_availability_check_is_found() -> None:
    devices = devices_of(
        """
        import torch
        device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
        """
    )
    assert devices.availability_check is not None
    assert devices.mentions_cuda


def test_loop_flow_follows_moves_reshapes_and_unpacking() -> None:
    devices = devices_of(
        """
        import torch
        device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
        model = Net().to(device)
        for step, batch in enumerate(train_loader):
            x, y = batch
            x = x.view(x.size(0), -1).to(device)
            out = model(x)
            loss = criterion(out, y)
        """
    )
    assert [(p.kind, p.name, p.model) for p in devices.placements] == [("labels", "y", "model")]


def test_unknown_calls_on_the_batch_are_trusted() -> None:
    devices = devices_of(
        """
        import torch
        device = "cuda" if torch.cuda.is_available() else "cpu"
        model = Net().to(device)
        for batch in val_loader:
            inputs, labels = prepare(batch)
            loss = criterion(model(inputs), labels)
        """
    )
    assert devices.placements == ()


def test_dtype_conversions_are_not_device_moves() -> None:
    devices = devices_of(
        """
        import torch
        model = Net().cuda()
        for xb, yb in loader:
            xb = xb.to(torch.float32)
            pred = model(xb)
        """
    )
    assert [(p.kind, p.name) for p in devices.placements] == [("batch", "xb")]


def test_forward_tensors_without_device() -> None:
    devices = devices_of(
        """
        import torch
        import torch.nn as nn

        class Net(nn.Module):
            def forward(self, x):
                a = torch.zeros(3)
                b = torch.zeros(3, device=x.device)
                c = torch.ones(3).to(x.device)
                d = torch.randn(3)
                d = d.cuda()
                return a + b + c + d

        net = Net().cuda()
        """
    )
    assert [(t.function, t.owner, t.input_name) for t in devices.forward_tensors] == [
        ("torch.zeros", "Net.forward", "x")
    ]


def test_visible_devices_after_initialisation() -> None:
    devices = devices_of(
        """
        import os
        import torch
        torch.cuda.manual_seed(0)
        os.environ["CUDA_VISIBLE_DEVICES"] = "0"
        n = torch.cuda.device_count()
        os.environ.update({"CUDA_VISIBLE_DEVICES": "1"})
        """
    )
    [late] = devices.visible_devices
    assert late.span.line == 7 and late.initialised_at.line == 6


def test_dataparallel_state_dict_saved_after_wrapping_only() -> None:
    devices = devices_of(
        """
        import torch
        import torch.nn as nn
        model = Net()
        torch.save(model.state_dict(), "before.pt")
        model = nn.DataParallel(model)
        torch.save(model.state_dict(), "after.pt")
        """
    )
    assert [(item.kind, item.span.line) for item in devices.wrapped_state_dicts] == [("save", 7)]


def test_checkpoint_loads() -> None:
    devices = devices_of(
        """
        import torch
        a = torch.load("a.pt")
        b = torch.load("b.pt", "cpu")
        c = torch.load("c.pt", map_location=lambda storage, loc: storage)
        """
    )
    assert [load.map_location for load in devices.checkpoint_loads] == [False, True, True]
    assert devices.checkpoint_round_trip is False
