"""What the probe costs and measures: wall time per phase, framework import time, the first and
a warm training step per device, and memory, for the probe programs of tests/probe/programs and
a larger CNN written here.

Usage: python bench/probe_figures.py [--device cpu|cuda|all] [--json] [PROGRAM ...]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from dl_lsp.probe.report import format_bytes
from dl_lsp.probe.runner import ProbeOptions, run_probe

PROGRAMS = Path(__file__).resolve().parents[1] / "tests" / "probe" / "programs"
DEFAULT = ("torch_batch_left_on_cpu.py", "torch_missing_dataset.py")
CNN = """\
import torch
import torch.nn as nn

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model = nn.Sequential(
    nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(64, 128, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(128 * 4 * 4, 256), nn.ReLU(), nn.Linear(256, 10),
).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
criterion = nn.CrossEntropyLoss()
images = torch.rand(64, 3, 32, 32, device=device)
labels = torch.randint(0, 10, (64,), device=device)
for epoch in range(100):
    optimizer.zero_grad()
    loss = criterion(model(images), labels)
    loss.backward()
    optimizer.step()
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("programs", nargs="*")
    parser.add_argument("--device", default="all", choices=("cpu", "cuda", "all"))
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        cnn = Path(folder) / "cifar_cnn.py"
        cnn.write_text(CNN, encoding="utf-8")
        paths = [PROGRAMS / name for name in args.programs or DEFAULT] + [cnn]
        rows = []
        for path in paths:
            result = run_probe(path, options=ProbeOptions(device=args.device, timeout=args.timeout))
            rows.append(
                {
                    "program": path.name,
                    "status": result.status,
                    "seconds": result.seconds,
                    "imports": result.environment.import_seconds,
                    "devices": [d.name + ": " + d.description for d in result.environment.devices],
                    "worker_peak_rss": result.peak_rss_bytes,
                    "checks": [
                        {
                            "device": c.device + (" (simulated)" if c.simulated else ""),
                            "batch": c.batch_size,
                            "first_step_ms": c.first_step_ms,
                            "step_ms": c.step_ms,
                            "peak_memory": c.peak_memory_bytes,
                            "memory_kind": c.memory_kind,
                            "tensor_bytes": c.tensor_bytes,
                        }
                        for c in result.checks
                    ],
                    "findings": [f"{f.line}: {f.code}" for f in result.findings],
                }
            )
    if args.json:
        json.dump(rows, sys.stdout, indent=2)
        print()
        return 0
    for row in rows:
        imports = ", ".join(f"{k} {v:.1f} s" for k, v in row["imports"].items()) or "none"
        print(
            f"{row['program']}: {row['status']} in {row['seconds']:.1f} s "
            f"(imports: {imports}; worker peak RSS {format_bytes(row['worker_peak_rss'])}); "
            f"findings {row['findings'] or 'none'}"
        )
        for check in row["checks"]:
            if check["step_ms"] is None:
                print(f"    {check['device']}: placement only")
                continue
            print(
                f"    {check['device']}: batch {check['batch']}, first step "
                f"{check['first_step_ms']:.1f} ms, warm step {check['step_ms']:.1f} ms, "
                f"peak memory {format_bytes(check['peak_memory'])} ({check['memory_kind']}), "
                f"tensors {format_bytes(check['tensor_bytes'])}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
