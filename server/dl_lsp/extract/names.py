"""Imports and dotted names: which framework a call such as ``layers.Dense(...)`` belongs to."""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass, field

from dl_lsp.extract.catalog import KERAS_LAYERS, TORCH_LAYERS
from dl_lsp.facts import Framework

# Conventional aliases used by snippets that omit their imports.
_CONVENTIONAL_ROOTS: dict[str, str] = {
    "tf": "tensorflow",
    "keras": "keras",
    "layers": "keras.layers",
    "nn": "torch.nn",
    "F": "torch.nn.functional",
    "optim": "torch.optim",
    "torch": "torch",
    "np": "numpy",
    "pd": "pandas",
    "K": "keras.backend",
}


def dotted_name(node: ast.AST) -> str | None:
    """``tf.keras.layers.Dense`` for an attribute chain over a name; None otherwise."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return f"{node.value.id}.{node.attr}"  # the most common chain, without a list
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def last_name(node: ast.AST) -> str | None:
    """The final component of a called name: ``Dense`` for ``keras.layers.Dense``."""
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return None


@dataclass
class ImportTable:
    """Local names bound by imports, mapped to the fully qualified names they stand for."""

    bindings: dict[str, str] = field(default_factory=dict)
    keras_score: int = 0
    torch_score: int = 0

    @classmethod
    def from_statements(cls, statements: Iterable[ast.stmt]) -> ImportTable:
        table = cls()
        for node in statements:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    local = alias.asname or alias.name.split(".")[0]
                    table.bindings[local] = alias.name if alias.asname else local
                    table._count(alias.name)
            elif isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    table.bindings[alias.asname or alias.name] = f"{node.module}.{alias.name}"
                table._count(node.module)
        return table

    def _count(self, module: str) -> None:
        root = module.split(".")[0]
        if root in ("keras", "tensorflow", "tf_keras"):
            self.keras_score += 1
        elif root in ("torch", "torchvision"):
            self.torch_score += 1

    def qualify(self, node: ast.AST) -> str | None:
        """The qualified name of a dotted expression, resolving import aliases."""
        # ``name`` and ``name.attr`` (most callees) without building the dotted name first.
        if isinstance(node, ast.Name):
            root, rest = node.id, ""
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            root, rest = node.value.id, node.attr
        else:
            dotted = dotted_name(node)
            if dotted is None:
                return None
            root, _, rest = dotted.partition(".")
        base = self.bindings.get(root) or _CONVENTIONAL_ROOTS.get(root)
        if base is None:
            base = root
        return f"{base}.{rest}" if rest else base

    @property
    def dominant_framework(self) -> Framework | None:
        if self.torch_score > self.keras_score:
            return Framework.TORCH
        if self.keras_score > self.torch_score:
            return Framework.KERAS
        return None


def framework_of(qualified: str, dominant: Framework | None) -> Framework | None:
    """Which framework a qualified layer name belongs to."""
    root = qualified.split(".")[0]
    if root in ("torch", "torchvision"):
        return Framework.TORCH
    if root in ("keras", "tensorflow", "tf_keras"):
        return Framework.KERAS
    name = qualified.rsplit(".", 1)[-1]
    in_keras, in_torch = name in KERAS_LAYERS, name in TORCH_LAYERS
    if in_keras and not in_torch:
        return Framework.KERAS
    if in_torch and not in_keras:
        return Framework.TORCH
    if in_keras and in_torch:
        return dominant or Framework.KERAS
    return None
