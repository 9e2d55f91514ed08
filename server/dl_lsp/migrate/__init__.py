"""Version migration (dlRepro's A6 Obsolete Parameter Removal and A10 Version Migration).

``migrate_source`` applies the API1xx quick fixes towards the framework versions given (the
installed ones, else the pinned ones, else the newest), round after round until none is left;
``migrate_to_tf2`` rewrites a TensorFlow 1 program for TensorFlow 2, through ``tf.compat.v1``
(minimal) or as a Keras model trained with ``fit`` (idiomatic). Both return valid Python for
valid Python, are idempotent, and remove no statement of the user's except the obsolete
argument or line an action names (the idiomatic path names the graph and session lines it
replaces). Nothing here imports a framework: ``tf_upgrade_v2`` runs in a subprocess of the
user's interpreter.
"""

from __future__ import annotations

from dl_lsp.migrate.api_fixes import migrate_source
from dl_lsp.migrate.result import MigrationResult
from dl_lsp.migrate.tf2 import STYLES, migrate_to_tf2

__all__ = ["STYLES", "MigrationResult", "migrate_source", "migrate_to_tf2"]
