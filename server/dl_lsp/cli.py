"""Command line: ``dl-lsp check``, ``dl-lsp rules``, ``dl-lsp serve``."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dl_lsp import __version__, codecache

# First, before the modules below define their dataclasses: their generated methods come
# compiled from the cache (codecache.py), which the server fills.
codecache.install("dataclasses", "typing")

from dl_lsp.commands import command_modules  # noqa: E402
from dl_lsp.config import (  # noqa: E402
    Settings,
    SettingsError,
    find_pyproject,
    load_pyproject_settings,
    parse_codes,
    parse_input_type,
    parse_problem_type,
)
from dl_lsp.report.results import EXIT_CLEAN, EXIT_FAILED  # noqa: E402
from dl_lsp.ruleset import Rule, load_rules  # noqa: E402

# What only ``check`` needs is imported in its handler: ``dl-lsp serve`` starts faster.
if TYPE_CHECKING:
    from dl_lsp.files import SourceFile
    from dl_lsp.report.results import CheckReport
    from dl_lsp.report.runner import CheckTask

FORMATS = ("text", "json", "sarif")


class UsageError(Exception):
    """The command line cannot be carried out as given (exit code 2)."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit code (0 clean, 1 reported, 2 failed)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_request:  # --help, --version, or a usage error from argparse
        return exit_request.code if isinstance(exit_request.code, int) else EXIT_CLEAN
    handler: Callable[[argparse.Namespace], int] | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return EXIT_FAILED
    try:
        return handler(args)
    except UsageError as error:
        print(f"dl-lsp: error: {error}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (``dl-lsp check | head``): stop quietly.
        _silence_stdout()
        return EXIT_FAILED
    except Exception:
        traceback.print_exc()
        print("dl-lsp: internal error (a bug in dl-lsp; please report it)", file=sys.stderr)
        return EXIT_FAILED


def build_parser() -> argparse.ArgumentParser:
    """The argument parser: check, rules, serve, and the commands of ``dl_lsp.commands``."""
    parser = argparse.ArgumentParser(
        prog="dl-lsp", description="Static checker and language server for deep-learning code."
    )
    parser.add_argument("--version", action="version", version=f"dl-lsp {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    _add_check_command(commands)
    _add_rules_command(commands)
    serve = commands.add_parser("serve", help="run the language server over stdio")
    serve.set_defaults(handler=run_serve)
    for module in command_modules():
        module.register(commands)
    return parser


def _add_check_command(commands: Any) -> None:
    check = commands.add_parser(
        "check",
        help="check files and folders",
        description="Check Python files (folders are searched recursively for *.py). "
        "Exit code: 0 clean, 1 problems reported, 2 usage or internal error.",
    )
    check.add_argument("paths", nargs="+", metavar="PATH", help="files or folders to check")
    check.add_argument("--format", choices=FORMATS, default="text", help="output format")
    check.add_argument(
        "--select", metavar="CODES", help="comma-separated codes or prefixes to check (or ALL)"
    )
    check.add_argument(
        "--ignore", metavar="CODES", help="comma-separated codes or prefixes not to check"
    )
    check.add_argument(
        "--problem-type",
        type=_typed(parse_problem_type),
        metavar="TYPE",
        help="binary, multiclass, multilabel or regression (overrides what the code suggests)",
    )
    check.add_argument(
        "--input-type",
        type=_typed(parse_input_type),
        metavar="TYPE",
        help="color, grayscale, tabular or sequence",
    )
    check.add_argument(
        "--jobs", type=_positive_int, metavar="N", help="worker processes (default: CPU cores)"
    )
    check.add_argument(
        "--no-config", action="store_true", help="ignore [tool.dl-lsp] in pyproject.toml"
    )
    check.add_argument(
        "--fix",
        action="store_true",
        help="apply the safe fixes to the files (written atomically), then report what is left",
    )
    check.set_defaults(handler=run_check)


def _add_rules_command(commands: Any) -> None:
    rules = commands.add_parser("rules", help="list the rules, or write their documentation")
    rules.add_argument("codes", nargs="*", metavar="CODE", help="only these codes (prefixes)")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    rules.add_argument("--docs", metavar="DIR", help="write one Markdown page per rule into DIR")
    rules.set_defaults(handler=run_rules)


def _typed(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    """An argparse type from one of the settings parsers (their errors become usage errors)."""

    def convert(value: str) -> Any:
        try:
            return parse(value)
        except SettingsError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    return convert


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def run_check(args: argparse.Namespace) -> int:
    """``dl-lsp check``: discover, check (in parallel), print, and choose the exit code."""
    from dl_lsp.environment import framework_versions
    from dl_lsp.files import discover_python_files
    from dl_lsp.report.runner import CheckTask, check_files

    rules = list(load_rules().values())
    overrides = _setting_overrides(args, rules)
    discovery = discover_python_files(args.paths)
    if discovery.missing:
        raise UsageError("no such file or folder: " + ", ".join(discovery.missing))
    if not discovery.files:
        print("dl-lsp: warning: no Python files found", file=sys.stderr)
    # The API-migration rules follow the frameworks installed in the project's interpreter
    # (read from package metadata in a subprocess; never imported here).
    overrides["framework_versions"] = framework_versions(project=Path.cwd())
    tasks = [
        CheckTask(file, settings.merged(**overrides))
        for file, settings in _file_settings(discovery.files, use_config=not args.no_config)
    ]
    if args.fix:
        _fix_files(tasks, args.jobs)
    report = check_files(tasks, jobs=args.jobs)
    _write_report(report, args.format, rules)
    return report.exit_code()


def _fix_files(tasks: Sequence[CheckTask], jobs: int | None) -> None:
    """``--fix``: apply the safe fixes, saying on stderr what was fixed and what was left."""
    from dl_lsp.fix_files import fix_files

    outcomes = fix_files([(task.file, task.settings) for task in tasks], jobs)
    for outcome in outcomes:
        line = outcome.describe()
        if line is not None:
            print(line, file=sys.stderr)
    fixed = sum(len(outcome.applied) for outcome in outcomes if outcome.changed)
    files = sum(outcome.changed for outcome in outcomes)
    print(f"dl-lsp: fixed {fixed} problem(s) in {files} file(s)", file=sys.stderr)


def _setting_overrides(args: argparse.Namespace, rules: Sequence[Rule]) -> dict[str, Any]:
    overrides: dict[str, Any] = {}
    if args.select is not None:
        overrides["select"] = _known_codes(args.select, "--select", rules)
    if args.ignore is not None:
        overrides["ignore"] = _known_codes(args.ignore, "--ignore", rules)
    if args.problem_type is not None:
        overrides["problem_type"] = args.problem_type
    if args.input_type is not None:
        overrides["input_type"] = args.input_type
    return overrides


def _known_codes(value: str, option: str, rules: Sequence[Rule]) -> frozenset[str]:
    codes = parse_codes(value) or frozenset()
    unknown = sorted(
        code
        for code in codes
        if code != "ALL" and not any(rule.code.startswith(code) for rule in rules)
    )
    if unknown:
        raise UsageError(f"{option}: no rule has the code or prefix {', '.join(unknown)}")
    return codes


def _file_settings(
    files: Sequence[SourceFile], *, use_config: bool
) -> list[tuple[SourceFile, Settings]]:
    """Each file with the settings of its nearest ``pyproject.toml`` (read once per file)."""
    by_folder: dict[str, Path | None] = {}
    by_config: dict[Path | None, Settings] = {None: Settings()}
    paired: list[tuple[SourceFile, Settings]] = []
    for file in files:
        folder = os.path.dirname(os.path.abspath(file.path))
        if folder not in by_folder:
            by_folder[folder] = find_pyproject(Path(folder)) if use_config else None
        config = by_folder[folder]
        if config not in by_config:
            by_config[config] = _load_config(config)
        paired.append((file, by_config[config]))
    return paired


def _load_config(path: Path | None) -> Settings:
    if path is None:
        return Settings()
    try:
        return load_pyproject_settings(path)
    except SettingsError as error:
        message = str(error)
        raise UsageError(
            message if message.startswith(str(path)) else f"{path}: {message}"
        ) from None


def _write_report(report: CheckReport, output_format: str, rules: Sequence[Rule]) -> None:
    if output_format == "json":
        from dl_lsp.report.json_format import render_json

        sys.stdout.write(render_json(report))
    elif output_format == "sarif":
        from dl_lsp.report.sarif import render_sarif

        sys.stdout.write(render_sarif(report, rules))
    else:
        from dl_lsp.report.text import render_text

        sys.stdout.write(render_text(report))
    sys.stdout.flush()
    for problem in report.problems:
        print(problem.describe(), file=sys.stderr)
    if output_format == "text":
        from dl_lsp.report.text import summary_line

        print(summary_line(report), file=sys.stderr)


def run_rules(args: argparse.Namespace) -> int:
    """``dl-lsp rules``: list the rules, or write their pages with ``--docs DIR``."""
    if args.docs:
        from dl_lsp.rule_docs import write_rule_docs

        if args.codes:
            raise UsageError("--docs writes the pages of every rule; leave out the codes")
        update = write_rule_docs(Path(args.docs), load_rules().values())
        print(f"Wrote {len(update.written)} pages to {args.docs}", file=sys.stderr)
        for name in update.removed:
            print(f"Removed stale page {os.path.join(args.docs, name)}", file=sys.stderr)
        return EXIT_CLEAN
    rules = _chosen_rules(args.codes)
    from dl_lsp.report.rule_listing import render_rules_json, render_rules_text

    render = render_rules_json if args.format == "json" else render_rules_text
    sys.stdout.write(render(rules))
    return EXIT_CLEAN


def _chosen_rules(codes: Sequence[str]) -> list[Rule]:
    rules = list(load_rules().values())
    if not codes:
        return rules
    wanted = parse_codes(codes) or frozenset()
    chosen = [rule for rule in rules if any(rule.code.startswith(code) for code in wanted)]
    if not chosen:
        raise UsageError(f"no rule has the code or prefix {', '.join(sorted(wanted))}")
    return chosen


def prepare_server_start() -> None:
    """What ``dl-lsp serve`` does before importing the server: fewer collections while it
    starts (until ``server.main``), and the code of lsprotocol's attrs classes and pygls'
    cattrs converters from the compiled-code cache."""
    from dl_lsp.lsp import collector

    collector.starting()
    codecache.install("attr._make", "cattrs.gen")


def run_serve(args: argparse.Namespace) -> int:
    """``dl-lsp serve``: the language server, imported only now (it needs pygls)."""
    try:
        prepare_server_start()
        # Imported by name: the server module (and pygls) load only for this command.
        server = importlib.import_module("dl_lsp.lsp.server")
        serve_main: Callable[[], object] = server.main
    except (ImportError, AttributeError) as error:
        print(
            f"dl-lsp: error: the language server is not available ({error}); "
            "install it with: pip install 'dl-lsp[server]'",
            file=sys.stderr,
        )
        return EXIT_FAILED
    result = serve_main()
    return result if isinstance(result, int) else EXIT_CLEAN


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
