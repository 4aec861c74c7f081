"""Embeddings computed once per machine, kept in a SQLite file in the cache dir.

The same texts are embedded in every process: the offline doctor's authored
questions, the case facts the judges compare against, the rubrics' example
phrases. Reading them back is far cheaper than loading the model and running it
(a warm ``clinisim run`` then loads no model at all). The cache is keyed by the
model's own key and the text, so other weights never read these vectors. Several
processes may share it; a write that finds the file busy is skipped, and a file
that cannot be read (damaged, or not a database) is ignored, since the vectors can
always be computed again.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Iterable, Mapping

import numpy as np
from numpy.typing import NDArray

from clinisim.paths import cache_dir

__all__ = ["EmbeddingCache"]

_CHUNK = 500
"""Texts per lookup (SQLite's limit on bound parameters)."""


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    """Text → unit vector, on disk, for one model."""

    def __init__(self, model_key: str, dim: int = 384) -> None:
        directory = cache_dir()
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / f"embeddings-{model_key}.sqlite"
        self.dim = dim
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        try:
            db = sqlite3.connect(self.path, timeout=5, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(
                "CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)"
            )
            db.commit()
            self._db = db
        except sqlite3.Error:
            pass  # an unusable cache file: work without the cache

    def get_many(self, texts: Iterable[str]) -> dict[str, NDArray[np.float32]]:
        """The cached vectors of those ``texts`` that are cached."""
        wanted = {_key(t): t for t in texts}
        found: dict[str, NDArray[np.float32]] = {}
        keys = list(wanted)
        if self._db is None:
            return found
        with self._lock:
            for start in range(0, len(keys), _CHUNK):
                chunk = keys[start : start + _CHUNK]
                marks = ",".join("?" * len(chunk))
                try:
                    rows = self._db.execute(
                        f"SELECT key, vector FROM vectors WHERE key IN ({marks})", chunk
                    ).fetchall()
                except sqlite3.Error:
                    return found
                for key, blob in rows:
                    vector = np.frombuffer(blob, dtype=np.float32)
                    if vector.shape == (self.dim,):
                        found[wanted[key]] = vector
        return found

    def put_many(self, vectors: Mapping[str, NDArray[np.float32]]) -> None:
        """Store vectors; a busy database is left alone (the vectors are recomputable)."""
        if self._db is None:
            return
        rows = [(_key(t), np.asarray(v, dtype=np.float32).tobytes()) for t, v in vectors.items()]
        with self._lock:
            try:
                self._db.executemany("INSERT OR IGNORE INTO vectors VALUES (?, ?)", rows)
                self._db.commit()
            except sqlite3.Error:
                self._db.rollback()
