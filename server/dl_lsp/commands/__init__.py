"""Sub-commands beyond ``check``, ``rules`` and ``serve``, one module each.

Every module here defines ``register(commands)``, which adds its sub-parser to the ``dl-lsp``
command line and sets ``handler`` (a function of the parsed arguments that returns the exit
code). Modules are found by name, so a new command needs no edit elsewhere. They are imported
each time the command line is built, the server's start included: keep their top level light and
import heavy modules inside the handler.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def command_modules() -> list[ModuleType]:
    """The command modules of this package, in name order."""
    return [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name)
        if not info.name.startswith("_")
    ]
