"""The record store: chromadb collections of case chunks, embedded with bundled MiniLM."""

from clinisim.store import _chromadb_import  # noqa: F401  (first: before chromadb)

# isort: split

from clinisim.store._chunks import Chunk, case_chunks
from clinisim.store._client_records import ClientChunk, ClientRecords, MemoryItem, client_chunks
from clinisim.store._embedding import (
    EMBEDDING_DIM,
    MiniLMEmbedding,
    cosine_matrix,
    embed_queries,
    embed_query,
    embed_texts,
    vector_matrix,
)
from clinisim.store._record_store import RecordStore, RetrievedChunk, default_store_path

__all__ = [
    "EMBEDDING_DIM",
    "Chunk",
    "ClientChunk",
    "ClientRecords",
    "MemoryItem",
    "MiniLMEmbedding",
    "RecordStore",
    "RetrievedChunk",
    "case_chunks",
    "client_chunks",
    "cosine_matrix",
    "default_store_path",
    "embed_queries",
    "embed_query",
    "embed_texts",
    "vector_matrix",
]
