"""The one entry point of the analysis: text in, findings (and the facts behind them) out."""

from __future__ import annotations

import gc
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from dl_lsp.checks import ALL_CHECKS, CheckContext
from dl_lsp.config import Settings, SettingsError, parse_input_type, parse_problem_type
from dl_lsp.extract.program import extract_program
from dl_lsp.facts import ProgramFacts
from dl_lsp.findings import Finding
from dl_lsp.ruleset import Rule, get_rule, load_rules
from dl_lsp.source import ParsedSource, SyntaxProblem

SYNTAX_ERROR_CODE = "SNP001"
_DEFAULT_SETTINGS = Settings()  # frozen, and never changed in place: one serves every call


@dataclass(frozen=True)
class Analysis:
    """The result of analysing one source text."""

    source: ParsedSource
    facts: ProgramFacts
    findings: tuple[Finding, ...]
    # Checks that raised: (code, error text). The other checks still ran.
    failures: tuple[tuple[str, str], ...] = ()


def analyze_source(
    text: str,
    path: str | None = None,
    settings: Settings | None = None,
    *,
    previous: ParsedSource | None = None,
) -> Analysis:
    """Parse, extract facts, run every enabled check, and return the sorted findings.

    ``previous``, the parse of an earlier version of the same document, lets the parser re-use
    the statements an edit did not touch."""
    # The syntax tree and the facts hold no reference cycles: reference counting frees them.
    # Pausing the cyclic collector keeps it from walking the whole live tree again and again
    # while the analysis allocates (about a fifth of the analysis time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _analyze(ParsedSource(text, previous=previous), settings or _DEFAULT_SETTINGS)
    finally:
        if collecting:
            gc.enable()


def _analyze(source: ParsedSource, settings: Settings) -> Analysis:
    settings = settings_with_pragmas(settings, source)
    findings: list[Finding] = list(syntax_findings(source.syntax_errors))
    failures: list[tuple[str, str]] = []
    facts: ProgramFacts | None = None
    if source.tree is not None:
        try:
            facts = extract_program(source, settings)
        except RecursionError:
            failures.append(("extract", "RecursionError: the code is nested too deeply to analyse"))
        except Exception as error:  # the syntax findings are still worth reporting
            failures.append(("extract", f"{type(error).__name__}: {error}"))
    if facts is None:  # nothing parsed or extracted: the checks see an empty program
        facts = ProgramFacts()
    found, check_failures = run_checks(facts, settings)
    findings += found
    failures += check_failures
    return Analysis(source, facts, kept_findings(findings, source, settings), tuple(failures))


def run_checks(
    facts: ProgramFacts, settings: Settings
) -> tuple[list[Finding], list[tuple[str, str]]]:
    """Every enabled check on ``facts`` (the probe re-runs them with the facts it observed)."""
    findings: list[Finding] = []
    failures: list[tuple[str, str]] = []
    context = CheckContext(facts=facts, settings=settings)
    for code, rule in enabled_checks(settings):
        if rule is None:
            failures.append((code, "the check has no rule data in rules/"))
            continue
        try:
            # Looked up on each run: the probe's tests and the instrumented server swap checks.
            findings.extend(ALL_CHECKS[code](context, rule))
        except Exception as error:  # a broken check must never take the others down
            failures.append((code, f"{type(error).__name__}: {error}"))
    return findings, failures


def enabled_checks(settings: Settings) -> tuple[tuple[str, Rule | None], ...]:
    """The codes of the checks these settings run, in registry order, each with its rule (the
    user's thresholds merged in; None when ``rules/`` has no data for it)."""
    select = None if settings.select is None else frozenset(settings.select)
    thresholds = tuple(
        (code, tuple(overrides.items())) for code, overrides in settings.thresholds.items()
    )
    return _enabled_checks(select, frozenset(settings.ignore), thresholds)


@lru_cache(maxsize=32)
def _enabled_checks(
    select: frozenset[str] | None,
    ignore: frozenset[str],
    thresholds: tuple[tuple[str, tuple[tuple[str, float], ...]], ...],
) -> tuple[tuple[str, Rule | None], ...]:
    # Worked out once per distinct selection, not once per file: every file of a run, and
    # every version of a document, shares its settings.
    overrides = {code: dict(values) for code, values in thresholds}
    settings = Settings(select=select, ignore=ignore, thresholds=overrides)
    rules = load_rules()
    return tuple(
        (code, _rule_with_settings(rules[code], settings) if code in rules else None)
        for code in ALL_CHECKS
        if settings.enabled(code)
    )


def kept_findings(
    findings: Iterable[Finding], source: ParsedSource, settings: Settings
) -> tuple[Finding, ...]:
    """The findings to report: deduplicated, enabled, not suppressed by a pragma, with the
    user's severities, in position order."""
    kept = [
        _with_severity(finding, settings)
        for finding in _dedupe(findings)
        if settings.enabled(finding.code)
        and not source.pragmas.suppresses(finding.code, finding.span.line)
    ]
    kept.sort(key=lambda f: (f.span.line, f.span.column, f.code))
    return tuple(kept)


def syntax_findings(problems: Iterable[SyntaxProblem]) -> Iterable[Finding]:
    """The SNP001 finding of each syntax error."""
    rule: Rule | None = None  # looked up only when there is an error
    for problem in problems:
        rule = rule or get_rule(SYNTAX_ERROR_CODE)
        yield Finding(
            code=rule.code,
            name=rule.name,
            bug_type=rule.bug_type,
            severity=rule.severity,
            span=problem.span,
            message=problem.message,
            fix=rule.fixes.get("syntax_error"),
        )


def settings_with_pragmas(settings: Settings, source: ParsedSource) -> Settings:
    """A file pragma (``# dl-lsp: problem=binary input=color``) overrides the settings."""
    pragmas = source.pragmas
    changes: dict[str, object] = {}
    try:
        if pragmas.problem_type:
            changes["problem_type"] = parse_problem_type(pragmas.problem_type)
        if pragmas.input_type:
            changes["input_type"] = parse_input_type(pragmas.input_type)
    except SettingsError:
        return settings  # an unknown pragma value is ignored rather than fatal
    return settings.merged(**changes) if changes else settings


def _rule_with_settings(rule: Rule, settings: Settings) -> Rule:
    overrides = settings.thresholds.get(rule.code)
    if not overrides:
        return rule
    return replace(rule, thresholds={**rule.thresholds, **overrides})


def _with_severity(finding: Finding, settings: Settings) -> Finding:
    severity = settings.severities.get(finding.code)
    return replace(finding, severity=severity) if severity else finding


def _dedupe(findings: Iterable[Finding]) -> list[Finding]:
    seen: set[tuple[str, int, int, str]] = set()
    unique: list[Finding] = []
    for finding in findings:
        key = (finding.code, finding.span.line, finding.span.column, finding.message)
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return unique


def all_rules() -> list[Rule]:
    """Every rule known to the engine, in listing order."""
    return list(load_rules().values())
