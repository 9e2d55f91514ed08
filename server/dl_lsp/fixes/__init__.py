"""Quick fixes: a finding's ``fix_data`` turned into minimal, verified text edits.

Computed on demand with libcst, so the user's formatting survives; this package is the only
place that imports libcst and the analysis path never imports it (the server does so lazily,
on a code-action request).

The fix data contract, written by the checks::

    {"fixes": [{"title": str, "safe": bool, "edits": [ACTION, ...]}, ...]}   # first = preferred

with ACTIONs ``replace_value``, ``set_keyword``, ``remove_keyword``, ``remove_layer``,
``insert_layer_after``, ``wrap_call``, ``wrap_value``, and for API migrations
``rename_keyword``, ``replace_name``, ``replace_expression`` and ``merge_arguments`` (see
``actions.py``); spans are JSON lists ``[line, column, end_line, end_column]`` in ``Span``'s
convention.

Every edit is minimal (the changed region, whole words, whole lines where lines are added or
removed) and verified before it is returned: the fixed file must parse. A snippet that libcst
cannot parse still gets its one-expression fixes (``replace_value``, ``set_keyword`` on an
existing keyword, ``wrap_value``, and the migration actions outside imports), computed on the
analysis's tolerant ``ast`` parse and kept only when they add no syntax error. A fix with an
unknown action, a span that matches no node, or an edit that fails verification is dropped;
nothing here raises.
"""

from __future__ import annotations

from dl_lsp.fixes.edits import FixProposal, TextEdit, apply_edits
from dl_lsp.fixes.ignore import ignore_fix
from dl_lsp.fixes.proposals import fix_all, fixes_for

__all__ = ["FixProposal", "TextEdit", "apply_edits", "fix_all", "fixes_for", "ignore_fix"]
