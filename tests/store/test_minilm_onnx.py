"""The ONNX MiniLM gives the same embeddings as sentence-transformers, and the
on-disk cache gives back exactly what the model computed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from clinisim.store import embed_texts
from clinisim.store._embedding_cache import EmbeddingCache
from clinisim.store._minilm_onnx import MiniLMOnnx, model_dir

TEXTS = [
    "Does the pain spread to your arm or jaw?",
    "Have you had any nausea?",
    "I keep getting these awful headaches on one side",
    "Light, noise and climbing stairs make it worse.",
    "No",
    "Denies chest pain, palpitations or shortness of breath; smokes 20 a day " * 8,
]


def test_onnx_embeddings_match_sentence_transformers() -> None:
    """Within 1e-4 in cosine, for short, long (truncated) and padded batches."""
    sentence_transformers = pytest.importorskip("sentence_transformers")
    reference = sentence_transformers.SentenceTransformer(str(model_dir()), device="cpu")
    expected = reference.encode(TEXTS, normalize_embeddings=True)
    got = MiniLMOnnx().encode(TEXTS)
    cosine = (got * expected).sum(axis=1)
    assert got.shape == (len(TEXTS), 384)
    assert float(np.max(1.0 - cosine)) < 1e-4
    one_by_one = np.stack([MiniLMOnnx().encode([t])[0] for t in TEXTS[:2]])
    assert float(np.max(np.abs(one_by_one - got[:2]))) < 1e-5  # padding changes nothing


def test_cache_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLINISIM_CACHE_DIR", str(tmp_path))
    cache = EmbeddingCache("test-model")
    vectors = {
        t: np.asarray(v, dtype=np.float32) for t, v in zip(TEXTS, embed_texts(TEXTS), strict=True)
    }
    assert cache.get_many(TEXTS) == {}
    cache.put_many(vectors)
    again = EmbeddingCache("test-model").get_many(TEXTS)
    assert set(again) == set(TEXTS)
    for text in TEXTS:
        assert np.array_equal(again[text], vectors[text])
    assert EmbeddingCache("other-model").get_many(TEXTS) == {}


def test_damaged_caches_are_rebuilt_not_fatal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache file that is not a database, or a truncated ONNX export, costs time only."""
    from clinisim.store._minilm_onnx import model_key

    monkeypatch.setenv("CLINISIM_CACHE_DIR", str(tmp_path))
    (tmp_path / "embeddings-broken.sqlite").write_bytes(b"not a database" * 100)
    broken = EmbeddingCache("broken")
    assert broken.get_many(TEXTS) == {}
    broken.put_many({"x": np.zeros(384, dtype=np.float32)})  # ignored, no error
    (tmp_path / f"{model_key()}.onnx").write_bytes(b"truncated")
    vectors = MiniLMOnnx().encode(TEXTS[:2])
    assert vectors.shape == (2, 384)
    assert float(np.min(np.linalg.norm(vectors, axis=1))) > 0.99
