"""Bug-report triage: a report's bug type, the information it lacks, the edit actions that would
reproduce it (dlRepro's recommender, on tags, tracebacks, static findings and text)."""

from __future__ import annotations

from dl_lsp.triage.pipeline import TriageOptions, triage_report
from dl_lsp.triage.report import BugReport, parse_report
from dl_lsp.triage.result import TriageResult

__all__ = ["BugReport", "TriageOptions", "TriageResult", "parse_report", "triage_report"]
