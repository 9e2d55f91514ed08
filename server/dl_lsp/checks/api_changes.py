"""API change and version migration (API1xx): APIs the installed framework renamed or removed.

The tables are data (``rules/api_migrations.toml``); the framework versions come from the
settings (``Settings.framework_versions``, filled from ``dl_lsp.environment``), the newest
releases when they are unknown. A row applies from the release that changed the API on, and
a keyword rename turns around for a Keras older than the rename: the direction of every fix is
the API that the installed version accepts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from dl_lsp.checks.fix_data import (
    Action,
    fix,
    fixes,
    merge_arguments,
    remove_keyword,
    rename_keyword,
    replace_expression,
    replace_name,
)
from dl_lsp.environment import KerasApi
from dl_lsp.extract.api_usage import (
    KERAS_NAMESPACES,
    KerasKeyword,
    MigrationTable,
    keras_relative,
    longest_dotted_key,
    migration_table,
)
from dl_lsp.facts import Framework, Span
from dl_lsp.facts.api_usage import (
    ApiReference,
    ApiUsageFacts,
    ArgumentFact,
    CallFact,
    ImportFact,
    MethodCall,
)
from dl_lsp.findings import Finding
from dl_lsp.ruleset import Rule

if TYPE_CHECKING:
    from dl_lsp.checks import Check, CheckContext

DEPRECATED = ("deprecated",)
_TF = "tensorflow."
_SIMPLE = re.compile(r"[\w.]+(\(.*\))?(\[.*\])?")
# Keyword arguments of fit_generator() that fit() takes as well.
_FIT_KEYWORDS = frozenset(
    {
        "steps_per_epoch",
        "epochs",
        "verbose",
        "callbacks",
        "validation_data",
        "validation_steps",
        "validation_freq",
        "class_weight",
        "max_queue_size",
        "workers",
        "use_multiprocessing",
        "shuffle",
        "initial_epoch",
        "steps",
        "sample_weight",
    }
)


# -- shared pieces ----------------------------------------------------------------------------


def _data(*proposals: dict[str, object] | None) -> dict[str, object] | None:
    """A finding's fix data, None when no proposal applies."""
    data = fixes(*proposals)
    return data if data["fixes"] else None


def _tf2(context: CheckContext, table: MigrationTable) -> bool:
    """Whether TensorFlow 2 (or nothing known: the newest) is what the code runs on."""
    tf = context.framework_versions.tensorflow
    return tf is None or tf.at_least(table.tf_removed)


def _torch_at_least(context: CheckContext, version: str) -> bool:
    torch = context.framework_versions.torch
    return torch is None or torch.at_least(version)


def _root_target(reference: ApiReference) -> tuple[str, str]:
    """The written root and what it stands for: ``tf.Session`` → (``tf``, ``tensorflow``)."""
    written = reference.written.split(".")
    qualified = reference.qualified.split(".")
    rest = len(written) - 1
    return written[0], ".".join(qualified[: len(qualified) - rest] if rest else qualified)


def spell(
    qualified: str, reference: ApiReference, bindings: Sequence[tuple[str, str]]
) -> str | None:
    """How this file writes ``qualified``: through the reference's own root when it leads there
    (keeping the file's style), else through the import that leads there most directly (None
    when nothing the file binds does)."""
    own_local, own_target = _root_target(reference)
    if qualified == own_target or qualified.startswith(own_target + "."):
        return own_local + qualified[len(own_target) :]
    best: tuple[str, str] | None = None
    for local, target in bindings:
        leads = qualified == target or qualified.startswith(target + ".")
        if leads and (best is None or len(target) > len(best[1])):
            best = (local, target)
    return best[0] + qualified[len(best[1]) :] if best is not None else None


def _is_torch_only(api: ApiUsageFacts) -> bool:
    return "torch" in api.imported_roots and not api.imported_roots & {"keras", "tensorflow"}


def _is_keras_or_tf_only(api: ApiUsageFacts) -> bool:
    return bool(api.imported_roots & {"keras", "tensorflow", "tf_keras"}) and (
        "torch" not in api.imported_roots
    )


def _file_keras_namespace(api: ApiUsageFacts) -> str:
    """The Keras the file's unqualified names and model methods belong to."""
    used = dict(api.keras_namespaces)
    return next(
        (namespace for namespace in ("keras", *KERAS_NAMESPACES) if namespace in used), "keras"
    )


def _keras_api(context: CheckContext, namespace: str) -> KerasApi:
    namespace = (
        namespace if namespace in KERAS_NAMESPACES else _file_keras_namespace(context.facts.api)
    )
    return context.framework_versions.keras_for(namespace)


def _keras_name(api: KerasApi) -> str:
    return f"Keras {api.version}" if api.version is not None else "current Keras"


def _keras_references(context: CheckContext) -> Iterator[ApiReference]:
    """Calls of Keras classes: qualified, or bare names in a file that is not PyTorch-only."""
    api = context.facts.api
    for reference in api.references:
        if reference.namespace in KERAS_NAMESPACES or (
            reference.namespace == ""
            and not _is_torch_only(api)
            and reference.written not in api.defined
        ):
            yield reference


def _keras_methods(context: CheckContext) -> Iterator[MethodCall]:
    api = context.facts.api
    if _is_torch_only(api):
        return
    for method in api.methods:
        if method.method not in api.defined:
            yield method


def _name_span(argument: ArgumentFact) -> Span:
    """Where a keyword argument's name is written (the value's span for a positional one)."""
    start = argument.keyword_span
    if start is None or argument.name is None:
        return argument.span
    return Span(start.line, start.column, start.line, start.column + len(argument.name))


def _callee(reference: ApiReference) -> str:
    return reference.qualified.rsplit(".", 1)[-1]


def _one_minus(argument: ArgumentFact) -> str | None:
    """``1 - keep_prob`` for an argument (a number computed for a literal)."""
    if argument.is_literal and isinstance(argument.literal, (int, float)):
        if isinstance(argument.literal, bool):
            return None
        return repr(round(1 - argument.literal, 10))
    if not argument.text:
        return None
    inner = argument.text if _SIMPLE.fullmatch(argument.text) else f"({argument.text})"
    return f"1 - {inner}"


def _receiver_call(receiver: str, method: str, call: CallFact) -> str | None:
    """``model.predict(x, batch_size=32)`` written again from the call's arguments."""
    return _call_text(f"{receiver}.{method}", call, {}) if receiver else None


# -- API101: TF1 symbols TensorFlow 2 removed -------------------------------------------------


def _tf_references(context: CheckContext) -> Iterator[tuple[ApiReference, str]]:
    for reference in context.facts.api.references:
        if reference.namespace == "tensorflow":
            yield reference, reference.qualified[len(_TF) :]


def check_tf1_symbol_removed(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """API101: a TF1 name that lives on only as tf.compat.v1.* under TensorFlow 2."""
    table = migration_table()
    if not _tf2(context, table):
        return
    bindings = context.facts.api.bindings
    for reference, relative in _tf_references(context):
        entry = table.tf_entry(relative)
        if entry is None or entry[0] not in ("compat", "namespace"):
            continue
        kind, key = entry
        idiom = table.tf_compat[key] if kind == "compat" else table.tf_compat_namespaces[key]
        compat = spell(f"{_TF}compat.v1.{relative}", reference, bindings)
        # Under Keras 3 the compat.v1 names built on Keras 2 fail too: no fix to offer.
        keras2_only = table.needs_keras2(relative) and _keras3_behind_tf(context)
        data = (
            fixes(fix(f"Use {compat}", replace_name(reference.span, compat), safe=True))
            if compat and not keras2_only
            else None
        )
        yield rule.finding(
            "removed_keras3" if keras2_only else "removed",
            reference.span,
            name=reference.written,
            compat=compat or f"tf.compat.v1.{relative}",
            idiom=idiom,
            fix_data=data,
            tags=DEPRECATED,
        )


def _keras3_behind_tf(context: CheckContext) -> bool:
    """Whether tf.keras is Keras 3 here (TensorFlow 2.16 on, or nothing known: the newest)."""
    keras = context.framework_versions.keras_for("tensorflow.keras")
    return keras.version is None or keras.version.at_least("3.0")


# -- API102: TF1 names with a TF2 name --------------------------------------------------------


def check_tf1_symbol_renamed(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """API102: a TF1 name (or keyword) that TensorFlow 2 spells differently."""
    table = migration_table()
    if not _tf2(context, table):
        return
    bindings = context.facts.api.bindings
    for reference, relative in _tf_references(context):
        entry = table.tf_entry(relative)
        if entry is not None and entry[0] == "renamed":
            key = entry[1]
            replacement = table.tf_renamed[key]
            new = spell(f"{_TF}{replacement.to}{relative[len(key) :]}", reference, bindings)
            compat = spell(f"{_TF}compat.v1.{relative}", reference, bindings)
            yield rule.finding(
                "renamed_note" if replacement.note else "renamed",
                reference.span,
                name=reference.written,
                new=new or f"tf.{replacement.to}",
                note=replacement.note,
                fix_data=_data(
                    fix(f"Use {new}", replace_name(reference.span, new), safe=replacement.exact)
                    if new
                    else None,
                    fix(f"Use {compat}", replace_name(reference.span, compat)) if compat else None,
                ),
                tags=DEPRECATED,
            )
        if reference.call is None:
            continue
        for row in table.tf_keywords:
            argument = reference.call.keyword(row.old)
            if relative not in row.functions or argument is None:
                continue
            clash = reference.call.keyword(row.new) is not None
            yield rule.finding(
                "keyword",
                _name_span(argument),
                name=reference.written,
                old=row.old,
                new=row.new,
                fix_data=None
                if clash
                else fixes(
                    fix(
                        f"Rename {row.old}= to {row.new}=",
                        rename_keyword(reference.call.span, row.old, row.new),
                        safe=True,
                    )
                ),
                tags=DEPRECATED,
            )


# -- API103: modules TensorFlow 2 removed -----------------------------------------------------


def check_tf1_module_removed(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """API103: tf.contrib and the tutorial modules, gone in TensorFlow 2 with no compat path."""
    table = migration_table()
    if not _tf2(context, table):
        return
    api = context.facts.api
    for item in api.imports:
        if not item.module.startswith(_TF):
            continue
        relative = item.module[len(_TF) :]
        entry = table.tf_entry(relative)
        if entry is not None and entry[0] == "module":
            yield rule.finding(
                "import",
                item.module_span or item.span,
                module=item.module,
                advice=table.tf_removed_modules[entry[1]],
                tags=DEPRECATED,
            )
    for reference, relative in _tf_references(context):
        entry = table.tf_entry(relative)
        if entry is None or entry[0] != "module":
            continue
        if _root_target(reference)[1].startswith(f"{_TF}{entry[1]}"):
            continue  # bound by an import of the removed module: reported there
        key = _replacement_key(table, relative)
        if key is None:
            yield rule.finding(
                "removed",
                reference.span,
                name=reference.written,
                advice=table.tf_removed_modules[entry[1]],
                tags=DEPRECATED,
            )
            continue
        replacement = table.tf_removed_replacements[key]
        new = spell(f"{_TF}{replacement.to}{relative[len(key) :]}", reference, api.bindings)
        if table.needs_keras2(replacement.to) and _keras3_behind_tf(context):
            yield rule.finding(
                "replaced_keras3",
                reference.span,
                name=reference.written,
                new=new or f"tf.{replacement.to}",
                tags=DEPRECATED,
            )
            continue
        yield rule.finding(
            "replaced_note" if replacement.note else "replaced",
            reference.span,
            name=reference.written,
            new=new or f"tf.{replacement.to}",
            note=replacement.note,
            fix_data=fixes(
                fix(f"Use {new}", replace_name(reference.span, new), safe=replacement.exact)
            )
            if new
            else None,
            tags=DEPRECATED,
        )


def _replacement_key(table: MigrationTable, relative: str) -> str | None:
    return longest_dotted_key(relative, table.tf_removed_replacements)


# -- API104: tf.nn.dropout(x, keep_prob) ------------------------------------------------------


def check_tf_dropout_keep_prob(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """API104: TF2's tf.nn.dropout takes the rate to drop, not the probability to keep."""
    table = migration_table()
    if not _tf2(context, table):
        return
    function, old, new = table.tf_dropout
    tf1_code = any(
        (entry := table.tf_entry(relative)) is not None and entry[0] in ("compat", "namespace")
        for _, relative in _tf_references(context)
    )
    for reference, relative in _tf_references(context):
        call = reference.call
        if relative != function or call is None or call.keyword(new) is not None:
            continue
        keyword = call.keyword(old)
        if keyword is not None:
            rate = _one_minus(keyword)
            edits: list[Action] = [rename_keyword(call.span, old, new)]
            if rate is not None:
                edits.append(replace_expression(keyword.span, rate))
            yield rule.finding(
                "keyword",
                _name_span(keyword),
                name=reference.written,
                value=keyword.text or old,
                rate=rate or f"1 - {old}",
                fix_data=fixes(fix(f"Use rate={rate}", *edits, safe=True)) if rate else None,
                tags=DEPRECATED,
            )
            continue
        if len(call.positional) < 2:
            continue
        second = call.positional[1]
        keep_named = "keep" in second.text.lower()
        keep_literal = (
            tf1_code
            and second.is_literal
            and isinstance(second.literal, float)
            and second.literal != 0.5
        )
        if not (keep_named or keep_literal):
            continue
        rate = _one_minus(second)
        rewritten = (
            _call_text(reference.written, call, {1: f"{new}={rate}"}) if rate is not None else None
        )
        yield rule.finding(
            "positional",
            second.span,
            name=reference.written,
            value=second.text,
            rate=rate or "1 - keep_prob",
            fix_data=fixes(fix(f"Use {new}={rate}", replace_expression(call.span, rewritten)))
            if rewritten
            else None,
            tags=DEPRECATED,
        )


def _call_text(callee: str, call: CallFact, replaced: dict[int, str]) -> str | None:
    """The call written again from its arguments' texts, some positional ones replaced."""
    parts = [replaced.get(i, argument.text) for i, argument in enumerate(call.positional)]
    parts += [f"{argument.name}={argument.text}" for argument in call.keywords]
    if call.unpacked or not all(parts):
        return None
    return f"{callee}({', '.join(parts)})"


# -- API105: Keras 1 keyword arguments --------------------------------------------------------


def _keyword_calls(context: CheckContext) -> Iterator[tuple[str, str, CallFact, bool]]:
    """(callee, Keras name space, call, known to be Keras) for Keras classes and model methods."""
    keras_models = {
        alias
        for model in context.facts.models
        if model.framework is Framework.KERAS
        for alias in model.aliases
    }
    for reference in _keras_references(context):
        if reference.call is not None:
            known = reference.namespace in KERAS_NAMESPACES and reference.bound
            yield _callee(reference), reference.namespace, reference.call, known
    for method in _keras_methods(context):
        yield method.method, "", method.call, method.receiver in keras_models


def check_keras1_keywords(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """API105: Keras 1 keyword names (nb_epoch, output_dim, border_mode, ...) — or, with Keras 1
    installed, the Keras 2 names it does not know."""
    table = migration_table()
    for callee, namespace, call, known in _keyword_calls(context):
        if not any(argument.name in table.keras_keyword_names for argument in call.keywords):
            continue  # no keyword that the tables name
        api = _keras_api(context, namespace)
        keras1 = api.before(table.keras_renamed)  # then the Keras 2 names are the wrong ones
        given = {argument.name for argument in call.keywords}
        for argument in call.keywords:
            name = argument.name or ""
            if keras1:
                row = _row_for(table.keras_new_keywords.get(name, ()), callee)
                if row is not None and known and api.standalone:
                    yield rule.finding(
                        "reversed",
                        _name_span(argument),
                        callee=callee,
                        old=row.old,
                        new=row.new,
                        keras=_keras_name(api),
                        fix_data=None
                        if row.old in given
                        else fixes(
                            fix(
                                f"Rename {row.new}= to {row.old}=",
                                rename_keyword(call.span, row.new, row.old),
                                safe=True,
                            )
                        ),
                    )
                continue
            row = _row_for(table.keras_keywords.get(name, ()), callee)
            if row is None:
                continue
            yield _keras1_keyword_finding(rule, api, callee, call, argument, row, given)


def _row_for(rows: Sequence[KerasKeyword], callee: str) -> KerasKeyword | None:
    for row in rows:
        if callee in row.callees:
            return row
    return None


def _keras1_keyword_finding(
    rule: Rule,
    api: KerasApi,
    callee: str,
    call: CallFact,
    argument: ArgumentFact,
    row: KerasKeyword,
    given: set[str | None],
) -> Finding:
    deprecated = api.standalone  # Keras 2.0-2.3 still translates the Keras 1 names
    span = _name_span(argument)
    values: dict[str, Any] = {
        "callee": callee,
        "old": row.old,
        "new": row.new,
        "note": row.note,
        "keras": _keras_name(api),
    }
    proposal = None
    if not row.new:
        key = "removed_keyword_note" if row.note else "removed_keyword"
        if row.fixable:
            proposal = fix(f"Remove {row.old}=", remove_keyword(call.span, row.old), safe=True)
    else:
        key = "renamed_note" if row.note else "renamed"
        if row.new in given or not row.fixable:
            proposal = None
        elif not row.values:
            proposal = fix(
                f"Rename {row.old}= to {row.new}=",
                rename_keyword(call.span, row.old, row.new),
                safe=True,
            )
        elif argument.is_literal and str(argument.literal) in row.values:
            value = row.values[str(argument.literal)]
            proposal = fix(
                f"Use {row.new}={value!r}",
                rename_keyword(call.span, row.old, row.new, value),
                safe=True,
            )
    if deprecated:
        key = f"{key}_deprecated"
    return rule.finding(key, span, fix_data=_data(proposal), tags=DEPRECATED, **values)


# -- API106: Convolution2D(filters, rows, cols) -----------------------------------------------


def _sizes(arguments: Sequence[ArgumentFact]) -> str:
    text = ", ".join(argument.text or "?" for argument in arguments)
    return text if len(arguments) == 1 else f"({text})"


def check_keras1_convolution_kernel(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """API106: Keras 1 kernel sizes as separate positional arguments, which Keras 2.4+ reads as
    kernel size and strides."""
    table = migration_table()
    for reference in _keras_references(context):
        callee, call = _callee(reference), reference.call
        dims = table.conv_kernel.get(callee)
        if dims is None or call is None or len(call.positional) < dims + 1:
            continue
        kernel = call.positional[1 : dims + 1]
        if kernel[0].text.startswith(("(", "[")):
            continue  # a Keras 2 kernel tuple followed by strides
        keras1_keyword = any(
            _row_for(table.keras_keywords.get(argument.name or "", ()), callee) is not None
            for argument in call.keywords
        )
        if callee not in table.keras1_conv_names and not keras1_keyword:
            continue
        api = _keras_api(context, reference.namespace)
        if api.before(table.keras_renamed):
            continue  # Keras 1 is installed: this is its signature
        sizes = ", ".join(argument.text or "?" for argument in kernel)
        span = Span(
            kernel[0].span.line,
            kernel[0].span.column,
            kernel[-1].span.end_line,
            kernel[-1].span.end_column,
        )
        proposal = (
            fix(
                f"Pass the kernel size as ({sizes})", merge_arguments(call.span, 1, dims), safe=True
            )
            if len(call.positional) == dims + 1
            else None
        )
        yield rule.finding(
            "deprecated" if api.standalone else "strides",
            span,
            callee=callee,
            sizes=sizes,
            first=kernel[0].text or "?",
            strides=_sizes(kernel[1:]),
            keras=_keras_name(api),
            fix_data=_data(proposal),
            tags=DEPRECATED,
        )


# -- API107: removed model methods ------------------------------------------------------------


def check_keras_removed_methods(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """API107: predict_classes, predict_proba and the *_generator methods."""
    table = migration_table()
    numpy = next((local for local, target in context.facts.api.bindings if target == "numpy"), None)
    for method in _keras_methods(context):
        row = table.removed_methods.get(method.method)
        if row is None:
            continue
        api = _keras_api(context, "")
        if api.before(row.removed):
            if not row.deprecated or api.standalone or api.before(row.deprecated):
                continue
            key = "deprecated"
        else:
            key = "removed"
        receiver = method.receiver or "model"
        values: dict[str, Any] = {
            "method": method.method,
            "receiver": receiver,
            "keras": _keras_name(api),
            "release": row.removed,
            "note": row.note,
        }
        if row.to:
            safe = len(method.call.positional) <= 1 and all(
                argument.name in _FIT_KEYWORDS for argument in method.call.keywords
            )
            proposal = (
                fix(
                    f"Use {receiver}.{row.to}()",
                    replace_name(method.span, f"{method.receiver}.{row.to}"),
                    safe=safe,
                )
                if method.receiver and len(method.call.positional) <= 1
                else None
            )
            yield rule.finding(
                f"{key}_renamed",
                method.span,
                new=row.to,
                fix_data=_data(proposal),
                tags=DEPRECATED,
                **values,
            )
            continue
        activation = _output_activation(context, method.receiver)
        sigmoid = activation == "sigmoid"
        predicted = _receiver_call(method.receiver, "predict", method.call)
        replacement = (row.sigmoid_replacement if sigmoid else row.replacement).replace(
            "model.", f"{receiver}."
        )
        proposal = None
        if predicted and numpy:
            text = (
                f'({predicted} > 0.5).astype("int32")'
                if sigmoid
                else f"{numpy}.argmax({predicted}, axis=-1)"
            )
            proposal = fix(f"Use {text}", replace_expression(method.call.span, text))
        yield rule.finding(
            f"{key}_replaced",
            method.span,
            replacement=replacement,
            fix_data=_data(proposal),
            tags=DEPRECATED,
            **values,
        )


def _output_activation(context: CheckContext, receiver: str) -> str | None:
    for model in context.facts.models:
        if receiver in model.aliases and model.layers:
            return model.layers[-1].activation
    return None


# -- API108: removed Keras module paths -------------------------------------------------------


def check_keras_removed_modules(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """API108: keras.utils.np_utils, keras.layers.core and the other module paths Keras dropped."""
    table = migration_table()
    api = context.framework_versions.keras_for("keras")
    for item in context.facts.api.imports:
        yield from _removed_module_import(rule, table, api, item)
    for reference in context.facts.api.references:
        if reference.namespace != "keras":
            continue
        key = _module_key(table, reference.qualified)
        if key is None or _root_target(reference)[1].startswith(key):
            continue
        row = table.removed_modules[key]
        if api.before(row.removed):
            continue
        new = (
            spell(row.to + reference.qualified[len(key) :], reference, context.facts.api.bindings)
            if row.to
            else None
        )
        yield rule.finding(
            "note" if row.note else "moved",
            reference.span,
            module=key,
            new=row.to,
            note=row.note,
            release=row.removed,
            fix_data=fixes(fix(f"Use {new}", replace_name(reference.span, new))) if new else None,
            tags=DEPRECATED,
        )


def _module_key(table: MigrationTable, module: str) -> str | None:
    return longest_dotted_key(module, table.removed_modules)


def _removed_module_import(
    rule: Rule, table: MigrationTable, api: KerasApi, item: ImportFact
) -> Iterator[Finding]:
    key = _module_key(table, item.module)
    if key is not None:
        row = table.removed_modules[key]
        if api.before(row.removed):
            return
        new = row.to + item.module[len(key) :] if row.to else ""
        proposal = (
            fix(f"Import from {new}", replace_name(item.module_span, new))
            if new and item.from_import and item.module_span is not None
            else None
        )
        yield rule.finding(
            "note" if row.note else "moved",
            item.module_span or item.span,
            module=key,
            new=new,
            note=row.note,
            release=row.removed,
            fix_data=_data(proposal),
            tags=DEPRECATED,
        )
        return
    for name in item.names:
        key = _module_key(table, f"{item.module}.{name.name}")
        if key is None:
            continue
        row = table.removed_modules[key]
        if api.before(row.removed):
            continue
        yield rule.finding(
            "note" if row.note else "moved",
            name.span,
            module=key,
            new=row.to,
            note=row.note,
            release=row.removed,
            tags=DEPRECATED,
        )


# -- API109: removed Keras layers -------------------------------------------------------------


def check_keras_removed_layers(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """API109: Merge, merge, Highway, MaxoutDense, the Atrous and CuDNN layers."""
    table = migration_table()
    api = context.facts.api
    for item in api.imports:
        namespace = item.module.split(".", 1)[0]
        if namespace not in ("keras", "tensorflow", "tf_keras") or not item.names:
            continue
        if namespace == "tensorflow" and not item.module.startswith("tensorflow.keras"):
            continue
        for imported in item.names:
            row = table.removed_layers.get(imported.name)
            keras = _keras_api(
                context, "tensorflow.keras" if namespace == "tensorflow" else namespace
            )
            if row is not None and not keras.before(row.removed):
                yield rule.finding(
                    "import",
                    imported.span,
                    name=imported.name,
                    release=row.removed,
                    replacement=row.replacement,
                    tags=DEPRECATED,
                )
    for reference in _keras_references(context):
        name = _callee(reference)
        row = table.removed_layers.get(name)
        if row is None or (reference.bound and "." not in reference.written):
            continue  # a name imported by itself is reported at its import
        keras = _keras_api(context, reference.namespace)
        if keras.before(row.removed):
            continue
        mode = reference.call.keyword("mode") if reference.call else None
        layer = table.merge_modes.get(str(mode.literal)) if mode and mode.is_literal else None
        if layer is not None:
            # Merge(...) becomes a layer applied to the list, merge(...) the mode's function.
            if name == "merge":
                layer = layer.split("(")[0].lower() + "([...])"
            else:
                layer = (layer if "(" in layer else f"{layer}()") + "([...])"
        yield rule.finding(
            "mode" if layer else "removed",
            reference.span,
            name=reference.written,
            release=row.removed,
            replacement=row.replacement,
            layer=layer or "",
            mode=mode.literal if mode else "",
            tags=DEPRECATED,
        )


# -- API110: optimizer lr= / decay= -----------------------------------------------------------


def check_keras_optimizer_arguments(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """API110: lr= is ignored by the TF 2.11-2.15 optimizers and rejected by Keras 3; decay= the
    reverse."""
    table = migration_table()
    api = context.facts.api
    for reference in _keras_references(context):
        call, callee = reference.call, _callee(reference)
        if call is None or not callee[:1].isupper():
            continue
        if reference.namespace in KERAS_NAMESPACES:
            if ".optimizers." not in f".{keras_relative(reference.qualified)}":
                continue
        elif callee not in table.optimizer_names or call.positional or _is_torch_only(api):
            continue
        legacy = ".legacy." in reference.qualified
        keras = _keras_api(context, reference.namespace)
        given = {argument.name for argument in call.keywords}
        for argument in call.keywords:
            name = argument.name or ""
            values: dict[str, Any] = {"optimizer": reference.written, "keras": _keras_name(keras)}
            span = _name_span(argument)
            reversed_row = next(
                (row for row in table.optimizer_arguments.values() if row.to == name), None
            )
            if reversed_row is not None:
                if (
                    keras.standalone
                    and reversed_row.reversed_before
                    and keras.before(reversed_row.reversed_before)
                    and reversed_row.keyword not in given
                ):
                    old = reversed_row.keyword
                    yield rule.finding(
                        "reversed",
                        span,
                        old=old,
                        new=name,
                        fix_data=fixes(
                            fix(
                                f"Rename {name}= to {old}=",
                                rename_keyword(call.span, name, old),
                                safe=True,
                            )
                        ),
                        **values,
                    )
                continue
            row = table.optimizer_arguments.get(name)
            if row is None:
                continue
            effect = row.legacy if legacy else row.effect(keras.before)
            if effect == "accepted":
                continue
            proposal = (
                fix(
                    f"Rename {name}= to {row.to}=",
                    rename_keyword(call.span, name, row.to),
                    safe=True,
                )
                if row.to and row.to not in given
                else None
            )
            yield rule.finding(
                f"{name}_{effect}",
                span,
                value=argument.text or name,
                fix_data=_data(proposal),
                tags=DEPRECATED,
                **values,
            )


# -- API111: keras and tf.keras in one file ---------------------------------------------------


def check_mixed_keras_imports(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """API111: standalone keras and tf.keras in one file."""
    used = dict(context.facts.api.keras_namespaces)
    if "keras" not in used or "tensorflow.keras" not in used:
        return
    versions = context.framework_versions
    standalone, bundled = versions.keras_for("keras"), versions.keras_for("tensorflow.keras")
    known = versions.keras is not None or versions.tensorflow is not None
    same = not standalone.standalone and _same_release(standalone, bundled)
    if same and known:
        return  # one Keras under two names: mixing them is harmless
    first, second = sorted(used.items(), key=lambda item: item[1])[:2]
    names = {"keras": "keras", "tensorflow.keras": "tf.keras"}
    yield rule.finding(
        "mixed" if same else "incompatible",
        second[1],
        first=names[first[0]],
        first_line=first[1].line,
        second=names[second[0]],
        keras=_keras_name(standalone),
        tf_keras=_keras_name(bundled),
    )


def _same_release(left: KerasApi, right: KerasApi) -> bool:
    if left.version is None or right.version is None:
        return left.version is None and right.version is None
    return left.version.release[:2] == right.version.release[:2]


# -- API112-API117: PyTorch and torchvision ---------------------------------------------------


def _torch_references(context: CheckContext, *, bare: bool = False) -> Iterator[ApiReference]:
    api = context.facts.api
    for reference in api.references:
        if reference.namespace in ("torch", "torchvision") or (
            bare
            and reference.namespace == ""
            and "torch" in api.imported_roots
            and "tensorflow" not in api.imported_roots
            and reference.written not in api.defined
        ):
            yield reference


def _variable_calls(context: CheckContext) -> Iterator[tuple[ApiReference, CallFact]]:
    table = migration_table()
    for reference in _torch_references(context, bare=True):
        is_variable = reference.qualified in table.torch_variable or (
            reference.namespace == "" and reference.written == "Variable"
        )
        if is_variable and reference.call is not None:
            yield reference, reference.call


def check_torch_variable(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """API112: Variable(x) is x since PyTorch 0.4."""
    table = migration_table()
    if not _torch_at_least(context, table.torch_variable_removed):
        return
    for reference, call in _variable_calls(context):
        proposal = None
        if len(call.positional) == 1 and call.positional[0].text and not call.unpacked:
            data = call.positional[0].text
            grad = call.keyword("requires_grad")
            others = [argument for argument in call.keywords if argument.name != "requires_grad"]
            if not others and (
                grad is None or (grad.is_literal and isinstance(grad.literal, bool))
            ):
                text = data
                if grad is not None and grad.literal is True:
                    inner = data if _SIMPLE.fullmatch(data) else f"({data})"
                    text = f"{inner}.requires_grad_()"
                proposal = fix(f"Use {text}", replace_expression(call.span, text))
        yield rule.finding(
            "wrapper",
            reference.span,
            name=reference.written,
            fix_data=_data(proposal),
            tags=DEPRECATED,
        )


def check_torch_volatile(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """API113: volatile=True does nothing since PyTorch 0.4: gradients are recorded."""
    table = migration_table()
    if not _torch_at_least(context, table.torch_variable_removed):
        return
    for _, call in _variable_calls(context):
        argument = call.keyword("volatile")
        if argument is None or (argument.is_literal and not argument.literal):
            continue
        yield rule.finding(
            "volatile",
            _name_span(argument),
            fix_data=fixes(
                fix("Remove volatile= (it has no effect)", remove_keyword(call.span, "volatile"))
            ),
            tags=DEPRECATED,
        )


def check_torch_scalar_index(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """API114: loss.data[0] on a 0-dim tensor raises since PyTorch 0.5 (loss.item())."""
    table = migration_table()
    api = context.facts.api
    if _is_keras_or_tf_only(api) or not _torch_at_least(context, "0.4"):
        return
    torch = context.framework_versions.torch
    key = (
        "deprecated"
        if torch is not None and torch.before(table.torch_scalar_index_removed)
        else "error"
    )
    for item in api.scalar_indexes:
        receiver = item.receiver if _SIMPLE.fullmatch(item.receiver) else f"({item.receiver})"
        text = f"{receiver}.item()"
        yield rule.finding(
            key,
            item.span,
            receiver=item.receiver,
            evidence=item.evidence,
            fix_data=fixes(fix(f"Use {text}", replace_expression(item.span, text), safe=True))
            if "\n" not in item.receiver
            else None,
            tags=DEPRECATED,
        )


def check_torch_loss_reduction(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """API115: size_average= and reduce= are deprecated since PyTorch 0.4.1 (reduction=)."""
    table = migration_table()
    if not _torch_at_least(context, table.torch_reduction_since):
        return
    for reference in _torch_references(context, bare=True):
        call, callee = reference.call, _callee(reference)
        if call is None or (
            callee not in table.torch_losses and callee not in table.torch_functional_losses
        ):
            continue
        if reference.namespace == "" and call.keyword("size_average") is None:
            continue  # a bare name: only the distinctive size_average= tells it is PyTorch's
        size_average, reduce = call.keyword("size_average"), call.keyword("reduce")
        present = [argument for argument in (size_average, reduce) if argument is not None]
        if not present:
            continue
        reduction = _reduction(size_average, reduce)
        proposal = None
        if reduction is not None and call.keyword("reduction") is None:
            first = present[0]
            edits: list[Action] = [
                rename_keyword(call.span, first.name or "", "reduction", reduction)
            ]
            edits += [remove_keyword(call.span, other.name or "") for other in present[1:]]
            proposal = fix(f"Use reduction={reduction!r}", *edits, safe=True)
        yield rule.finding(
            "reduction" if reduction else "unknown",
            _name_span(present[0]),
            name=reference.written,
            given=", ".join(f"{a.name}={a.text}" for a in present),
            reduction=reduction or "",
            fix_data=_data(proposal),
            tags=DEPRECATED,
        )


def _reduction(size_average: ArgumentFact | None, reduce: ArgumentFact | None) -> str | None:
    """PyTorch's own translation of the legacy pair (None when a value is not a literal)."""
    values: list[bool] = []
    for argument in (size_average, reduce):
        if argument is None or (argument.is_literal and argument.literal is None):
            values.append(True)
        elif argument.is_literal and isinstance(argument.literal, bool):
            values.append(argument.literal)
        else:
            return None
    average, keep = values
    if not keep:
        return "none"
    return "mean" if average else "sum"


def check_torch_deprecated_functions(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """API116: F.sigmoid, F.tanh, F.upsample, nn.init.xavier_uniform and the other aliases."""
    table = migration_table()
    bindings = context.facts.api.bindings
    for reference in _torch_references(context):
        row = table.torch_deprecated.get(reference.qualified)
        if row is None or not _torch_at_least(context, row.since):
            continue
        new = spell(row.to, reference, bindings)
        yield rule.finding(
            "note" if row.note else "renamed",
            reference.span,
            name=reference.written,
            new=new or row.to,
            note=row.note,
            fix_data=fixes(fix(f"Use {new}", replace_name(reference.span, new), safe=row.exact))
            if new
            else None,
            tags=DEPRECATED,
        )


def check_torchvision_pretrained(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """API117: pretrained= is deprecated since torchvision 0.13 (weights=)."""
    table = migration_table()
    vision = context.framework_versions.torchvision
    if vision is not None and vision.before(table.torchvision_weights_since):
        return
    for reference in _torch_references(context):
        call = reference.call
        if reference.namespace != "torchvision" or call is None:
            continue
        for keyword, new in (
            ("pretrained", "weights"),
            ("pretrained_backbone", "weights_backbone"),
        ):
            argument = call.keyword(keyword)
            if argument is None:
                continue
            weights = table.pretrained.get((keyword, _callee(reference)))
            value: str | None = None
            edits: list[Action] = []
            if argument.is_literal and argument.literal is False:
                value = "None"
                edits = [rename_keyword(call.span, keyword, new, None)]
            elif argument.is_literal and argument.literal is True and weights:
                value = repr(weights)
                edits = [rename_keyword(call.span, keyword, new, weights)]
            elif not argument.is_literal and weights and argument.text:
                condition = argument.text
                value = f'"{weights}" if {condition} else None'
                edits = [
                    rename_keyword(call.span, keyword, new),
                    replace_expression(argument.span, value),
                ]
            proposal = (
                fix(f"Use {new}={value}", *edits, safe=True)
                if edits and call.keyword(new) is None
                else None
            )
            yield rule.finding(
                "pretrained",
                _name_span(argument),
                name=reference.written,
                keyword=keyword,
                new=new,
                value=value or (repr(weights) if weights else "..."),
                fix_data=_data(proposal),
                tags=DEPRECATED,
            )


CHECKS: dict[str, Check] = {
    "API101": check_tf1_symbol_removed,
    "API102": check_tf1_symbol_renamed,
    "API103": check_tf1_module_removed,
    "API104": check_tf_dropout_keep_prob,
    "API105": check_keras1_keywords,
    "API106": check_keras1_convolution_kernel,
    "API107": check_keras_removed_methods,
    "API108": check_keras_removed_modules,
    "API109": check_keras_removed_layers,
    "API110": check_keras_optimizer_arguments,
    "API111": check_mixed_keras_imports,
    "API112": check_torch_variable,
    "API113": check_torch_volatile,
    "API114": check_torch_scalar_index,
    "API115": check_torch_loss_reduction,
    "API116": check_torch_deprecated_functions,
    "API117": check_torchvision_pretrained,
}
