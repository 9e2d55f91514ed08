"""dl-lsp side by side with what users would otherwise run, on the same files in the same run.

Checkers (each a fresh process, start-up included, on the same corpus): ``dl-lsp check``,
TorchFix as its flake8 plugin (``flake8 --select=TOR``) and standalone (``torchfix``),
``pyflakes``, and bare ``ast.parse`` (the floor). Measured: lines per second on one core and on
all cores, the peak memory of the largest process, and the speed-up of ``dl-lsp check`` on 1, 2
and all cores. Language servers: dl-lsp, jedi-language-server and python-lsp-server on the same
document and the same edits, time from didChange to the first diagnostics for that document,
and RSS. Findings: for each of our test programs, what dl-lsp, TorchFix and pyflakes report.

The peers live in their own virtual environment, ``.bench-venv/`` (created on first use), so
they never touch the project's. Corpus: tests/corpus, tests/clean_corpus, tests/lsp/programs,
examples/, and the generated programs of bench/make_corpus.py.

Usage: python bench/compare.py [--quick] [--json] [--markdown] [--findings FILE] [--no-servers]
"""

from __future__ import annotations

import argparse
import ast
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
OUR_PROGRAMS = ("tests/corpus", "tests/clean_corpus", "tests/lsp/programs", "examples")
FULL_GENERATED_LINES = 4_000
QUICK_GENERATED_LINES = 1_500


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
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = 0
        for path in paths:
            try:
                ast.parse(Path(path).read_bytes())
                parsed += 1
            except (SyntaxError, ValueError):
                pass
        return parsed


def parse_floor(paths: Sequence[Path], workers: int) -> float:
    """Seconds for ``ast.parse`` of every file (reading included), on ``workers`` processes."""
    names = [str(path) for path in paths]
    started = time.perf_counter()
    if workers == 1:
        parse_files(names)
    else:
        chunks = [names[index::workers] for index in range(workers)]
        with ProcessPoolExecutor(workers) as pool:
            list(pool.map(parse_files, chunks))
    return time.perf_counter() - started


def analysis_time(paths: Sequence[Path]) -> float:
    """Seconds for dl-lsp's analysis of every file in this process (no start-up), one core."""
    from dl_lsp.engine import analyze_source

    texts = [path.read_bytes().decode("utf-8", "replace") for path in paths]
    analyze_source(texts[0])  # rule data and caches loaded once, as in a running checker
    started = time.perf_counter()
    for path, text in zip(paths, texts, strict=True):
        analyze_source(text, path=str(path))
    return time.perf_counter() - started


# -- the checkers --------------------------------------------------------------------------


def dl_lsp(jobs: int | None) -> list[str]:
    command = [sys.executable, "-m", "dl_lsp", "check", "--no-config", "--format", "json"]
    return command + ([] if jobs is None else ["--jobs", str(jobs)])


def checker_commands(cores: int, quick: bool) -> dict[str, dict[str, list[str]]]:
    """tool → {cores: command} (paths appended later); ``quick`` keeps one core only."""
    flake8 = [str(peer_bin("flake8")), "--isolated", "--select=TOR"]
    torchfix = [str(peer_bin("torchfix")), "--select=ALL"]
    commands = {
        "dl_lsp": {"1": dl_lsp(1), "2": dl_lsp(2), "all": dl_lsp(None)},
        "torchfix_flake8": {"1": [*flake8, "--jobs=1"], "all": [*flake8, f"--jobs={cores}"]},
        "torchfix": {"1": [*torchfix, "--jobs=1"], "all": [*torchfix, f"--jobs={cores}"]},
        "pyflakes": {"1": [str(peer_bin("pyflakes"))]},
    }
    if not quick:  # as slow as the plugin on one core: all cores only, to save minutes
        del commands["torchfix"]["1"]
    if quick:
        return {
            tool: {"1": variants["1"]} for tool, variants in commands.items() if "1" in variants
        }
    return commands


def measure_checkers(paths: Sequence[Path], lines: int, repeat: int, quick: bool) -> dict[str, Any]:
    cores = os.cpu_count() or 1
    folders = [str(path) for path in paths]
    files = [path for folder in paths for path in sorted(folder.rglob("*.py"))]
    result: dict[str, Any] = {}
    for tool, variants in checker_commands(cores, quick).items():
        entry: dict[str, Any] = {}
        for cores_label, command in variants.items():
            run = best([*command, *folders], repeat)
            entry[f"lines_per_s_{cores_label}"] = round(lines / run.seconds)
            entry[f"seconds_{cores_label}"] = round(run.seconds, 3)
            entry[f"peak_mb_{cores_label}"] = round(run.peak_mb, 1)
        result[tool] = entry
    one = min(parse_floor(files, 1) for _ in range(repeat))
    result["ast_parse"] = {"lines_per_s_1": round(lines / one), "seconds_1": round(one, 3)}
    analysis = min(analysis_time(files) for _ in range(repeat))
    result["dl_lsp_in_process"] = {
        "lines_per_s_1": round(lines / analysis),
        "seconds_1": round(analysis, 3),
    }
    if not quick:
        every = min(parse_floor(files, cores) for _ in range(repeat))
        result["ast_parse"].update(
            {"lines_per_s_all": round(lines / every), "seconds_all": round(every, 3)}
        )
    return result


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


def findings_side_by_side(folders: Sequence[Path]) -> list[dict[str, Any]]:
    """For each program: the codes dl-lsp, TorchFix and pyflakes report (sorted, with counts)."""
    files = [path for folder in folders for path in sorted(folder.rglob("*.py"))]
    names = [str(path.relative_to(ROOT)) for path in files]
    ours: dict[str, list[str]] = {name: [] for name in names}
    run = run_process([*dl_lsp(None), *names])
    for item in json.loads(run.stdout or "[]"):
        ours.setdefault(item["path"], []).append(item["code"])
    torchfix: dict[str, list[str]] = {name: [] for name in names}
    run = run_process([str(peer_bin("flake8")), "--isolated", "--select=TOR", *names])
    for line in run.stdout.splitlines():
        match = FLAKE8_LINE.match(line)
        if match:
            torchfix.setdefault(os.path.normpath(match["path"]), []).append(match["code"])
    flakes: dict[str, list[str]] = {name: [] for name in names}
    run = run_process([str(peer_bin("pyflakes")), *names])
    for line in run.stdout.splitlines():
        match = PYFLAKES_LINE.match(line)
        if match:
            key = os.path.normpath(match["path"])
            flakes.setdefault(key, []).append(pyflakes_kind(match["message"]))
    return [
        {
            "program": name,
            "lines": Path(ROOT / name).read_bytes().count(b"\n"),
            "dl_lsp": sorted(ours.get(name, [])),
            "torchfix": sorted(torchfix.get(name, [])),
            "pyflakes": sorted(flakes.get(name, [])),
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


def line_count(folders: Sequence[Path]) -> tuple[int, int]:
    files = [path for folder in folders for path in folder.rglob("*.py")]
    return len(files), sum(path.read_bytes().count(b"\n") for path in files)


QUICK_PROGRAMS = ("examples", "tests/lsp/programs")


def save(result: dict[str, Any], output: Path | None) -> None:
    """Write what is measured so far (a long run stopped midway still leaves its figures)."""
    if output is not None:
        output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


def measure(quick: bool, servers: bool, output: Path | None = None) -> dict[str, Any]:
    ensure_peers()
    cores = os.cpu_count() or 1
    ours = [ROOT / folder for folder in (QUICK_PROGRAMS if quick else OUR_PROGRAMS)]
    with tempfile.TemporaryDirectory(prefix="dl-lsp-compare-") as folder:
        generated = Path(folder) / "generated"
        make_corpus(generated, generated_lines(quick))
        corpus = [*ours, generated]
        files, lines = line_count(corpus)
        checkers = measure_checkers(corpus, lines, 1, quick)
    widest = "1" if quick else "all"
    dl, flake8 = checkers["dl_lsp"], checkers["torchfix_flake8"]
    result: dict[str, Any] = {
        "machine": {
            "cores": cores,
            "note": "a shared machine loaded by other work: compare the ratios of one run",
        },
        "corpus": {"files": files, "lines": lines, "generated_lines": generated_lines(quick)},
        "dl_lsp_lines_per_s": dl[f"lines_per_s_{widest}"],
        "torchfix_lines_per_s": flake8[f"lines_per_s_{widest}"],
        "torchfix_standalone_lines_per_s": checkers["torchfix"][f"lines_per_s_{widest}"],
        "pyflakes_lines_per_s": checkers["pyflakes"]["lines_per_s_1"],
        "ast_parse_lines_per_s": checkers["ast_parse"][f"lines_per_s_{widest}"],
        "ratios": {
            "dl_lsp_over_torchfix_1_core": round(dl["lines_per_s_1"] / flake8["lines_per_s_1"], 2),
            "dl_lsp_over_pyflakes_1_core": round(
                dl["lines_per_s_1"] / checkers["pyflakes"]["lines_per_s_1"], 2
            ),
            "dl_lsp_analysis_over_ast_parse_time_1_core": round(
                checkers["dl_lsp_in_process"]["seconds_1"] / checkers["ast_parse"]["seconds_1"], 2
            ),
        },
        "checkers": checkers,
    }
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
    rows = findings_side_by_side(ours)
    result["findings_summary"] = findings_summary(rows)
    result["findings"] = rows
    save(result, output)
    if servers:
        result["servers"] = measure_servers(1_000, 10 if quick else 20)
        save(result, output)
    return result


def generated_lines(quick: bool) -> int:
    return QUICK_GENERATED_LINES if quick else FULL_GENERATED_LINES


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
        entry = checkers[key]
        every = entry.get("lines_per_s_all")
        peak = entry.get("peak_mb_1") or entry.get("peak_mb_all")
        out.append(
            f"| {label} | {_figure(entry.get('lines_per_s_1'))} | {_figure(every)} | "
            f"{f'{peak:.0f} MB' if peak else '—'} |"
        )
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
