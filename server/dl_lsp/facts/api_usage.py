"""API usage facts (API1xx): the framework names, keywords, methods and imports a file uses, as
written, for the checks that compare them with the installed framework versions."""

from __future__ import annotations

from dataclasses import dataclass

from dl_lsp.facts.span import Span


@dataclass(frozen=True)
class ArgumentFact:
    """One argument of a call: where it is, its text, its value when it is a literal."""

    span: Span  # the value
    text: str  # the value as written ('' when it spans several lines)
    is_literal: bool = False
    literal: object = None  # a constant: bool, int, float, str or None
    name: str | None = None  # the keyword; None for a positional argument
    keyword_span: Span | None = None  # ``name=value`` as a whole


@dataclass(frozen=True)
class CallFact:
    """A call's arguments."""

    span: Span
    positional: tuple[ArgumentFact, ...] = ()
    keywords: tuple[ArgumentFact, ...] = ()
    unpacked: bool = False  # ``*args`` or ``**kwargs`` hide arguments

    def keyword(self, name: str) -> ArgumentFact | None:
        return next((item for item in self.keywords if item.name == name), None)


@dataclass(frozen=True)
class ApiReference:
    """A dotted name of a framework (``tf.Session``, ``layers.Dense``, ``F.sigmoid``)."""

    qualified: str  # with import aliases resolved: 'tensorflow.Session'
    written: str  # as the file spells it: 'tf.Session'
    span: Span  # the dotted name (what a rename replaces)
    # 'tensorflow', 'tensorflow.keras', 'keras', 'tf_keras', 'torch', 'torchvision', or ''
    # for a bare name no import binds (a snippet's ``Convolution2D``).
    namespace: str
    bound: bool  # the written root is bound by an import of this file
    call: CallFact | None = None  # None: referred to without a call (passed along)


@dataclass(frozen=True)
class MethodCall:
    """``receiver.method(...)`` on a value rather than a module: ``model.fit(...)``."""

    method: str
    receiver: str  # the receiver as a dotted name ('' when it is an expression)
    span: Span  # ``receiver.method`` (the callee)
    call: CallFact


@dataclass(frozen=True)
class ImportedName:
    name: str  # as imported: 'np_utils'
    local: str  # as bound: the ``as`` name or the name
    span: Span  # ``name as local``


@dataclass(frozen=True)
class ImportFact:
    """An import of a framework module."""

    module: str  # 'keras.utils.np_utils' (``from M import ...`` or ``import M``)
    module_span: Span | None  # the dotted module name (None when it cannot be located)
    span: Span  # the statement
    from_import: bool
    names: tuple[ImportedName, ...] = ()  # ``from`` imports only


@dataclass(frozen=True)
class ScalarIndex:
    """``loss.data[0]``: indexing what is a 0-dim tensor since PyTorch 0.4."""

    span: Span
    receiver: str  # 'loss', as written
    evidence: str  # why the receiver holds one number ('its name', 'a loss function', ...)


@dataclass(frozen=True)
class ApiUsageFacts:
    """Filled by ``extract.api_usage`` with what the migration tables name."""

    references: tuple[ApiReference, ...] = ()
    methods: tuple[MethodCall, ...] = ()
    imports: tuple[ImportFact, ...] = ()
    scalar_indexes: tuple[ScalarIndex, ...] = ()
    # Import bindings: local name → qualified name, in file order (first binding wins).
    bindings: tuple[tuple[str, str], ...] = ()
    # Names the file defines itself (functions, classes): they shadow framework methods.
    defined: frozenset[str] = frozenset()
    # Where each Keras name space is first used through an import (``keras``,
    # ``tensorflow.keras``, ``tf_keras``), for the mixed-imports rule.
    keras_namespaces: tuple[tuple[str, Span], ...] = ()
    # Framework roots the file imports ('tensorflow', 'keras', 'torch', ...).
    imported_roots: frozenset[str] = frozenset()
