"""``dl-lsp probe FILE``: run the file up to its first training step in a bounded worker."""

from __future__ import annotations

import argparse
from typing import Any

EXIT_OK, EXIT_FOUND, EXIT_FAILED = 0, 1, 2


def register(commands: Any) -> None:
    probe = commands.add_parser(
        "probe",
        help="run a training script up to its first step in a bounded worker and check it",
        description="Runs FILE in a separate, bounded process up to its first training step "
        "(nothing is trained), checks device placement, one forward and backward step per "
        "device, NaN/Inf, step time and memory. It RUNS THE SCRIPT: use it on code you trust. "
        "Exit code: 0 nothing found, 1 findings, 2 the probe could not run.",
    )
    probe.add_argument("file", metavar="FILE", help="the Python file to probe")
    probe.add_argument("--format", choices=("text", "json"), default="text")
    probe.add_argument(
        "--timeout",
        type=_seconds,
        default=None,
        metavar="S",
        help="wall-clock limit in seconds (default 20)",
    )
    probe.add_argument("--device", choices=("cpu", "cuda", "all"), default="all")
    probe.add_argument(
        "--memory",
        type=_mebibytes,
        default=None,
        metavar="MiB",
        help="memory limit in MiB (default 4096)",
    )
    probe.set_defaults(handler=run_probe_command)


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0 < seconds <= 3600:
        raise argparse.ArgumentTypeError("must be between 0 and 3600 seconds")
    return seconds


def _mebibytes(value: str) -> int:
    try:
        size = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if size < 64:
        raise argparse.ArgumentTypeError("must be at least 64 MiB")
    return size * 1024 * 1024


def run_probe_command(args: argparse.Namespace) -> int:
    import json
    import os
    import sys
    from dataclasses import replace

    from dl_lsp.probe.report import render_text
    from dl_lsp.probe.runner import ProbeOptions, run_probe

    if not os.path.isfile(args.file):
        print(f"dl-lsp: error: no such file: {args.file}", file=sys.stderr)
        return EXIT_FAILED
    options = ProbeOptions(device=args.device)
    if args.timeout is not None:
        options = replace(options, timeout=args.timeout)
    if args.memory is not None:
        options = replace(options, memory_bytes=args.memory)
    result = run_probe(args.file, options=options)
    if args.format == "json":
        sys.stdout.write(json.dumps(result.to_json(), indent=2) + "\n")
    else:
        sys.stdout.write(render_text(result))
    if result.error and not result.findings:
        return EXIT_FAILED
    return EXIT_FOUND if result.findings else EXIT_OK
