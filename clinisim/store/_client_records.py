"""Counseling clients in the record store: one collection per client and disclosure
layer, and one memory collection per client that grows session by session.

A client's answer is retrieved only from the layers its trust has opened, so a
query can never return a deeper layer, and nothing hidden (the core-belief
categories) is ever indexed.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from clinisim.errors import InputError
from clinisim.schemas import ClientProfile, DisclosureLevel
from clinisim.store._embedding import embed_query, embed_texts

if TYPE_CHECKING:
    from clinisim.store._record_store import RecordStore

__all__ = ["ClientChunk", "ClientRecords", "MemoryItem", "client_chunks"]

_LEADS = {
    "presenting.reason": "What brings you here today? Why now?",
    "presenting.problem": "What's been going on? What's the problem?",
    "presenting.goal": "What would you like to get out of this? What are your goals?",
    "life.work": "How is work? Tell me about your job.",
    "life.relationships": "Tell me about your relationships, partner, family.",
    "life.supports": "Who do you have to support you? Friends, family?",
    "life.sleep": "How are you sleeping?",
    "life.exercise": "Do you get any exercise? How active are you?",
    "situation": "Tell me about a recent time it happened. What was the situation?",
    "emotions": "How did you feel then? What emotions came up?",
    "behavior": "What did you do then? How did you react?",
    "automatic_thought": "What went through your mind? What were you thinking?",
    "history": "Tell me about your background and growing up. Where does this come from?",
    "intermediate_belief": "What rules do you live by? What do you expect of yourself?",
    "intermediate_belief_depression": "When you're low, what do you tell yourself?",
    "coping_strategies": "How do you cope? What do you do to manage it?",
    "core_belief": "What does it say about you, deep down? What do you believe about yourself?",
    "risk": "Are you having thoughts of harming yourself or ending your life? Are you safe?",
}


@dataclass(frozen=True)
class ClientChunk:
    """One indexed statement of a client, in their own words."""

    chunk_id: str
    field: str
    """The profile field: ``presenting.reason``, ``situation``, ``risk``..."""
    layer: DisclosureLevel
    text: str
    situation: int | None = None
    """For situation fields: which situation of the cognitive model."""


@dataclass(frozen=True)
class MemoryItem:
    """Something kept from an earlier session of a course."""

    session: int
    kind: str
    """``summary``, ``homework`` or ``questionnaires``."""
    text: str
    distance: float


def client_chunks(client: ClientProfile) -> list[ClientChunk]:
    """Every disclosable statement of ``client``; never the hidden categories."""
    out: list[ClientChunk] = []

    def add(field: str, layer: DisclosureLevel, text: str | None, n: int | None = None) -> None:
        if text:
            suffix = f".{n}" if n is not None else ""
            out.append(ClientChunk(f"{client.id}:{field}{suffix}", field, layer, text, n))

    for name in ("reason", "problem", "goal"):
        add(f"presenting.{name}", DisclosureLevel.SURFACE, getattr(client.presenting, name))
    for name in ("work", "relationships", "supports", "sleep", "exercise"):
        add(f"life.{name}", DisclosureLevel.SURFACE, getattr(client.life, name))
    model = client.cognitive_model
    for n, item in enumerate(model.situations):
        add("situation", DisclosureLevel.SITUATIONS, item.situation, n)
        add("behavior", DisclosureLevel.SITUATIONS, item.behavior, n)
        feelings = " and ".join(e.value for e in item.emotions)
        add("emotions", DisclosureLevel.SITUATIONS, f"I felt {feelings}.", n)
        add("automatic_thought", DisclosureLevel.THOUGHTS, item.automatic_thought, n)
    add("history", DisclosureLevel.BELIEFS, model.history)
    add("intermediate_belief", DisclosureLevel.BELIEFS, model.intermediate_belief)
    add(
        "intermediate_belief_depression",
        DisclosureLevel.BELIEFS,
        model.intermediate_belief_depression,
    )
    add("coping_strategies", DisclosureLevel.BELIEFS, model.coping_strategies)
    add("core_belief", DisclosureLevel.BELIEFS, model.core_belief_words)
    for n, risk in enumerate(client.risks):
        add("risk", DisclosureLevel.RISK, risk.says, n)
    return out


def _digest(client: ClientProfile) -> str:
    return hashlib.sha256(client.model_dump_json().encode()).hexdigest()[:20]


def _name(client_id: str, layer: DisclosureLevel) -> str:
    return f"client-{client_id}-{layer.value}"


def _memory_name(client_id: str) -> str:
    return f"memory-{client_id}"


class ClientRecords:
    """Clients' statements and their memory of past sessions, in a record store."""

    def __init__(self, store: RecordStore) -> None:
        self._store = store

    def _chroma(self) -> Any:
        return self._store._client

    def _embedding(self) -> Any:
        return self._store._embedding

    def stored_hash(self, client_id: str) -> str | None:
        """The content hash recorded when the client was last ingested, if it was."""
        try:
            collection = self._chroma().get_collection(
                _name(client_id, DisclosureLevel.SURFACE), embedding_function=self._embedding()
            )
        except Exception:
            return None
        value = (collection.metadata or {}).get("client_hash")
        return str(value) if value else None

    def ensure(self, client: ClientProfile) -> bool:
        """Ingest ``client`` if it is missing or changed; True when it (re)ingested.

        Idempotent, so many workers can share one store.
        """
        digest = _digest(client)
        if self.stored_hash(client.id) == digest:
            return False
        chunks = client_chunks(client)
        vectors = embed_texts([f"{_LEADS[c.field]} {c.text}" for c in chunks])
        chroma = self._chroma()
        for layer in DisclosureLevel:
            with contextlib.suppress(Exception):  # absent: nothing to delete
                chroma.delete_collection(_name(client.id, layer))
            picked = [i for i, c in enumerate(chunks) if c.layer is layer]
            collection = chroma.create_collection(
                _name(client.id, layer),
                embedding_function=self._embedding(),
                metadata={"hnsw:space": "cosine", "client_hash": digest, "client_id": client.id},
            )
            if not picked:
                continue
            collection.add(
                ids=[chunks[i].chunk_id for i in picked],
                documents=[chunks[i].text for i in picked],
                embeddings=cast(Any, [vectors[i] for i in picked]),
                metadatas=[
                    {
                        "field": chunks[i].field,
                        "layer": layer.value,
                        "situation": -1 if chunks[i].situation is None else chunks[i].situation,
                    }
                    for i in picked
                ],
            )
        return True

    def query(
        self,
        client_id: str,
        question: str,
        layers: Sequence[DisclosureLevel],
        k: int = 4,
    ) -> list[tuple[ClientChunk, float]]:
        """The ``k`` statements nearest ``question`` among the open ``layers``."""
        vector = embed_query(question)
        found: list[tuple[ClientChunk, float]] = []
        chroma = self._chroma()
        for layer in layers:
            try:
                collection = chroma.get_collection(
                    _name(client_id, layer), embedding_function=self._embedding()
                )
            except Exception:
                raise InputError(
                    f"client {client_id!r} is not in the record store", field="--client"
                ) from None
            count = int(collection.count())
            if count == 0:
                continue
            result = collection.query(query_embeddings=[vector], n_results=min(k, count))
            for chunk_id, text, meta, distance in zip(
                result["ids"][0],
                result["documents"][0],
                result["metadatas"][0],
                result["distances"][0],
                strict=True,
            ):
                situation = int(meta["situation"])
                chunk = ClientChunk(
                    chunk_id,
                    str(meta["field"]),
                    layer,
                    text,
                    None if situation < 0 else situation,
                )
                found.append((chunk, float(distance)))
        found.sort(key=lambda pair: (pair[1], pair[0].chunk_id))
        return found[:k]

    # -- memory across sessions ----------------------------------------------------
    def remember(self, client_id: str, course: str, session: int, items: dict[str, str]) -> None:
        """Keep what session ``session`` of ``course`` left behind (summary, homework...)."""
        kept = {kind: text for kind, text in items.items() if text}
        if not kept:
            return
        collection = self._chroma().get_or_create_collection(
            _memory_name(client_id),
            embedding_function=self._embedding(),
            metadata={"hnsw:space": "cosine", "client_id": client_id},
        )
        ids = [f"{course}:{session}:{kind}" for kind in kept]
        collection.upsert(
            ids=ids,
            documents=list(kept.values()),
            embeddings=cast(Any, embed_texts(list(kept.values()))),
            metadatas=[{"course": course, "session": session, "kind": kind} for kind in kept],
        )

    def recall(
        self, client_id: str, course: str, before: int, question: str, k: int = 3
    ) -> list[MemoryItem]:
        """What earlier sessions of ``course`` left, nearest ``question`` first."""
        try:
            collection = self._chroma().get_collection(
                _memory_name(client_id), embedding_function=self._embedding()
            )
        except Exception:
            return []
        where: Any = {"$and": [{"course": course}, {"session": {"$lt": before}}]}
        got = collection.get(where=where)
        if not got["ids"]:
            return []
        result = collection.query(
            query_embeddings=[embed_query(question)],
            n_results=min(k, len(got["ids"])),
            where=where,
        )
        return [
            MemoryItem(int(meta["session"]), str(meta["kind"]), text, float(distance))
            for text, meta, distance in zip(
                result["documents"][0],
                result["metadatas"][0],
                result["distances"][0],
                strict=True,
            )
        ]

    def memories(self, client_id: str, course: str, before: int) -> list[MemoryItem]:
        """Everything earlier sessions of ``course`` left, oldest first."""
        try:
            collection = self._chroma().get_collection(
                _memory_name(client_id), embedding_function=self._embedding()
            )
        except Exception:
            return []
        got = collection.get(where={"$and": [{"course": course}, {"session": {"$lt": before}}]})
        items = [
            MemoryItem(int(meta["session"]), str(meta["kind"]), text, 0.0)
            for text, meta in zip(got["documents"], got["metadatas"], strict=True)
        ]
        return sorted(items, key=lambda m: (m.session, m.kind))
