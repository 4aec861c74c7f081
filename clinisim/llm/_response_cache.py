"""An opt-in on-disk cache of model replies (SQLite).

The key is a hash of everything that shapes a reply: the model string, the
messages, the reply-length bound, the api base, and a *scope* that the runner sets
to the session's trial index. Repeated trials of one case therefore never share
replies (each trial stays an independent sample), while re-running a crashed or
re-planned run reuses every reply it already paid for.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["CachedReply", "ResponseCache", "cache_key"]


@dataclass(frozen=True)
class CachedReply:
    """A stored reply and what producing it originally cost."""

    text: str
    finish_reason: str | None
    prompt_tokens: int
    completion_tokens: int


def cache_key(
    *, model: str, messages: list[dict[str, str]], max_tokens: int, api_base: str | None, scope: str
) -> str:
    """A stable sha256 over what determines a reply."""
    payload = json.dumps(
        {
            "model": model,
            "messages": messages,
            "max_tokens": max_tokens,
            "api_base": api_base,
            "scope": scope,
        },
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class ResponseCache:
    """Replies by key in a SQLite file; safe to share between threads and processes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        with self._lock, self._conn:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute(
                "CREATE TABLE IF NOT EXISTS replies ("
                " key TEXT PRIMARY KEY, model TEXT, text TEXT, finish_reason TEXT,"
                " prompt_tokens INTEGER, completion_tokens INTEGER)"
            )
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> CachedReply | None:
        """The reply stored under ``key``, if any."""
        with self._lock:
            row = self._conn.execute(
                "SELECT text, finish_reason, prompt_tokens, completion_tokens"
                " FROM replies WHERE key = ?",
                (key,),
            ).fetchone()
        if row is None:
            self.misses += 1
            return None
        self.hits += 1
        return CachedReply(
            text=str(row[0]),
            finish_reason=row[1],
            prompt_tokens=int(row[2]),
            completion_tokens=int(row[3]),
        )

    def put(self, key: str, model: str, reply: CachedReply) -> None:
        """Store a reply (the last write for a key wins)."""
        row: tuple[Any, ...] = (
            key,
            model,
            reply.text,
            reply.finish_reason,
            reply.prompt_tokens,
            reply.completion_tokens,
        )
        with self._lock, self._conn:
            self._conn.execute("INSERT OR REPLACE INTO replies VALUES (?, ?, ?, ?, ?, ?)", row)

    def __len__(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT COUNT(*) FROM replies").fetchone()[0])

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self._conn.close()
