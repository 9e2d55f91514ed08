"""API usage extraction (API1xx): the framework names, keywords, methods and imports that the
migration tables in ``rules/api_migrations.toml`` speak about.

One pass over the calls each scope already collected (``Scope.calls``), with the memoised
``qualify``: a call is kept only when its qualified name, method or keywords appear in the
tables, so the facts stay small. ``loss.data[0]`` is not a call: the source text is searched
for ``.data[0]`` first, and only the statements on those lines are walked.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, partial
from typing import Any

from dl_lsp.data_files import read_toml
from dl_lsp.extract.calls import CallSite
from dl_lsp.extract.context import ExtractionContext
from dl_lsp.extract.names import dotted_name, last_name
from dl_lsp.extract.scopes import Scope
from dl_lsp.facts.api_usage import (
    ApiReference,
    ApiUsageFacts,
    ArgumentFact,
    CallFact,
    ImportedName,
    ImportFact,
    MethodCall,
    ScalarIndex,
)
from dl_lsp.facts.span import Span
from dl_lsp.ruleset import rules_directory

TABLE_FILE = "api_migrations.toml"
FRAMEWORK_ROOTS = frozenset({"tensorflow", "keras", "tf_keras", "torch", "torchvision"})
KERAS_NAMESPACES = ("tensorflow.keras", "keras", "tf_keras")
_TF = "tensorflow."

# -- the migration tables ---------------------------------------------------------------------


@dataclass(frozen=True)
class Replacement:
    """A new name for an old one (relative to its framework, or qualified for torch)."""

    to: str
    exact: bool = False
    note: str = ""
    since: str = ""


@dataclass(frozen=True)
class KerasKeyword:
    """A Keras 1 keyword argument and its Keras 2 name ('' when it was removed)."""

    old: str
    new: str
    callees: frozenset[str]
    values: Mapping[str, str] = field(default_factory=dict)
    note: str = ""
    fixable: bool = True  # False: the argument cannot simply be renamed or dropped


@dataclass(frozen=True)
class TfKeyword:
    old: str
    new: str
    functions: frozenset[str]


@dataclass(frozen=True)
class RemovedApi:
    """A removed Keras method, module or layer, and what replaces it."""

    name: str
    removed: str
    to: str = ""
    deprecated: str = ""
    replacement: str = ""
    sigmoid_replacement: str = ""
    note: str = ""


@dataclass(frozen=True)
class VersionEffect:
    before: str | None
    effect: str


@dataclass(frozen=True)
class OptimizerArgument:
    keyword: str
    to: str
    effects: tuple[VersionEffect, ...]
    legacy: str
    reversed_before: str = ""

    def effect(self, before: Any) -> str:
        """The effect for a Keras release, given ``before(version) -> bool`` for it."""
        for row in self.effects:
            if row.before is None or before(row.before):
                return row.effect
        return "accepted"


@dataclass(frozen=True)
class MigrationTable:
    """``rules/api_migrations.toml``, typed."""

    tf_removed: str
    tf_compat: Mapping[str, str]
    tf_compat_namespaces: Mapping[str, str]
    tf_renamed: Mapping[str, Replacement]
    tf_keywords: tuple[TfKeyword, ...]
    tf_removed_modules: Mapping[str, str]
    tf_removed_replacements: Mapping[str, Replacement]
    tf_dropout: tuple[str, str, str]  # function, old keyword, new keyword
    tf_keras2_only: tuple[str, ...]  # compat.v1 namespaces that need Keras 2 behind tf.keras
    keras_renamed: str
    keras_removed: str
    keras_keywords: Mapping[str, tuple[KerasKeyword, ...]]  # old keyword → rows
    keras_new_keywords: Mapping[str, tuple[KerasKeyword, ...]]  # new keyword → rows
    keras_training_methods: frozenset[str]
    conv_kernel: Mapping[str, int]
    keras1_conv_names: frozenset[str]
    removed_methods: Mapping[str, RemovedApi]
    removed_modules: Mapping[str, RemovedApi]
    removed_layers: Mapping[str, RemovedApi]
    merge_modes: Mapping[str, str]
    optimizer_arguments: Mapping[str, OptimizerArgument]
    optimizer_names: frozenset[str]
    torch_variable: frozenset[str]
    torch_variable_removed: str
    torch_scalar_index_removed: str
    torch_reduction_since: str
    torch_losses: frozenset[str]
    torch_functional_losses: frozenset[str]
    torch_deprecated: Mapping[str, Replacement]
    torchvision_weights_since: str
    pretrained: Mapping[tuple[str, str], str]  # (keyword, model builder) → weights name
    # Derived: what the extractor looks for.
    keras_class_names: frozenset[str]
    keras_keyword_names: frozenset[str]  # old and new names of the keyword/optimizer tables
    keras_methods: frozenset[str]
    pretrained_models: frozenset[str]

    def needs_keras2(self, relative: str) -> bool:
        """Whether ``tf.compat.v1.<relative>`` is built on Keras 2 (``layers.dense``)."""
        relative = relative.removeprefix("compat.v1.")
        return any(relative == key or relative.startswith(key + ".") for key in self.tf_keras2_only)

    def tf_entry(self, relative: str) -> tuple[str, str] | None:
        """The table that names ``relative`` (a name under ``tensorflow.``) and its key."""
        if relative in self.tf_compat:
            return "compat", relative
        if relative in self.tf_renamed:
            return "renamed", relative
        for table, keys in (
            ("compat", self.tf_compat),
            ("renamed", self.tf_renamed),
            ("namespace", self.tf_compat_namespaces),
            ("module", self.tf_removed_modules),
        ):
            key = longest_dotted_key(relative, keys)
            if key is not None:
                return table, key
        return None


def longest_dotted_key(name: str, table: Mapping[str, object]) -> str | None:
    """The longest key of ``table`` that is ``name`` or a dotted prefix of it: ``a.b.c``, then
    ``a.b``, then ``a`` are looked up (a few lookups, not a scan of the table)."""
    while name not in table:
        name, dot, _ = name.rpartition(".")
        if not dot:
            return None
    return name


@cache
def migration_table() -> MigrationTable:
    """The migration tables, read once."""
    return _table_from(read_toml(rules_directory() / TABLE_FILE))


def _replacement(value: Mapping[str, Any]) -> Replacement:
    return Replacement(
        to=str(value.get("to", "")),
        exact=bool(value.get("exact", False)),
        note=str(value.get("note", "")),
        since=str(value.get("since", "")),
    )


def _removed(name: str, value: Mapping[str, Any]) -> RemovedApi:
    return RemovedApi(
        name=name,
        removed=str(value.get("removed", "")),
        to=str(value.get("to", "")),
        deprecated=str(value.get("deprecated", "")),
        replacement=str(value.get("replacement", "")),
        sigmoid_replacement=str(value.get("sigmoid_replacement", "")),
        note=str(value.get("note", "")),
    )


def _table_from(data: Mapping[str, Any]) -> MigrationTable:
    tf, keras, torch, vision = data["tensorflow"], data["keras"], data["torch"], data["torchvision"]
    groups: Mapping[str, list[str]] = keras["callees"]
    rows = [
        KerasKeyword(
            old=row["from"],
            new=row["to"],
            callees=frozenset(name for group in row["callees"] for name in groups[group]),
            values=dict(row.get("values", {})),
            note=row.get("note", ""),
            fixable=bool(row.get("fix", True)) and not (row["to"] and row.get("note")),
        )
        for row in keras["keywords"]
    ]
    by_old: dict[str, list[KerasKeyword]] = {}
    by_new: dict[str, list[KerasKeyword]] = {}
    for row in rows:
        by_old.setdefault(row.old, []).append(row)
        if row.new and row.fixable:
            by_new.setdefault(row.new, []).append(row)
    conv = dict(keras["conv_kernel"])
    keras1_conv = frozenset(conv.pop("keras1_names"))
    removed_layers = {
        name: _removed(name, value) for name, value in keras["removed_layers"].items()
    }
    optimizer_names = frozenset(keras["optimizers"]["names"])
    training = frozenset(groups["training"])
    classes = frozenset(
        name for group, names in groups.items() if group != "training" for name in names
    )
    dropout = tf["dropout"]
    pretrained = {
        (row["keyword"], model): row["weights"]
        for row in vision["pretrained"]
        for model in row["models"]
    }
    return MigrationTable(
        tf_removed=tf["removed"],
        tf_compat=dict(tf["compat_v1"]),
        tf_compat_namespaces=dict(tf["compat_v1_namespaces"]),
        tf_renamed={name: _replacement(value) for name, value in tf["renamed"].items()},
        tf_keywords=tuple(
            TfKeyword(row["keyword"], row["to"], frozenset(row["functions"]))
            for row in tf["keywords"]
        ),
        tf_removed_modules=dict(tf["removed_modules"]),
        tf_removed_replacements={
            name: _replacement(value) for name, value in tf["removed_replacements"].items()
        },
        tf_dropout=(dropout["function"], dropout["keyword"], dropout["to"]),
        tf_keras2_only=tuple(tf.get("keras2_only", ())),
        keras_renamed=keras["renamed"],
        keras_removed=keras["removed"],
        keras_keywords={name: tuple(found) for name, found in by_old.items()},
        keras_new_keywords={name: tuple(found) for name, found in by_new.items()},
        keras_training_methods=training,
        conv_kernel=conv,
        keras1_conv_names=keras1_conv,
        removed_methods={
            name: _removed(name, value) for name, value in keras["removed_methods"].items()
        },
        removed_modules={
            name: _removed(name, value) for name, value in keras["removed_modules"].items()
        },
        removed_layers=removed_layers,
        merge_modes=dict(keras["merge_modes"]),
        optimizer_arguments={
            name: OptimizerArgument(
                keyword=name,
                to=value["to"],
                effects=tuple(
                    VersionEffect(row.get("before"), row["effect"]) for row in value["effects"]
                ),
                legacy=value["legacy"],
                reversed_before=value.get("reversed_before", ""),
            )
            for name, value in keras["optimizer_arguments"].items()
        },
        optimizer_names=optimizer_names,
        torch_variable=frozenset(torch["variable"]),
        torch_variable_removed=torch["variable_removed"],
        torch_scalar_index_removed=torch["scalar_index_removed"],
        torch_reduction_since=torch["reduction_since"],
        torch_losses=frozenset(torch["losses"]),
        torch_functional_losses=frozenset(torch["functional_losses"]),
        torch_deprecated={name: _replacement(value) for name, value in torch["deprecated"].items()},
        torchvision_weights_since=vision["weights_since"],
        pretrained=pretrained,
        keras_class_names=classes | frozenset(conv) | frozenset(removed_layers) | optimizer_names,
        keras_keyword_names=frozenset(by_old)
        | frozenset(by_new)
        | frozenset(keras["optimizer_arguments"])
        | frozenset(row["to"] for row in keras["optimizer_arguments"].values() if row["to"])
        | {"mode"},
        keras_methods=training | frozenset(keras["removed_methods"]),
        pretrained_models=frozenset(model for _, model in pretrained),
    )


# -- name spaces ------------------------------------------------------------------------------


def namespace_of(qualified: str) -> str | None:
    """The framework name space of a qualified name; None for other libraries."""
    root = qualified.split(".", 1)[0]
    if root == "tensorflow":
        for prefix in ("tensorflow.keras", "tensorflow.python.keras"):
            if qualified == prefix or qualified.startswith(prefix + "."):
                return "tensorflow.keras"
        return "tensorflow"
    return root if root in FRAMEWORK_ROOTS else None


def keras_relative(qualified: str) -> str:
    """``tensorflow.keras.layers.Dense`` → ``layers.Dense`` (the part after the Keras package)."""
    for prefix in ("tensorflow.python.keras.", "tensorflow.keras.", "tf_keras.", "keras."):
        if qualified.startswith(prefix):
            return qualified[len(prefix) :]
    return qualified


# -- extraction -------------------------------------------------------------------------------

_REDUCTION_FLAGS = frozenset({"size_average", "reduce"})
_PRETRAINED_FLAGS = frozenset({"pretrained", "pretrained_backbone"})
_DATA_ZERO = re.compile(r"\.data\s*\[\s*0\s*\]")
_LOSS_WORDS = re.compile(r"loss|criterion|cost", re.IGNORECASE)
_IMPORT_FROM = re.compile(r"from\s+([A-Za-z_][\w.]*)")


@dataclass
class _Usage:
    """What one statement (its own expressions) uses: kept for the next version
    (``context.each_statement``), so it holds facts only, never the context."""

    references: list[ApiReference] = field(default_factory=list)
    methods: list[MethodCall] = field(default_factory=list)
    imports: list[ImportFact] = field(default_factory=list)
    defined: list[str] = field(default_factory=list)
    # Keras namespaces in the order they are met (the first place of each is reported).
    keras_namespaces: list[tuple[str, Span]] = field(default_factory=list)
    roots: list[str] = field(default_factory=list)


@dataclass
class _Collector(_Usage):
    context: ExtractionContext = field(kw_only=True)
    table: MigrationTable = field(kw_only=True)

    def usage(self) -> _Usage:
        return _Usage(
            self.references,
            self.methods,
            self.imports,
            self.defined,
            self.keras_namespaces,
            self.roots,
        )


# Statements that use something even without a call: imports, and definitions of names.
_USING_STATEMENTS = (
    ast.Import,
    ast.ImportFrom,
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
)
_NOTHING_USED = _Usage()  # shared by the statements that use nothing: never changed


def extract_api_usage(context: ExtractionContext) -> ApiUsageFacts:
    """What the file uses of the APIs the migration tables name."""
    read = partial(_usage, context, migration_table())
    module, *functions = context.scopes
    found = context.each_statement("api usage", module, read)
    found += [  # a function's statements merged into one: fewer results to go through
        context.reused(
            "api usage of a function", scope.node, partial(_merged, context, scope, read)
        )
        for scope in functions
    ]
    keras_namespaces: dict[str, Span] = {}
    for usage in found:
        for namespace, span in usage.keras_namespaces:
            keras_namespaces.setdefault(namespace, span)
    return ApiUsageFacts(
        references=tuple(item for usage in found for item in usage.references),
        methods=tuple(item for usage in found for item in usage.methods),
        imports=tuple(item for usage in found for item in usage.imports),
        scalar_indexes=tuple(_scalar_indexes(context, migration_table())),
        bindings=tuple(context.imports.bindings.items()),
        defined=frozenset(name for usage in found for name in usage.defined),
        keras_namespaces=tuple(keras_namespaces.items()),
        imported_roots=frozenset(root for usage in found for root in usage.roots),
    )


def _merged(
    context: ExtractionContext, scope: Scope, read: Callable[[ast.stmt, list[CallSite]], _Usage]
) -> _Usage:
    merged = _Usage()
    for statement, sites in context.calls.statements(scope):
        usage = read(statement, sites)
        merged.references += usage.references
        merged.methods += usage.methods
        merged.imports += usage.imports
        merged.defined += usage.defined
        merged.keras_namespaces += usage.keras_namespaces
        merged.roots += usage.roots
    return merged


def _usage(
    context: ExtractionContext, table: MigrationTable, statement: ast.stmt, sites: list[CallSite]
) -> _Usage:
    if not sites and not isinstance(statement, _USING_STATEMENTS):
        return _NOTHING_USED
    collector = _Collector(context=context, table=table)
    if isinstance(statement, (ast.Import, ast.ImportFrom)):
        _collect_import(collector, statement)
    elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        collector.defined.append(statement.name)
    for site in sites:
        _collect_call(collector, site.node)
    return collector.usage()


def _collect_import(collector: _Collector, statement: ast.Import | ast.ImportFrom) -> None:
    source = collector.context.source
    span = source.span(statement)
    if isinstance(statement, ast.ImportFrom):
        module = statement.module
        if statement.level or not module or namespace_of(module) is None:
            return
        names = tuple(
            ImportedName(alias.name, alias.asname or alias.name, source.span(alias))
            for alias in statement.names
        )
        collector.imports.append(
            ImportFact(module, _from_module_span(collector, statement), span, True, names)
        )
        _note_root(collector, module, span)
        if module == "tensorflow" and any(alias.name == "keras" for alias in statement.names):
            collector.keras_namespaces.append(("tensorflow.keras", span))
        return
    for alias in statement.names:
        if namespace_of(alias.name) is None:
            continue
        alias_span = source.span(alias)
        end = alias_span.column + len(alias.name)
        written = source.line_text(alias_span.line)[alias_span.column : end]
        module_span = (
            Span(alias_span.line, alias_span.column, alias_span.line, end)
            if written == alias.name
            else None
        )
        collector.imports.append(ImportFact(alias.name, module_span, span, False))
        _note_root(collector, alias.name, span)


def _note_root(collector: _Collector, module: str, span: Span) -> None:
    namespace = namespace_of(module)
    if namespace is None:
        return
    collector.roots.append(module.split(".", 1)[0])
    if namespace in KERAS_NAMESPACES:
        collector.keras_namespaces.append((namespace, span))


def _from_module_span(collector: _Collector, statement: ast.ImportFrom) -> Span | None:
    """Where ``M`` of ``from M import x`` is written (None when it cannot be told)."""
    source = collector.context.source
    line = statement.lineno
    column = source.char_column(line, statement.col_offset)
    match = _IMPORT_FROM.match(source.line_text(line), column)
    if match is None or match.group(1) != statement.module:
        return None
    return Span(line, match.start(1), line, match.end(1))


def _collect_call(collector: _Collector, call: ast.Call) -> None:
    context, table = collector.context, collector.table
    func = call.func
    qualified = context.qualify(func)
    _collect_arguments(collector, call)
    if qualified is None:
        if isinstance(func, ast.Attribute) and _method_wanted(table, func.attr, call):
            collector.methods.append(
                MethodCall(func.attr, "", context.span(func), _call_fact(context, call))
            )
        return
    bindings = context.imports.bindings
    namespace = namespace_of(qualified)
    if namespace is None:
        if isinstance(func, ast.Name):
            if func.id not in bindings and _bare_name_wanted(table, func.id, call):
                reference = ApiReference(
                    func.id, func.id, context.span(func), "", False, _call_fact(context, call)
                )
                collector.references.append(reference)
        elif isinstance(func, ast.Attribute) and _method_wanted(table, func.attr, call):
            receiver = qualified.rsplit(".", 1)[0]  # unbound: the qualified name is as written
            if receiver.split(".", 1)[0] not in bindings:
                collector.methods.append(
                    MethodCall(func.attr, receiver, context.span(func), _call_fact(context, call))
                )
        return
    written = dotted_name(func) or qualified
    bound = written.split(".", 1)[0] in bindings
    if bound and namespace in KERAS_NAMESPACES:
        collector.keras_namespaces.append((namespace, context.span(func)))
    if _wanted(table, qualified, namespace, call):
        collector.references.append(
            ApiReference(
                qualified, written, context.span(func), namespace, bound, _call_fact(context, call)
            )
        )


def _collect_arguments(collector: _Collector, call: ast.Call) -> None:
    """Framework names passed along uncalled: ``reuse=tf.AUTO_REUSE``, ``tf.GraphKeys.X``."""
    context = collector.context
    for value in [*call.args, *(keyword.value for keyword in call.keywords)]:
        if not isinstance(value, ast.Attribute):
            continue
        qualified = context.qualify(value)
        if qualified is None:
            continue
        namespace = namespace_of(qualified)
        if namespace in ("tensorflow", "torch") and _wanted(
            collector.table, qualified, namespace, None
        ):
            written = dotted_name(value) or qualified
            bound = written.split(".", 1)[0] in context.imports.bindings
            collector.references.append(
                ApiReference(qualified, written, context.span(value), namespace, bound)
            )


def _bare_name_wanted(table: MigrationTable, name: str, call: ast.Call) -> bool:
    if name in table.keras_class_names:
        return _keras_call_wanted(table, name, call)
    if name in table.torch_losses:
        return _has_keyword(call, _REDUCTION_FLAGS)
    return name == "Variable"


def _method_wanted(table: MigrationTable, method: str, call: ast.Call) -> bool:
    """A removed model method, or a training method given a keyword of the Keras 1 table."""
    if method in table.removed_methods:
        return True
    return method in table.keras_training_methods and _has_keyword(call, table.keras_keyword_names)


def _has_keyword(call: ast.Call, names: frozenset[str]) -> bool:
    return any(keyword.arg in names for keyword in call.keywords)


def _keras_call_wanted(table: MigrationTable, name: str, call: ast.Call | None) -> bool:
    """A Keras class call the tables speak about: removed, Keras 1 positional kernel sizes, or
    a keyword of the keyword and optimizer tables."""
    if name in table.removed_layers:
        return True
    if call is None:
        return False
    if len(call.args) > table.conv_kernel.get(name, len(call.args)):
        return True
    return _has_keyword(call, table.keras_keyword_names)


def _wanted(table: MigrationTable, qualified: str, namespace: str, call: ast.Call | None) -> bool:
    """Whether the tables say anything about this name (or the keywords of this call)."""
    last = qualified.rsplit(".", 1)[-1]
    if namespace == "tensorflow":
        relative = qualified[len(_TF) :]
        if table.tf_entry(relative) is not None or longest_dotted_key(
            relative, table.tf_removed_replacements
        ):
            return True
        if call is None or not call.keywords:
            return relative == table.tf_dropout[0]
        names = {keyword.arg for keyword in call.keywords}
        return relative == table.tf_dropout[0] or any(
            row.old in names and relative in row.functions for row in table.tf_keywords
        )
    if namespace in KERAS_NAMESPACES:
        relative = keras_relative(qualified)
        if last in table.keras_class_names or ".optimizers." in f".{relative}":
            return _keras_call_wanted(table, last, call)
        return (
            namespace == "keras"
            and longest_dotted_key(qualified, table.removed_modules) is not None
        )
    if namespace == "torch":
        if qualified in table.torch_variable or qualified in table.torch_deprecated:
            return True
        is_loss = (last in table.torch_losses and qualified.startswith("torch.nn.")) or (
            last in table.torch_functional_losses and qualified.startswith("torch.nn.functional.")
        )
        return is_loss and call is not None and _has_keyword(call, _REDUCTION_FLAGS)
    if namespace == "torchvision":
        return (
            last in table.pretrained_models
            and qualified.startswith("torchvision.models.")
            and call is not None
            and _has_keyword(call, _PRETRAINED_FLAGS)
        )
    return False


def _call_fact(context: ExtractionContext, call: ast.Call) -> CallFact:
    positional: list[ArgumentFact] = []
    unpacked = False
    for arg in call.args:
        if isinstance(arg, ast.Starred):
            unpacked = True
            continue
        positional.append(_argument(context, arg))
    keywords: list[ArgumentFact] = []
    for item in call.keywords:
        if item.arg is None:
            unpacked = True
            continue
        value = _argument(context, item.value)
        keywords.append(
            ArgumentFact(
                value.span,
                value.text,
                value.is_literal,
                value.literal,
                name=item.arg,
                keyword_span=context.span(item),
            )
        )
    return CallFact(context.span(call), tuple(positional), tuple(keywords), unpacked)


def _argument(context: ExtractionContext, node: ast.expr) -> ArgumentFact:
    span = context.span(node)
    text = context.source.segment(node) if span.line == span.end_line else ""
    literal, is_literal = _literal(node)
    return ArgumentFact(span, text, is_literal, literal)


def _literal(node: ast.expr) -> tuple[object, bool]:
    if isinstance(node, ast.Constant) and not isinstance(node.value, (bytes, complex)):
        return node.value, True
    if (
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, ast.USub)
        and isinstance(node.operand, ast.Constant)
        and isinstance(node.operand.value, (int, float))
        and not isinstance(node.operand.value, bool)
    ):
        return -node.operand.value, True
    return None, False


# -- loss.data[0] -----------------------------------------------------------------------------


def _scalar_indexes(context: ExtractionContext, table: MigrationTable) -> Iterator[ScalarIndex]:
    text = context.source.text
    if ".data" not in text:
        return
    lines = {text.count("\n", 0, match.start()) + 1 for match in _DATA_ZERO.finditer(text)}
    if not lines:
        return
    seen: set[int] = set()
    for scope in context.scopes:
        for statement in scope.statements:
            first, last = statement.lineno, statement.end_lineno or statement.lineno
            if not any(first <= line <= last for line in lines):
                continue
            for node in _own_nodes(statement):
                if not _is_data_zero(node) or id(node) in seen:
                    continue
                seen.add(id(node))
                assert isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute)
                receiver = node.value.value
                evidence = _scalar_evidence(context, table, scope, receiver)
                if evidence is not None:
                    yield ScalarIndex(
                        context.span(node), context.source.segment(receiver), evidence
                    )


_BODIES = frozenset({"body", "orelse", "finalbody", "handlers", "cases"})


def _own_nodes(statement: ast.stmt) -> Iterator[ast.AST]:
    """The nodes of a statement's own expressions (not of the statements in its blocks)."""
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return
    stack: list[ast.AST] = [
        value
        for name, value in ast.iter_fields(statement)
        if name not in _BODIES and isinstance(value, ast.AST)
    ]
    for name, value in ast.iter_fields(statement):
        if name not in _BODIES and isinstance(value, list):
            stack.extend(item for item in value if isinstance(item, ast.AST))
    while stack:
        node = stack.pop()
        yield node
        stack.extend(ast.iter_child_nodes(node))


def _is_data_zero(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "data"
        and isinstance(node.slice, ast.Constant)
        and node.slice.value == 0
        and not isinstance(node.slice.value, bool)
    )


def _scalar_evidence(
    context: ExtractionContext, table: MigrationTable, scope: Scope, receiver: ast.expr
) -> str | None:
    """Why ``receiver`` holds a single number (a 0-dim tensor), or None when it may not."""
    if isinstance(receiver, ast.Call):
        return _scalar_call(context, table, scope, receiver)
    name = dotted_name(receiver)
    if name is None:
        return None
    if _LOSS_WORDS.search(name.rsplit(".", 1)[-1]):
        return "its name"
    if isinstance(receiver, ast.Name):
        value = scope.lookup(receiver.id, receiver.lineno)
        if isinstance(value, ast.Call):
            return _scalar_call(context, table, scope, value)
    return None


def _scalar_call(
    context: ExtractionContext, table: MigrationTable, scope: Scope, call: ast.Call
) -> str | None:
    func = call.func
    name = last_name(func)
    if name is None:
        return None
    if name in table.torch_functional_losses or _LOSS_WORDS.search(name):
        return "a loss function"
    if name in ("sum", "mean") and not call.keywords:
        qualified = context.qualify(func) or ""
        if qualified in ("torch.sum", "torch.mean"):
            return f"{qualified}() of a tensor" if len(call.args) == 1 else None
        if isinstance(func, ast.Attribute) and not call.args and namespace_of(qualified) is None:
            return f"{name}() of a tensor"
    if isinstance(func, ast.Name):
        value = scope.lookup(func.id, call.lineno)
        if isinstance(value, ast.Call):
            constructor = last_name(value.func)
            if constructor in table.torch_losses:
                return "a loss function"
    return None
