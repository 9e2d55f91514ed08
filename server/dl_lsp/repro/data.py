"""A1 Input Data Generation: training data the snippet never defines, or reads from files that
are not there, replaced by synthetic data of the inferred shape, dtype, range and classes."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from dl_lsp.facts import Framework
from dl_lsp.repro.hyperparameters import pending_hyperparameters
from dl_lsp.repro.inference import (
    EVAL_SAMPLES,
    TRAIN_SAMPLES,
    InputSpec,
    Labels,
    TargetSpec,
    infer_input,
    infer_target,
)
from dl_lsp.repro.outcome import Gap, Missing, Options, Outcome, unchanged
from dl_lsp.repro.scene import Scene
from dl_lsp.repro.statements import insert_before_line
from dl_lsp.repro.synthetic import (
    frame,
    numpy_inputs,
    numpy_table,
    numpy_targets,
    torch_inputs,
    torch_targets,
)

ACTION = "A1"
TABLE_ROWS = 200
DEFAULT_TABLE_FEATURES = 8
_SPLIT = r"(?:train|test|val|valid|validation|tr|te|dev|eval)"
INPUT_NAME = re.compile(
    rf"^(?:[xX]|data|inputs?|features|images|imgs|samples)(?:_?{_SPLIT})?$"
    rf"|^{_SPLIT}_?(?:[xX]|data|inputs?|features|images|imgs)$|^{_SPLIT}X$|^[xX]{_SPLIT}$",
)
TARGET_NAME = re.compile(
    rf"^(?:[yY]|labels?|targets?)(?:_?{_SPLIT})?$"
    rf"|^{_SPLIT}_?(?:[yY]|labels?|targets?)$|^{_SPLIT}Y$|^[yY]{_SPLIT}$",
)
LOADER_NAME = re.compile(
    rf"^(?:{_SPLIT}_?)?(?:loader|dataloader|data_loader|dl)$|^{_SPLIT}_?(?:loader|dataloader)$"
)
TEXTS_NAME = re.compile(r"^(?:texts?|sentences|documents|docs|corpus|reviews|tweets)(?:_\w+)?$")
GENERATOR_NAME = re.compile(
    rf"^{_SPLIT}_?(?:generator|gen|ds|dataset|data_gen|batches)$|^(?:dataset|ds)$"
)
_READERS = {
    "read_csv": "table",
    "read_excel": "table",
    "read_table": "table",
    "read_parquet": "table",
    "loadtxt": "array",
    "genfromtxt": "array",
    "load": "npy",
    "flow_from_directory": "directory",
    "image_dataset_from_directory": "directory",
}


def split_of(name: str) -> str:
    """'test' or 'train': which part of the data a variable holds (sizes differ)."""
    return "test" if re.search(r"(?i)test|val|valid|te$|dev|eval", name) else "train"


def _samples(name: str) -> int:
    return EVAL_SAMPLES if split_of(name) == "test" else TRAIN_SAMPLES


def _wants_numpy(scene: Scene, name: str, framework: Framework | None) -> bool:
    if framework is not Framework.TORCH:
        return True
    pattern = rf"(?:from_numpy|tensor|Tensor|FloatTensor|LongTensor|fit_transform|train_test_split)\(\s*{re.escape(name)}\b"
    return re.search(pattern, scene.text) is not None


def generate_data(scene: Scene, options: Options) -> Outcome:
    """The edit action: synthetic data for undefined data names and missing data files."""
    outcome = _replace_missing_files(scene, options)
    if outcome.text != scene.text:
        return outcome
    return _define_undefined(scene)


# -- undefined names ------------------------------------------------------------------------


def data_roles(scene: Scene) -> dict[str, str]:
    """Undefined names that hold data: name → 'input', 'target', 'loader' or 'generator'."""
    roles: dict[str, str] = {}
    for name, use in scene.undefined.items():
        if use.called:
            continue
        if INPUT_NAME.match(name):
            roles[name] = "input"
        elif TARGET_NAME.match(name):
            roles[name] = "target"
        elif TEXTS_NAME.match(name):
            roles[name] = "texts"
        elif LOADER_NAME.match(name) and scene.framework is Framework.TORCH:
            roles[name] = "loader"
        elif GENERATOR_NAME.match(name) and scene.framework is not Framework.TORCH:
            roles[name] = "generator"
    return roles


def _define_undefined(scene: Scene) -> Outcome:
    roles = data_roles(scene)
    if not roles or pending_hyperparameters(scene):
        return unchanged(scene)  # the model's input size may be one of them: next pass
    framework = scene.framework
    spec = infer_input(scene, framework)
    target = infer_target(scene)
    blocks: dict[int, list[str]] = {}
    done: list[str] = []
    for name, role in roles.items():
        code = _definition(scene, name, role, spec, target, framework)
        blocks.setdefault(scene.undefined[name].statement_line, []).append(f"{name} = {code}\n")
        done.append(f"`{name}`: synthetic {role} {_describe(role, spec, target)}")
    text = scene.text
    for line in sorted(blocks, reverse=True):
        text = insert_before_line(text, line, "".join(blocks[line]), f"{ACTION} synthetic data")
    gap = Gap(Missing.DATA, "the question's data (" + ", ".join(f"`{n}`" for n in roles) + ")")
    return Outcome(text, tuple(done), (gap,))


def _definition(
    scene: Scene,
    name: str,
    role: str,
    spec: InputSpec,
    target: TargetSpec,
    framework: Framework | None,
) -> str:
    samples = _samples(name)
    if role == "input":
        if _wants_numpy(scene, name, framework):
            return numpy_inputs(spec, samples)
        return torch_inputs(spec, samples)
    if role == "target":
        if _wants_numpy(scene, name, framework):
            return numpy_targets(target, samples)
        return torch_targets(target, samples)
    if role == "texts":
        return f'[f"sample text {{i}} about topic {{i % 3}}" for i in range({samples})]'
    batch = "32"
    if role == "loader":
        pair = f"{torch_inputs(spec, samples)}, {torch_targets(target, samples)}"
        shuffle = ", shuffle=True" if split_of(name) == "train" else ""
        return f"DataLoader(TensorDataset({pair}), batch_size={batch}{shuffle})"
    pair = f"({numpy_inputs(spec, samples)}, {numpy_targets(target, samples)})"
    return f"tf.data.Dataset.from_tensor_slices({pair}).batch({batch})"


def _describe(role: str, spec: InputSpec, target: TargetSpec) -> str:
    if role == "texts":
        return "strings"
    if role == "target":
        return f"labels ({target.labels.value}, {target.width} wide; {target.evidence})"
    kind = (
        "token ids"
        if spec.integer
        else ("raw 0-255 values" if spec.high > 1 else "floats in [0, 1)")
    )
    return f"of shape (N, {', '.join(map(str, spec.shape))}) with {kind} ({spec.evidence})"


# -- reads of files that are not there ------------------------------------------------------


@dataclass(frozen=True)
class MissingRead:
    """A call that reads data from a path that does not exist."""

    line: int
    column: int
    kind: str
    path: str
    target: str | None  # the variable it is assigned to


def missing_reads(scene: Scene, base: Path) -> list[MissingRead]:
    found: list[MissingRead] = []
    constants = _string_constants(scene.tree)
    for node in ast.walk(scene.tree):
        if not isinstance(node, ast.Assign) or not isinstance(node.value, ast.Call):
            continue
        call = node.value
        name = (
            call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
        )
        kind = _READERS.get(name)
        if kind is None or not call.args:
            continue
        if name == "load" and not _is_numpy_load(call):
            continue
        path = _path_value(call.args[0], constants)
        if path is None or _exists(base, path):
            continue
        target = node.targets[0].id if isinstance(node.targets[0], ast.Name) else None
        found.append(MissingRead(call.lineno, call.col_offset, kind, path, target))
    return found


def _is_numpy_load(call: ast.Call) -> bool:
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id in ("np", "numpy")
    )


def _string_constants(tree: ast.Module) -> dict[str, str]:
    return {
        node.targets[0].id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    }


def _path_value(node: ast.expr, constants: dict[str, str]) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    return None


def _exists(base: Path, path: str) -> bool:
    if re.match(r"^[a-z]+://", path):
        return True  # a URL: the loader fetches it
    try:
        candidate = Path(path).expanduser()
        return (candidate if candidate.is_absolute() else base / candidate).exists()
    except (OSError, ValueError):
        return False


def _replace_missing_files(scene: Scene, options: Options) -> Outcome:
    base = options.base_dir or Path.cwd()
    reads = missing_reads(scene, base)
    if not reads:
        return unchanged(scene)
    replacements: dict[tuple[int, int], tuple[str, str]] = {}
    done: list[str] = []
    gaps: list[Gap] = []
    for read in reads:
        stand_in, what = _stand_in(scene, read)
        check = "os.path.isdir" if read.kind == "directory" else "os.path.exists"
        replacements[(read.line, read.column)] = (f"{check}({read.path!r})", stand_in)
        done.append(f"`{read.path}` is not there: {what} stands in for it when it is missing")
        gaps.append(Gap(Missing.DATA, f"the file `{read.path}`"))
    module = cst.parse_module(scene.text)
    wrapper = MetadataWrapper(module)
    new = wrapper.visit(_GuardReads(replacements))
    return Outcome(new.code, tuple(done), tuple(gaps))


class _GuardReads(cst.CSTTransformer):
    """``READ(path)`` → ``READ(path) if os.path.exists(path) else STAND_IN``."""

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, replacements: dict[tuple[int, int], tuple[str, str]]) -> None:
        super().__init__()
        self.replacements = replacements

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        where = self.get_metadata(PositionProvider, original).start
        replacement = self.replacements.get((where.line, where.column))
        if replacement is None:
            return updated
        test, stand_in = replacement
        return cst.IfExp(
            test=cst.parse_expression(test),
            body=updated,
            orelse=cst.parse_expression(stand_in),
            whitespace_before_if=cst.SimpleWhitespace(" "),
            whitespace_after_if=cst.SimpleWhitespace(" "),
            whitespace_before_else=cst.SimpleWhitespace(" "),
            whitespace_after_else=cst.SimpleWhitespace(" "),
        )


def _stand_in(scene: Scene, read: MissingRead) -> tuple[str, str]:
    target = infer_target(scene)
    classes = 2 if target.labels is Labels.BINARY or not target.known else target.width
    if read.kind == "directory":
        return _directory_stand_in(scene, read, target)
    if read.kind == "npy":
        if read.target and TARGET_NAME.match(read.target):
            return numpy_targets(target, TRAIN_SAMPLES), "synthetic labels"
        spec = infer_input(scene, scene.framework)
        return numpy_inputs(spec, TRAIN_SAMPLES), "a synthetic array"
    columns, label, width = _table_columns(scene, read)
    if read.kind == "array":
        features = max(width - 1, 1)
        return numpy_table(features, classes, TABLE_ROWS), f"a synthetic {TABLE_ROWS}x{width} table"
    return (
        frame(columns, label, classes, TABLE_ROWS, width),
        f"a synthetic table of {len(columns) or width} columns",
    )


def _table_columns(scene: Scene, read: MissingRead) -> tuple[list[str], str | None, int]:
    """Column names the code reads from the table, the label column, and the width."""
    variable = read.target
    columns: list[str] = []
    label: str | None = None
    highest = -1
    selected: set[str] = set()
    dropped: set[str] = set()
    for node in ast.walk(scene.tree):
        if isinstance(node, ast.Call) and read.line == node.lineno:
            for keyword in node.keywords:
                if keyword.arg == "names" and isinstance(keyword.value, (ast.List, ast.Tuple)):
                    columns += [
                        e.value
                        for e in keyword.value.elts
                        if isinstance(e, ast.Constant) and isinstance(e.value, str)
                    ]
        if variable is None:
            continue
        if isinstance(node, ast.Subscript) and _rooted_at(node.value, variable):
            keys = _string_keys(node.slice)
            columns += [key for key in keys if key not in columns]
            selected.update(keys)
            highest = max(highest, _highest_index(node.slice))
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "drop"
            and _rooted_at(node.func.value, variable)
        ):
            for argument in [
                *node.args,
                *(k.value for k in node.keywords if k.arg in ("columns", "labels")),
            ]:
                columns += [key for key in _string_keys(argument) if key not in columns]
                dropped.update(_string_keys(argument))
        if (
            (
                isinstance(node, ast.Assign)
                and isinstance(node.targets[0], ast.Name)
                and TARGET_NAME.match(node.targets[0].id)
            )
            and isinstance(node.value, ast.Subscript)
            and _rooted_at(node.value.value, variable)
        ):
            keys = _string_keys(node.value.slice)
            label = keys[0] if keys else label
    width = max(highest + 1, len(columns), 2) if highest >= 0 or columns else 9
    if label is None and columns:
        label = next(
            (c for c in columns if re.search(r"(?i)label|target|class|outcome|^y$", c)), None
        )
    if columns and not selected - dropped - {label}:
        # Only the label (or dropped columns) is named: the features are the rest.
        columns += [f"feature_{index}" for index in range(DEFAULT_TABLE_FEATURES)]
    return columns, label, width


def _rooted_at(node: ast.expr, variable: str) -> bool:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return isinstance(node, ast.Name) and node.id == variable


def _string_keys(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (ast.List, ast.Tuple)):
        return [key for element in node.elts for key in _string_keys(element)]
    return []


def _highest_index(node: ast.expr) -> int:
    highest = -1
    for part in ast.walk(node):
        if (
            isinstance(part, ast.Constant)
            and isinstance(part.value, int)
            and not isinstance(part.value, bool)
        ):
            value = part.value
            in_upper = any(isinstance(s, ast.Slice) and s.upper is part for s in ast.walk(node))
            highest = max(highest, value - 1 if in_upper else value)
    return highest


def _directory_stand_in(scene: Scene, read: MissingRead, target: TargetSpec) -> tuple[str, str]:
    call = next(
        node
        for node in ast.walk(scene.tree)
        if isinstance(node, ast.Call) and (node.lineno, node.col_offset) == (read.line, read.column)
    )
    size = (150, 150) if "flow_from_directory" in ast.unparse(call.func) else (256, 256)
    batch = "32"
    mode = "categorical" if "flow_from_directory" in ast.unparse(call.func) else "int"
    for keyword in call.keywords:
        if keyword.arg in ("target_size", "image_size"):
            try:
                value = ast.literal_eval(keyword.value)
                size = (int(value[0]), int(value[1]))
            except (ValueError, TypeError, IndexError, SyntaxError):
                pass
        elif keyword.arg == "batch_size":
            batch = ast.unparse(keyword.value)
        elif keyword.arg in ("class_mode", "label_mode") and isinstance(
            keyword.value, ast.Constant
        ):
            mode = str(keyword.value.value)
    classes = target.width if target.labels in (Labels.INDEX, Labels.ONE_HOT) else 2
    spec = InputSpec((size[0], size[1], 3), high=256)
    images = numpy_inputs(spec, EVAL_SAMPLES)
    if mode == "binary":
        labels = f'np.random.randint(0, 2, ({EVAL_SAMPLES},)).astype("float32")'
    elif mode == "categorical":
        labels = numpy_targets(TargetSpec(Labels.ONE_HOT, classes), EVAL_SAMPLES)
    else:
        labels = numpy_targets(TargetSpec(Labels.INDEX, classes), EVAL_SAMPLES)
    if "flow_from_directory" in ast.unparse(call.func) and isinstance(call.func, ast.Attribute):
        generator = ast.unparse(call.func.value)
        return f"{generator}.flow({images}, {labels}, batch_size={batch})", "synthetic images"
    return (
        f"tf.data.Dataset.from_tensor_slices(({images}, {labels})).batch({batch})",
        "synthetic images",
    )
