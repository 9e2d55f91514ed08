"""Data-pipeline and reproducibility extraction (DAT4xx, REP6xx).

One statement-order data flow per scope (like ``extract.normalization``) follows what each
variable holds: data transformed by a scaler fit on unsplit data, parts of a train/test split,
one-hot labels, floats in [0, 1], channels-last images, loss criteria, unshuffled tf.data
datasets. Calls that matter (``train_test_split``, a criterion, a cast to uint8, a model call,
``fit``) are checked against those states when they run. Seeds, determinism switches and
unseeded splits are simple call facts collected in the same pass.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial

from dl_lsp.extract.calls import CallSite
from dl_lsp.extract.context import ExtractionContext, argument, keyword
from dl_lsp.extract.data import dataset_of
from dl_lsp.extract.names import dotted_name
from dl_lsp.extract.scopes import Scope
from dl_lsp.extract.training_loop import header_span, is_training_name, method_name
from dl_lsp.facts import Evidence, InputType, Span
from dl_lsp.facts.pipeline import (
    ChannelsLastInputFact,
    LeakFact,
    OneHotTargetFact,
    PipelineFacts,
    SeedFact,
    ShuffleFact,
    Uint8CastFact,
    UnseededRandomnessFact,
)

_SCALERS = frozenset(
    {
        "StandardScaler",
        "MinMaxScaler",
        "RobustScaler",
        "MaxAbsScaler",
        "QuantileTransformer",
        "PowerTransformer",
    }
)
_PRESERVING_METHODS = frozenset(
    {
        "astype",
        "float",
        "double",
        "half",
        "long",
        "int",
        "to",
        "cuda",
        "cpu",
        "numpy",
        "copy",
        "clone",
        "detach",
        "squeeze",
        "contiguous",
        "to_numpy",
        "fillna",
        "dropna",
        "drop",
        "type",
        "pin_memory",
        "requires_grad_",
    }
)
_RESHAPING = frozenset({"reshape", "view", "resize", "flatten", "ravel"})
_AXES_MOVING = frozenset(
    {"permute", "transpose", "moveaxis", "movedim", "swapaxes", "rollaxis", "rearrange"}
)
_ARRAY_BUILDERS = frozenset(
    {
        "array",
        "asarray",
        "stack",
        "vstack",
        "concatenate",
        "cat",
        "tensor",
        "from_numpy",
        "as_tensor",
        "Tensor",
        "FloatTensor",
        "LongTensor",
        "DataFrame",
        "Series",
        "ascontiguousarray",
    }
)
_TORCH_CONVERSIONS = frozenset(
    {"tensor", "from_numpy", "as_tensor", "Tensor", "FloatTensor", "LongTensor"}
)
_DATASET_CHAIN = frozenset(
    {"batch", "map", "cache", "prefetch", "repeat", "take", "skip", "filter", "padded_batch"}
)
_FLOAT_DTYPES = frozenset({"float", "float16", "float32", "float64", "half", "double", "bfloat16"})
_INT_DTYPES = frozenset({"int", "int32", "int64", "long", "uint8", "int8", "int16", "bool"})
_CRITERIA = {
    "CrossEntropyLoss": "cross_entropy",
    "cross_entropy": "cross_entropy",
    "NLLLoss": "nll",
    "nll_loss": "nll",
}
_SEED_CALLS = {
    "random.seed": "python",
    "numpy.random.seed": "numpy",
    "torch.manual_seed": "torch",
    "torch.random.manual_seed": "torch",
    "torch.cuda.manual_seed": "torch",
    "torch.cuda.manual_seed_all": "torch",
    "tensorflow.random.set_seed": "tensorflow",
    "tensorflow.set_random_seed": "tensorflow",
    "tensorflow.compat.v1.set_random_seed": "tensorflow",
    "tensorflow.compat.v1.random.set_random_seed": "tensorflow",
    "tensorflow.keras.utils.set_random_seed": "all",
    "keras.utils.set_random_seed": "all",
}
_SEED_EVERYTHING = frozenset({"seed_everything", "set_seed"})
_SEEDING_LIBRARIES = (
    "lightning",
    "pytorch_lightning",
    "transformers",
    "accelerate",
    "lightning_fabric",
)
_SEEDED_GENERATORS = frozenset({"default_rng", "RandomState", "Random", "Generator", "PRNGKey"})
_SPLITTERS = frozenset(
    {"ShuffleSplit", "StratifiedShuffleSplit", "GroupShuffleSplit", "KFold", "StratifiedKFold"}
)
_ORDERED_DATA_CALLS = frozenset(
    {"TimeseriesGenerator", "timeseries_dataset_from_array", "TimeSeriesSplit"}
)
_OPENCV_SAME_LAYOUT = frozenset({"resize", "GaussianBlur", "blur", "medianBlur", "flip"})
# Call names the seed survey looks at (besides any name containing "seed").
_SURVEYED_CALLS = frozenset(
    {
        *(name.rsplit(".", 1)[-1] for name in _SEED_CALLS),
        *_SEEDED_GENERATORS,
        *_SPLITTERS,
        *_ORDERED_DATA_CALLS,
        "use_deterministic_algorithms",
        "set_deterministic",
        "enable_op_determinism",
        "Trainer",
        "cuda",
        "is_available",
        "device",
        "to",
        "list_physical_devices",
        "list_logical_devices",
        "set_memory_growth",
        "MirroredStrategy",
        "is_gpu_available",
        "train_test_split",
        "shuffle",
        "permutation",
        "random_split",
        "sample",
    }
)
_BUILTIN_CALLEES = frozenset({"print", "len", "list", "tuple", "float", "int", "str", "type"})


@dataclass(frozen=True)
class Value:
    """What the flow knows about one value. Every field is optional evidence."""

    leak: Evidence | None = None  # transformed by a scaler fit on unsplit data
    split_part: bool = False  # returned by train_test_split
    split_at: Span | None = None  # this data was passed to train_test_split there
    scaler: str | None = None  # a scaler object (its class)
    fitted: Evidence | None = None  # the scaler was fit on unsplit data
    fitted_after_split: Evidence | None = None  # ... on data that had been split already
    one_hot: str | None = None  # 'int' or 'float'
    one_hot_origin: Evidence | None = None
    unit: Evidence | None = None  # floats in [0, 1]
    channels_last: Evidence | None = None  # (N, H, W, C) images
    batched: bool = False  # a batch of images rather than one image
    tensor: Span | None = None  # where channels-last data became a tensor
    criterion: str | None = None  # 'cross_entropy' or 'nll'
    dataset: str | None = None  # 'unshuffled', 'shuffled', 'directory_unshuffled'
    dataset_origin: Span | None = None
    shuffle_span: Span | None = None

    def data(self) -> Value:
        """The same data after an operation that keeps its content (not its object role)."""
        if self is UNKNOWN:
            return self
        return Value(
            leak=self.leak,
            split_part=self.split_part,
            one_hot=self.one_hot,
            one_hot_origin=self.one_hot_origin,
            unit=self.unit,
            channels_last=self.channels_last,
            batched=self.batched,
            tensor=self.tensor,
        )


State = Value | tuple["State", ...]
UNKNOWN = Value()


def first(state: State) -> Value:
    while isinstance(state, tuple):
        if not state:
            return UNKNOWN
        state = state[0]
    return state


@dataclass(frozen=True)
class _FunctionFacts:
    """What one function's body adds, and the report keys it used."""

    unshuffled: tuple[ShuffleFact, ...]
    leaks: tuple[LeakFact, ...]
    one_hot_targets: tuple[OneHotTargetFact, ...]
    uint8_casts: tuple[Uint8CastFact, ...]
    channels_last: tuple[ChannelsLastInputFact, ...]
    reported: frozenset[tuple[str, int, int]]


class PipelineFlow:
    """Runs the value states through every scope and records the facts."""

    def __init__(self, context: ExtractionContext) -> None:
        self.context = context
        self.module_env: dict[str, State] = {}
        self.cache: dict[int, State] = {}
        self.reported: set[tuple[str, int, int]] = set()
        self.unshuffled: list[ShuffleFact] = []
        self.leaks: list[LeakFact] = []
        self.one_hot_targets: list[OneHotTargetFact] = []
        self.uint8_casts: list[Uint8CastFact] = []
        self.channels_last: list[ChannelsLastInputFact] = []
        self.dataset_classes: dict[str, str] = {}  # class name -> 'map' or 'iterable'

    def run(self) -> None:
        self._survey_classes()
        module, *functions = self.context.scopes
        self._run_scope(module, self.module_env)
        # A function's facts depend on its own node and on what the module holds at its end:
        # kept for the next version while both stay the same.
        outside = self.context.canonical(
            "pipeline module states",
            (tuple(self.module_env.items()), tuple(self.dataset_classes.items())),
        )
        for scope in functions:
            found = self.context.reused(
                "pipeline", scope.node, partial(self._function_facts, scope), outside
            )
            self._take(found)

    def _function_facts(self, scope: Scope) -> _FunctionFacts:
        """The facts of one function's body, found on their own (``_take`` merges them)."""
        flow = PipelineFlow(self.context)
        flow.module_env, flow.dataset_classes = self.module_env, self.dataset_classes
        flow._run_scope(scope, {})
        return _FunctionFacts(
            tuple(flow.unshuffled),
            tuple(flow.leaks),
            tuple(flow.one_hot_targets),
            tuple(flow.uint8_casts),
            tuple(flow.channels_last),
            frozenset(flow.reported),
        )

    def _take(self, found: _FunctionFacts) -> None:
        self.unshuffled += found.unshuffled
        # A leak is reported once, at the fit that caused it, which may lie outside the function.
        for leak in found.leaks:
            key = ("leak", leak.span.line, leak.span.column)
            if key not in self.reported:
                self.leaks.append(leak)
        self.one_hot_targets += found.one_hot_targets
        self.uint8_casts += found.uint8_casts
        self.channels_last += found.channels_last
        self.reported |= found.reported

    def _survey_classes(self) -> None:
        for statement in self.context.module_scope.statements:
            if not isinstance(statement, ast.ClassDef):
                continue
            for base in statement.bases:
                name = (self.context.qualify(base) or "").rsplit(".", 1)[-1]
                if name == "IterableDataset":
                    self.dataset_classes[statement.name] = "iterable"
                elif name == "Dataset":
                    self.dataset_classes[statement.name] = "map"

    def _first_report(self, kind: str, node: ast.AST) -> bool:
        key = (kind, getattr(node, "lineno", 0), getattr(node, "col_offset", 0))
        if key in self.reported:
            return False
        self.reported.add(key)
        return True

    # -- statements ----------------------------------------------------------------------------

    def _run_scope(self, scope: Scope, env: dict[str, State]) -> None:
        for statement, calls in scope.calls:
            self.cache = {}
            value_node = _statement_value(statement)
            state = self._eval(value_node, scope, env) if value_node is not None else UNKNOWN
            for call in calls:
                self._eval(call, scope, env)
            if isinstance(statement, ast.Assign):
                for target in statement.targets:
                    self._bind(target, state, env)
                self._record_loader(statement, scope, env)
            elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
                self._bind(statement.target, state, env)
            elif isinstance(statement, ast.AugAssign) and isinstance(statement.target, ast.Name):
                self._augment(statement, scope, env)
            elif isinstance(statement, (ast.For, ast.AsyncFor)):
                self._bind(statement.target, state, env)
                self._record_loop(statement, first(state))
            elif isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
                self._append(statement.value, scope, env)

    def _bind(self, target: ast.expr, state: State, env: dict[str, State]) -> None:
        if isinstance(target, ast.Name):
            env[target.id] = state
        elif isinstance(target, (ast.Tuple, ast.List)):
            if isinstance(state, tuple) and len(state) == len(target.elts):
                for element, item in zip(target.elts, state, strict=True):
                    self._bind(element, item, env)
            else:
                for element in target.elts:
                    self._bind(element, UNKNOWN, env)
        elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
            # df[cols] = scaler.fit_transform(df[cols]) scales part of df in place
            value = first(state)
            if value.leak is not None:
                old = first(self._lookup(target.value.id, env))
                env[target.value.id] = replace(old.data(), leak=value.leak)

    def _augment(self, statement: ast.AugAssign, scope: Scope, env: dict[str, State]) -> None:
        assert isinstance(statement.target, ast.Name)
        name = statement.target.id
        old = first(self._lookup(name, env))
        if isinstance(statement.op, ast.Div) and _is_pixel_max(statement.value, scope, self):
            env[name] = replace(old.data(), unit=Evidence(f"{name} /= 255", _span(self, statement)))
        elif old is UNKNOWN:
            env[name] = UNKNOWN  # nothing known stays so
        else:
            env[name] = replace(old.data(), unit=None, one_hot=None)

    def _append(self, call: ast.Call, scope: Scope, env: dict[str, State]) -> None:
        """``images.append(cv2.imread(path))``: the list holds what is appended."""
        func = call.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr in ("append", "extend")
            and isinstance(func.value, ast.Name)
            and len(call.args) == 1
        ):
            item = first(self._eval(call.args[0], scope, env))
            if item.channels_last is not None:
                env[func.value.id] = replace(item.data(), batched=True)

    def _lookup(self, name: str, env: dict[str, State]) -> State:
        if name in env:
            return env[name]
        return self.module_env.get(name, UNKNOWN)

    # -- expressions ---------------------------------------------------------------------------

    def _eval(self, node: ast.expr, scope: Scope, env: dict[str, State]) -> State:
        if isinstance(node, ast.Call):
            key = id(node)
            if key not in self.cache:
                self.cache[key] = UNKNOWN  # recursion guard
                self.cache[key] = self._eval_call(node, scope, env)
            return self.cache[key]
        if isinstance(node, ast.Name):
            return self._lookup(node.id, env)
        if isinstance(node, ast.Tuple):
            return tuple(self._eval(element, scope, env) for element in node.elts)
        if isinstance(node, (ast.ListComp, ast.GeneratorExp)):
            return replace(first(self._eval(node.elt, scope, env)).data(), batched=True)
        if isinstance(node, ast.Subscript):
            return self._eval_subscript(node, scope, env)
        if isinstance(node, ast.Attribute):
            if node.attr in ("values", "data"):
                return first(self._eval(node.value, scope, env)).data()
            return UNKNOWN
        if isinstance(node, ast.BinOp):
            return self._eval_binop(node, scope, env)
        return UNKNOWN

    def _eval_subscript(self, node: ast.Subscript, scope: Scope, env: dict[str, State]) -> State:
        base = node.value
        if isinstance(base, ast.Call) and self._name(base) == "eye":
            return Value(
                one_hot="float",
                one_hot_origin=Evidence("an identity matrix row", _span(self, node)),
            )
        state = self._eval(base, scope, env)
        index = node.slice
        if isinstance(state, tuple):
            if (
                isinstance(index, ast.Constant)
                and isinstance(index.value, int)
                and -len(state) <= index.value < len(state)
            ):
                return state[index.value]
            return UNKNOWN
        return state.data()

    def _eval_binop(self, node: ast.BinOp, scope: Scope, env: dict[str, State]) -> State:
        left = first(self._eval(node.left, scope, env))
        right = first(self._eval(node.right, scope, env))
        if left is UNKNOWN and right is UNKNOWN and not isinstance(node.op, ast.Div):
            return UNKNOWN  # what the general case below computes for two unknown operands
        base = left if left is not UNKNOWN and left != UNKNOWN else right
        result = replace(base.data(), one_hot=None, one_hot_origin=None)
        if left.leak is None and right.leak is not None:
            result = replace(result, leak=right.leak)
        if isinstance(node.op, ast.Div):
            if _is_pixel_max(node.right, scope, self, node.left):
                text = self.context.source.segment(node)
                return replace(result, unit=Evidence(text, _span(self, node)))
            return replace(result, unit=None)
        if isinstance(node.op, ast.Mult):
            factor = self.context.resolver.number(node.right, scope)
            if factor is None:
                factor = self.context.resolver.number(node.left, scope)
            keeps = factor is not None and abs(factor) < 2
            return result if keeps else replace(result, unit=None)
        return replace(result, unit=None)

    def _name(self, call: ast.Call) -> str:
        if isinstance(call.func, ast.Attribute):
            return call.func.attr
        return (self.context.qualify(call.func) or "").rsplit(".", 1)[-1]

    def _eval_call(self, call: ast.Call, scope: Scope, env: dict[str, State]) -> State:
        func = call.func
        site = self.context.calls.site(call)
        if site is not None:
            qualified, name = site.qualified, site.name
        else:
            qualified, name = self.context.qualify(func) or "", self._name(call)
        if name not in _HANDLED_CALLS and not isinstance(func, ast.Call):
            # Most calls (layers, printing, plotting) neither create nor pass on a state;
            # a call by name may still be a criterion or a model.
            if isinstance(func, ast.Name):
                criterion = first(self._lookup(func.id, env)).criterion
                if criterion is not None:
                    self._loss_target(call, criterion, scope, env)
                else:
                    self._model_input(call, func.id, scope, env)
            return UNKNOWN
        # Methods of values (``x.astype``), not functions of modules (``np.transpose``).
        method = None if _is_module(qualified) else method_name(call)
        receiver: Value | None = None
        if isinstance(func, ast.Attribute) and method is not None:
            receiver = first(self._eval(func.value, scope, env))
        elif isinstance(func, ast.Call):
            receiver = first(self._eval(func, scope, env))

        source = self._source(call, qualified, name, scope, env)
        if source is not None:
            return source
        if receiver is not None and receiver.scaler is not None:
            return self._scaler_call(call, name, receiver, scope, env)
        if receiver is not None and receiver.criterion is not None:
            self._loss_target(call, receiver.criterion, scope, env)
            return UNKNOWN
        if isinstance(func, ast.Name):
            criterion = first(self._lookup(func.id, env)).criterion
            if criterion is not None:
                self._loss_target(call, criterion, scope, env)
                return UNKNOWN
        if method is None and name in _CRITERIA and qualified.startswith("torch"):
            self._loss_target(call, _CRITERIA[name], scope, env)
            return UNKNOWN
        if name == "train_test_split":
            return self._split(call, scope, env)
        if name in ("fit", "fit_generator") and method is not None:
            self._fit(call, scope, env)
            return UNKNOWN
        self._uint8_cast(call, qualified, name, receiver, scope, env)
        if method is None and isinstance(func, ast.Name):
            self._model_input(call, func.id, scope, env)
        elif method == "forward" and isinstance(func, ast.Attribute):
            callee = dotted_name(func.value)
            if callee is not None:
                self._model_input(call, callee, scope, env)
        return self._transform(call, qualified, name, method, receiver, scope, env)

    def _source(
        self, call: ast.Call, qualified: str, name: str, scope: Scope, env: dict[str, State]
    ) -> State | None:
        """States created by a call: scalers, criteria, one-hot labels, images, datasets."""

        def here(reason: str) -> Evidence:
            return Evidence(reason, _span(self, call))

        if name in _SCALERS and (qualified.startswith("sklearn") or qualified == name):
            return Value(scaler=name)
        if name in ("CrossEntropyLoss", "NLLLoss") and qualified.startswith(("torch", name)):
            return Value(criterion=_CRITERIA[name])
        if name == "one_hot" and qualified.startswith("torch"):
            return Value(one_hot="int", one_hot_origin=here("F.one_hot (int64)"))
        if name == "to_categorical":
            return Value(one_hot="float", one_hot_origin=here("to_categorical"))
        if name == "get_dummies" and qualified.startswith("pandas"):
            return Value(one_hot="int", one_hot_origin=here("pd.get_dummies"))
        found = dataset_of(call, self.context) if name == "load_data" else None
        if found is not None:
            key, info = found
            if key in ("cifar10", "cifar100") and info.input_type is InputType.COLOR:
                evidence = here(f"{key}.load_data(), shaped (N, 32, 32, 3)")
                images = Value(channels_last=evidence, batched=True)
                return ((images, UNKNOWN), (images, UNKNOWN))
            return None
        if name == "imread" and qualified.startswith("cv2"):
            if len(call.args) == 1 and not call.keywords:
                return Value(channels_last=here("cv2.imread (H, W, 3)"))
            return UNKNOWN
        if name == "load_img":
            return Value(channels_last=here("load_img (H, W, 3)"))
        if name == "convert" and isinstance(call.func, ast.Attribute):
            mode = self.context.resolver.string(argument(call, 0, "mode"), scope)
            if mode == "RGB":
                return Value(channels_last=here("a PIL RGB image (H, W, 3)"))
            return None
        if name == "from_tensor_slices" and "tensorflow" in qualified:
            data = self._eval(call.args[0], scope, env) if call.args else UNKNOWN
            return Value(
                dataset="unshuffled",
                dataset_origin=_span(self, call),
                split_part=_any_split_part(data),
            )
        if name == "image_dataset_from_directory" or (
            name == "flow_from_directory" and isinstance(call.func, ast.Attribute)
        ):
            shuffle = keyword(call, "shuffle")
            if isinstance(shuffle, ast.Constant) and shuffle.value is False:
                return Value(
                    dataset="directory_unshuffled",
                    dataset_origin=_span(self, call),
                    shuffle_span=_span(self, shuffle),
                )
            return Value(dataset="shuffled")
        return None

    def _transform(
        self,
        call: ast.Call,
        qualified: str,
        name: str,
        method: str | None,
        receiver: Value | None,
        scope: Scope,
        env: dict[str, State],
    ) -> State:
        """How a call passes its input on: dtype changes, reshapes, conversions, loaders."""
        args = [a for a in call.args if not isinstance(a, ast.Starred)]
        if method is not None and receiver is not None:
            if receiver.dataset is not None:
                if name == "shuffle":
                    return replace(receiver, dataset="shuffled")
                return receiver if name in _DATASET_CHAIN else UNKNOWN
            if name in _PRESERVING_METHODS:
                return _with_dtype(receiver.data(), _dtype_of(call, name))
            if name in _RESHAPING:
                return self._reshaped(call, receiver, scope)
            if name in _AXES_MOVING:
                return replace(receiver.data(), channels_last=None)
            if name == "unsqueeze":
                axis = self.context.resolver.integer(argument(call, 0, "dim"), scope)
                return (
                    receiver.data() if axis == 0 else replace(receiver.data(), channels_last=None)
                )
            if name == "img_to_array":
                return receiver.data()
            return UNKNOWN
        if not args:
            return UNKNOWN
        if name == "TensorDataset":
            return tuple(first(self._eval(a, scope, env)).data() for a in args)
        if name == "DataLoader" or name in ("tqdm", "iter", "next"):
            return self._eval(args[0], scope, env)
        if name == "enumerate":
            return (UNKNOWN, self._eval(args[0], scope, env))
        if name == "zip":
            return tuple(first(self._eval(a, scope, env)).data() for a in args)
        value = first(self._eval(args[0], scope, env))
        if name == "img_to_array" or _keeps_image_layout(qualified, call, scope, self):
            return value.data()
        if name in _AXES_MOVING:
            return replace(value.data(), channels_last=None)
        if name in _ARRAY_BUILDERS and _is_array_module(qualified, name):
            converted = _with_dtype(value.data(), _dtype_of(call, name))
            if name in _TORCH_CONVERSIONS and converted.channels_last is not None:
                converted = replace(converted, tensor=_span(self, call))
            return converted
        return UNKNOWN

    def _reshaped(self, call: ast.Call, value: Value, scope: Scope) -> Value:
        shape: tuple[int | None, ...] | None
        if len(call.args) == 1:
            shape = self.context.resolver.int_tuple(call.args[0], scope)
        else:
            shape = tuple(self.context.resolver.integer(a, scope) for a in call.args)
        result = replace(value.data(), channels_last=None)
        if shape and len(shape) == 4 and shape[3] in (1, 3) and shape[1] not in (1, 3):
            text = ", ".join("?" if d is None else str(d) for d in shape)
            evidence = Evidence(f"reshape to ({text}), channels last", _span(self, call))
            return replace(result, channels_last=evidence, batched=True)
        return result

    # -- DAT402: scaler fit before the split ---------------------------------------------------

    def _scaler_call(
        self, call: ast.Call, name: str, scaler: Value, scope: Scope, env: dict[str, State]
    ) -> State:
        data = first(self._eval(call.args[0], scope, env)) if call.args else UNKNOWN
        span = _span(self, call)
        owner = call.func.value if isinstance(call.func, ast.Attribute) else None
        if name in ("fit", "fit_transform", "partial_fit"):
            evidence = Evidence(f"{scaler.scaler}.{name}", span)
            if data.split_part:
                fitted = replace(scaler, fitted=None, fitted_after_split=None)
            elif data.split_at is not None:
                fitted = replace(scaler, fitted=None, fitted_after_split=evidence)
            else:
                fitted = replace(scaler, fitted=evidence, fitted_after_split=None)
            if isinstance(owner, ast.Name):
                env[owner.id] = fitted
            if name == "fit_transform":
                leak = None if data.split_part else evidence
                return replace(data.data(), leak=leak, unit=None, split_part=data.split_part)
            return fitted if name == "fit" else UNKNOWN
        if name == "transform":
            if scaler.fitted_after_split is not None and data.split_part:
                self._leak(scaler.fitted_after_split, span, "fit_full_after_split")
            leak = scaler.fitted if not data.split_part else None
            return replace(data.data(), leak=leak, unit=None)
        return UNKNOWN

    def _leak(self, fit: Evidence, split: Span, order: str) -> None:
        key = ("leak", fit.span.line, fit.span.column)
        if key in self.reported:
            return
        self.reported.add(key)
        scaler = fit.reason.split(".", 1)[0]  # the reason reads 'StandardScaler.fit_transform'
        self.leaks.append(LeakFact(fit.span, scaler, split, order))

    def _split(self, call: ast.Call, scope: Scope, env: dict[str, State]) -> State:
        span = _span(self, call)
        parts: list[State] = []
        for arg in call.args:
            if isinstance(arg, ast.Starred):
                return UNKNOWN
            value = first(self._eval(arg, scope, env))
            if value.leak is not None:
                self._leak(value.leak, span, "fit_then_split")
            if isinstance(arg, ast.Name):
                env[arg.id] = replace(value, split_at=span)
            part = replace(value.data(), split_part=True, leak=None)
            parts.extend((part, part))
        return tuple(parts)

    # -- DAT403: one-hot targets for class-index losses ----------------------------------------

    def _loss_target(self, call: ast.Call, loss: str, scope: Scope, env: dict[str, State]) -> None:
        target = argument(call, 1, "target")
        if target is None:
            return
        value = first(self._eval(target, scope, env))
        if value.one_hot is None or value.one_hot_origin is None:
            return
        if self._first_report("one_hot", target):
            self.one_hot_targets.append(
                OneHotTargetFact(_span(self, target), loss, value.one_hot, value.one_hot_origin)
            )

    # -- DAT404: [0, 1] floats cast to uint8 ---------------------------------------------------

    def _uint8_cast(
        self,
        call: ast.Call,
        qualified: str,
        name: str,
        receiver: Value | None,
        scope: Scope,
        env: dict[str, State],
    ) -> None:
        cast: ast.expr | None = None
        func = call.func
        if receiver is not None and isinstance(func, ast.Attribute):
            if name == "byte" and not call.args:
                cast = func.value
            elif name in ("astype", "to", "type") and call.args:
                cast = func.value if self._is_uint8(call.args[0], scope) else None
        elif call.args and not isinstance(call.args[0], ast.Starred):
            if qualified in ("numpy.uint8", "torch.uint8"):
                cast = call.args[0]
            elif name in ("array", "asarray", "tensor") and _is_array_module(qualified, name):
                dtype = keyword(call, "dtype")
                cast = call.args[0] if self._is_uint8(dtype, scope) else None
            elif name == "cast" and qualified.startswith("tensorflow"):
                dtype = argument(call, 1, "dtype")
                cast = call.args[0] if self._is_uint8(dtype, scope) else None
        if cast is None:
            return
        value = first(self._eval(cast, scope, env))
        if value.unit is not None and self._first_report("uint8", call):
            on_receiver = isinstance(func, ast.Attribute) and cast is func.value
            self.uint8_casts.append(
                Uint8CastFact(_span(self, call), _span(self, cast), value.unit, on_receiver)
            )

    def _is_uint8(self, node: ast.expr | None, scope: Scope) -> bool:
        if node is None:
            return False
        text = self.context.resolver.string(node, scope)
        if text is not None:
            return text in ("uint8", "u1", "B")
        qualified = self.context.qualify(node) or ""
        return qualified in ("numpy.uint8", "torch.uint8", "tensorflow.uint8", "uint8")

    # -- DAT405: channels-last images given to a model -----------------------------------------

    def _model_input(
        self, call: ast.Call, callee: str, scope: Scope, env: dict[str, State]
    ) -> None:
        if callee in _BUILTIN_CALLEES or not call.args or isinstance(call.args[0], ast.Starred):
            return
        value = first(self._eval(call.args[0], scope, env))
        if value.channels_last is None:
            return
        if self._first_report("channels_last", call.args[0]):
            self.channels_last.append(
                ChannelsLastInputFact(
                    callee,
                    _span(self, call.args[0]),
                    value.channels_last,
                    value.tensor,
                    batched=value.batched,
                )
            )

    # -- DAT401: shuffling ---------------------------------------------------------------------

    def _fit(self, call: ast.Call, scope: Scope, env: dict[str, State]) -> None:
        x = argument(call, 0, "x", "generator")
        if x is None:
            return
        data = first(self._eval(x, scope, env))
        span = _span(self, call)
        name = dotted_name(x)
        if data.dataset in ("unshuffled", "directory_unshuffled") and data.dataset_origin:
            kind = "tf_data" if data.dataset == "unshuffled" else "directory"
            self.unshuffled.append(
                ShuffleFact(
                    kind,
                    data.dataset_origin,
                    name,
                    shuffle_span=data.shuffle_span,
                    trained="fit",
                    used_at=span,
                    shuffled_once=data.split_part,
                )
            )
            return
        if data.dataset is not None:
            return  # fit(shuffle=) is ignored for datasets and generators
        shuffle = keyword(call, "shuffle")
        y = argument(call, 1, "y")
        if isinstance(shuffle, ast.Constant) and shuffle.value is False and y is not None:
            self.unshuffled.append(
                ShuffleFact(
                    "fit",
                    span,
                    name,
                    shuffle_span=_span(self, shuffle),
                    trained="fit",
                    used_at=span,
                )
            )

    def _record_loop(self, statement: ast.For | ast.AsyncFor, data: Value) -> None:
        """A loop over an unshuffled tf.data dataset (the check decides whether it trains)."""
        if data.dataset == "unshuffled" and data.dataset_origin is not None:
            self.unshuffled.append(
                ShuffleFact(
                    "tf_data",
                    data.dataset_origin,
                    dotted_name(statement.iter),
                    trained="loop",
                    used_at=header_span(self.context, statement),
                    shuffled_once=data.split_part,
                )
            )

    def _record_loader(self, statement: ast.Assign, scope: Scope, env: dict[str, State]) -> None:
        """A PyTorch DataLoader bound to a name, built without shuffle=True or a sampler."""
        call = statement.value
        if not isinstance(call, ast.Call) or len(statement.targets) != 1:
            return
        qualified = self.context.qualify(call.func) or ""
        if qualified.rsplit(".", 1)[-1] != "DataLoader":
            return
        name = dotted_name(statement.targets[0])
        if name is None:
            return
        if not (qualified.startswith("torch") or self.context.imports.torch_score):
            return
        if any(k.arg is None for k in call.keywords) or any(
            isinstance(a, ast.Starred) for a in call.args
        ):
            return
        if keyword(call, "sampler", "batch_sampler") is not None:
            return
        shuffle = argument(call, 2, "shuffle")
        if shuffle is not None and not (
            isinstance(shuffle, ast.Constant) and shuffle.value is False
        ):
            return
        dataset = argument(call, 0, "dataset")
        style = self._dataset_style(dataset, scope, call.lineno)
        contents = self._eval(dataset, scope, env) if dataset is not None else UNKNOWN
        self.unshuffled.append(
            ShuffleFact(
                "dataloader",
                _span(self, call),
                name,
                shuffle_span=_span(self, shuffle) if shuffle is not None else None,
                trained="named" if is_training_name(name) else None,
                map_style=style == "map" and shuffle is None,
                iterable_dataset=style == "iterable",
                shuffled_once=_any_split_part(contents),
            )
        )

    def _dataset_style(self, node: ast.expr | None, scope: Scope, line: int) -> str | None:
        """'map' for datasets that support shuffle=True, 'iterable' for those that do not."""
        if isinstance(node, ast.Name):
            node = scope.lookup(node.id, line)
        if not isinstance(node, ast.Call):
            return None
        qualified = self.context.qualify(node.func) or ""
        name = qualified.rsplit(".", 1)[-1]
        if name in self.dataset_classes:
            return self.dataset_classes[name]
        lowered = qualified.lower()
        if "iterable" in lowered or "stream" in lowered or lowered.startswith("webdataset"):
            return "iterable"
        if keyword(node, "streaming") is not None:
            return "iterable"
        if name in ("TensorDataset", "Subset", "ConcatDataset", "ImageFolder", "DatasetFolder"):
            return "map"
        if qualified.startswith("torchvision.datasets."):
            return "map"
        return None


# -- seeds and determinism (REP6xx) --------------------------------------------------------------


@dataclass
class SeedSurvey:
    seeds: list[SeedFact]
    helpers: list[Span]
    unseeded: list[UnseededRandomnessFact]
    torch_deterministic: bool = False
    tf_deterministic: bool = False
    cudnn_benchmark: Span | None = None
    uses_cuda: Span | None = None
    uses_tf_gpu: Span | None = None
    ordered_data: bool = False


def _survey_seeds(context: ExtractionContext) -> SeedSurvey:
    survey = SeedSurvey([], [], [])
    # Seeding helpers defined here are read like any other code; others are unknown.
    defined = context.canonical(
        "functions", frozenset(scope.name.rsplit(".", 1)[-1] for scope in context.scopes[1:])
    )
    read = partial(_statement_seeds, context=context, defined=defined)
    module, *functions = context.scopes
    for found in context.each_statement("seeds", module, read, defined):
        _merge_seeds(survey, found)
    for scope in functions:  # a function's statements kept merged into one survey
        merged = partial(_function_seeds, scope, context, read)
        _merge_seeds(survey, context.reused("seeds of a function", scope.node, merged, defined))
    return survey


def _function_seeds(
    scope: Scope, context: ExtractionContext, read: Callable[[ast.stmt, list[CallSite]], SeedSurvey]
) -> SeedSurvey:
    survey = SeedSurvey([], [], [])
    for statement, sites in context.calls.statements(scope):
        _merge_seeds(survey, read(statement, sites))
    return survey


def _statement_seeds(
    statement: ast.stmt,
    sites: list[CallSite],
    *,
    context: ExtractionContext,
    defined: frozenset[str],
) -> SeedSurvey:
    survey = SeedSurvey([], [], [])
    if isinstance(statement, ast.Assign):
        _determinism_assignment(statement, context, survey)
    for site in sites:
        _seed_call(site, context, survey, defined)
    return survey


def _merge_seeds(survey: SeedSurvey, found: SeedSurvey) -> None:
    """Add one statement's survey to the file's, in file order: the first CUDA and TF GPU
    uses, the last ``cudnn.benchmark``, every seed."""
    survey.seeds += found.seeds
    survey.helpers += found.helpers
    survey.unseeded += found.unseeded
    survey.torch_deterministic = survey.torch_deterministic or found.torch_deterministic
    survey.tf_deterministic = survey.tf_deterministic or found.tf_deterministic
    if found.cudnn_benchmark is not None:
        survey.cudnn_benchmark = found.cudnn_benchmark
    if survey.uses_cuda is None:
        survey.uses_cuda = found.uses_cuda
    if survey.uses_tf_gpu is None:
        survey.uses_tf_gpu = found.uses_tf_gpu
    survey.ordered_data = survey.ordered_data or found.ordered_data


def _determinism_assignment(
    statement: ast.Assign, context: ExtractionContext, survey: SeedSurvey
) -> None:
    value = statement.value
    for target in statement.targets:
        if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant):
            key = target.slice.value
            if key in ("TF_DETERMINISTIC_OPS", "TF_CUDNN_DETERMINISTIC"):
                survey.tf_deterministic = True
            elif key == "PYTHONHASHSEED":
                survey.helpers.append(context.span(statement))
            continue
        if not isinstance(target, ast.Attribute) or not isinstance(value, ast.Constant):
            continue
        qualified = context.qualify(target) or ""
        if qualified.endswith("cudnn.deterministic") and value.value is True:
            survey.torch_deterministic = True
        elif qualified.endswith("cudnn.benchmark") and value.value is True:
            survey.cudnn_benchmark = context.span(value)


def _seed_call(
    site: CallSite, context: ExtractionContext, survey: SeedSurvey, defined: frozenset[str]
) -> None:
    call, name, qualified = site.node, site.name, site.qualified
    if name not in _SURVEYED_CALLS and "seed" not in name.lower():
        if call.keywords:
            _keyword_facts(call, context, survey)
        return
    family = _SEED_CALLS.get(qualified)
    given = bool(call.args or call.keywords)
    if family is None and "seed" in name.lower():
        if name in defined and isinstance(call.func, ast.Name) and qualified == name:
            pass  # a helper of this file: its body is surveyed like the rest
        elif name in _SEED_EVERYTHING and given and qualified.startswith(_SEEDING_LIBRARIES):
            family = "all"
        elif name == "manual_seed":
            family = "local"
        else:
            survey.helpers.append(context.span(call))
    elif family is None and name in _SEEDED_GENERATORS and given:
        family = "local"
    if family is not None:
        survey.seeds.append(SeedFact(family, context.span(call), qualified))
    _determinism_call(call, qualified, name, context, survey)
    unseeded = _unseeded_call(call, qualified, name)
    if unseeded is not None:
        function, randomness, seed_keyword = unseeded
        survey.unseeded.append(
            UnseededRandomnessFact(context.span(call), function, randomness, seed_keyword)
        )


def _determinism_call(
    call: ast.Call, qualified: str, name: str, context: ExtractionContext, survey: SeedSurvey
) -> None:
    first_arg = call.args[0] if call.args else None
    if name in ("use_deterministic_algorithms", "set_deterministic") and not (
        isinstance(first_arg, ast.Constant) and first_arg.value is False
    ):
        survey.torch_deterministic = True
    elif name == "enable_op_determinism":
        survey.tf_deterministic = True
    elif name == "Trainer":
        value = keyword(call, "deterministic")
        if value is not None and not (isinstance(value, ast.Constant) and value.value is False):
            survey.torch_deterministic = True
    if name in _ORDERED_DATA_CALLS:
        survey.ordered_data = True
    _keyword_facts(call, context, survey)
    if survey.uses_cuda is None and _uses_cuda(call, qualified, name, context):
        survey.uses_cuda = context.span(call)
    if survey.uses_tf_gpu is None and _uses_tf_gpu(call, qualified, name, context):
        survey.uses_tf_gpu = context.span(call)


def _keyword_facts(call: ast.Call, context: ExtractionContext, survey: SeedSurvey) -> None:
    """``stateful=True`` (ordered data) and ``device='cuda'`` on any call."""
    for item in call.keywords:
        value = item.value
        if item.arg == "stateful" and isinstance(value, ast.Constant) and value.value is True:
            survey.ordered_data = True
        elif (
            item.arg == "device"
            and survey.uses_cuda is None
            and _device_string(value).startswith("cuda")
        ):
            survey.uses_cuda = context.span(call)


def _device_string(node: ast.expr | None) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.lower()
    return ""


def _uses_cuda(call: ast.Call, qualified: str, name: str, context: ExtractionContext) -> bool:
    if (
        name == "cuda"
        and isinstance(call.func, ast.Attribute)
        and not qualified.startswith("torch.cuda")
    ):
        return True
    if qualified == "torch.cuda.is_available":
        return True
    first_arg = call.args[0] if call.args else None
    return name in ("device", "to") and _device_string(first_arg).startswith("cuda")


def _uses_tf_gpu(call: ast.Call, qualified: str, name: str, context: ExtractionContext) -> bool:
    if not qualified.startswith("tensorflow"):
        return False
    if name == "device":
        return "gpu" in _device_string(call.args[0] if call.args else None)
    if name in ("list_physical_devices", "list_logical_devices"):
        return "gpu" in _device_string(call.args[0] if call.args else None)
    return name in ("set_memory_growth", "MirroredStrategy", "is_gpu_available")


def _unseeded_call(call: ast.Call, qualified: str, name: str) -> tuple[str, str, str | None] | None:
    """(function, generator family, seeding keyword) of a split or shuffle left unseeded."""

    def seeded(key: str) -> bool:
        value = keyword(call, key)
        return value is not None and not (isinstance(value, ast.Constant) and value.value is None)

    if any(k.arg is None for k in call.keywords):
        return None
    if name == "train_test_split":
        shuffle = keyword(call, "shuffle")
        if seeded("random_state") or (isinstance(shuffle, ast.Constant) and shuffle.value is False):
            return None
        return "train_test_split", "numpy", "random_state"
    if qualified == "sklearn.utils.shuffle":
        return None if seeded("random_state") else ("shuffle", "numpy", "random_state")
    if name in _SPLITTERS and qualified.startswith(("sklearn", name)):
        shuffle = keyword(call, "shuffle")
        shuffles = name.endswith("ShuffleSplit") or (
            isinstance(shuffle, ast.Constant) and shuffle.value is True
        )
        return (name, "numpy", "random_state") if shuffles and not seeded("random_state") else None
    if qualified in ("numpy.random.shuffle", "numpy.random.permutation"):
        return qualified, "numpy", None
    if qualified == "random.shuffle":
        return "random.shuffle", "python", None
    if qualified.startswith("torch") and qualified.endswith("random_split"):
        if seeded("generator") or len(call.args) >= 3:
            return None
        return "random_split", "torch", None
    if (
        name == "sample"
        and isinstance(call.func, ast.Attribute)
        and keyword(call, "frac") is not None
        and not seeded("random_state")
    ):
        return "sample", "numpy", "random_state"
    return None


def _permuting_classes(context: ExtractionContext) -> frozenset[str]:
    """Model classes whose methods move axes themselves (``x.permute(0, 3, 1, 2)``)."""
    methods: dict[int, str] = {}
    for statement in context.module_scope.statements:
        if isinstance(statement, ast.ClassDef):
            for item in statement.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    methods[id(item)] = statement.name
    moving = (site for site in context.calls.named(_AXES_MOVING) if site.name in _AXES_MOVING)
    owners = (methods.get(id(site.scope.node)) for site in moving)
    return frozenset(owner for owner in owners if owner is not None)


# -- small helpers -------------------------------------------------------------------------------


def _span(flow: PipelineFlow, node: ast.AST) -> Span:
    return flow.context.span(node)


def _any_split_part(state: State) -> bool:
    """Data from train_test_split, which shuffles once by default."""
    if isinstance(state, tuple):
        return any(_any_split_part(item) for item in state)
    return state.split_part


# Every call name the flow gives a meaning to; other calls return an unknown state at once.
_HANDLED_CALLS = frozenset(
    {
        *_SCALERS,
        *_PRESERVING_METHODS,
        *_RESHAPING,
        *_AXES_MOVING,
        *_ARRAY_BUILDERS,
        *_DATASET_CHAIN,
        *_CRITERIA,
        *_OPENCV_SAME_LAYOUT,
        "cvtColor",
        "one_hot",
        "to_categorical",
        "get_dummies",
        "load_data",
        "imread",
        "load_img",
        "img_to_array",
        "convert",
        "from_tensor_slices",
        "image_dataset_from_directory",
        "flow_from_directory",
        "fit",
        "fit_generator",
        "fit_transform",
        "transform",
        "partial_fit",
        "train_test_split",
        "shuffle",
        "unsqueeze",
        "byte",
        "uint8",
        "cast",
        "forward",
        "TensorDataset",
        "DataLoader",
        "tqdm",
        "iter",
        "next",
        "enumerate",
        "zip",
    }
)


def _keeps_image_layout(qualified: str, call: ast.Call, scope: Scope, flow: PipelineFlow) -> bool:
    """OpenCV calls that return an image of the same layout (``cv2.resize``, colour swaps)."""
    if not qualified.startswith("cv2."):
        return False
    name = qualified.rsplit(".", 1)[-1]
    if name == "cvtColor":
        code = dotted_name(call.args[1]) if len(call.args) > 1 else None
        return code is not None and "GRAY" not in code.upper()
    return name in _OPENCV_SAME_LAYOUT


_VALUE_FIELDS: dict[type, str] = {
    ast.Assign: "value",
    ast.AnnAssign: "value",
    ast.Expr: "value",
    ast.Return: "value",
    ast.For: "iter",
    ast.AsyncFor: "iter",
}


def _statement_value(statement: ast.stmt) -> ast.expr | None:
    """The value a statement computes: what is assigned, returned or iterated."""
    field = _VALUE_FIELDS.get(type(statement))
    return getattr(statement, field) if field is not None else None


_MODULES = frozenset(
    {
        "numpy",
        "torch",
        "tensorflow",
        "pandas",
        "keras",
        "cv2",
        "sklearn",
        "einops",
        "random",
        "math",
        "PIL",
        "torchvision",
        "os",
    }
)


def _is_module(qualified: str) -> bool:
    """``np.transpose`` is a module function, ``x.transpose`` a method."""
    return qualified.partition(".")[0] in _MODULES


def _is_array_module(qualified: str, name: str) -> bool:
    root = qualified.split(".")[0]
    return root in ("numpy", "torch", "pandas", "tensorflow") or qualified == name


def _is_pixel_max(
    node: ast.expr, scope: Scope, flow: PipelineFlow, data: ast.expr | None = None
) -> bool:
    """255, 255.0, or the data's own maximum (``x / x.max()``)."""
    value = flow.context.resolver.number(node, scope)
    if value is not None:
        return value == 255
    if data is not None and isinstance(node, ast.Call) and not node.args:
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "max":
            return dotted_name(func.value) is not None and dotted_name(func.value) == dotted_name(
                data
            )
    return False


def _dtype_of(call: ast.Call, name: str) -> str | None:
    """'float' or 'int' when a call changes the dtype, else None."""
    if name in ("float", "double", "half"):
        return "float"
    if name in ("long", "int"):
        return "int"
    node: ast.expr | None
    if name in ("astype", "to", "type"):
        node = call.args[0] if call.args else keyword(call, "dtype")
    else:
        node = keyword(call, "dtype")
    if node is None:
        return None
    text = node.value if isinstance(node, ast.Constant) else dotted_name(node)
    if not isinstance(text, str):
        return None
    last = text.rsplit(".", 1)[-1].lower().replace("tensor", "")
    if last in _FLOAT_DTYPES:
        return "float"
    if last in _INT_DTYPES:
        return "int"
    return None


def _with_dtype(value: Value, dtype: str | None) -> Value:
    if dtype is None or value.one_hot is None:
        return value
    return replace(value, one_hot=dtype)


def extract_pipeline(context: ExtractionContext) -> PipelineFacts:
    """Pipeline facts of one file."""
    flow = PipelineFlow(context)
    flow.run()
    survey = _survey_seeds(context)
    return PipelineFacts(
        unshuffled=tuple(flow.unshuffled),
        leaks=tuple(flow.leaks),
        one_hot_targets=tuple(flow.one_hot_targets),
        uint8_casts=tuple(flow.uint8_casts),
        channels_last_inputs=tuple(flow.channels_last),
        seeds=tuple(survey.seeds),
        seed_helpers=tuple(survey.helpers),
        unseeded=tuple(survey.unseeded),
        torch_deterministic=survey.torch_deterministic,
        tf_deterministic=survey.tf_deterministic,
        cudnn_benchmark=survey.cudnn_benchmark,
        uses_cuda=survey.uses_cuda,
        uses_tf_gpu=survey.uses_tf_gpu,
        ordered_data=survey.ordered_data,
        permuting_classes=_permuting_classes(context),
        defined_names=frozenset(
            name for scope in context.scopes for name in scope.assignments
        ).union(context.imports.bindings),
    )
