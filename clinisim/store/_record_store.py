"""The chromadb record store: one collection per case and visibility.

Keeping each case's chunks in their own collections makes a case reachable without
a global ``where`` filter scan, and makes visibility physical: a patient query only
ever opens the case's ``patient`` collection.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, cast

import chromadb
from chromadb.config import Settings

from clinisim.errors import InputError, RuntimeFailure
from clinisim.paths import data_dir
from clinisim.schemas import PatientCase, Visibility
from clinisim.store._chunks import case_chunks, embedding_text
from clinisim.store._client_records import ClientRecords
from clinisim.store._embedding import MiniLMEmbedding, embed_query, embed_texts
from clinisim.store._store_server import store_server

__all__ = ["RecordStore", "RetrievedChunk", "default_store_path"]


def default_store_path() -> Path:
    """``CLINISIM_STORE_DIR``, else ``<data dir>/store``."""
    override = os.environ.get("CLINISIM_STORE_DIR")
    return Path(override) if override else data_dir() / "store"


@dataclass(frozen=True)
class RetrievedChunk:
    """A chunk returned by a query, nearest first."""

    chunk_id: str
    fact_id: str
    section: str
    label: str
    text: str
    visibility: Visibility
    distance: float
    """Cosine distance: 0 is identical, 1 unrelated."""


def _case_hash(case: PatientCase) -> str:
    return hashlib.sha256(case.model_dump_json().encode()).hexdigest()[:20]


_ANSWER_CACHE_SIZE = 4096


def _collection_name(case_id: str, visibility: Visibility) -> str:
    return f"case-{case_id}-{visibility.value}"


class RecordStore:
    """Index cases' facts and records; retrieve them by question, filtered by visibility.

    The store is embedded under ``path`` (default: the data dir), or a chroma server
    when ``url`` (default: ``CLINISIM_STORE_URL``) names one; an explicit ``path``
    always means the embedded store.
    """

    def __init__(self, path: Path | None = None, *, url: str | None = None) -> None:
        server = store_server(url) if path is None else None
        settings = Settings(anonymized_telemetry=False)
        if server is not None:
            self.location = server.url
            self.path = None
            try:
                self._client = chromadb.HttpClient(
                    host=server.host, port=server.port, ssl=server.ssl, settings=settings
                )
                self._client.heartbeat()
            except Exception as exc:
                raise RuntimeFailure(
                    f"the record store server at {server.url} is unreachable "
                    f"({type(exc).__name__}: {exc})"
                ) from exc
        else:
            self.path = path or default_store_path()
            self.location = str(self.path)
            self.path.mkdir(parents=True, exist_ok=True)
            self._client = chromadb.PersistentClient(path=str(self.path), settings=settings)
        # Typed loosely: chromadb's generic protocol does not admit a plain str embedder.
        self._embedding: Any = MiniLMEmbedding()
        self._collections: dict[str, Any] = {}
        self._counts: dict[str, int] = {}
        self._answers: OrderedDict[tuple[str, str, int], list[RetrievedChunk]] = OrderedDict()
        """Recent query results by (collection, question, k). A collection only changes
        when its case is re-ingested, which clears its entries; many sessions of a
        benchmark ask the same questions of the same case."""
        self._answers_lock = threading.Lock()

    @cached_property
    def clients(self) -> ClientRecords:
        """Counseling clients and their memory across sessions, in this store."""
        return ClientRecords(self)

    def _collection(self, case_id: str, visibility: Visibility, *, create: bool) -> Any:
        name = _collection_name(case_id, visibility)
        if name in self._collections:
            return self._collections[name]
        if create:
            collection = self._client.get_or_create_collection(
                name, embedding_function=self._embedding, metadata={"hnsw:space": "cosine"}
            )
        else:
            try:
                collection = self._client.get_collection(name, embedding_function=self._embedding)
            except Exception:
                return None
        self._collections[name] = collection
        return collection

    def _count(self, collection: Any) -> int:
        name = str(collection.name)
        if name not in self._counts:
            self._counts[name] = int(collection.count())
        return self._counts[name]

    def stored_hash(self, case_id: str) -> str | None:
        """The content hash recorded when the case was last ingested, if it was."""
        collection = self._collection(case_id, Visibility.HIDDEN, create=False)
        if collection is None:
            return None
        value = (collection.metadata or {}).get("case_hash")
        return str(value) if value else None

    def ingest(self, case: PatientCase) -> int:
        """(Re)index ``case``; returns the number of chunks. Idempotent."""
        chunks = case_chunks(case)
        embeddings = embed_texts([embedding_text(c.label, c.text) for c in chunks])
        with self._answers_lock:
            self._answers.clear()
        for visibility in Visibility:
            name = _collection_name(case.id, visibility)
            self._collections.pop(name, None)
            self._counts.pop(name, None)
            with contextlib.suppress(Exception):  # absent: nothing to delete
                self._client.delete_collection(name)
        digest = _case_hash(case)
        for visibility in Visibility:
            picked = [i for i, c in enumerate(chunks) if c.visibility == visibility]
            # get-or-create and upsert: another process ingesting the same case at the
            # same time (workers sharing a server) ends with the same collection.
            collection = self._client.get_or_create_collection(
                _collection_name(case.id, visibility),
                embedding_function=self._embedding,
                metadata={"hnsw:space": "cosine", "case_hash": digest, "case_id": case.id},
            )
            self._collections[collection.name] = collection
            if not picked:
                continue
            collection.upsert(
                ids=[chunks[i].chunk_id for i in picked],
                documents=[chunks[i].text for i in picked],
                embeddings=cast(Any, [embeddings[i] for i in picked]),
                metadatas=[
                    {
                        "case_id": case.id,
                        "fact_id": chunks[i].fact_id,
                        "section": chunks[i].section,
                        "label": chunks[i].label,
                        "visibility": visibility.value,
                    }
                    for i in picked
                ],
            )
        return len(chunks)

    def ensure_ingested(self, case: PatientCase) -> bool:
        """Ingest ``case`` if it is missing or changed; True when it (re)ingested."""
        if self.stored_hash(case.id) == _case_hash(case):
            return False
        self.ingest(case)
        return True

    def query(
        self,
        case_id: str,
        question: str | Sequence[float],
        visibilities: Sequence[Visibility] = (Visibility.PATIENT,),
        k: int = 5,
    ) -> list[RetrievedChunk]:
        """The ``k`` chunks nearest to ``question`` among the allowed visibilities."""
        embedding = embed_query(question) if isinstance(question, str) else list(question)
        found: list[RetrievedChunk] = []
        seen_any = False
        for visibility in visibilities:
            collection = self._collection(case_id, Visibility(visibility), create=False)
            if collection is None:
                continue
            seen_any = True
            count = self._count(collection)
            if count == 0:
                continue
            key = (str(collection.name), question, k) if isinstance(question, str) else None
            with self._answers_lock:
                cached = self._answers.get(key) if key else None
            if cached is not None:
                found.extend(cached)
                continue
            result = collection.query(query_embeddings=[embedding], n_results=min(k, count))
            answer = [
                RetrievedChunk(
                    chunk_id=chunk_id,
                    fact_id=str(meta["fact_id"]),
                    section=str(meta["section"]),
                    label=str(meta["label"]),
                    text=text,
                    visibility=Visibility(str(meta["visibility"])),
                    distance=float(distance),
                )
                for chunk_id, text, meta, distance in zip(
                    result["ids"][0],
                    result["documents"][0],
                    result["metadatas"][0],
                    result["distances"][0],
                    strict=True,
                )
            ]
            found.extend(answer)
            if key:
                with self._answers_lock:
                    self._answers[key] = answer
                    if len(self._answers) > _ANSWER_CACHE_SIZE:
                        self._answers.popitem(last=False)
        if not seen_any:
            raise InputError(
                f"case {case_id!r} is not in the record store at {self.location} "
                "(run 'clinisim store ingest')",
                field="--case",
            )
        found.sort(key=lambda c: (c.distance, c.chunk_id))
        return found[:k]
