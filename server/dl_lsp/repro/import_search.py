"""The rest of A4: jedi looks a name up in the modules of the user's interpreter."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from dl_lsp.repro.import_table import SEARCH_MODULES

_LOCK = threading.Lock()


def jedi_import_search(python: str | None = None) -> Callable[[str, str | None, str], str | None]:
    """A search function backed by jedi in ``python`` (the running interpreter when None)."""

    def search(name: str, framework: str | None, keras: str) -> str | None:
        groups = [framework] if framework in SEARCH_MODULES else ["keras", "torch"]
        for group in [*groups, "any"]:
            for template in SEARCH_MODULES.get(group or "any", ()):
                module = template.format(keras=keras)
                if name in _module_names(python, module):
                    return f"from {module} import {name}"
        return None

    return search


@lru_cache(maxsize=64)
def _module_names(python: str | None, module: str) -> frozenset[str]:
    """The public names of ``module`` as jedi completes them (empty when jedi cannot tell)."""
    try:
        import jedi
    except ImportError:
        return frozenset()
    with _LOCK:  # jedi's inference state is not thread-safe
        try:
            environment = (
                jedi.create_environment(python, safe=False)
                if python
                else jedi.get_default_environment()
            )
            code = f"import {module}\n{module}."
            completions = jedi.Script(code, environment=environment).complete(2, len(module) + 1)
        except Exception:  # a broken interpreter or module: nothing found
            return frozenset()
    return frozenset(c.name for c in completions if not c.name.startswith("_"))


def project_interpreter(folder: Path) -> str | None:
    """The virtual environment interpreter of the project holding ``folder``, if it has one."""
    from dl_lsp.environment import find_interpreter

    for candidate in (folder, *folder.parents):
        found = find_interpreter(candidate)
        if found is not None:
            return str(found)
        if (candidate / ".git").exists() or (candidate / "pyproject.toml").exists():
            break
    return None
