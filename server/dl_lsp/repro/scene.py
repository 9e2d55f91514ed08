"""One look at the snippet as it stands between two edit actions: tree, facts, undefined names."""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from dl_lsp.engine import Analysis, analyze_source
from dl_lsp.facts import Framework, ProgramFacts
from dl_lsp.repro.names import NameUse, bound_names, star_import_modules, undefined_names


class KerasStyle(str, Enum):
    """Where the file takes Keras from."""

    KERAS = "keras"
    TF_KERAS = "tensorflow.keras"


_TF_KERAS = re.compile(r"\btensorflow\.keras\b|\btf\.keras\b|\bfrom tensorflow import keras\b")
_KERAS = re.compile(r"^\s*(?:import keras\b|from keras\b)", re.MULTILINE)
_TORCH_HINT = re.compile(r"\btorch\b|\bnn\.Module\b|\bnn\.Linear\b|\bDataLoader\b|\bcuda\(\)")
_KERAS_HINT = re.compile(
    r"\bkeras\b|\bSequential\(|\bmodel\.add\(|\.compile\(|\bDense\(|\bConv2D\("
)


@dataclass(frozen=True)
class Scene:
    """The snippet's text (which parses) and what the analysis knows about it."""

    text: str
    tree: ast.Module
    analysis: Analysis
    undefined: Mapping[str, NameUse]
    bound: frozenset[str]
    star_modules: tuple[str, ...]
    framework: Framework | None
    keras_style: KerasStyle

    @property
    def facts(self) -> ProgramFacts:
        return self.analysis.facts

    def mentions(self, pattern: str) -> bool:
        """Whether the text matches a regular expression (comments and strings included)."""
        return re.search(pattern, self.text) is not None


def read_scene(text: str) -> Scene:
    """Analyse ``text``, which must parse."""
    tree = ast.parse(text)
    analysis = analyze_source(text)
    return Scene(
        text=text,
        tree=tree,
        analysis=analysis,
        undefined=undefined_names(tree),
        bound=bound_names(tree),
        star_modules=star_import_modules(tree),
        framework=guess_framework(text, analysis.facts),
        keras_style=keras_style(text),
    )


def keras_style(text: str) -> KerasStyle:
    """tf.keras when the file already reaches Keras through TensorFlow (or uses ``tf``), else keras."""
    if _KERAS.search(text):
        return KerasStyle.KERAS
    if _TF_KERAS.search(text) or re.search(r"\btf\.|^\s*import tensorflow\b", text, re.MULTILINE):
        return KerasStyle.TF_KERAS
    return KerasStyle.KERAS


def guess_framework(text: str, facts: ProgramFacts) -> Framework | None:
    if len(facts.frameworks) == 1:
        return next(iter(facts.frameworks))
    torch = len(_TORCH_HINT.findall(text))
    keras = len(_KERAS_HINT.findall(text)) + len(re.findall(r"\btf\.", text))
    if torch > keras:
        return Framework.TORCH
    if keras > 0:
        return Framework.KERAS
    return None
