"""Server features beyond diagnostics, hover and quick fixes, one module each.

Every module here defines ``register(ls)``, called once while the server is built, before the
code-action feature is registered: it may add ``workspace/executeCommand`` handlers with
``ls.command(NAME)`` and code-action providers with
``dl_lsp.lsp.code_actions.add_provider(kind, provider)``. Modules are found by name, so a new
feature needs no edit elsewhere. They load at the server's start: keep their top level light
(no torch, tensorflow, keras or sentence-transformers, ever) and do heavy work in a subprocess.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def extension_modules() -> list[ModuleType]:
    """The extension modules of this package, in name order."""
    return [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name)
        if not info.name.startswith("_")
    ]
