"""Static facts of a report's code blocks: dl-lsp's findings, undefined names, what the code does."""

from __future__ import annotations

import ast
import builtins
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dl_lsp.engine import SYNTAX_ERROR_CODE, analyze_source
from dl_lsp.findings import Finding
from dl_lsp.triage.tables import TriageTables

_BUILTINS = frozenset(dir(builtins)) | {"__file__", "__name__", "display", "get_ipython"}
_MODEL_CODES = ("LLM", "CNL", "INF", "INN", "IDS", "MRD", "MNL", "ICL", "IFL", "SHP505")
_HYPERPARAMETER_CODES = ("LOB", "IBS")
_LOCAL_DATA = re.compile(
    r"""\b(read_csv|read_excel|read_json|np\.load|loadtxt|genfromtxt|ImageFolder|flow_from_directory|"""
    r"""image_dataset_from_directory|flow_from_dataframe|imread|Image\.open|h5py\.File|open)\(\s*[rf]?['"]"""
)
_PRETRAINED = re.compile(
    r"""\b(from_pretrained|hub\.load|hub\.KerasLayer|torch\.hub\.load|load_model)\(|weights\s*=\s*['"]imagenet|pretrained\s*=\s*True"""
)
_RUNS_MODEL = re.compile(
    r"\b(fit|fit_generator|train_on_batch|predict|evaluate|backward|compile|forward|summary)\(|\bmodel\(|\bnet\("
)


@dataclass(frozen=True)
class CodeFacts:
    """What static analysis says about all the code blocks of a report together."""

    findings: tuple[Finding, ...] = ()
    finding_blocks: tuple[int, ...] = ()  # the code block (0-based) of each finding
    parsed_blocks: int = 0
    syntax_errors: int = 0
    undefined: tuple[str, ...] = ()
    facts: tuple[str, ...] = ()  # names of taxonomy/triage.toml [repro.*] facts that hold
    failures: tuple[str, ...] = ()

    @property
    def has_code(self) -> bool:
        return self.parsed_blocks > 0


def code_facts(blocks: Sequence[str], tables: TriageTables) -> CodeFacts:
    """Analyse each code block with the dl-lsp engine and gather the facts the triage needs."""
    findings: list[Finding] = []
    finding_blocks: list[int] = []
    failures: list[str] = []
    undefined: dict[str, None] = {}
    syntax_errors = 0
    parsed = 0
    bound: set[str] = set()
    for number, block in enumerate(blocks):
        if not _looks_like_python(block):
            continue
        try:
            analysis = analyze_source(block)
        except (RecursionError, MemoryError, ValueError) as error:
            failures.append(f"a code block could not be analysed ({type(error).__name__})")
            continue
        parsed += 1
        findings.extend(analysis.findings)
        finding_blocks.extend(number for _ in analysis.findings)
        syntax_errors += sum(
            1 for finding in analysis.findings if finding.code == SYNTAX_ERROR_CODE
        )
        failures.extend(f"{code}: {error}" for code, error in analysis.failures)
        tree = analysis.source.tree
        if tree is not None:
            block_bound, block_used = _names(tree)
            bound |= block_bound
            for name in block_used:
                undefined.setdefault(name)
    missing = tuple(name for name in undefined if name not in bound and name not in _BUILTINS)
    code = "\n".join(blocks)
    facts = _facts(findings, syntax_errors, missing, code, parsed, tables)
    return CodeFacts(
        tuple(findings),
        tuple(finding_blocks),
        parsed,
        syntax_errors,
        missing,
        facts,
        tuple(failures),
    )


def _looks_like_python(block: str) -> bool:
    """Code blocks of shell commands, pip output or other languages are not analysed."""
    lines = [line.strip() for line in block.split("\n") if line.strip()]
    if not lines:
        return False
    shell = sum(
        1 for line in lines if line.startswith(("$ ", "pip ", "conda ", "!pip", "nvcc ", "sudo "))
    )
    return shell * 2 < len(lines)


def _names(tree: ast.AST) -> tuple[set[str], list[str]]:
    """Names bound anywhere in the tree, and names read, in order of first use."""
    bound: set[str] = set()
    used: dict[str, None] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load):
                used.setdefault(node.id)
            else:
                bound.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            bound.update(node.names)
        elif isinstance(node, ast.ImportFrom) and any(alias.name == "*" for alias in node.names):
            bound.add("*")
    if "*" in bound:  # `from keras.layers import *`: framework names are defined
        bound |= {name for name in used if name[:1].isupper()}
    return bound, list(used)


def _facts(
    findings: Iterable[Finding],
    syntax_errors: int,
    undefined: Sequence[str],
    code: str,
    parsed: int,
    tables: TriageTables,
) -> tuple[str, ...]:
    codes = {finding.code for finding in findings}
    names = tables.names
    groups = {
        "undefined_framework_names": [n for n in undefined if n in names["framework"]],
        "undefined_hyperparameters": [n for n in undefined if n in names["hyperparameters"]],
        "undefined_data": [n for n in undefined if n in names["data"]],
        "undefined_model": [n for n in undefined if n in names["model"]],
    }
    known = set().union(*names.values())
    holds = {
        "syntax_error": syntax_errors > 0,
        **{fact: bool(found) for fact, found in groups.items()},
        "undefined_other": any(name not in known for name in undefined),
        "api_change_findings": any(code_.startswith("API1") for code_ in codes),
        "model_findings": any(code_.startswith(_MODEL_CODES) for code_ in codes),
        "hyperparameter_findings": any(code_ in _HYPERPARAMETER_CODES for code_ in codes),
        "local_data_files": bool(_LOCAL_DATA.search(code)),
        "pretrained_downloads": bool(_PRETRAINED.search(code)),
        "trains_or_predicts": parsed > 0 and bool(_RUNS_MODEL.search(code)),
    }
    return tuple(fact for fact, true in holds.items() if true and fact in tables.repro)
