"""``dl-lsp repro FILE``: make a snippet reproducible, and optionally run the result."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "repro",
        help="make a snippet reproducible (dlRepro's edit actions), optionally run it",
        description="Apply dlRepro's edit actions to a snippet: imports, hyperparameters, "
        "synthetic data, a stand-in model, logging, version migration, syntax repairs. The "
        "program goes to OUT (default: standard output), the report to standard error (to "
        "standard output when OUT is a file).",
    )
    parser.add_argument("file", help="the snippet (a .py file, a notebook, or - for stdin)")
    parser.add_argument(
        "-o", "--output", default="-", help="where to write the program (- = stdout)"
    )
    parser.add_argument("--run", action="store_true", help="run the result and report how it ends")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds a run may take (120)")
    parser.add_argument("--python", help="the interpreter to run with and to search imports in")
    parser.add_argument(
        "--bug-type",
        choices=["model", "tensor", "training", "gpu", "api"],
        help="the bug type whose dlRepro ranking orders the actions (default: from the findings)",
    )
    parser.add_argument("--format", choices=["text", "json"], default="text", help="report format")
    parser.add_argument("--no-search", action="store_true", help="no jedi search for imports")
    parser.set_defaults(handler=run_repro)


def run_repro(args: argparse.Namespace) -> int:
    from dl_lsp.cli import UsageError
    from dl_lsp.findings import BugType
    from dl_lsp.notebooks import write_text_atomically
    from dl_lsp.repro import Options, make_reproducible
    from dl_lsp.repro.import_search import jedi_import_search, project_interpreter
    from dl_lsp.repro.report import render_report
    from dl_lsp.repro.runner import run_program

    notebook = None
    if args.file == "-":
        text, base = sys.stdin.read(), Path.cwd()
    else:
        path = Path(args.file)
        notebook = _read_notebook(path)
        if notebook is not None:
            text = notebook[1].text
        else:
            try:
                text = path.read_bytes().decode("utf-8", errors="replace")
            except OSError as error:
                raise UsageError(f"cannot read {args.file}: {error.strerror or error}") from error
        base = path.resolve().parent
    python = args.python or project_interpreter(base)
    search = None if args.no_search else jedi_import_search(python)
    options = Options(base_dir=base, search_import=search)
    bug_type = BugType(args.bug_type) if args.bug_type else None
    result = make_reproducible(text, options, bug_type)
    run = run_program(result.text, args.timeout, python, base) if args.run else None
    output = result.text
    if notebook is not None and not args.output.endswith(".py"):
        # A notebook comes back as a notebook: each cell with its share of the new program
        # (imports in the first code cell); ``-o FILE.py`` writes the program instead.
        from dl_lsp.notebooks import render_notebook, sources_from_program

        rendered = render_notebook(notebook[0], sources_from_program(notebook[1], result.text))
        if not isinstance(rendered, str):
            raise UsageError(f"{args.file}: {rendered.message}")
        output = rendered
    if args.output == "-":
        sys.stdout.write(output)
        report_stream = sys.stderr
    else:
        problem = write_text_atomically(Path(args.output), output)
        if problem is not None:
            raise UsageError(problem.message)
        report_stream = sys.stdout
    if args.format == "json":
        report_stream.write(json.dumps(_as_json(result, run), indent=2) + "\n")
    else:
        report_stream.write(render_report(result, run))
    if run is not None and not run.completed:
        return 1
    return 0


def _read_notebook(path: Path) -> tuple[Any, Any] | None:
    """(notebook, program) for a readable ``.ipynb``; None for other files and for notebooks
    that cannot be read as such (their text then goes through repro's own repairs, which take
    the code cells out of notebook JSON)."""
    from dl_lsp.notebooks import is_notebook_path, notebook_program, read_notebook
    from dl_lsp.notebooks.reading import Notebook

    if not is_notebook_path(path):
        return None
    notebook = read_notebook(path)
    if not isinstance(notebook, Notebook):
        return None
    return notebook, notebook_program(notebook)


def _as_json(result: Any, run: Any) -> dict[str, Any]:
    return {
        "bug_type": result.bug_type.value,
        "order": list(result.order),
        "steps": [
            {"action": s.action, "name": s.name, "description": s.description} for s in result.steps
        ],
        "missing": {c.value: d for c, d in result.missing().items() if d},
        "problems": list(result.problems),
        "run": None
        if run is None
        else {
            "completed": run.completed,
            "timed_out": run.timed_out,
            "seconds": round(run.seconds, 2),
            "line": run.line,
            "error": run.error,
        },
    }
