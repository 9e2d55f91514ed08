"""REP6xx: runs that cannot be repeated (paper 004: reproducibility defects; dlRepro: Logs).

Information level by default: a missing seed is not a bug in the model, but without one a
reported accuracy cannot be reproduced, compared or bisected.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from dl_lsp.checks.fix_data import fix, fixes, replace_value, set_keyword
from dl_lsp.facts import Framework, LayerKind, ProgramFacts, Span
from dl_lsp.facts.pipeline import SeedFact
from dl_lsp.findings import Finding, Related
from dl_lsp.ruleset import Rule

if TYPE_CHECKING:
    from dl_lsp.checks import Check, CheckContext

_TORCH_SEEDERS = ("torch.", "lightning", "pytorch_lightning", "transformers", "accelerate")
_TF_SEEDERS = ("tensorflow.", "keras.")
_NONDETERMINISTIC_KINDS = (LayerKind.CONV, LayerKind.RECURRENT, LayerKind.EMBEDDING)


def _training_sites(facts: ProgramFacts) -> list[tuple[Span, str]]:
    """Where the script trains, with the framework that trains there."""
    sites: list[tuple[Span, str]] = []
    keras_models = {
        alias
        for model in facts.models
        if model.framework is Framework.KERAS
        for alias in model.aliases or (model.name,)
    }
    keras_file = Framework.KERAS in facts.frameworks
    defined = facts.pipeline.defined_names

    def own(name: str | None) -> bool:
        return name is None or name.split(".")[0] in defined

    for call in facts.training_loops.training_calls:
        if _keras_model(call.model, keras_models, keras_file) and own(call.data):
            sites.append((call.span, "keras"))
    for loop in facts.training_loops.gradient_loops:
        if not loop.function and own(loop.iterable):
            sites.append((loop.span, loop.framework))
    return sorted(sites)


def _keras_model(name: str | None, models: set[str], keras_file: bool) -> bool:
    """A known Keras model, or a receiver named like one in a Keras file (not a scaler)."""
    if name in models:
        return True
    lowered = (name or "").lower()
    return keras_file and ("model" in lowered or "net" in lowered)


def check_no_seed(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """REP601: a training script that seeds no random number generator."""
    pipeline = context.facts.pipeline
    if pipeline.seeds or pipeline.seed_helpers:
        return
    sites = _training_sites(context.facts)
    if sites:
        span, framework = sites[0]
        yield rule.finding(framework, span)


def _seeds_of(
    seeds: tuple[SeedFact, ...], prefixes: tuple[str, ...], family: str
) -> list[SeedFact]:
    return [
        seed
        for seed in seeds
        if seed.family == family or (seed.family == "all" and seed.call.startswith(prefixes))
    ]


def _uses_nondeterministic_kernels(facts: ProgramFacts, framework: Framework) -> bool:
    """Convolutions, recurrent layers and embeddings: the layers whose GPU kernels (cuDNN
    algorithms, atomic adds in backward) are documented as nondeterministic."""
    if framework is Framework.TORCH and facts.training_loops.pretrained_models:
        return True
    return any(
        layer.kind in _NONDETERMINISTIC_KINDS
        for model in facts.models
        if model.framework is framework
        for layer in model.layers
    )


def check_nondeterministic_kernels(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """REP602: seeds set, but GPU kernels still nondeterministic."""
    facts = context.facts
    pipeline = facts.pipeline
    if pipeline.seed_helpers:
        return  # a helper we cannot see may switch determinism on
    torch_seeds = _seeds_of(pipeline.seeds, _TORCH_SEEDERS, "torch")
    if (
        torch_seeds
        and pipeline.uses_cuda is not None
        and _uses_nondeterministic_kernels(facts, Framework.TORCH)
    ):
        related = (Related(pipeline.uses_cuda, "CUDA is used here"),)
        if not pipeline.torch_deterministic:
            yield rule.finding("torch", torch_seeds[0].span, related=related)
        if pipeline.cudnn_benchmark is not None:
            yield rule.finding(
                "torch_benchmark",
                pipeline.cudnn_benchmark,
                related=related,
                fix_data=fixes(
                    fix(
                        "Turn off cuDNN benchmarking",
                        replace_value(pipeline.cudnn_benchmark, False),
                    )
                ),
            )
    tf_seeds = _seeds_of(pipeline.seeds, _TF_SEEDERS, "tensorflow")
    if (
        tf_seeds
        and pipeline.uses_tf_gpu is not None
        and not pipeline.tf_deterministic
        and _uses_nondeterministic_kernels(facts, Framework.KERAS)
    ):
        related = (Related(pipeline.uses_tf_gpu, "a GPU is used here"),)
        yield rule.finding("tensorflow", tf_seeds[0].span, related=related)


def check_unseeded_randomness(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """REP603: splits and shuffles that draw from an unseeded generator."""
    pipeline = context.facts.pipeline
    if pipeline.seed_helpers:
        return
    families = {seed.family for seed in pipeline.seeds}
    if "all" in families:
        return
    for item in pipeline.unseeded:
        if item.family in families:
            continue
        fix_data = None
        if item.keyword is not None:
            fix_data = fixes(
                fix(
                    f"Seed it: {item.keyword}=42",
                    set_keyword(item.span, item.keyword, 42),
                    safe=True,
                )
            )
        key = "keyword" if item.keyword is not None else item.family
        yield rule.finding(
            key,
            item.span,
            fix_data=fix_data,
            function=item.function,
            keyword=item.keyword or "",
        )


CHECKS: dict[str, Check] = {
    "REP601": check_no_seed,
    "REP602": check_nondeterministic_kernels,
    "REP603": check_unseeded_randomness,
}
