"""The real dl-lsp server with faults switched on by markers in the analysed text.

- ``SLOW_ANALYSIS``: the extractor sleeps 2 s (time.sleep releases the GIL, like I/O would),
  so requests can be cancelled while they wait for the analysis;
- ``EXPLODING_RULE``: the LOB check raises (the engine records it in ``Analysis.failures``);
- ``ENGINE_CRASH``: ``analyze_source`` itself raises;
- ``PRINTS_TO_STDOUT``: the extractor prints, from Python and straight to file descriptor 1.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any

from dl_lsp import checks, engine
from dl_lsp.lsp import analysis
from dl_lsp.lsp.server import main

_text = threading.local()
_real_extract = engine.extract_program
_real_lob = checks.ALL_CHECKS["LOB"]
_real_analyze = analysis.analyze_source


def _extract(source: Any, settings: Any) -> Any:
    _text.value = source.text
    if "SLOW_ANALYSIS" in source.text:
        time.sleep(2.0)
    if "PRINTS_TO_STDOUT" in source.text:
        print("debugging output from a rule")
        os.write(1, b"Content-Length: 3\r\n\r\n{}}")
    return _real_extract(source, settings)


def _lob(context: Any, rule: Any) -> Any:
    if "EXPLODING_RULE" in getattr(_text, "value", ""):
        raise RuntimeError("the instrumented LOB check raised on purpose")
    return _real_lob(context, rule)


def _analyze(text: str, path: str | None = None, settings: Any = None, **options: Any) -> Any:
    if "ENGINE_CRASH" in text:
        raise MemoryError("the instrumented engine crashed on purpose")
    return _real_analyze(text, path, settings, **options)


engine.extract_program = _extract
checks.ALL_CHECKS["LOB"] = _lob
analysis.analyze_source = _analyze

if __name__ == "__main__":
    raise SystemExit(main())
