"""Training-loop extraction (TRN3xx): what each loop does, in statement order.

A scope's statements come in source order with each block's statements right after its header,
so the statements of a loop body are a contiguous run; ``block_ends`` finds where each run ends
in one pass. Every question below (is zero_grad in this loop? is the step under an ``if``? is
the model call inside ``torch.no_grad()``?) is then an index range test over ``scope.calls``.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache, partial

from dl_lsp.extract.calls import CallSite, by_scope
from dl_lsp.extract.context import ExtractionContext, argument, keyword
from dl_lsp.extract.names import dotted_name, last_name
from dl_lsp.extract.scopes import Scope
from dl_lsp.facts import Span
from dl_lsp.facts.training_loop import (
    EvaluationLoopFact,
    FunctionalDropoutFact,
    GradientLoopFact,
    LossAccumulationFact,
    TrainingCallFact,
    TrainingDataValidationFact,
    TrainingLoopFacts,
    UnrunTrainOpFact,
)

_LOOPS = (ast.For, ast.AsyncFor, ast.While)
_COMPOUND = (
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.If,
    ast.With,
    ast.AsyncWith,
    ast.Try,
    *((ast.TryStar,) if hasattr(ast, "TryStar") else ()),
    *((ast.Match,) if hasattr(ast, "Match") else ()),
)
# Statements whose blocks may run zero or many times per iteration of an enclosing loop.
_BRANCHING = (
    *_LOOPS,
    ast.If,
    *((ast.Match,) if hasattr(ast, "Match") else ()),
)
_GRAD_SWITCHES = frozenset({None, "no_grad", "inference_mode", "set_grad_enabled"})
_ZERO_GRAD_METHODS = frozenset({"zero_grad", "clear_grad", "clear_gradients", "cleargrads"})
_STEP_METHODS = frozenset({"step", "optimizer_step"})
_ITERATION_WRAPPERS = frozenset({"enumerate", "tqdm", "iter", "trange", "track", "progress_bar"})
_FUNCTIONAL_DROPOUTS = frozenset(
    {"dropout", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout", "feature_alpha_dropout"}
)
_NOT_MODELS = frozenset(
    {
        "len",
        "range",
        "print",
        "float",
        "int",
        "str",
        "bool",
        "list",
        "tuple",
        "dict",
        "set",
        "sum",
        "max",
        "min",
        "abs",
        "round",
        "sorted",
        "zip",
        "enumerate",
        "isinstance",
        "next",
        "iter",
        "open",
        "super",
        "getattr",
        "hasattr",
        "map",
        "filter",
        "any",
        "all",
        "type",
    }
)
_TO_PYTHON = frozenset({"item", "tolist", "detach", "cpu", "numpy", "data"})
_TENSOR_USES = frozenset({"item", "backward", "detach", "cpu", "numpy", "tolist", "to", "cuda"})
_TF1_SESSIONS = (
    "tensorflow.Session",
    "tensorflow.InteractiveSession",
    "tensorflow.compat.v1.Session",
    "tensorflow.compat.v1.InteractiveSession",
    "tensorflow.train.MonitoredTrainingSession",
    "tensorflow.compat.v1.train.MonitoredTrainingSession",
    "tensorflow.train.MonitoredSession",
)
_SESSION_NAMES = frozenset(name.rsplit(".", 1)[-1] for name in _TF1_SESSIONS)
_EVAL_WORD = re.compile(
    r"^(?:test|val|valid|validation|eval|evaluation|dev|holdout)"
    r"(?:loader|loaders|set|sets|data|dataset|dl|ds|iter|iterator|batches|gen|generator)?s?$"
)
_TRAINING_CALLS = frozenset({"fit", "fit_generator", "train_on_batch"})
_CAMEL_CASE = re.compile(r"([a-z0-9])([A-Z])")
_NOT_LETTERS = re.compile(r"[^a-z]+")
# The call names a scope's index records (``LoopExtractor.index``).
_INDEXED_NAMES = frozenset(
    {
        "backward",
        "apply_gradients",
        "eval",
        "train",
        "zero_",
        "detach_",
        *_STEP_METHODS,
        *_ZERO_GRAD_METHODS,
        *(name for name in _GRAD_SWITCHES if name is not None),
    }
)
# Qualified constructor names ``LoopExtractor._classify_assignment`` may classify.
_CLASSIFIED = re.compile(
    r"(?i:schedul)"  # schedulers
    r"|^(?:torch\.optim\.|optim\.)|Optimizer$"  # torch and TF1 optimizers
    r"|^(?:torchvision\.models\.|timm\.|torch\.hub\.)|(?:\.from_pretrained|timm\.create_model)$"
)
_PRETRAINED_ROOTS = ("torchvision.models.", "timm.", "torch.hub.")


# -- shared helpers (also used by extract.pipeline) ------------------------------------------


def block_ends(statements: list[ast.stmt]) -> list[int]:
    """For each statement, the index just past the statements of its blocks (one pass)."""
    ends = [index + 1 for index in range(len(statements))]
    open_blocks: list[tuple[int, int, int]] = []  # (index, first line, last line)
    for index, statement in enumerate(statements):
        line = statement.lineno
        while open_blocks and not (open_blocks[-1][1] <= line <= open_blocks[-1][2]):
            ends[open_blocks.pop()[0]] = index
        if isinstance(statement, _COMPOUND):
            open_blocks.append((index, line, statement.end_lineno or line))
    for index, _, _ in open_blocks:
        ends[index] = len(statements)
    return ends


def method_name(call: ast.Call) -> str | None:
    """``step`` for ``optimizer.step()``; None for plain function calls."""
    return call.func.attr if isinstance(call.func, ast.Attribute) else None


def receiver_text(call: ast.Call) -> str | None:
    """The dotted receiver of a method call: ``self.optimizer`` in ``self.optimizer.step()``."""
    return dotted_name(call.func.value) if isinstance(call.func, ast.Attribute) else None


def iterated_name(node: ast.expr) -> str | None:
    """The data a loop iterates: ``train_loader`` in ``enumerate(tqdm(train_loader))``."""
    while isinstance(node, ast.Call) and node.args:
        name = dotted_name(node.func) or ""
        if name.rsplit(".", 1)[-1] not in _ITERATION_WRAPPERS:
            return None
        node = node.args[0]
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        key = node.slice.value
        return key if isinstance(key, str) else None  # dataloaders['val']
    return dotted_name(node)


@lru_cache(maxsize=1024)
def name_words(name: str) -> tuple[str, ...]:
    """Lower-case words of an identifier: ``valLoader`` → ('val', 'loader')."""
    spaced = _CAMEL_CASE.sub(r"\1 \2", name.rsplit(".", 1)[-1])
    return tuple(word for word in _NOT_LETTERS.split(spaced.lower()) if word)


def is_training_name(name: str) -> bool:
    """Named like training data (``train_loader``, ``trainset``), not ``train_eval_loader``."""
    words = name_words(name)
    return any(word.startswith("train") for word in words) and not any(
        _EVAL_WORD.match(word) for word in words
    )


def is_evaluation_name(name: str) -> bool:
    """Named like test or validation data (``val_loader``, ``testloader``, ``x_valid``)."""
    words = name_words(name)
    if any(word.startswith("train") for word in words):
        return False
    return any(_EVAL_WORD.match(word) for word in words)


def header_span(context: ExtractionContext, statement: ast.stmt) -> Span:
    """The header of a loop or function: ``for x, y in loader`` without its body."""
    start = context.span(statement)
    if isinstance(statement, (ast.For, ast.AsyncFor)):
        end = context.span(statement.iter)
    elif isinstance(statement, ast.While):
        end = context.span(statement.test)
    else:
        line = context.source.line_text(start.line)
        return Span(start.line, start.column, start.line, len(line.rstrip()))
    return Span(start.line, start.column, end.end_line, end.end_column)


def is_grad_disabling(call: ast.Call, context: ExtractionContext) -> bool:
    """``torch.no_grad()``, ``torch.inference_mode()``, ``torch.set_grad_enabled(False)``."""
    name = (context.qualify(call.func) or "").rsplit(".", 1)[-1]
    if name in ("no_grad", "inference_mode"):
        return not (call.args and isinstance(call.args[0], ast.Constant) and not call.args[0].value)
    if name == "set_grad_enabled":
        value = argument(call, 0, "mode")
        return isinstance(value, ast.Constant) and value.value is False
    return False


def _decorator_disables_grad(node: ast.expr, context: ExtractionContext) -> bool:
    if isinstance(node, ast.Call):
        return is_grad_disabling(node, context)
    name = (context.qualify(node) or "").rsplit(".", 1)[-1]
    return name in ("no_grad", "inference_mode")


# -- per-scope index ---------------------------------------------------------------------------


@dataclass
class ScopeIndex:
    """A scope's statements with their block ranges and the calls that matter here."""

    scope: Scope
    backward: list[tuple[int, ast.Call]] = field(default_factory=list)
    steps: list[tuple[int, ast.Call, str]] = field(default_factory=list)  # (index, call, optimizer)
    zero_grads: list[tuple[int, ast.Call | ast.stmt, str | None]] = field(default_factory=list)
    tf_steps: list[int] = field(default_factory=list)  # apply_gradients
    modes: list[tuple[int, str, str | None, ast.Call]] = field(default_factory=list)
    grad_disabling: list[int] = field(default_factory=list)  # indexes of no_grad calls

    @cached_property
    def ends(self) -> list[int]:
        """``block_ends`` of the statements (computed when a loop or a call range is asked)."""
        return block_ends(self.scope.statements)

    def inside(self, outer: int, index: int) -> bool:
        return outer < index < self.ends[outer]

    def loops(self) -> Iterator[int]:
        for index, statement in enumerate(self.scope.statements):
            if isinstance(statement, _LOOPS):
                yield index


@dataclass(frozen=True)
class _ScopeLoops:
    """What one scope adds to the file's training-loop facts: a function's is kept for the
    next version (``context.per_scope``), so it holds facts only, never a scope or a node."""

    gradient_loops: tuple[GradientLoopFact, ...]
    accumulations: tuple[LossAccumulationFact, ...]
    evaluation_loops: tuple[EvaluationLoopFact, ...]
    dropouts: tuple[FunctionalDropoutFact, ...]
    evaluates: bool  # a model is put in eval mode here
    disables_grad: bool  # a no_grad block or call, or a no_grad decorator
    global_no_grad: bool  # the module turns gradients off for the whole file


@dataclass(frozen=True)
class _Survey:
    """What one scope's assignments hold, and its classes' methods (ids of their nodes)."""

    optimizers: frozenset[str] = frozenset()
    schedulers: frozenset[str] = frozenset()
    tf1_optimizers: frozenset[str] = frozenset()
    pretrained: frozenset[str] = frozenset()
    methods: frozenset[int] = frozenset()


def _survey_scope(context: ExtractionContext, scope: Scope) -> _Survey:
    kinds: dict[str, set[str]] = {}
    methods: set[int] = set()
    for statement in scope.statements:
        if isinstance(statement, ast.ClassDef):
            methods.update(
                id(item)
                for item in statement.body
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))
            )
        elif isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call):
            for kind in _assignment_kinds(context, statement):
                kinds.setdefault(kind, set()).update(_target_names(statement))
    if not kinds and not methods:
        return _NOTHING_SURVEYED
    return _Survey(
        **{kind: frozenset(names) for kind, names in kinds.items()}, methods=frozenset(methods)
    )


_NOTHING_SURVEYED = _Survey()


def _assignment_kinds(context: ExtractionContext, statement: ast.Assign) -> list[str]:
    """The ``_Survey`` fields the names assigned by ``statement`` belong to."""
    value = statement.value
    assert isinstance(value, ast.Call)
    qualified = context.qualify(_constructor(value).func) or ""
    if not _CLASSIFIED.search(qualified):
        return []  # none of the kinds below
    kinds: list[str] = []
    if "schedul" in qualified.lower():
        kinds.append("schedulers")
    elif qualified.startswith(("torch.optim.", "optim.")):
        kinds.append("optimizers")
    elif qualified.startswith(("tensorflow.train.", "tensorflow.compat.v1.train.")) and (
        qualified.endswith("Optimizer")
    ):
        kinds.append("tf1_optimizers")
    if qualified.startswith(_PRETRAINED_ROOTS) or qualified.endswith(
        (".from_pretrained", "timm.create_model")
    ):
        kinds.append("pretrained")
    return kinds


def _target_names(statement: ast.Assign) -> set[str]:
    targets = [dotted_name(target) for target in statement.targets]
    return {target for target in targets if target}


class LoopExtractor:
    """Builds the training-loop facts of one file."""

    def __init__(self, context: ExtractionContext) -> None:
        self.context = context
        self.optimizers: set[str] = set()
        self.schedulers: set[str] = set()
        self.pretrained: set[str] = set()
        self.method_nodes: set[int] = set()
        self.tf1_session = False
        self.tf1_optimizers: set[str] = set()
        self.training_calls: list[TrainingCallFact] = []
        self.clearing_functions: set[str] = set()

    # The whole file once: what each assigned name holds (a function's part kept while its
    # node is: it depends on the node and the imports alone).
    def _survey(self) -> None:
        context = self.context
        surveys = context.per_scope("training loop survey", partial(_survey_scope, context))
        for survey in surveys:
            self.optimizers |= survey.optimizers
            self.schedulers |= survey.schedulers
            self.tf1_optimizers |= survey.tf1_optimizers
            self.pretrained |= survey.pretrained
            self.method_nodes |= survey.methods
        self.tf1_session = any(
            site.written_name in _SESSION_NAMES and site.qualified in _TF1_SESSIONS
            for site in context.calls.named(_SESSION_NAMES)
        )

    def is_optimizer(self, text: str | None) -> bool:
        if not text:
            return False
        if text in self.optimizers:
            return True
        if text in self.schedulers:
            return False
        last = text.rsplit(".", 1)[-1].lower()
        if "sched" in last:
            return False
        return (
            "optim" in last
            or last.startswith("opt_")
            or last.endswith("_opt")
            or re.fullmatch(r"opt[a-z0-9]?", last) is not None
        )

    def index(self, scope: Scope, sites: list[CallSite]) -> ScopeIndex:
        """The index of a scope from its calls named in ``_INDEXED_NAMES`` (``sites``)."""
        context = self.context
        found = ScopeIndex(scope, zero_grads=_zero_grads(scope, sites))
        for site in sites:
            call, method, position = site.node, site.method, site.position
            if method == "backward":
                found.backward.append((position, call))
            elif method in _STEP_METHODS:
                optimizer = self._stepped_optimizer(call, method)
                if optimizer is not None:
                    found.steps.append((position, call, optimizer))
            elif method == "apply_gradients":
                found.tf_steps.append(position)
            elif method == "eval" and not call.args and not call.keywords:
                found.modes.append((position, "eval", receiver_text(call), call))
            elif method == "train" and isinstance(call.func, ast.Attribute):
                found.modes.append((position, _train_mode(call), receiver_text(call), call))
            if method in _GRAD_SWITCHES and is_grad_disabling(call, context):
                found.grad_disabling.append(position)
        return found

    def _stepped_optimizer(self, call: ast.Call, method: str) -> str | None:
        receiver = receiver_text(call)
        if method == "step" and self.is_optimizer(receiver) and not call.args:
            return receiver
        # scaler.step(optimizer) (AMP), xm.optimizer_step(optimizer) (TPU)
        first = call.args[0] if call.args else None
        text = dotted_name(first) if first is not None else None
        if text and self.is_optimizer(text) and not self.is_optimizer(receiver):
            return text
        return None

    def extract(self) -> TrainingLoopFacts:
        self._survey()
        context = self.context
        indexed = by_scope(context.calls.named(_INDEXED_NAMES))
        dropout_calls = by_scope(context.calls.named(_FUNCTIONAL_DROPOUTS))
        # Which scopes clear gradients: a function's answer is kept while its node is.
        clears = context.per_scope(
            "clears gradients", lambda scope: _clears_gradients(scope, indexed.get(id(scope), []))
        )
        file_zero_grad = any(clears)
        # Helpers of this file that clear gradients (``def reset(opt): opt.zero_grad()``).
        self.clearing_functions = {
            scope.name.rsplit(".", 1)[-1]
            for scope, clear in zip(context.scopes, clears, strict=True)
            if clear and scope.parent is not None
        }
        # What a function's loops are read with, besides its node and the environment.
        names = context.canonical(
            "training loop names",
            (
                frozenset(self.optimizers),
                frozenset(self.schedulers),
                frozenset(self.clearing_functions),
                file_zero_grad,
            ),
        )

        def loops_of(scope: Scope) -> _ScopeLoops:
            sites, dropouts = indexed.get(id(scope), []), dropout_calls.get(id(scope), [])
            return self._scope_loops(scope, sites, dropouts, file_zero_grad)

        found = context.per_scope("training loops", loops_of, names)
        validation = tuple(self._validation_on_training())
        per_scope = list(zip(context.scopes, found, strict=True))
        return TrainingLoopFacts(
            gradient_loops=tuple(loop for item in found for loop in item.gradient_loops),
            evaluation_loops=tuple(loop for item in found for loop in item.evaluation_loops),
            loss_accumulations=tuple(fact for item in found for fact in item.accumulations),
            functional_dropouts=tuple(fact for item in found for fact in item.dropouts),
            unrun_train_ops=tuple(self._unrun_train_ops()),
            validation_on_training=validation,
            training_calls=tuple(self.training_calls),
            pretrained_models=frozenset(self.pretrained),
            eval_calls_in=frozenset(scope.name for scope, item in per_scope if item.evaluates),
            no_grad_in=frozenset(scope.name for scope, item in per_scope if item.disables_grad),
            global_no_grad=found[0].global_no_grad,
        )

    def _scope_loops(
        self,
        scope: Scope,
        sites: list[CallSite],
        dropout_sites: list[CallSite],
        file_zero_grad: bool,
    ) -> _ScopeLoops:
        """What one scope adds to the file's facts (kept: it holds facts only)."""
        found = self.index(scope, sites)
        global_no_grad = scope.parent is None and any(
            _is_bare_call(scope.statements[i]) for i in found.grad_disabling
        )
        decorated = isinstance(scope.node, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(
            _decorator_disables_grad(d, self.context) for d in scope.node.decorator_list
        )
        loops = self._gradient_loops(found, file_zero_grad)
        accumulations = [
            fact
            for loop_index, loop in loops
            if loop.framework == "torch"
            for fact in self._accumulations(found, loop_index, loop)
        ]
        is_method = id(scope.node) in self.method_nodes
        return _ScopeLoops(
            gradient_loops=tuple(loop for _, loop in loops),
            accumulations=tuple(accumulations),
            evaluation_loops=tuple(self._evaluation_loops(found)),
            dropouts=tuple(self._functional_dropouts(dropout_sites)) if is_method else (),
            evaluates=any(kind == "eval" for _, kind, _, _ in found.modes),
            disables_grad=bool(found.grad_disabling) or decorated,
            global_no_grad=global_no_grad,
        )

    # -- TRN301/TRN302: gradient loops ---------------------------------------------------------

    def _gradient_loops(
        self, found: ScopeIndex, file_zero_grad: bool
    ) -> list[tuple[int, GradientLoopFact]]:
        """The innermost loops with a backward and a step (or apply_gradients), and step
        functions that do one outside any loop."""
        if not (found.backward and found.steps) and not found.tf_steps:
            return []
        loops = list(found.loops())
        trains = {
            index: (
                any(found.inside(index, i) for i, _ in found.backward)
                and any(found.inside(index, i) for i, _, _ in found.steps)
            )
            for index in loops
        }
        tf_trains = {
            index: any(found.inside(index, i) for i in found.tf_steps)
            for index in loops
            if not trains[index]
        }
        result: list[tuple[int, GradientLoopFact]] = []
        for index in loops:
            inner = [j for j in loops if found.inside(index, j)]
            if trains[index] and not any(trains[j] for j in inner):
                result.append((index, self._torch_loop(found, index, loops)))
            elif tf_trains.get(index) and not any(tf_trains.get(j) for j in inner):
                statement = found.scope.statements[index]
                result.append(
                    (
                        index,
                        GradientLoopFact(
                            framework="tensorflow",
                            span=header_span(self.context, statement),
                            scope=found.scope.name,
                            iterable=_loop_iterable(statement),
                        ),
                    )
                )
        step_function = self._step_function(found, loops, file_zero_grad)
        if step_function is not None:
            result.append((-1, step_function))
        return result

    def _torch_loop(self, found: ScopeIndex, index: int, loops: list[int]) -> GradientLoopFact:
        context = self.context
        statement = found.scope.statements[index]
        backward = [(i, call) for i, call in found.backward if found.inside(index, i)]
        steps = [(i, call, opt) for i, call, opt in found.steps if found.inside(index, i)]
        zero_grads = [item for item in found.zero_grads if found.inside(index, item[0])]
        zero_grads += self._helper_zero_grads(found, index)
        statements = found.scope.statements
        nested = [
            j for j in range(index + 1, found.ends[index]) if isinstance(statements[j], _BRANCHING)
        ]

        def direct(position: int) -> bool:
            return not any(found.inside(j, position) for j in nested)

        conditional = any(not direct(i) for i, _, _ in steps)
        optimizers = tuple(dict.fromkeys(opt for _, _, opt in steps))
        outer_zero: Span | None = None
        if not zero_grads:
            enclosing = [j for j in loops if found.inside(j, index)]
            outer = [
                item
                for item in found.zero_grads
                if any(found.inside(j, item[0]) for j in enclosing)
            ]
            if outer:
                outer_zero = context.span(outer[0][1])
        step_before, zero_between = self._order(
            [(i, c) for i, c in backward if direct(i)],
            [(i, c, o) for i, c, o in steps if direct(i)],
            [(i, n, r) for i, n, r in zero_grads if direct(i)],
            single=len(optimizers) == 1,
        )
        return GradientLoopFact(
            framework="torch",
            span=header_span(context, statement),
            scope=found.scope.name,
            backward=context.span(backward[0][1]),
            step=context.span(steps[0][1]),
            optimizers=optimizers,
            zero_grad=bool(zero_grads),
            outer_zero_grad=outer_zero,
            conditional_step=conditional,
            step_before_backward=step_before,
            zero_grad_before_step=zero_between,
            iterable=_loop_iterable(statement),
        )

    def _helper_zero_grads(
        self, found: ScopeIndex, index: int
    ) -> list[tuple[int, ast.Call | ast.stmt, str | None]]:
        """Calls in the loop to this file's helpers that clear gradients."""
        if not self.clearing_functions:
            return []
        return [
            (position, call, None)
            for position in range(index + 1, found.ends[index])
            for call in found.scope.calls[position][1]
            if last_name(call.func) in self.clearing_functions
        ]

    def _order(
        self,
        backward: list[tuple[int, ast.Call]],
        steps: list[tuple[int, ast.Call, str]],
        zero_grads: list[tuple[int, ast.Call | ast.stmt, str | None]],
        *,
        single: bool,
    ) -> tuple[Span | None, Span | None]:
        """Order of the unconditional calls of one iteration (one optimizer only)."""
        if not (single and backward and steps and len(steps) == 1):
            return None, None
        step_at, step_call, optimizer = steps[0]
        step_key = _position(step_at, step_call)
        first_backward = min(_position(i, call) for i, call in backward)
        if step_key < first_backward:
            between = [z for z in zero_grads if step_key < _position(z[0], z[1]) < first_backward]
            return (None if between else self.context.span(step_call)), None
        last_backward = max(
            (_position(i, call) for i, call in backward if _position(i, call) < step_key),
            default=first_backward,
        )
        for at, node, receiver in zero_grads:
            if receiver == optimizer and last_backward < _position(at, node) < step_key:
                return None, self.context.span(node)
        return None, None

    def _step_function(
        self, found: ScopeIndex, loops: list[int], file_zero_grad: bool
    ) -> GradientLoopFact | None:
        """A function that does one training step outside any loop (``def train_step``)."""
        scope = found.scope
        if not isinstance(scope.node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return None

        def loose(position: int) -> bool:
            return not any(found.inside(j, position) for j in loops)

        backward = [(i, c) for i, c in found.backward if loose(i)]
        steps = [(i, c) for i, c, _ in found.steps if loose(i)]
        if not backward or not steps:
            return None
        return GradientLoopFact(
            framework="torch",
            span=header_span(self.context, scope.node),
            scope=scope.name,
            backward=self.context.span(backward[0][1]),
            step=self.context.span(steps[0][1]),
            zero_grad=file_zero_grad,
            function=True,
        )

    # -- TRN305: loss tensors kept across iterations -------------------------------------------

    def _accumulations(
        self, found: ScopeIndex, loop_index: int, loop: GradientLoopFact
    ) -> Iterator[LossAccumulationFact]:
        if loop.function or loop_index < 0:
            return
        scope = found.scope
        losses: set[str] = set()
        for i, call in found.backward:
            if found.inside(loop_index, i):
                losses |= _backward_names(call, self.context)
        if not losses:
            return
        for position in range(loop_index + 1, found.ends[loop_index]):
            statement = scope.statements[position]
            item = _accumulated(statement, losses)
            if item is None:
                continue
            accumulator, loss_node, kind = item
            if self._converted_before(found, loop_index, position, loss_node.id):
                continue
            if self._under_no_grad(found, position):
                continue
            uses = self._tensor_uses(scope, accumulator)
            if "backward" in uses:
                continue  # the graph is kept on purpose: one backward over the sum
            yield LossAccumulationFact(
                span=self.context.span(loss_node),
                accumulator=accumulator,
                loss=loss_node.id,
                kind=kind,
                used_as_tensor=bool(uses),
            )

    def _converted_before(
        self, found: ScopeIndex, loop_index: int, position: int, name: str
    ) -> bool:
        """``loss = loss.item()`` between the backward and the accumulation."""
        for index in range(loop_index + 1, position):
            statement = found.scope.statements[index]
            if not isinstance(statement, ast.Assign):
                continue
            if not any(isinstance(t, ast.Name) and t.id == name for t in statement.targets):
                continue
            value = statement.value
            if isinstance(value, ast.Call):
                called = method_name(value) or dotted_name(value.func) or ""
                if called in _TO_PYTHON or called in ("float", "int"):
                    return True
            if isinstance(value, ast.Attribute) and value.attr == "data":
                return True
        return False

    def _under_no_grad(self, found: ScopeIndex, position: int) -> bool:
        return any(found.inside(i, position) for i in found.grad_disabling)

    def _tensor_uses(self, scope: Scope, accumulator: str) -> set[str]:
        uses: set[str] = set()
        for call in scope.iter_calls():
            method = method_name(call)
            if method in _TENSOR_USES and receiver_text(call) == accumulator:
                uses.add(method)
            elif (self.context.qualify(call.func) or "").startswith("torch.") and any(
                dotted_name(arg) == accumulator for arg in call.args
            ):
                uses.add("torch")
        return uses

    # -- TRN303/TRN304: evaluation loops -------------------------------------------------------

    def _evaluation_loops(self, found: ScopeIndex) -> Iterator[EvaluationLoopFact]:
        scope = found.scope
        for index in found.loops():
            statement = scope.statements[index]
            if not isinstance(statement, (ast.For, ast.AsyncFor)):
                continue
            iterable = iterated_name(statement.iter)
            if iterable is None or not is_evaluation_name(iterable):
                continue
            if any(found.inside(index, i) for i, _ in found.backward):
                continue  # it trains on this data
            if any(found.inside(index, i) for i, _, _ in found.steps):
                continue
            seen: set[str] = set()
            for position in range(index + 1, found.ends[index]):
                for call in scope.calls[position][1]:
                    callee = _callee(call)
                    if callee is None or callee in seen:
                        continue
                    seen.add(callee)
                    yield self._evaluation_loop(found, index, position, call, callee, iterable)

    def _evaluation_loop(
        self,
        found: ScopeIndex,
        index: int,
        position: int,
        call: ast.Call,
        callee: str,
        iterable: str,
    ) -> EvaluationLoopFact:
        scope = found.scope
        mode: str | None = None
        mode_call: ast.Call | None = None
        for at, kind, receiver, node in found.modes:
            if at >= position:
                break
            if kind == "eval" or receiver == callee or receiver == callee.split(".")[0]:
                mode, mode_call = kind, node
        no_grad = any(found.inside(i, position) for i in found.grad_disabling) or any(
            i < position and _is_bare_call(scope.statements[i]) for i in found.grad_disabling
        )
        no_grad = no_grad or self._decorated_no_grad(scope)
        return EvaluationLoopFact(
            span=header_span(self.context, scope.statements[index]),
            scope=scope.name,
            callee=callee,
            call=self.context.span(call),
            iterable=iterable,
            mode=mode,
            mode_span=self.context.span(mode_call) if mode_call is not None else None,
            no_grad=no_grad,
            model_from_caller=_from_caller(scope, callee),
        )

    def _decorated_no_grad(self, scope: Scope | None) -> bool:
        while scope is not None:
            node = scope.node
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(
                _decorator_disables_grad(d, self.context) for d in node.decorator_list
            ):
                return True
            scope = scope.parent
        return False

    # -- TRN306: functional dropout in module methods ------------------------------------------

    def _functional_dropouts(self, sites: list[CallSite]) -> Iterator[FunctionalDropoutFact]:
        """From the calls of a method named like a functional dropout."""
        for site in sites:
            call, scope, qualified = site.node, site.scope, site.qualified
            name = qualified.rsplit(".", 1)[-1]
            if name not in _FUNCTIONAL_DROPOUTS or not qualified.startswith("torch.nn.functional."):
                continue
            if keyword(call, "training") is not None or len(call.args) >= 3:
                continue
            if any(isinstance(a, ast.Starred) for a in call.args) or any(
                k.arg is None for k in call.keywords
            ):
                continue
            yield FunctionalDropoutFact(self.context.span(call), name, scope.name)

    # -- TRN307: TF1 train ops never run -------------------------------------------------------

    def _unrun_train_ops(self) -> list[UnrunTrainOpFact]:
        if not self.tf1_session:
            return []
        candidates: list[tuple[ast.Call, str, str | None]] = []
        for scope in self.context.scopes:
            for statement, calls in scope.calls:
                for call in calls:
                    method = method_name(call)
                    if method not in ("minimize", "apply_gradients") or not self._tf1_optimizer(
                        call
                    ):
                        continue
                    if isinstance(statement, ast.Expr) and statement.value is call:
                        candidates.append((call, method, None))
                    elif (
                        isinstance(statement, ast.Assign)
                        and statement.value is call
                        and len(statement.targets) == 1
                        and isinstance(statement.targets[0], ast.Name)
                    ):
                        candidates.append((call, method, statement.targets[0].id))
        if not candidates:
            return []
        loaded = {
            node.id
            for node in ast.walk(self.context.tree)
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
        }
        return [
            UnrunTrainOpFact(self.context.span(call), method, name)
            for call, method, name in candidates
            if name is None or name not in loaded
        ]

    def _tf1_optimizer(self, call: ast.Call) -> bool:
        func = call.func
        assert isinstance(func, ast.Attribute)
        receiver = func.value
        if isinstance(receiver, ast.Call):
            qualified = self.context.qualify(receiver.func) or ""
            return qualified.startswith(
                ("tensorflow.train.", "tensorflow.compat.v1.train.")
            ) and qualified.endswith("Optimizer")
        return dotted_name(receiver) in self.tf1_optimizers

    # -- TRN308: validation on the training data -----------------------------------------------

    def _validation_on_training(self) -> Iterator[TrainingDataValidationFact]:
        context = self.context
        training_calls = by_scope(context.calls.named(_TRAINING_CALLS))
        read = context.per_scope(
            "validation on training data",
            lambda scope: self._scope_validation(scope, training_calls.get(id(scope), [])),
        )
        for calls, validation in read:
            self.training_calls += calls
            yield from validation

    def _scope_validation(
        self, scope: Scope, sites: list[CallSite]
    ) -> tuple[tuple[TrainingCallFact, ...], tuple[TrainingDataValidationFact, ...]]:
        """A scope's training calls, and where it validates on its training data."""
        context = self.context
        calls: list[TrainingCallFact] = []
        found: list[TrainingDataValidationFact] = []
        loaders: list[tuple[str, ast.Call, ast.expr]] = []
        for site in sites:
            method = site.method
            if method in _TRAINING_CALLS:
                calls.append(self._training_call(site.node, method))
            if method == "fit":
                fit = self._fit_validation(site.node)
                if fit is not None:
                    found.append(fit)
        for statement in scope.statements:
            if (
                isinstance(statement, ast.Assign)
                and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name)
                and isinstance(statement.value, ast.Call)
                and (context.qualify(statement.value.func) or "").endswith("DataLoader")
            ):
                dataset = argument(statement.value, 0, "dataset")
                if isinstance(dataset, ast.Name):
                    loaders.append((statement.targets[0].id, statement.value, dataset))
        found += self._loader_validation(loaders)
        return tuple(calls), tuple(found)

    def _training_call(self, call: ast.Call, method: str) -> TrainingCallFact:
        func = call.func
        assert isinstance(func, ast.Attribute)
        end = self.context.span(func)
        span = Span(
            end.end_line, max(end.end_column - len(method), 0), end.end_line, end.end_column
        )
        data = argument(call, 0, "x", "generator")
        return TrainingCallFact(
            span,
            method,
            dotted_name(func.value),
            data.id if isinstance(data, ast.Name) else None,
        )

    def _fit_validation(self, call: ast.Call) -> TrainingDataValidationFact | None:
        validation = keyword(call, "validation_data")
        x = argument(call, 0, "x")
        y = argument(call, 1, "y")
        if validation is None or not isinstance(x, ast.Name):
            return None
        if isinstance(validation, (ast.Tuple, ast.List)) and validation.elts:
            names = [e.id if isinstance(e, ast.Name) else None for e in validation.elts]
            if names[0] != x.id:
                return None
            if len(names) > 1 and (not isinstance(y, ast.Name) or names[1] != y.id):
                return None
            data = ", ".join(n or "?" for n in names)
        elif isinstance(validation, ast.Name) and validation.id == x.id and y is None:
            data = x.id
        else:
            return None
        return TrainingDataValidationFact(
            self.context.span(validation), data, "fit", self.context.span(x)
        )

    def _loader_validation(
        self, loaders: list[tuple[str, ast.Call, ast.expr]]
    ) -> Iterator[TrainingDataValidationFact]:
        trained = {
            dataset.id: dataset
            for name, _, dataset in loaders
            if isinstance(dataset, ast.Name) and is_training_name(name)
        }
        for name, call, dataset in loaders:
            if not is_evaluation_name(name) or not isinstance(dataset, ast.Name):
                continue
            if keyword(call, "sampler", "batch_sampler") is not None:
                continue
            if any(k.arg is None for k in call.keywords):
                continue
            train_dataset = trained.get(dataset.id)
            if train_dataset is not None:
                yield TrainingDataValidationFact(
                    self.context.span(dataset),
                    dataset.id,
                    "DataLoader",
                    self.context.span(train_dataset),
                )


# -- small pure helpers --------------------------------------------------------------------------


def _constructor(call: ast.Call) -> ast.Call:
    """``models.resnet18(...)`` in ``models.resnet18(...).to(device)``."""
    while isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Call):
        if call.func.attr not in ("to", "cuda", "cpu", "eval", "train", "double", "float"):
            break
        call = call.func.value
    return call


def _clears_grad(statement: ast.Assign) -> bool:
    """``p.grad = None``."""
    return (
        isinstance(statement.value, ast.Constant)
        and statement.value.value is None
        and any(isinstance(t, ast.Attribute) and t.attr == "grad" for t in statement.targets)
    )


def _zero_grads(
    scope: Scope, sites: list[CallSite]
) -> list[tuple[int, ast.Call | ast.stmt, str | None]]:
    """Where a scope clears gradients (``p.grad = None``, ``opt.zero_grad()``...), in statement
    order; ``sites``: its calls named in ``_INDEXED_NAMES``."""
    found: list[tuple[int, ast.Call | ast.stmt, str | None]] = [
        (position, statement, None)
        for position, statement in enumerate(scope.statements)
        if isinstance(statement, ast.Assign) and _clears_grad(statement)
    ]
    for site in sites:
        call, method = site.node, site.method
        if method in _ZERO_GRAD_METHODS:
            found.append((site.position, call, receiver_text(call)))
        elif method in ("zero_", "detach_") and ".grad" in (receiver_text(call) or ""):
            found.append((site.position, call, None))
    # ``p.grad = None`` statements first, then calls: back into statement order.
    found.sort(key=lambda item: item[0])
    return found


def _clears_gradients(scope: Scope, sites: list[CallSite]) -> bool:
    return bool(_zero_grads(scope, sites))


def _train_mode(call: ast.Call) -> str:
    mode = argument(call, 0, "mode")
    if mode is None:
        return "train"
    if isinstance(mode, ast.Constant) and isinstance(mode.value, bool):
        return "train" if mode.value else "eval"
    return "unknown"


def _position(index: int, node: ast.AST) -> tuple[int, int, int]:
    return (index, getattr(node, "lineno", 0), getattr(node, "col_offset", 0))


def _is_bare_call(statement: ast.stmt) -> bool:
    """``torch.set_grad_enabled(False)`` as a statement (not a ``with`` item)."""
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)


def _loop_iterable(statement: ast.stmt) -> str | None:
    if isinstance(statement, (ast.For, ast.AsyncFor)):
        return iterated_name(statement.iter)
    return None


def _backward_names(call: ast.Call, context: ExtractionContext) -> set[str]:
    """The loss names a backward() call differentiates: ``loss``, ``scaler.scale(loss)``."""
    func = call.func
    assert isinstance(func, ast.Attribute)
    receiver = func.value
    if isinstance(receiver, ast.Name):
        root = context.qualify(receiver) or receiver.id
        if root.split(".")[0] in ("torch", "accelerate") or receiver.id == "accelerator":
            return {a.id for a in call.args[:1] if isinstance(a, ast.Name)}
        return {receiver.id}
    if isinstance(receiver, ast.Call):
        return {a.id for a in receiver.args[:1] if isinstance(a, ast.Name)}
    return set()


def _loss_term(node: ast.expr, losses: set[str]) -> ast.Name | None:
    """``loss``, ``loss * x.size(0)`` or ``loss / n``: the loss name being accumulated."""
    if isinstance(node, ast.Name) and node.id in losses:
        return node
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.Div)):
        for side in (node.left, node.right):
            if isinstance(side, ast.Name) and side.id in losses:
                return side
    return None


def _accumulated(statement: ast.stmt, losses: set[str]) -> tuple[str, ast.Name, str] | None:
    if isinstance(statement, ast.AugAssign) and isinstance(statement.op, ast.Add):
        target = dotted_name(statement.target)
        term = _loss_term(statement.value, losses)
        if target and term is not None and target not in losses:
            return target, term, "augmented"
    if (
        isinstance(statement, ast.Assign)
        and len(statement.targets) == 1
        and isinstance(statement.value, ast.BinOp)
        and isinstance(statement.value.op, ast.Add)
    ):
        target = dotted_name(statement.targets[0])
        value = statement.value
        if target and target not in losses and dotted_name(value.left) == target:
            term = _loss_term(value.right, losses)
            if term is not None:
                return target, term, "sum"
    if (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Call)
        and method_name(statement.value) == "append"
        and len(statement.value.args) == 1
    ):
        target = receiver_text(statement.value)
        term = _loss_term(statement.value.args[0], losses)
        if target and term is not None:
            return target, term, "append"
    return None


def _callee(call: ast.Call) -> str | None:
    """The name of a called model: ``model`` in ``model(x)`` or ``model.forward(x)``."""
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr == "forward":
        func = func.value
    name = dotted_name(func)
    if name is None or name in _NOT_MODELS or not call.args:
        return None
    if isinstance(call.func, ast.Attribute) and call.func.attr != "forward":
        return name if name.startswith("self.") and name.count(".") == 1 else None
    return name


def _from_caller(scope: Scope, callee: str) -> bool:
    """The model comes from outside the loop's function (a parameter, a global, self)."""
    if scope.parent is None:
        return False
    if "." in callee:
        return True
    history = scope.assignments.get(callee)
    if not history:
        return True
    return all(isinstance(value, ast.Name) and value.id == "<parameter>" for _, value in history)


def extract_training_loops(context: ExtractionContext) -> TrainingLoopFacts:
    """Training-loop facts of one file."""
    return LoopExtractor(context).extract()
