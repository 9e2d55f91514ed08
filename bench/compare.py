"""dl-lsp side by side with what users would otherwise run, on the same files in the same run.

Checkers (each a fresh process, start-up included, on the same corpus): ``dl-lsp check``,
TorchFix as its flake8 plugin (``flake8 --select=TOR``) and standalone (``torchfix``),
``pyflakes``, and bare ``ast.parse`` (the floor). Measured: lines per second on one core and on
all cores, the peak memory of the largest process, and the speed-up of ``dl-lsp check`` on 1, 2
and all cores. Language servers: dl-lsp, jedi-language-server and python-lsp-server on the same
document and the same edits, time from didChange to the first diagnostics for that document,
and RSS. Findings: for each of our test programs, what dl-lsp, TorchFix and pyflakes report
(read from the timed one-core runs' output). dl-lsp's analysis time over ``ast.parse``'s, in
process on the same texts, for the whole corpus and for each kind of file in it.

The peers live in their own virtual environment, ``.bench-venv/`` (created on first use), so
they never touch the project's. Corpus: the snippets (tests/corpus, tests/clean_corpus), the
programs (tests/lsp/programs, examples/), and the generated programs of bench/make_corpus.py.
``--quick`` (seconds): one core, no snippets, fewer generated lines, no standalone TorchFix and
no language servers.

Usage: python bench/compare.py [--quick] [--json] [--markdown] [--findings FILE] [--no-servers]
       [--output FILE]
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import gc
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import venv
import warnings
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from make_corpus import make_corpus
from server_latency import Client, synthetic_program

ROOT = Path(__file__).resolve().parent.parent
PEER_VENV = ROOT / ".bench-venv"
PEERS = ["torchfix", "flake8", "pyflakes", "jedi-language-server", "python-lsp-server[pyflakes]"]
# torch is pinned and installed first whenever a peer depends on it: unpinned, it pulls CUDA.
TORCH_PIN = "torch==2.13.0"
# Our programs, by kind: bug reports' snippets and clean snippets (tens of lines each), and whole
# test programs and examples; the generated programs (50 to 2,000 lines) are the third kind.
SNIPPETS = ("tests/corpus", "tests/clean_corpus")
PROGRAMS = ("tests/lsp/programs", "examples")
FULL_GENERATED_LINES = 4_000
# Quick: about 1,000 generated lines in three files (files overshoot their target by a model
# or two). The quick run is dominated by the tools' start-up, not by the corpus size.
QUICK_GENERATED_LINES = 600


# -- the peers' environment ---------------------------------------------------------------


def peer_bin(name: str) -> Path:
    return PEER_VENV / ("Scripts" if os.name == "nt" else "bin") / name


def ensure_peers() -> None:
    """Create ``.bench-venv`` with the peers, unless it already has them."""
    if all(peer_bin(tool).exists() for tool in ("torchfix", "flake8", "pyflakes", "pylsp")):
        return
    print(f"creating {PEER_VENV} with {', '.join(PEERS)} …", file=sys.stderr)
    venv.create(PEER_VENV, with_pip=True, clear=not peer_bin("pip").exists())
    pip = [str(peer_bin("python")), "-m", "pip", "install", "--quiet"]
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        subprocess.run([*pip, "--dry-run", "--report", str(report), *PEERS], check=True)
        planned = json.loads(report.read_text())
        names = {item["metadata"]["name"].lower() for item in planned.get("install", [])}
    if "torch" in names:
        subprocess.run([*pip, TORCH_PIN], check=True)
    subprocess.run([*pip, *PEERS], check=True)


# -- timing a process ------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float
    stdout: str
    returncode: int


def run_process(command: Sequence[str], cwd: Path = ROOT) -> Run:
    """Run a command: its wall time, output, and the peak RSS of its largest process."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "server")}
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, stdout=output, stderr=subprocess.DEVNULL, env=environment
        )
        peak = 0.0
        if hasattr(os, "wait4"):
            # The child's usage covers the children it waited for (worker processes).
            _, status, usage = os.wait4(process.pid, 0)
            process.returncode = os.waitstatus_to_exitcode(status)
            peak = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
        else:
            process.wait()
        seconds = time.perf_counter() - started
        output.seek(0)
        text = output.read().decode("utf-8", "replace")
    return Run(seconds, peak, text, process.returncode)


def best(command: Sequence[str], repeat: int) -> Run:
    """The fastest of ``repeat`` runs (the least disturbed by the other work on the machine)."""
    runs = [run_process(command) for _ in range(repeat)]
    return min(runs, key=lambda run: run.seconds)


# -- ast.parse, the floor ----------------------------------------------------------------------


def parse_files(paths: Sequence[str]) -> int:
    """Parse every file (a worker of the all-cores floor; the cyclic collector paused, as in
    dl-lsp's analysis)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gc.disable()
        parsed = 0
        for path in paths:
            try:
                ast.parse(Path(path).read_bytes())
                parsed += 1
            except (SyntaxError, ValueError):
                pass
        gc.enable()
        return parsed


def parse_floor(paths: Sequence[Path], workers: int) -> float:
    """Seconds for ``ast.parse`` of every file (reading included), on ``workers`` processes."""
    names = [str(path) for path in paths]
    started = time.perf_counter()
    chunks = [names[index::workers] for index in range(workers)]
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(parse_files, chunks))
    return time.perf_counter() - started


def in_process_times(groups: dict[str, list[Path]], repeat: int) -> dict[str, dict[str, float]]:
    """group → {"analysis": s, "ast_parse": s}: dl-lsp's analysis and bare ``ast.parse`` of the
    same texts in this process (no start-up, no reading), file by file, one core; the best of
    ``repeat`` passes. Both run with the cyclic collector paused (the analysis pauses it
    itself), so the floor is not slowed by a cost dl-lsp avoids."""
    from dl_lsp.engine import analyze_source

    texts = {
        group: [(str(path), path.read_bytes().decode("utf-8", "replace")) for path in files]
        for group, files in groups.items()
    }
    first = next(text for items in texts.values() for _, text in items)
    analyze_source(first)  # rule data and caches loaded once, as in a running checker
    best: dict[str, dict[str, float]] = {
        group: {"analysis": float("inf"), "ast_parse": float("inf")} for group in groups
    }
    for _ in range(repeat):
        for group, items in texts.items():
            analysis, parse = _time_group(items, analyze_source)
            best[group]["analysis"] = min(best[group]["analysis"], analysis)
            best[group]["ast_parse"] = min(best[group]["ast_parse"], parse)
    return best


def _time_group(items: Sequence[tuple[str, str]], analyze: Any) -> tuple[float, float]:
    analysis = parse = 0.0
    clock = time.perf_counter
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for path, text in items:
            collecting = gc.isenabled()
            gc.disable()
            started = clock()
            with contextlib.suppress(SyntaxError, ValueError):
                ast.parse(text)
            parse += clock() - started
            if collecting:
                gc.enable()
            started = clock()
            analyze(text, path=path)
            analysis += clock() - started
    return analysis, parse


# -- the checkers --------------------------------------------------------------------------


def dl_lsp(jobs: int | None) -> list[str]:
    command = [sys.executable, "-m", "dl_lsp", "check", "--no-config", "--format", "json"]
    return command + ([] if jobs is None else ["--jobs", str(jobs)])


def checker_commands(cores: int, quick: bool) -> dict[str, dict[str, list[str]]]:
    """tool → {cores: command} (paths appended later). ``quick`` keeps one core only, and drops
    standalone TorchFix (the same analysis as its flake8 plugin, and slower to start)."""
    flake8 = [str(peer_bin("flake8")), "--isolated", "--select=TOR"]
    torchfix = [str(peer_bin("torchfix")), "--select=ALL"]
    if quick:
        return {
            "dl_lsp": {"1": dl_lsp(1)},
            "torchfix_flake8": {"1": [*flake8, "--jobs=1"]},
            "pyflakes": {"1": [str(peer_bin("pyflakes"))]},
        }
    return {
        "dl_lsp": {"1": dl_lsp(1), "2": dl_lsp(2), "all": dl_lsp(None)},
        "torchfix_flake8": {"1": [*flake8, "--jobs=1"], "all": [*flake8, f"--jobs={cores}"]},
        # as slow as the plugin on one core: all cores only, to save minutes
        "torchfix": {"all": [*torchfix, f"--jobs={cores}"]},
        "pyflakes": {"1": [str(peer_bin("pyflakes"))]},
    }


def measure_checkers(
    groups: dict[str, list[Path]], repeat: int, quick: bool
) -> tuple[dict[str, Any], dict[str, str]]:
    """The checkers' figures, and each checker's one-core output (for the findings)."""
    cores = os.cpu_count() or 1
    folders = [str(folder) for folder in _folders(groups)]
    files = {group: files_of(group_folders) for group, group_folders in groups.items()}
    every_file = [path for group_files in files.values() for path in group_files]
    lines = line_count(every_file)
    result: dict[str, Any] = {}
    outputs: dict[str, str] = {}
    for tool, variants in checker_commands(cores, quick).items():
        entry: dict[str, Any] = {}
        for cores_label, command in variants.items():
            run = best([*command, *folders], repeat)
            entry[f"lines_per_s_{cores_label}"] = round(lines / run.seconds)
            entry[f"seconds_{cores_label}"] = round(run.seconds, 3)
            entry[f"peak_mb_{cores_label}"] = round(run.peak_mb, 1)
            if cores_label == "1":
                outputs[tool] = run.stdout
        result[tool] = entry
    times = in_process_times(files, repeat=3)
    for key, name in (("ast_parse", "ast_parse"), ("dl_lsp_in_process", "analysis")):
        seconds = sum(group[name] for group in times.values())
        result[key] = {
            "lines_per_s_1": round(lines / seconds),
            "seconds_1": round(seconds, 4),
            "seconds_1_by_group": {group: round(times[group][name], 5) for group in times},
        }
    if not quick:
        every = min(parse_floor(every_file, cores) for _ in range(repeat))
        result["ast_parse"].update(
            {"lines_per_s_all": round(lines / every), "seconds_all": round(every, 3)}
        )
    return result, outputs


def analysis_over_parse(checkers: dict[str, Any], group: str | None = None) -> float:
    """dl-lsp's in-process analysis time over ``ast.parse``'s, for the corpus or one group."""
    key = "seconds_1" if group is None else "seconds_1_by_group"

    def seconds(tool: str) -> float:
        value = checkers[tool][key]
        return float(value if group is None else value[group])

    return round(seconds("dl_lsp_in_process") / seconds("ast_parse"), 2)


# -- findings side by side ---------------------------------------------------------------------

FLAKE8_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):\d+: (?P<code>[A-Z]+\d+) ")
PYFLAKES_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?:\d+:)? (?P<message>.+)$")


def pyflakes_kind(message: str) -> str:
    """A short name for a pyflakes message (pyflakes has no codes)."""
    for pattern, name in (
        ("imported but unused", "unused-import"),
        ("undefined name", "undefined-name"),
        ("is assigned to but never used", "unused-variable"),
        ("redefinition of unused", "redefinition"),
        ("f-string is missing placeholders", "f-string-without-placeholders"),
        ("import *", "import-star"),
    ):
        if pattern in message:
            return name
    return "syntax" if "syntax" in message.lower() or "invalid" in message.lower() else "other"


def program_name(reported: str) -> str:
    """A path as a tool reported it (absolute, or relative to the repository), relative to the
    repository root where it lies inside it."""
    path = Path(reported)
    path = Path(os.path.normpath(path if path.is_absolute() else ROOT / path))
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def findings_side_by_side(
    outputs: dict[str, str], programs: Sequence[Path]
) -> list[dict[str, Any]]:
    """For each of ``programs``: the codes dl-lsp, TorchFix and pyflakes reported (sorted, with
    repeats), read from the outputs of the timed one-core runs: no tool runs twice."""
    names = [program_name(str(path)) for path in programs]
    reported: dict[str, dict[str, list[str]]] = {tool: {} for tool in TOOLS}
    for item in json.loads(outputs["dl_lsp"] or "[]"):
        reported["dl_lsp"].setdefault(program_name(item["path"]), []).append(item["code"])
    for line in outputs["torchfix_flake8"].splitlines():
        match = FLAKE8_LINE.match(line)
        if match:
            reported["torchfix"].setdefault(program_name(match["path"]), []).append(match["code"])
    for line in outputs["pyflakes"].splitlines():
        match = PYFLAKES_LINE.match(line)
        if match:
            kind = pyflakes_kind(match["message"])
            reported["pyflakes"].setdefault(program_name(match["path"]), []).append(kind)
    return [
        {
            "program": name,
            "lines": (ROOT / name).read_bytes().count(b"\n"),
            **{tool: sorted(reported[tool].get(name, [])) for tool in TOOLS},
        }
        for name in names
    ]


def findings_summary(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    buggy = [row for row in rows if row["program"].endswith("buggy.py")]
    fixed = [row for row in rows if row["program"].endswith("fixed.py")]

    def flagged(items: Sequence[dict[str, Any]], tool: str, predicate: Any = None) -> int:
        return sum(
            1 for row in items if [c for c in row[tool] if predicate is None or predicate(c)]
        )

    not_syntax = lambda code: code not in ("syntax", "SNP001")  # noqa: E731
    return {
        "programs": len(rows),
        "findings": {tool: sum(len(row[tool]) for row in rows) for tool in TOOLS},
        "programs_flagged": {tool: flagged(rows, tool) for tool in TOOLS},
        "buggy_programs": len(buggy),
        "buggy_flagged": {tool: flagged(buggy, tool, not_syntax) for tool in TOOLS},
        "fixed_programs": len(fixed),
        "fixed_flagged": {tool: flagged(fixed, tool, not_syntax) for tool in TOOLS},
        "only_dl_lsp_flags": sum(
            1 for row in rows if row["dl_lsp"] and not row["torchfix"] and not row["pyflakes"]
        ),
    }


TOOLS = ("dl_lsp", "torchfix", "pyflakes")


# -- language servers --------------------------------------------------------------------------


class PeerClient(Client):
    """The latency client, answering the server's own requests (configuration, registrations)."""

    def wait(self, wanted: Any, timeout: float = 120.0) -> tuple[float, dict[str, Any]]:
        def answering(message: dict[str, Any]) -> bool:
            if "method" in message and "id" in message:
                result: Any = None
                if message["method"] == "workspace/configuration":
                    result = [None] * len(message.get("params", {}).get("items", []))
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": result})
                return False
            return bool(wanted(message))

        return super().wait(answering, timeout)

    def first_diagnostics(self, uri: str, version: int) -> float:
        """When diagnostics for ``uri`` arrived (for ``version`` where the server says one)."""

        def wanted(message: dict[str, Any]) -> bool:
            params = message.get("params") or {}
            return (
                message.get("method") == "textDocument/publishDiagnostics"
                and params.get("uri") == uri
                and params.get("version", version) in (version, None)
            )

        return self.wait(wanted, timeout=60)[0]


def server_commands() -> dict[str, list[str]]:
    ours = [sys.executable, "-m", "dl_lsp.lsp.server"]
    return {
        "dl_lsp": ours,
        "jedi_language_server": [str(peer_bin("jedi-language-server"))],
        "python_lsp_server": [str(peer_bin("pylsp"))],
    }


def server_latency(command: list[str], text: str, edits: int, options: Any) -> dict[str, Any]:
    """didChange → first diagnostics of that version, one edit at a time; then RSS."""
    with tempfile.TemporaryDirectory(prefix="dl-lsp-compare-") as folder:
        path = Path(folder) / "edit.py"
        path.write_text(text, encoding="utf-8")
        uri = path.as_uri()
        environment_path = os.environ.get("PYTHONPATH")
        os.environ["PYTHONPATH"] = str(ROOT / "server")
        try:
            client = PeerClient(command)
        finally:
            if environment_path is None:
                os.environ.pop("PYTHONPATH", None)
            else:
                os.environ["PYTHONPATH"] = environment_path
        capabilities = {
            "textDocument": {"publishDiagnostics": {"versionSupport": True}},
            "workspace": {"configuration": True},
        }
        client.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": Path(folder).as_uri(),
                "capabilities": capabilities,
                "initializationOptions": options,
            },
        )
        client.notify("initialized", {})
        opened = time.perf_counter()
        client.open(uri, text)
        first = client.first_diagnostics(uri, 1) - opened
        line = text.count("\n") // 2
        latencies = []
        for version in range(2, edits + 2):
            start = {"line": line, "character": 0}
            if version % 2 == 0:
                change = {"range": {"start": start, "end": start}, "text": "#"}
            else:
                end = {"line": line, "character": 1}
                change = {"range": {"start": start, "end": end}, "text": ""}
            sent = time.perf_counter()
            client.notify(
                "textDocument/didChange",
                {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]},
            )
            latencies.append(client.first_diagnostics(uri, version) - sent)
        rss = client.rss_mb()
        client.close()
    ordered = sorted(latencies)
    return {
        "open_to_diagnostics_ms": round(first * 1000, 1),
        "edit_p50_ms": round(statistics.median(ordered) * 1000, 1),
        "edit_p95_ms": round(
            ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000, 1
        ),
        "edits": len(latencies),
        "rss_mb": round(rss, 1) if rss is not None else None,
    }


def measure_servers(lines: int, edits: int) -> dict[str, Any]:
    text = synthetic_program(lines)
    results: dict[str, Any] = {"document_lines": text.count("\n")}
    for name, command in server_commands().items():
        try:
            results[name] = server_latency(command, text, edits, None)
        except Exception as error:  # a peer that fails is reported, not fatal
            results[name] = {"error": f"{type(error).__name__}: {error}"}
    results["dl_lsp_debounce_0"] = server_latency(
        server_commands()["dl_lsp"], text, edits, {"dl-lsp": {"debounce-ms": 0}}
    )
    return results


# -- putting it together -----------------------------------------------------------------------


def files_of(folders: Sequence[Path]) -> list[Path]:
    return [path for folder in folders for path in sorted(folder.rglob("*.py"))]


def line_count(files: Sequence[Path]) -> int:
    return sum(path.read_bytes().count(b"\n") for path in files)


def _folders(groups: dict[str, list[Path]]) -> list[Path]:
    return [folder for folders in groups.values() for folder in folders]


def corpus_groups(quick: bool, generated: Path) -> dict[str, list[Path]]:
    """The corpus by kind: the small snippets (bug reports' code, clean snippets), our whole
    test programs and examples, and the generated larger files. ``quick``: no snippets, and
    fewer generated lines."""
    ours = {} if quick else {"snippets": [ROOT / folder for folder in SNIPPETS]}
    return {**ours, "programs": [ROOT / folder for folder in PROGRAMS], "generated": [generated]}


def corpus_summary(groups: dict[str, list[Path]], quick: bool) -> dict[str, Any]:
    files = {group: files_of(folders) for group, folders in groups.items()}
    summary: dict[str, Any] = {
        "files": sum(len(items) for items in files.values()),
        "lines": sum(line_count(items) for items in files.values()),
        "generated_target_lines": generated_lines(quick),
        "groups": {
            group: {
                "folders": [
                    "bench/make_corpus.py" if group == "generated" else program_name(str(folder))
                    for folder in groups[group]
                ],
                "files": len(items),
                "lines": line_count(items),
            }
            for group, items in files.items()
        },
    }
    if quick:
        summary["note"] = (
            "quick: a smaller corpus (no snippet folders, fewer generated lines), one run each, "
            "one core; process start-up weighs more than in the full run"
        )
    return summary


def save(result: dict[str, Any], output: Path | None) -> None:
    """Write what is measured so far (a long run stopped midway still leaves its figures)."""
    if output is not None:
        output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


def measure(quick: bool, servers: bool, output: Path | None = None) -> dict[str, Any]:
    ensure_peers()
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="dl-lsp-compare-") as folder:
        generated = Path(folder) / "generated"
        make_corpus(generated, generated_lines(quick))
        groups = corpus_groups(quick, generated)
        corpus = corpus_summary(groups, quick)
        checkers, outputs = measure_checkers(groups, 1, quick)
    widest = "1" if quick else "all"
    dl, flake8 = checkers["dl_lsp"], checkers["torchfix_flake8"]
    result: dict[str, Any] = {
        "machine": {
            "cores": cores,
            "load_average_at_start": _load_average(),
            "note": "a shared machine loaded by other work: compare the ratios of one run",
        },
        "quick": quick,
        "corpus": corpus,
        "dl_lsp_lines_per_s": dl[f"lines_per_s_{widest}"],
        "torchfix_lines_per_s": flake8[f"lines_per_s_{widest}"],
        "pyflakes_lines_per_s": checkers["pyflakes"]["lines_per_s_1"],
        "ast_parse_lines_per_s": checkers["ast_parse"][f"lines_per_s_{widest}"],
        "ratios": {
            "dl_lsp_over_torchfix_1_core": round(dl["lines_per_s_1"] / flake8["lines_per_s_1"], 2),
            "dl_lsp_over_pyflakes_1_core": round(
                dl["lines_per_s_1"] / checkers["pyflakes"]["lines_per_s_1"], 2
            ),
            "dl_lsp_analysis_over_ast_parse_time_1_core": analysis_over_parse(checkers),
            "dl_lsp_analysis_over_ast_parse_time_1_core_by_group": {
                group: analysis_over_parse(checkers, group) for group in groups
            },
        },
        "checkers": checkers,
    }
    if "torchfix" in checkers:
        result["torchfix_standalone_lines_per_s"] = checkers["torchfix"][f"lines_per_s_{widest}"]
    if not quick:
        result["ratios"]["dl_lsp_over_torchfix_all_cores"] = round(
            dl["lines_per_s_all"] / flake8["lines_per_s_all"], 2
        )
        result["dl_lsp_speedup"] = {
            "1": 1.0,
            "2": round(dl["seconds_1"] / dl["seconds_2"], 2),
            "all": round(dl["seconds_1"] / dl["seconds_all"], 2),
        }
    save(result, output)
    ours = [
        path
        for group, folders in groups.items()
        if group != "generated"
        for path in files_of(folders)
    ]
    rows = findings_side_by_side(outputs, ours)
    result["findings_summary"] = findings_summary(rows)
    result["findings"] = rows
    save(result, output)
    if servers:
        result["servers"] = measure_servers(1_000, 10 if quick else 20)
        save(result, output)
    return result


def _load_average() -> list[float] | None:
    try:
        return [round(value, 2) for value in os.getloadavg()]
    except (AttributeError, OSError):
        return None


def generated_lines(quick: bool) -> int:
    return QUICK_GENERATED_LINES if quick else FULL_GENERATED_LINES


GROUP_LABELS = {
    "snippets": "snippets (tests/corpus, tests/clean_corpus)",
    "programs": "test programs and examples",
    "generated": "generated programs (bench/make_corpus.py)",
}


def markdown(result: dict[str, Any]) -> str:
    """The README's comparison tables."""
    checkers = result["checkers"]
    rows = [
        ("`dl-lsp check`", "dl_lsp"),
        ("TorchFix (`flake8 --select=TOR`)", "torchfix_flake8"),
        ("TorchFix (`torchfix`)", "torchfix"),
        ("pyflakes", "pyflakes"),
        ("dl-lsp analysis in process (no start-up)", "dl_lsp_in_process"),
        ("`ast.parse` in process (floor)", "ast_parse"),
    ]
    out = [
        f"Corpus: {result['corpus']['files']} files, {result['corpus']['lines']:,} lines; "
        f"{result['machine']['cores']} cores.",
        "",
        "| tool | lines/s, 1 core | lines/s, all cores | peak memory |",
        "|---|---:|---:|---:|",
    ]
    for label, key in rows:
        if key not in checkers:  # standalone TorchFix is left out of --quick
            continue
        entry = checkers[key]
        every = entry.get("lines_per_s_all")
        peak = entry.get("peak_mb_1") or entry.get("peak_mb_all")
        out.append(
            f"| {label} | {_figure(entry.get('lines_per_s_1'))} | {_figure(every)} | "
            f"{f'{peak:.0f} MB' if peak else '—'} |"
        )
    groups = result["corpus"]["groups"]
    by_group = result["ratios"]["dl_lsp_analysis_over_ast_parse_time_1_core_by_group"]
    out += [
        "",
        "dl-lsp's analysis time over `ast.parse`'s (in process, one core, same texts):",
        "",
        "| files | count | lines | analysis / `ast.parse` |",
        "|---|---:|---:|---:|",
        *(
            f"| {GROUP_LABELS.get(group, group)} | {groups[group]['files']} | "
            f"{groups[group]['lines']:,} | {ratio:.2f}× |"
            for group, ratio in by_group.items()
        ),
        f"| all | {result['corpus']['files']} | {result['corpus']['lines']:,} | "
        f"{result['ratios']['dl_lsp_analysis_over_ast_parse_time_1_core']:.2f}× |",
    ]
    summary = result["findings_summary"]
    out += [
        "",
        f"Findings on our {summary['programs']} test programs "
        f"({summary['buggy_programs']} buggy/fixed pairs from real bug reports):",
        "",
        "| | dl-lsp | TorchFix | pyflakes |",
        "|---|---:|---:|---:|",
        "| findings | " + " | ".join(str(summary["findings"][tool]) for tool in TOOLS) + " |",
        "| programs flagged | "
        + " | ".join(str(summary["programs_flagged"][tool]) for tool in TOOLS)
        + " |",
        "| buggy programs flagged (syntax errors aside) | "
        + " | ".join(str(summary["buggy_flagged"][tool]) for tool in TOOLS)
        + " |",
    ]
    servers = result.get("servers")
    if servers:
        out += [
            "",
            f"Language servers, one {servers['document_lines']:,}-line document, "
            "didChange → first diagnostics of that version:",
            "",
            "| server | open → diagnostics | edit p50 | edit p95 | RSS |",
            "|---|---:|---:|---:|---:|",
        ]
        for label, key in (
            ("dl-lsp (default debounce)", "dl_lsp"),
            ("dl-lsp (debounce 0)", "dl_lsp_debounce_0"),
            ("jedi-language-server", "jedi_language_server"),
            ("python-lsp-server", "python_lsp_server"),
        ):
            entry = servers.get(key, {})
            if "error" in entry or not entry:
                out.append(f"| {label} | {entry.get('error', 'n/a')} | | | |")
                continue
            out.append(
                f"| {label} | {entry['open_to_diagnostics_ms']} ms | {entry['edit_p50_ms']} ms "
                f"| {entry['edit_p95_ms']} ms | {entry['rss_mb']} MB |"
            )
    return "\n".join(out)


def _figure(value: int | None) -> str:
    return f"{value:,}" if value else "—"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small corpus, one run each")
    parser.add_argument("--json", action="store_true", help="print the full JSON")
    parser.add_argument("--markdown", action="store_true", help="print the README tables")
    parser.add_argument("--findings", metavar="FILE", help="write the per-program findings")
    parser.add_argument("--no-servers", action="store_true", help="skip the language servers")
    parser.add_argument("--output", metavar="FILE", help="keep the JSON up to date in FILE")
    args = parser.parse_args()
    output = Path(args.output) if args.output else None
    result = measure(args.quick, servers=not args.no_servers and not args.quick, output=output)
    if args.findings:
        Path(args.findings).write_text(json.dumps(result["findings"], indent=1) + "\n")
    if args.markdown:
        print(markdown(result))
    shown = result if args.json else {k: v for k, v in result.items() if k != "findings"}
    print(json.dumps(shown, indent=2))


if __name__ == "__main__":
    main()
