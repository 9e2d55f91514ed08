"""``dl-lsp migrate FILE``: a TensorFlow 1 program migrated to TensorFlow 2, or (``--to api``)
every API-migration fix applied towards the installed framework versions."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

TARGETS = ("tf2", "api")
EXIT_CLEAN, EXIT_CHANGED, EXIT_FAILED = 0, 1, 2


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "migrate",
        help="migrate a file to TensorFlow 2 (or apply every API-migration fix)",
        description="Migrate a TensorFlow 1 file to TensorFlow 2: the minimal path keeps the "
        "TF1 API through tf.compat.v1, the idiomatic path turns placeholder/Session training "
        "into a Keras model trained with fit (falling back to the minimal path where the "
        "pattern is not recognised). --to api applies the API1xx fixes (Keras 1, PyTorch 0.x, "
        "TF1 names) towards the framework versions installed in the project's interpreter. "
        "The migrated file goes to stdout (-o - ), to -o OUT, or, with -o FILE itself, "
        "replaces it. Exit code: 0 nothing to change, 1 migrated, 2 error.",
    )
    parser.add_argument("file", metavar="FILE", help="the Python file to migrate")
    parser.add_argument("--to", choices=TARGETS, default="tf2", help="the migration (default tf2)")
    parser.add_argument(
        "--style",
        choices=("minimal", "idiomatic"),
        default="minimal",
        help="tf2 only: tf.compat.v1 (minimal) or Keras + fit (idiomatic)",
    )
    parser.add_argument(
        "-o", "--output", metavar="OUT", default="-", help="where to write the result (- stdout)"
    )
    parser.add_argument(
        "--tf-upgrade",
        action="store_true",
        help="tf2 minimal: rename through TensorFlow's tf_upgrade_v2 (run by the project's "
        "interpreter, which must have TensorFlow) instead of the tf.compat.v1 alias",
    )
    parser.add_argument(
        "--python", metavar="PATH", help="the project's interpreter (default: .venv, $VIRTUAL_ENV)"
    )
    parser.set_defaults(handler=run_migrate)


def run_migrate(args: argparse.Namespace) -> int:
    from dl_lsp.environment import find_interpreter, framework_versions, installed_versions
    from dl_lsp.migrate import migrate_source, migrate_to_tf2

    path = Path(args.file)
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        print(f"dl-lsp: error: cannot read {path}: {error}", file=sys.stderr)
        return EXIT_FAILED
    project = path.resolve().parent
    python = args.python or _interpreter(find_interpreter(project))
    versions = framework_versions(python=python, project=project)
    if args.to == "api":
        result = migrate_source(text, versions)
    else:
        upgrade = None
        if args.tf_upgrade:
            if args.style != "minimal":
                print("dl-lsp: error: --tf-upgrade goes with --style minimal", file=sys.stderr)
                return EXIT_FAILED
            if "tensorflow" not in installed_versions(python):
                print(
                    f"dl-lsp: error: --tf-upgrade needs TensorFlow in {python}; "
                    "name another interpreter with --python",
                    file=sys.stderr,
                )
                return EXIT_FAILED
            upgrade = python
        result = migrate_to_tf2(text, args.style, versions, upgrade_python=upgrade)
    _write(result.text, args.output)
    for line in result.applied:
        print(f"{path}: {line}", file=sys.stderr)
    for line in result.notes:
        print(f"{path}: note: {line}", file=sys.stderr)
    changes = len(result.applied)
    print(f"dl-lsp: {changes} change{'s' if changes != 1 else ''}", file=sys.stderr)
    return EXIT_CHANGED if result.text != text else EXIT_CLEAN


def _interpreter(found: Path | None) -> str:
    return str(found) if found is not None else sys.executable


def _write(text: str, output: str) -> None:
    if output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from dl_lsp.atomic import write_text_atomically

    write_text_atomically(Path(output), text)
