"""Spelling a new layer or activation the way the file already spells its neighbours."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import libcst as cst

from dl_lsp.fixes.document import Change, CstDocument, FixRefused, dotted_name
from dl_lsp.fixes.layout import read_sequence, write_sequence
from dl_lsp.fixes.statements import insert_statements_after

# Where each layer class lives when a file imports layers from their submodules
# (``from keras.layers.core import Dense``, Keras 1 style; ``from torch.nn.modules.linear``).
_KERAS_HOMES = {
    "Dense": "core",
    "Dropout": "core",
    "Activation": "core",
    "Flatten": "core",
    "BatchNormalization": "normalization",
    "MaxPooling1D": "pooling",
    "MaxPooling2D": "pooling",
}
_TORCH_HOMES = {
    "Linear": "linear",
    "Dropout": "dropout",
    "BatchNorm1d": "batchnorm",
    "BatchNorm2d": "batchnorm",
    "MaxPool2d": "pooling",
    "ReLU": "activation",
    "Flatten": "flatten",
}
_KERAS_SUBMODULES = frozenset(
    {
        "core",
        "convolutional",
        "pooling",
        "normalization",
        "recurrent",
        "embeddings",
        "advanced_activations",
        "noise",
        "wrappers",
        "merge",
        "local",
        "convolutional_recurrent",
    }
)
_TORCH_SUBMODULES = frozenset(
    {"linear", "conv", "pooling", "batchnorm", "dropout", "activation", "flatten", "container"}
)
_FUNCTIONAL_MODULE = "torch.nn.functional"


@dataclass(frozen=True)
class ImportNeed:
    """A bare class name the fix uses, to be imported wherever the anchor's class is."""

    name: str  # the new layer: ``BatchNormalization``
    anchor: str  # the bare name of the layer it follows: ``Dense``


def spell_layer(
    document: CstDocument, anchor: cst.Call, name: str
) -> tuple[str, ImportNeed | None]:
    """How to spell layer class ``name`` next to ``anchor``, and the import it may need."""
    if not name.isidentifier():
        raise FixRefused(f"not a class name: {name!r}")
    func = anchor.func
    if isinstance(func, cst.Attribute):
        dotted = dotted_name(func)
        if dotted is None:
            raise FixRefused("the anchor layer is not spelled with a dotted name")
        prefix = _home_module(dotted.rsplit(".", 1)[0], name)
        return f"{prefix}.{name}", None
    if not isinstance(func, cst.Name):
        raise FixRefused("the anchor layer has no class name")
    if document.is_bound(name):
        return name, None
    binding = document.binding(func.value)
    if binding is None:
        if document.is_bound(func.value):
            raise FixRefused(f"{func.value} is defined in the file, not imported")
        # A star import brings the new name in as it brought the anchor; a snippet that uses
        # the anchor without importing it gets the new layer written the same way.
        return name, None
    if binding.imported == binding.module:
        raise FixRefused(f"{func.value} is a module")
    return name, ImportNeed(name, func.value)


def spell_activation(document: CstDocument, function: str) -> str:
    """``F.relu`` when torch.nn.functional is imported as F, else ``torch.relu``."""
    if not function.isidentifier():
        raise FixRefused(f"not a function name: {function!r}")
    for binding in document.bindings:
        if binding.name == function and binding.module == _FUNCTIONAL_MODULE:
            return function
    for binding in document.bindings:
        if binding.imported == _FUNCTIONAL_MODULE or (
            binding.module == "torch.nn" and binding.imported == "functional"
        ):
            return f"{binding.name}.{function}"
    for binding in document.bindings:
        if binding.imported == "torch":
            return f"{binding.name}.{function}"
    raise FixRefused("neither torch nor torch.nn.functional is imported")


def _home_module(module: str, name: str) -> str:
    """The module to take ``name`` from, next to layers imported from ``module``.

    When the anchor comes from a layer submodule (``keras.layers.core``) that does not hold
    the new class, the layers package itself (``keras.layers``) exports both.
    """
    parts = module.split(".")
    if len(parts) < 3 or parts[-2] not in ("layers", "modules"):
        return module
    torch = parts[0] == "torch"
    submodules = _TORCH_SUBMODULES if torch else _KERAS_SUBMODULES
    homes = _TORCH_HOMES if torch else _KERAS_HOMES
    if parts[-1] not in submodules or homes.get(name) == parts[-1]:
        return module
    return ".".join(parts[:-1])


def import_changes(document: CstDocument, needs: Iterable[ImportNeed]) -> list[Change]:
    """Changes that import every needed name next to each import of its anchor.

    Every ``from M import Dense`` gets its companion (a ``try``/``except ImportError`` pair of
    imports gets two), by extending an import from the right module, or with a new line.
    """
    places: dict[str, tuple[cst.CSTNode, list[str]]] = {}
    for need in needs:
        for binding in document.bindings:
            if binding.name != need.anchor or not isinstance(binding.statement, cst.ImportFrom):
                continue
            target = _home_module(binding.module, need.name)
            names = places.setdefault(target, (binding.statement, []))[1]
            if need.name not in names:
                names.append(need.name)
    changes: list[Change] = []
    new_lines: dict[int, tuple[cst.BaseStatement, list[cst.BaseStatement]]] = {}
    for module, (near, names) in places.items():
        existing = _from_import(document, module)
        if existing is not None:
            changes.append(Change(existing, _extend(existing, names)))
            continue
        anchor_statement = document.parent(near)
        if not isinstance(anchor_statement, cst.SimpleStatementLine):
            raise FixRefused("the anchor's import is not a plain statement")
        statement = document.parse_statement(f"from {module} import {', '.join(names)}")
        new_lines.setdefault(id(anchor_statement), (anchor_statement, []))[1].append(statement)
    for anchor_statement, statements in new_lines.values():
        changes.append(insert_statements_after(document, anchor_statement, statements))
    return changes


def _from_import(document: CstDocument, module: str) -> cst.ImportFrom | None:
    for binding in document.bindings:
        statement = binding.statement
        if isinstance(statement, cst.ImportFrom) and binding.module == module:
            return statement
    return None


def _extend(statement: cst.ImportFrom, names: list[str]) -> cst.ImportFrom:
    sequence = read_sequence(statement)
    for name in names:
        sequence = sequence.insert_after(len(sequence.items) - 1, cst.ImportAlias(cst.Name(name)))
    result = write_sequence(statement, sequence)
    assert isinstance(result, cst.ImportFrom)
    return result
