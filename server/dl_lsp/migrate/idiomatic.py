"""The idiomatic TF1 → TF2 migration: placeholder/Session/feed_dict training of an MLP or a CNN
becomes a Keras model trained with ``fit``.

The graph statements (placeholders, weights, layers, loss, optimizer, accuracy, initializer)
are read by ``graph_model``; they are replaced by one ``keras.Sequential`` model and its
``compile``, placed where the last of them was. In the ``with tf.Session() as sess:`` block the
training loop becomes ``model.fit``, ``sess.run(init)`` goes, and each other ``sess.run`` of the
accuracy, the loss or the predictions becomes ``model.evaluate``/``model.predict`` inside the
user's own statement; the block's other statements stay, dedented. Everything else of the file
(data preparation, constants, prints) stays as written. Anything not recognised raises
``Unrecognised`` and nothing is changed.
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TypeGuard

from dl_lsp.migrate.graph_mode import tensorflow_import
from dl_lsp.migrate.graph_model import (
    ACTIVATIONS,
    Accuracy,
    Graph,
    Initializer,
    Layer,
    Loss,
    Placeholder,
    Tensor,
    TrainOp,
    Unrecognised,
    Value,
)
from dl_lsp.migrate.result import MigrationResult

_SESSIONS = ("Session", "InteractiveSession")


@dataclass(frozen=True)
class Edit:
    start: int  # offsets into the original text
    end: int
    text: str


class Offsets:
    """Character offsets of ``ast`` positions (whose columns count UTF-8 bytes)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.splitlines(keepends=True)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))

    def at(self, line: int, byte_column: int) -> int:
        prefix = self.lines[line - 1].encode("utf-8")[:byte_column].decode("utf-8", "replace")
        return self.starts[line - 1] + len(prefix)

    def node(self, node: ast.expr) -> tuple[int, int]:
        assert node.end_lineno is not None and node.end_col_offset is not None
        return self.at(node.lineno, node.col_offset), self.at(node.end_lineno, node.end_col_offset)

    def whole_lines(self, first: int, last: int) -> tuple[int, int]:
        return self.starts[first - 1], self.starts[min(last, len(self.lines))]


def apply(text: str, edits: Sequence[Edit]) -> str:
    ordered = sorted(edits, key=lambda edit: edit.start)
    for before, after in itertools.pairwise(ordered):
        if after.start < before.end:
            raise Unrecognised("two changes overlap")
    for edit in reversed(ordered):
        text = text[: edit.start] + edit.text + text[edit.end :]
    return text


@dataclass(frozen=True)
class Training:
    """What ``model.fit`` needs, read from the training loop."""

    features: str
    labels: str
    batch_size: str
    epochs: str
    keep_probs: Mapping[str, str]  # keep-probability placeholder → the value fed in training


@dataclass
class _Program:
    graph: Graph
    env: dict[str, Value]
    graph_statements: list[ast.stmt]  # before the session: the model goes where the last was
    session: ast.stmt  # ``with tf.Session() as sess:``, or ``sess = tf.Session()``
    session_name: str
    body: list[ast.stmt]  # what runs with the session open
    # Graph statements after ``sess = tf.Session()`` (an accuracy defined after training).
    late_statements: list[ast.stmt]

    @property
    def block(self) -> bool:
        return isinstance(self.session, ast.With)


def migrate_idiomatic(text: str) -> MigrationResult:
    """The Keras version of a TF1 graph-and-session training program (Unrecognised if the
    pattern is not there)."""
    tree = ast.parse(text)
    found = tensorflow_import(tree)
    if found is None or found.compat:
        raise Unrecognised("the file does not import tensorflow as a module alias")
    program = _read_program(text, tree, found.alias)
    train_op = _single(program.env, TrainOp, "training op (optimizer.minimize)")
    loss = train_op.loss
    inputs = program.env.get(loss.output.source)
    if not isinstance(inputs, Placeholder) or inputs.shape is None or len(inputs.shape) < 2:
        raise Unrecognised("the input placeholder has no shape [None, ...]")
    accuracy = next((v for v in program.env.values() if isinstance(v, Accuracy)), None)
    offsets = Offsets(text)
    model = _free_name(tree, "model")
    training, session_edits, described = _session(program, offsets, loss, accuracy, model)
    model_text = _render_model(
        found.alias, model, inputs, loss, train_op, accuracy is not None, training.keep_probs
    )
    edits = [*_graph_edits(program, offsets, model_text), *session_edits]
    migrated = apply(text, edits)
    ast.parse(migrated)  # a failure here is a bug: raise rather than return broken code
    first = min(s.lineno for s in program.graph_statements)
    last = max(s.end_lineno or s.lineno for s in program.graph_statements)
    applied = [
        f"lines {first}-{last}: the TF1 graph (placeholders, weights, layers, loss, optimizer) "
        f"became a Keras model, {model} = {found.alias}.keras.Sequential([...]) with compile()",
        *described,
    ]
    notes = [
        f"{model}.fit replaces the hand-written loop: shuffling and the per-epoch printout are "
        "Keras' own (validation_data= and callbacks= add the rest)"
    ]
    return MigrationResult(migrated, applied, notes)


def _free_name(tree: ast.Module, wanted: str) -> str:
    taken = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    name, number = wanted, 1
    while name in taken:
        number += 1
        name = f"keras_{wanted}" if number == 2 else f"keras_{wanted}{number}"
    return name


def _single(env: Mapping[str, Value], kind: type, what: str) -> TrainOp:
    found = [value for value in env.values() if isinstance(value, kind)]
    if len(found) != 1 or not isinstance(found[0], TrainOp):
        raise Unrecognised(f"{len(found)} {what}s instead of one")
    return found[0]


# -- reading the module ------------------------------------------------------------------------


def _read_program(text: str, tree: ast.Module, alias: str) -> _Program:
    graph = Graph(alias, text)
    env: dict[str, Value] = {}
    statements: list[ast.stmt] = []
    late: list[ast.stmt] = []
    sessions: list[tuple[ast.stmt, str]] = []
    body: list[ast.stmt] = []
    for statement in tree.body:
        opened_at_module_level = bool(sessions) and not isinstance(sessions[0][0], ast.With)
        if isinstance(statement, ast.FunctionDef):
            graph.functions[statement.name] = statement
            continue
        session = _session_block(graph, statement) or _session_opened(graph, statement)
        if session is not None:
            sessions.append(session)
            if isinstance(session[0], ast.With):
                body = list(session[0].body)
            continue
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
            value = graph.evaluate(statement.value, env)
            if value is not None:
                if not isinstance(target, ast.Name):
                    raise Unrecognised(f"line {statement.lineno}: a graph value unpacked")
                if isinstance(value, Placeholder):
                    value = replace(value, name=target.id)
                env[target.id] = value
                (late if opened_at_module_level else statements).append(statement)
                continue
        if opened_at_module_level:
            body.append(statement)
            continue
        if isinstance(statement, ast.Expr) and graph.evaluate(statement.value, env) is None:
            continue
        if graph.mentions_graph(statement, env):
            raise Unrecognised(f"line {statement.lineno}: graph tensors used outside a session")
    for name in graph.used_functions:
        statements.append(graph.functions[name])
    if len(sessions) != 1:
        raise Unrecognised(f"{len(sessions)} TensorFlow sessions instead of one")
    if not statements or not body:
        raise Unrecognised("no graph statements before the session, or nothing run in it")
    return _Program(graph, env, statements, *sessions[0], body, late)


def _session_opened(graph: Graph, statement: ast.stmt) -> tuple[ast.stmt, str] | None:
    """``sess = tf.Session()`` or ``sess = tf.InteractiveSession()`` at module level."""
    if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1):
        return None
    call, target = statement.value, statement.targets[0]
    if isinstance(call, ast.Call) and graph.tf_name(call.func) in _SESSIONS:
        if not isinstance(target, ast.Name):
            raise Unrecognised("a session assigned to something other than a name")
        return statement, target.id
    return None


def _session_block(graph: Graph, statement: ast.stmt) -> tuple[ast.stmt, str] | None:
    if not isinstance(statement, ast.With) or len(statement.items) != 1:
        return None
    item = statement.items[0]
    call = item.context_expr
    if not (isinstance(call, ast.Call) and graph.tf_name(call.func) in _SESSIONS):
        return None
    if not isinstance(item.optional_vars, ast.Name):
        raise Unrecognised("a session block without `as sess`")
    return statement, item.optional_vars.id


def _graph_edits(program: _Program, offsets: Offsets, model_text: str) -> list[Edit]:
    """The graph statements removed; the last one before the session becomes the model."""
    edits: list[Edit] = []
    ordered = sorted(program.graph_statements, key=lambda s: s.lineno)
    for number, statement in enumerate([*ordered, *program.late_statements]):
        model_here = number == len(ordered) - 1
        edits.append(_removal(offsets, statement, model_text if model_here else ""))
    return edits


def _removal(offsets: Offsets, statement: ast.stmt, replacement: str = "") -> Edit:
    """A statement's lines replaced; removed, it takes the blank lines after it along."""
    first = min([statement.lineno, *(d.lineno for d in _decorators(statement))])
    last_line = statement.end_lineno or statement.lineno
    if not replacement:
        while last_line < len(offsets.lines) and not offsets.lines[last_line].strip():
            last_line += 1
    start, end = offsets.whole_lines(first, last_line)
    return Edit(start, end, replacement)


def _decorators(statement: ast.stmt) -> list[ast.expr]:
    return list(statement.decorator_list) if isinstance(statement, ast.FunctionDef) else []


# -- the session block ------------------------------------------------------------------------


def _session(
    program: _Program, offsets: Offsets, loss: Loss, accuracy: Accuracy | None, model: str
) -> tuple[Training, list[Edit], list[str]]:
    sess, body = program.session_name, program.body
    train_statement, run = _training_run(program, body)
    training = _training(program, train_statement, run, loss)
    first_line = offsets.lines[body[0].lineno - 1]
    indent = first_line[: len(first_line) - len(first_line.lstrip(" \t"))]
    inner: list[Edit] = []
    described = [
        f"line {train_statement.lineno}: the training loop became "
        f"{model}.fit({training.features}, {training.labels}, batch_size={training.batch_size}, "
        f"epochs={training.epochs})"
    ]
    fit = (
        f"{indent}{model}.fit({training.features}, {training.labels}, "
        f"batch_size={training.batch_size}, epochs={training.epochs}, verbose=2)\n"
    )
    inner.append(_removal(offsets, train_statement, fit))
    for statement in body:
        if statement is train_statement:
            continue
        if _is_initializer_run(program, statement, sess) or _is_close(statement, sess):
            inner.append(_removal(offsets, statement))
            described.append(f"line {statement.lineno}: removed {_first_line(offsets, statement)}")
            continue
        for node, replacement in _fetches(program, statement, sess, loss, accuracy, model):
            start, end = offsets.node(node)
            inner.append(Edit(start, end, replacement))
            described.append(f"line {node.lineno}: {replacement}")
    for statement in body:
        if statement is not train_statement:
            _no_session_left(program, statement, sess, inner, offsets)
    if not program.block:
        opened = _removal(offsets, program.session)
        described.append(f"line {program.session.lineno}: removed the session")
        return training, [opened, *inner], described
    block = program.session
    region_start, region_end = offsets.whole_lines(body[0].lineno, block.end_lineno or 0)
    inner = [Edit(edit.start, min(edit.end, region_end), edit.text) for edit in inner]
    region = apply(offsets.text[region_start:region_end], _shifted(inner, region_start))
    dedented = "".join(
        line[len(indent) :] if line.startswith(indent) else line.lstrip(" \t")
        for line in region.splitlines(keepends=True)
    )
    with_indent = " " * block.col_offset
    text = "".join(
        with_indent + line if line.strip() else line for line in dedented.splitlines(True)
    )
    start, _ = offsets.whole_lines(block.lineno, block.lineno)
    return training, [Edit(start, region_end, text)], described


def _first_line(offsets: Offsets, statement: ast.stmt) -> str:
    return offsets.lines[statement.lineno - 1].strip()


def _is_close(statement: ast.stmt, sess: str) -> bool:
    call = statement.value if isinstance(statement, ast.Expr) else None
    return (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == "close"
        and isinstance(call.func.value, ast.Name)
        and call.func.value.id == sess
    )


def _shifted(edits: Sequence[Edit], by: int) -> list[Edit]:
    return [Edit(edit.start - by, edit.end - by, edit.text) for edit in edits]


def _runs(node: ast.AST, sess: str) -> Iterator[ast.Call]:
    for child in ast.walk(node):
        if (
            isinstance(child, ast.Call)
            and isinstance(child.func, ast.Attribute)
            and child.func.attr == "run"
            and isinstance(child.func.value, ast.Name)
            and child.func.value.id == sess
        ):
            yield child


def _fetched(program: _Program, run: ast.Call) -> list[Value | None]:
    fetches = (
        run.args[0]
        if run.args
        else next((k.value for k in run.keywords if k.arg == "fetches"), None)
    )
    if fetches is None:
        return []
    items = fetches.elts if isinstance(fetches, (ast.List, ast.Tuple)) else [fetches]
    return [
        program.env.get(item.id) if isinstance(item, ast.Name) else _fetch_value(program, item)
        for item in items
    ]


def _fetch_value(program: _Program, node: ast.expr) -> Value | None:
    try:
        return program.graph.evaluate(node, program.env)
    except Unrecognised:
        return None


def _training_run(program: _Program, body: Sequence[ast.stmt]) -> tuple[ast.stmt, ast.Call]:
    found: list[tuple[ast.stmt, ast.Call]] = []
    for statement in body:
        for run in _runs(statement, program.session_name):
            if any(isinstance(value, TrainOp) for value in _fetched(program, run)):
                found.append((statement, run))
    if len(found) != 1:
        raise Unrecognised(f"{len(found)} sess.run calls of the training op instead of one")
    return found[0]


def _feed(program: _Program, call: ast.Call, position: int) -> dict[str, ast.expr]:
    feed = next((k.value for k in call.keywords if k.arg == "feed_dict"), None)
    if feed is None and len(call.args) > position:
        feed = call.args[position]
    if not isinstance(feed, ast.Dict):
        raise Unrecognised(f"line {call.lineno}: a run without a literal feed_dict")
    fed: dict[str, ast.expr] = {}
    for key, value in zip(feed.keys, feed.values, strict=True):
        if not (isinstance(key, ast.Name) and isinstance(program.env.get(key.id), Placeholder)):
            raise Unrecognised(f"line {call.lineno}: a feed_dict key that is not a placeholder")
        fed[key.id] = value
    return fed


def _training(program: _Program, statement: ast.stmt, run: ast.Call, loss: Loss) -> Training:
    graph = program.graph
    fed = _feed(program, run, 1)
    keep_probs: dict[str, str] = {}
    for name, value in fed.items():
        if name not in (loss.output.source, loss.labels):
            keep_probs[name] = graph.text(value)
    for layer in loss.output.layers:
        if layer.keep_prob is not None and layer.keep_prob not in keep_probs:
            raise Unrecognised(f"the keep probability {layer.keep_prob} is not fed in training")
    extra = set(keep_probs) - {layer.keep_prob for layer in loss.output.layers}
    if extra:
        raise Unrecognised(f"the training feeds {', '.join(sorted(extra))}, not translated")
    if loss.output.source not in fed or loss.labels not in fed:
        raise Unrecognised("the training run does not feed the input and the labels")
    loops = _enclosing_loops(statement, run)
    bindings = _loop_bindings(statement, run)
    features = _data_source(graph, fed[loss.output.source], bindings, loops)
    labels = _data_source(graph, fed[loss.labels], bindings, loops)
    if features.batch_size is None and labels.batch_size is not None:
        features = replace(features, batch_size=labels.batch_size)
    return Training(
        features.data,
        labels.data,
        features.batch_size or f"len({features.data})",
        _epochs(graph, loops, features),
        keep_probs,
    )


@dataclass(frozen=True)
class _Source:
    data: str
    batch_size: str | None  # None: the whole data set at once
    kind: str  # 'whole', 'slice', 'next_batch'
    slice_variable: str | None = None


def _enclosing_loops(statement: ast.stmt, run: ast.Call) -> list[ast.For]:
    """The ``for`` loops around ``run`` inside ``statement``, outermost first."""
    path: list[ast.For] = []

    def visit(node: ast.AST, loops: list[ast.For]) -> bool:
        if node is run:
            path.extend(loops)
            return True
        if isinstance(node, ast.While) and any(child is run for child in ast.walk(node)):
            raise Unrecognised("the training runs in a while loop")
        inner = [*loops, node] if isinstance(node, ast.For) else loops
        return any(visit(child, inner) for child in ast.iter_child_nodes(node))

    visit(statement, [])
    return path


def _loop_bindings(statement: ast.stmt, run: ast.Call) -> dict[str, ast.expr | _Part]:
    """Names assigned before the run inside the training statement (the batch variables)."""
    bound: dict[str, ast.expr | _Part] = {}
    for node in ast.walk(statement):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and node.lineno < run.lineno:
            target, value = node.targets[0], node.value
            if isinstance(target, ast.Name):
                bound[target.id] = value
            elif isinstance(target, ast.Tuple):
                values = value.elts if isinstance(value, ast.Tuple) else None
                for index, element in enumerate(target.elts):
                    if isinstance(element, ast.Name):
                        same = values is not None and len(values) == len(target.elts)
                        bound[element.id] = (
                            values[index] if same and values else _Part(value, index)
                        )
    return bound


@dataclass(frozen=True)
class _Part:
    """The n-th element unpacked from ``value`` (``bx, by = mnist.train.next_batch(100)``)."""

    value: ast.expr
    index: int


def _data_source(
    graph: Graph,
    node: ast.expr | _Part,
    bindings: Mapping[str, ast.expr | _Part],
    loops: Sequence[ast.For],
) -> _Source:
    seen = 0
    while isinstance(node, ast.Name) and node.id in bindings and seen < 8:
        node, seen = bindings[node.id], seen + 1
    if isinstance(node, _Part):
        return _next_batch(graph, node)
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice):
        return _slice_source(graph, node, node.slice, loops)
    if isinstance(node, (ast.Name, ast.Attribute)):
        return _Source(graph.text(node), None, "whole")
    raise Unrecognised(f"line {node.lineno}: the fed data {graph.text(node)} is not recognised")


def _next_batch(graph: Graph, part: _Part) -> _Source:
    call = part.value
    if not (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == "next_batch"
        and call.args
        and part.index in (0, 1)
    ):
        raise Unrecognised("a batch unpacked from something other than next_batch()")
    dataset = graph.text(call.func.value)
    field = "images" if part.index == 0 else "labels"
    return _Source(f"{dataset}.{field}", graph.text(call.args[0]), "next_batch")


def _slice_source(
    graph: Graph, node: ast.Subscript, bounds: ast.Slice, loops: Sequence[ast.For]
) -> _Source:
    data = graph.text(node.value)
    lower, upper = bounds.lower, bounds.upper
    if bounds.step is not None or lower is None or upper is None:
        raise Unrecognised("a batch slice without both bounds")
    low, high = graph.text(lower), graph.text(upper)
    size: str | None = None
    if isinstance(upper, ast.BinOp) and isinstance(upper.op, ast.Add):
        if graph.text(upper.left) == low:
            size = graph.text(upper.right)
        elif graph.text(upper.right) == low:
            size = graph.text(upper.left)
    if size is None and isinstance(lower, ast.BinOp) and isinstance(lower.op, ast.Mult):
        size = graph.text(
            lower.right
            if isinstance(lower.left, ast.Name) and _is_loop_variable(lower.left.id, loops)
            else lower.left
        )
    if size is None:
        size = _range_step(graph, loops, (low, high))
    if size is None:
        raise Unrecognised(f"the batch size of {data}[{low}:{high}] is not evident")
    variable = next(
        (
            n.id
            for n in ast.walk(lower)
            if isinstance(n, ast.Name) and _is_loop_variable(n.id, loops)
        ),
        None,
    )
    return _Source(data, size, "slice", variable)


def _is_loop_variable(name: str, loops: Sequence[ast.For]) -> bool:
    return any(name in _targets(loop) for loop in loops)


def _targets(loop: ast.For) -> set[str]:
    return {n.id for n in ast.walk(loop.target) if isinstance(n, ast.Name)}


def _range_step(graph: Graph, loops: Sequence[ast.For], names: tuple[str, str]) -> str | None:
    """``for start in range(0, len(X), batch_size)`` (or a zip of such ranges): the step."""
    for loop in loops:
        if not set(names) & _targets(loop):
            continue
        ranges = [loop.iter]
        iterated = loop.iter
        if isinstance(iterated, ast.Call) and _called(iterated) == "zip":
            ranges = list(iterated.args)
        for call in ranges:
            if _is_range(call) and len(call.args) == 3:
                return graph.text(call.args[2])
    return None


def _called(call: ast.Call) -> str | None:
    return call.func.id if isinstance(call.func, ast.Name) else None


def _is_range(node: ast.expr) -> TypeGuard[ast.Call]:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "range"
        and not node.keywords
    )


def _range_count(graph: Graph, loop: ast.For) -> str:
    call = loop.iter
    if not _is_range(call):
        raise Unrecognised(f"line {loop.lineno}: an epoch loop that is not over range()")
    if len(call.args) == 1:
        return graph.text(call.args[0])
    if len(call.args) == 2:
        start, stop = graph.text(call.args[0]), call.args[1]
        if start == "0":
            return graph.text(stop)
        if (
            start == "1"
            and isinstance(stop, ast.BinOp)
            and isinstance(stop.op, ast.Add)
            and graph.text(stop.right) == "1"
        ):
            return graph.text(stop.left)
        return f"{graph.text(stop)} - {start}"
    raise Unrecognised(f"line {loop.lineno}: an epoch loop over range() with a step")


def _epochs(graph: Graph, loops: Sequence[ast.For], source: _Source) -> str:
    batch_loops = [
        loop for loop in loops if source.kind == "slice" and source.slice_variable in _targets(loop)
    ]
    epoch_loops = [loop for loop in loops if loop not in batch_loops]
    if source.kind == "next_batch":
        if len(epoch_loops) == 2:
            return _range_count(graph, epoch_loops[0])
        if len(epoch_loops) == 1:
            steps = _range_count(graph, epoch_loops[0])
            return f"max(1, ({steps}) * ({source.batch_size}) // len({source.data}))"
        raise Unrecognised("next_batch() outside a loop over steps")
    if len(epoch_loops) > 1:
        raise Unrecognised("more loops around the training run than epochs and batches")
    return _range_count(graph, epoch_loops[0]) if epoch_loops else "1"


def _is_initializer_run(program: _Program, statement: ast.stmt, sess: str) -> bool:
    """``sess.run(init)``, ``init.run()``, ``tf.global_variables_initializer().run()``."""
    call = statement.value if isinstance(statement, ast.Expr) else None
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)):
        return False
    if call.func.attr != "run":
        return False
    receiver = call.func.value
    if isinstance(receiver, ast.Name) and receiver.id == sess:
        fetched = _fetched(program, call)
        return bool(fetched) and all(isinstance(value, Initializer) for value in fetched)
    return isinstance(_fetch_value(program, receiver), Initializer)


def _fetches(
    program: _Program,
    statement: ast.stmt,
    sess: str,
    loss: Loss,
    accuracy: Accuracy | None,
    model: str,
) -> Iterator[tuple[ast.expr, str]]:
    """Each ``sess.run(...)`` / ``tensor.eval(...)`` of the statement and its Keras form."""
    for node in ast.walk(statement):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        if (
            node.func.attr == "run"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == sess
        ):
            values, fed = _fetched(program, node), _feed(program, node, 1)
        elif (
            node.func.attr == "eval"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in program.env
        ):
            values, fed = [program.env[node.func.value.id]], _feed(program, node, 0)
        else:
            continue
        yield node, _keras_fetch(program, values, fed, loss, accuracy, model)


def _keras_fetch(
    program: _Program,
    values: Sequence[Value | None],
    fed: Mapping[str, ast.expr],
    loss: Loss,
    accuracy: Accuracy | None,
    model: str,
) -> str:
    graph = program.graph
    features = graph.text(fed[loss.output.source]) if loss.output.source in fed else None
    if features is None:
        raise Unrecognised("a run that does not feed the input")
    if len(values) == 1 and isinstance(values[0], Tensor):
        return _prediction(graph, values[0], loss.output, f"{model}.predict({features}, verbose=0)")
    if loss.labels not in fed:
        raise Unrecognised("an evaluation run that does not feed the labels")
    evaluate = f"{model}.evaluate({features}, {graph.text(fed[loss.labels])}, verbose=0)"
    kinds = [
        "loss" if isinstance(v, Loss) else "accuracy" if isinstance(v, Accuracy) else "?"
        for v in values
    ]
    if accuracy is None:
        if kinds == ["loss"]:
            return evaluate
    elif kinds == ["loss"]:
        return f"{evaluate}[0]"
    elif kinds == ["accuracy"]:
        return f"{evaluate}[1]"
    elif kinds == ["loss", "accuracy"]:
        return evaluate
    elif kinds == ["accuracy", "loss"]:
        return f"{evaluate}[::-1]"
    raise Unrecognised("a run of tensors other than the loss, the accuracy or the predictions")


def _prediction(graph: Graph, fetched: Tensor, output: Tensor, predict: str) -> str:
    if fetched == output:
        return predict
    last = output.layers[-1] if output.layers else None
    if (
        last is not None
        and last.activation is None
        and fetched.layers[:-1] == output.layers[:-1]
        and fetched.layers[-1].kind == last.kind
        and fetched.layers[-1].activation is not None
    ):
        function = _tf_activation(graph, fetched.layers[-1].activation)
        return f"{function}({predict}).numpy()"
    if fetched.layers[:-1] == output.layers and fetched.layers[-1].kind == "Activation":
        name = fetched.layers[-1].args[0].strip("'\"")
        return f"{_tf_activation(graph, name)}({predict}).numpy()"
    raise Unrecognised("a run of an intermediate tensor")


def _tf_activation(graph: Graph, name: str) -> str:
    path = next((key for key, value in ACTIVATIONS.items() if value == name), f"nn.{name}")
    return f"{graph.tf_alias}.{path}"


def _no_session_left(
    program: _Program, statement: ast.stmt, sess: str, edits: Sequence[Edit], offsets: Offsets
) -> None:
    """Every use of the session is replaced; a use that is not (a saver) stops the migration."""
    replaced = [(edit.start, edit.end) for edit in edits]
    for node in ast.walk(statement):
        if isinstance(node, ast.Name) and node.id in (sess, *program.env):
            start, end = offsets.node(node)
            if not any(a <= start and end <= b for a, b in replaced):
                raise Unrecognised(f"line {node.lineno}: {node.id} is used in a way not translated")


# -- the Keras model ----------------------------------------------------------------------------


def _render_model(
    tf: str,
    model: str,
    inputs: Placeholder,
    loss: Loss,
    train_op: TrainOp,
    with_accuracy: bool,
    keep_probs: Mapping[str, str],
) -> str:
    assert inputs.shape is not None
    dims = ", ".join(inputs.shape[1:])
    lines = [f"{model} = {tf}.keras.Sequential(", "    ["]
    lines.append(
        f"        {tf}.keras.Input(shape=({dims}{',' if len(inputs.shape) == 2 else ''})),"
    )
    for layer in loss.output.layers:
        lines.append(f"        {tf}.keras.layers.{_layer_text(layer, keep_probs)},")
    lines += ["    ]", ")"]
    keras_loss = loss.keras if loss.keras.startswith('"') else f"{tf}.keras.{loss.keras}"
    lines.append(f"{model}.compile(")
    lines.append(f"    optimizer={tf}.keras.{train_op.optimizer.keras},")
    lines.append(f"    loss={keras_loss},")
    if with_accuracy:
        lines.append('    metrics=["accuracy"],')
    lines.append(")")
    return "\n".join(lines) + "\n"


def _layer_text(layer: Layer, keep_probs: Mapping[str, str]) -> str:
    args = list(layer.args)
    if layer.keep_prob is not None:
        args = [_rate(keep_probs[layer.keep_prob])]
    if layer.activation is not None:
        args.append(f'activation="{layer.activation}"')
    return f"{layer.kind}({', '.join(args)})"


def _rate(keep: str) -> str:
    try:
        return repr(round(1 - float(keep), 10))
    except ValueError:
        return f"1 - {keep}"
