"""Value-range data flow for IDN: does raw data (pixels 0..255, raw CSV features) reach the model?

Each variable gets a state as statements run in order: raw (with where it came from),
normalised, or unknown. Range-preserving operations (``astype``, ``reshape``, slicing,
``train_test_split``) keep the state; division, mean subtraction, scalers and ``rescale=``
normalise. At ``fit``/``evaluate``/``predict`` the state of the data argument decides.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import partial

from dl_lsp.extract.catalog import DATASETS, NORMALIZING_CALLS, RANGE_PRESERVING_CALLS
from dl_lsp.extract.context import ExtractionContext, argument, keyword
from dl_lsp.extract.data import dataset_of
from dl_lsp.extract.scopes import Scope
from dl_lsp.facts import Evidence, InputType, UnnormalizedInput

_DATA_METHODS = frozenset(
    {
        "fit",
        "fit_generator",
        "train_on_batch",
        "evaluate",
        "evaluate_generator",
        "predict",
        "predict_generator",
        "test_on_batch",
    }
)
_GENERATOR_NORMALIZERS = (
    "rescale",
    "preprocessing_function",
    "featurewise_center",
    "samplewise_center",
    "featurewise_std_normalization",
    "samplewise_std_normalization",
    "zca_whitening",
)
_MAX_DEPTH = 60
# Every call name ``RangeFlow._eval_call`` gives a state to (``dataset_of`` also reads tfds.*).
_RANGE_CALLS = frozenset(
    {
        "load_data",
        "load",
        "ImageDataGenerator",
        "flow",
        "flow_from_directory",
        "flow_from_dataframe",
        "image_dataset_from_directory",
        "imread",
        "load_img",
        "img_to_array",
        "open",
        "train_test_split",
        *DATASETS,
        *NORMALIZING_CALLS,
        *RANGE_PRESERVING_CALLS,
    }
)
_MODULE_ROOTS = ("numpy", "tensorflow", "torch", "pandas", "keras", "cv2", "PIL", "sklearn")


@dataclass(frozen=True)
class RangeState:
    kind: str  # 'raw', 'raw_tabular', 'normalized', 'unknown'
    origin: Evidence | None = None

    @property
    def is_raw(self) -> bool:
        return self.kind in ("raw", "raw_tabular")


State = RangeState | tuple["State", ...]
UNKNOWN = RangeState("unknown")
NORMALIZED = RangeState("normalized")


class RangeFlow:
    """Runs the value-range states through every scope and records raw data fed to a model."""

    def __init__(self, context: ExtractionContext) -> None:
        self.context = context
        self.module_env: dict[str, State] = {}
        self.findings: list[UnnormalizedInput] = []
        self.saw_normalization = False
        self.depth = 0

    def run(self) -> list[UnnormalizedInput]:
        module, *functions = self.context.scopes
        self._run_scope(module, self.module_env)
        # A function's findings depend on its own node and on the module's final states: kept
        # for the next version while both stay the same.
        outside = self.context.canonical("range module states", tuple(self.module_env.items()))
        for scope in functions:
            findings, normalizes = self.context.reused(
                "ranges", scope.node, partial(self._function_findings, scope), outside
            )
            self.findings += findings
            self.saw_normalization = self.saw_normalization or normalizes
        return self.findings

    def _function_findings(self, scope: Scope) -> tuple[tuple[UnnormalizedInput, ...], bool]:
        flow = RangeFlow(self.context)
        flow.module_env = self.module_env
        flow._run_scope(scope, {})
        return tuple(flow.findings), flow.saw_normalization

    def _run_scope(self, scope: Scope, env: dict[str, State]) -> None:
        for statement, sites in self.context.calls.statements(scope):
            for site in sites:
                if site.method in _DATA_METHODS:
                    self._check_data_call(site.node, scope, env)
            if isinstance(statement, ast.Assign):
                state = self._eval(statement.value, scope, env)
                for target in statement.targets:
                    self._bind(target, state, env)
            elif isinstance(statement, ast.AugAssign) and isinstance(statement.target, ast.Name):
                if isinstance(statement.op, (ast.Div, ast.Sub, ast.FloorDiv, ast.Mult)):
                    env[statement.target.id] = NORMALIZED
                    self.saw_normalization = True
            elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
                self._bind(statement.target, self._eval(statement.value, scope, env), env)
            elif isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
                self._eval_append(statement.value, scope, env)

    def _eval_append(self, call: ast.Call, scope: Scope, env: dict[str, State]) -> None:
        """``images.append(cv2.imread(path))`` makes the list raw."""
        func = call.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr in ("append", "extend")
            and isinstance(func.value, ast.Name)
            and call.args
        ):
            state = _first(self._eval(call.args[0], scope, env))
            if state.is_raw:
                env[func.value.id] = state

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
        elif (
            isinstance(target, ast.Subscript)
            and isinstance(target.value, ast.Name)
            and isinstance(state, RangeState)
            and state.kind == "normalized"
        ):
            env[target.value.id] = NORMALIZED  # x[:] = x / 255 normalises in place

    def _lookup(self, name: str, env: dict[str, State]) -> State:
        if name in env:
            return env[name]
        return self.module_env.get(name, UNKNOWN)

    def _eval(self, node: ast.expr, scope: Scope, env: dict[str, State]) -> State:
        self.depth += 1
        try:
            if self.depth > _MAX_DEPTH:
                return UNKNOWN  # generated expressions thousands of terms deep
            return self._eval_node(node, scope, env)
        finally:
            self.depth -= 1

    def _eval_node(self, node: ast.expr, scope: Scope, env: dict[str, State]) -> State:
        if isinstance(node, ast.Name):
            return self._lookup(node.id, env)
        if isinstance(node, (ast.Tuple, ast.List)) and not isinstance(node.ctx, ast.Store):
            if isinstance(node, ast.List):
                return UNKNOWN
            return tuple(self._eval(element, scope, env) for element in node.elts)
        if isinstance(node, (ast.ListComp, ast.GeneratorExp)):
            element = _first(self._eval(node.elt, scope, env))
            return element if element.is_raw else UNKNOWN
        if isinstance(node, ast.Subscript):
            return _first(self._eval(node.value, scope, env))
        if isinstance(node, ast.Attribute):
            if node.attr in ("values", "T", "data"):
                return _first(self._eval(node.value, scope, env))
            return UNKNOWN
        if isinstance(node, ast.BinOp):
            return self._eval_binop(node, scope, env)
        if isinstance(node, ast.Call):
            return self._eval_call(node, scope, env)
        return UNKNOWN

    def _eval_binop(self, node: ast.BinOp, scope: Scope, env: dict[str, State]) -> State:
        left = _first(self._eval(node.left, scope, env))
        right = _first(self._eval(node.right, scope, env))
        raw = left if left.is_raw else right if right.is_raw else None
        if isinstance(node.op, (ast.Div, ast.Sub, ast.FloorDiv)):
            if raw is not None or left.kind == "normalized":
                self.saw_normalization = True
                return NORMALIZED
            return UNKNOWN
        if isinstance(node.op, ast.Mult):
            factor = self.context.resolver.number(node.right if left.is_raw else node.left, scope)
            if raw is not None and factor is not None and abs(factor) < 1:
                self.saw_normalization = True
                return NORMALIZED
            return raw or left
        return left

    def _eval_call(self, call: ast.Call, scope: Scope, env: dict[str, State]) -> State:
        context = self.context
        func = call.func
        site = context.calls.site(call)
        if site is not None:
            qualified, name = site.qualified, site.name
        else:
            qualified = context.qualify(func) or ""
            name = func.attr if isinstance(func, ast.Attribute) else qualified.rsplit(".", 1)[-1]
        if name not in _RANGE_CALLS and not qualified.startswith("tfds"):
            return UNKNOWN  # neither a dataset loader nor a call read below
        found = dataset_of(call, context)
        if found is not None:
            key, info = found
            if not info.raw_range:
                return UNKNOWN
            if key in ("read_csv", "read_excel", "loadtxt", "genfromtxt"):
                return RangeState("raw_tabular", Evidence(f"{name}(...)", context.span(call)))
            kind = "raw_tabular" if info.input_type is InputType.TABULAR else "raw"
            raw = RangeState(kind, Evidence(f"{key} loader", context.span(call)))
            return ((raw, UNKNOWN), (raw, UNKNOWN))
        if name == "ImageDataGenerator":
            if any(keyword(call, option) is not None for option in _GENERATOR_NORMALIZERS):
                self.saw_normalization = True
                return NORMALIZED
            evidence = Evidence("ImageDataGenerator without rescale=", context.span(call))
            return RangeState("raw", evidence)
        if name in ("flow", "flow_from_directory", "flow_from_dataframe") and isinstance(
            func, ast.Attribute
        ):
            generator = _first(self._eval(func.value, scope, env))
            if generator.kind == "normalized" or name != "flow":
                return generator
            data = argument(call, 0, "x")
            return _first(self._eval(data, scope, env)) if data is not None else UNKNOWN
        if name == "image_dataset_from_directory":
            return RangeState("raw", Evidence("image_dataset_from_directory", context.span(call)))
        if _is_image_reader(qualified, name):
            return RangeState("raw", Evidence(f"{name}(...)", context.span(call)))
        if name in NORMALIZING_CALLS:
            self.saw_normalization = True
            return NORMALIZED
        if name == "train_test_split":
            arrays = [
                self._eval(a, scope, env) for a in call.args if not isinstance(a, ast.Starred)
            ]
            return tuple(_first(state) for state in arrays for _ in range(2))
        if name in RANGE_PRESERVING_CALLS:
            if isinstance(func, ast.Attribute) and not _is_module(qualified):
                return _first(self._eval(func.value, scope, env))
            if call.args:
                return _first(self._eval(call.args[0], scope, env))
        return UNKNOWN

    def _check_data_call(self, call: ast.Call, scope: Scope, env: dict[str, State]) -> None:
        func = call.func
        if not isinstance(func, ast.Attribute) or func.attr not in _DATA_METHODS:
            return
        data = argument(call, 0, "x", "generator")
        if data is None:
            return
        state = _first(self._eval(data, scope, env))
        if not state.is_raw or state.origin is None:
            return
        receiver = func.value.id if isinstance(func.value, ast.Name) else None
        self.findings.append(
            UnnormalizedInput(
                variable=self.context.source.segment(data),
                span=self.context.span(data),
                origin=state.origin,
                method=func.attr,
                model=receiver,
                tabular=state.kind == "raw_tabular",
            )
        )


def _first(state: State) -> RangeState:
    while isinstance(state, tuple):
        if not state:
            return UNKNOWN
        state = state[0]
    return state


def _is_module(qualified: str) -> bool:
    return qualified.split(".")[0] in _MODULE_ROOTS


def _is_image_reader(qualified: str, name: str) -> bool:
    if name == "imread":
        return qualified.startswith(("cv2", "imageio", "skimage"))
    if name in ("load_img", "img_to_array"):
        return True
    return name == "open" and qualified.startswith("PIL")


def find_unnormalized_inputs(context: ExtractionContext) -> tuple[list[UnnormalizedInput], bool]:
    """Raw data fed to models, and whether the file normalises anything at all."""
    flow = RangeFlow(context)
    found = flow.run()
    return found, flow.saw_normalization
