"""The probe's parts that need no framework: error classes, the event stream, relocating
findings after edits, the exact-facts re-run, argument checks, process clean-up, reports."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from dataclasses import replace

import pytest

from dl_lsp.lsp.extensions.probe import parse_arguments, relocated
from dl_lsp.probe.errors import classify, lines_in_dump, user_line
from dl_lsp.probe.exact_facts import hints_from_static, merged_model, rerun_static_rules
from dl_lsp.probe.findings import finding_from
from dl_lsp.probe.protocol import (
    Observation,
    ProbeRequest,
    ShapeHints,
    decode_events,
    encode_event,
    request_from_json,
)
from dl_lsp.probe.report import render_markdown, render_text
from dl_lsp.probe.results import (
    DeviceCheck,
    ObservedLayer,
    ObservedModel,
    ProbeFinding,
    ProbeResult,
    result_from_json,
)
from dl_lsp.probe.runner import descendants, kill_tree

PATH = "/project/train.py"


def raised_in_user_file(source: str) -> BaseException:
    """The exception ``source`` raises when run as the user's file (its traceback names PATH)."""
    try:
        exec(compile(source, PATH, "exec"), {})
    except BaseException as error:
        return error
    raise AssertionError("the source did not raise")


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("mat1 and mat2 shapes cannot be multiplied (32x128 and 64x10)", "shape"),
        (
            "Given groups=1, weight of size [16, 3, 3, 3], expected input[8, 1, 28, 28] to have 3 channels",
            "shape",
        ),
        ("expected scalar type Long but found Float", "dtype"),
        ("mat1 and mat2 must have the same dtype, but got Double and Float", "dtype"),
        (
            "Expected all tensors to be on the same device, but found at least two devices, cuda:0 and cpu!",
            "device",
        ),
        ("CUDA out of memory. Tried to allocate 2.00 GiB", "memory"),
        ("the loss diverged", "other"),
    ],
)
def test_runtime_errors_are_classified_by_their_message(message: str, kind: str) -> None:
    error = raised_in_user_file(f"x = 1\nraise RuntimeError({message!r})\n")
    problem = classify(error, PATH)
    assert (problem.kind, problem.line) == (kind, 2)


def test_missing_data_and_memory_errors_are_told_apart_by_type() -> None:
    missing = raised_in_user_file("open('/nonexistent/train.csv')\n")
    assert classify(missing, PATH).kind == "missing-data"
    assert classify(MemoryError(), PATH).kind == "memory"
    assert classify(KeyError("layers"), PATH).kind == "other"


def test_the_deepest_line_of_the_users_file_is_found_in_tracebacks_and_dumps() -> None:
    error = raised_in_user_file("def step():\n    raise ValueError('bad')\n\nstep()\n")
    assert user_line(error.__traceback__, PATH) == 2
    dump = (
        "Current thread 0x1 (most recent call first):\n"
        '  File "/usr/lib/python3.11/time.py", line 7 in sleep\n'
        f'  File "{PATH}", line 12 in wait\n'
        f'  File "{PATH}", line 30 in <module>\n'
    )
    assert lines_in_dump(dump, PATH) == [12, 30]


def test_events_are_decoded_line_by_line_and_broken_lines_skipped() -> None:
    buffer = bytearray(encode_event("note", text="a") + b"not json\n" + encode_event("done"))
    buffer += b'{"event": "pha'
    events = decode_events(buffer)
    assert [event["event"] for event in events] == ["note", "done"]
    assert buffer == bytearray(b'{"event": "pha')


def test_a_request_survives_its_json_form() -> None:
    request = ProbeRequest(
        path=PATH,
        text="x = 1\n",
        device="cpu",
        frameworks=["torch"],
        hints=ShapeHints(input_shape=[3, 32, 32], num_classes=10),
    )
    assert request_from_json(request.to_json()) == request


def test_observations_are_formatted_with_the_rule_templates() -> None:
    finding = finding_from(Observation("PRB704", "loss", {"value": "NaN", "device": "cpu"}, 9))
    assert (finding.code, finding.line, finding.severity, finding.bug_type) == (
        "PRB704",
        9,
        "error",
        "training",
    )
    assert finding.message.startswith("The first loss is NaN on cpu")


def test_results_survive_their_json_form() -> None:
    result = ProbeResult(
        status="failed",
        file=PATH,
        findings=(ProbeFinding("PRB701", "probe-shape-error", "tensor", "error", 3, "m"),),
        checks=(DeviceCheck("cpu", "ok", step_ms=1.5),),
        model=ObservedModel("torch", "model", "Net", 3, layers=(ObservedLayer("fc", "Linear"),)),
    )
    assert result_from_json(result.to_json()) == result


def test_reports_name_the_findings_and_the_figures() -> None:
    result = ProbeResult(
        status="failed",
        file=PATH,
        seconds=2.0,
        findings=(ProbeFinding("PRB703", "probe-device-mismatch", "gpu", "error", 27, "moved"),),
        checks=(
            DeviceCheck(
                "cpu",
                "ok",
                batch_size=8,
                first_step_ms=3.25,
                step_ms=1.5,
                peak_memory_bytes=3 * 1024**2,
                memory_kind="rss-growth",
            ),
        ),
    )
    text = render_text(result)
    assert f"{PATH}:27: PRB703 moved" in text
    assert "first step 3.2 ms, step 1.5 ms; peak memory 3.0 MiB" in text
    markdown = render_markdown(result)
    assert "| 27 | PRB703 | moved |" in markdown
    assert "| cpu | ok | 8 | 3.2 ms | 1.5 ms | 3.0 MiB |" in markdown


FINDING = ProbeFinding("PRB706", "probe-script-error", "api", "error", 2, "stops here")


def test_a_finding_stays_on_its_line_while_the_line_is_unchanged() -> None:
    before = ("import os", "    run()", "done()")
    finding = relocated(FINDING, before, list(before))
    assert finding is not None
    assert (finding.span.line, finding.span.column, finding.span.end_column) == (2, 4, 9)


def test_a_finding_moves_with_its_line_and_is_dropped_with_it() -> None:
    before = ("import os", "    run()", "done()")
    moved = relocated(FINDING, before, ["# a comment", "import os", "    run()", "done()"])
    assert moved is not None and moved.span.line == 3
    assert relocated(FINDING, before, ["import os", "    walk()", "done()"]) is None
    assert relocated(FINDING, before, ["    run()", "done()", "    run()"]) is None


@pytest.mark.parametrize(
    "arguments",
    [
        (),
        ("file:///a.py",),
        ({"uri": ""},),
        ({"uri": "file:///a.py", "device": "gpu"},),
        ({"uri": "file:///a.py", "timeout": True},),
        ({"uri": "file:///a.py", "timeout": 9999},),
    ],
)
def test_command_arguments_are_checked(arguments: tuple[object, ...]) -> None:
    with pytest.raises(ValueError, match=r"dl-lsp\.probe"):
        parse_arguments(arguments)


def test_command_arguments_keep_device_and_timeout() -> None:
    parsed = parse_arguments(({"uri": "file:///a.py", "device": "cuda", "timeout": 5},))
    assert (parsed.device, parsed.timeout) == ("cuda", 5.0)


BUILT_BY_A_HELPER = """\
from tensorflow import keras

settings = {"units": 1, "activation": "softmax"}


def build(settings):
    return keras.Sequential([
        keras.Input(shape=(10,)),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(settings["units"], activation=settings["activation"]),
    ])


model = build(settings)
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x, y, epochs=2)
"""
OBSERVED = ObservedModel(
    "keras",
    "model",
    "Sequential",
    16,
    layers=(
        ObservedLayer("dense", "Dense", {"units": 16, "activation": "relu"}),
        ObservedLayer("dense_1", "Dense", {"units": 1, "activation": "softmax"}),
    ),
)


def test_the_static_rules_rerun_on_the_observed_layers() -> None:
    found = rerun_static_rules(BUILT_BY_A_HELPER, PATH, OBSERVED)
    assert [(f.code, f.line) for f in found] == [("LLM", 16)]
    assert "run time" in found[0].message


def test_rerun_findings_go_on_the_line_that_constructs_the_layer() -> None:
    layers = (OBSERVED.layers[0], replace(OBSERVED.layers[1], line=10))
    found = rerun_static_rules(BUILT_BY_A_HELPER, PATH, replace(OBSERVED, layers=layers))
    assert [(f.code, f.line, f.column) for f in found] == [("LLM", 10, 8)]


def test_observed_values_fill_only_what_the_static_model_lacks() -> None:
    from dl_lsp.engine import analyze_source

    text = "import torch.nn as nn\nn_out = int(open('n').read())\nmodel = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, n_out))\n"
    static = analyze_source(text, PATH).facts.models[0]
    observed = ObservedModel(
        "torch",
        "model",
        "Sequential",
        3,
        layers=(
            ObservedLayer("0", "Linear", {"in_features": 8, "out_features": 16}),
            ObservedLayer("1", "ReLU"),
            ObservedLayer("2", "Linear", {"in_features": 16, "out_features": 3}),
        ),
    )
    merged = merged_model(static, observed, static.span)
    assert merged is not None
    assert [layer.units for layer in merged.dense_layers] == [16, 3]
    assert [layer.span for layer in merged.layers] == [layer.span for layer in static.layers]
    mismatched = ObservedModel("torch", "model", "Sequential", 3, layers=observed.layers[:1])
    assert merged_model(static, mismatched, static.span) is None


def test_static_hints_name_the_frameworks_and_the_input_shape() -> None:
    text = "import torch\nfrom tensorflow import keras\nmodel = keras.Sequential([keras.Input(shape=(28, 28, 1))])\n"
    hints, frameworks = hints_from_static(text, PATH)
    assert frameworks == ["tensorflow", "torch"]  # the worker adds keras to tensorflow
    assert hints.input_shape == [28, 28, 1]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_kill_tree_ends_children_that_left_the_process_group() -> None:
    script = (
        "import os, subprocess, sys, time\n"
        "subprocess.Popen([sys.executable, '-c', 'import os, time; os.setpgrp(); time.sleep(60)'])\n"
        "subprocess.Popen(['sleep', '60'])\n"
        "time.sleep(60)\n"
    )
    worker = subprocess.Popen([sys.executable, "-c", script], start_new_session=True)
    deadline = time.monotonic() + 30
    while len(descendants(worker.pid)) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    family = descendants(worker.pid)
    assert len(family) >= 3
    kill_tree(worker.pid)
    worker.wait(timeout=10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in family - {worker.pid}):
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in family - {worker.pid})


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            state = handle.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    if state == "Z":  # a zombie is dead; reap it if it is ours
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        return False
    return True
