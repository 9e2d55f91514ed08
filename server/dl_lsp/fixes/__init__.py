"""Quick fixes: a finding's ``fix_data`` turned into minimal, verified text edits.

Computed on demand with libcst, so the user's formatting survives; this package is the only
place that imports libcst and the analysis path never imports it (the server does so lazily,
on a code-action request).

The fix data contract, written by the checks::

    {"fixes": [{"title": str, "safe": bool, "edits": [ACTION, ...]}, ...]}   # first = preferred

with ACTIONs ``replace_value``, ``set_keyword``, ``remove_keyword``, ``remove_layer``,
``insert_layer_after``, ``wrap_call`` and ``wrap_value`` (see ``actions.py``); spans are JSON
lists ``[line, column, end_line, end_column]`` in ``Span``'s convention.
"""

from __future__ import annotations

from dl_lsp.fixes.edits import FixProposal, TextEdit, apply_edits
from dl_lsp.fixes.ignore import ignore_fix
from dl_lsp.fixes.proposals import fix_all, fixes_for

__all__ = ["FixProposal", "TextEdit", "apply_edits", "fix_all", "fixes_for", "ignore_fix"]
