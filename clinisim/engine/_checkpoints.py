"""Graph checkpoints: where every resumable session writes its steps, keyed by id.

The SQLite file of this machine by default; a PostgreSQL database when
``--checkpoint-url``/``CLINISIM_CHECKPOINT_URL`` names one (see
:mod:`clinisim.engine._postgres_checkpoints`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import (
    BaseCheckpointSaver,
    ChannelVersions,
    Checkpoint,
    CheckpointMetadata,
    CheckpointTuple,
)
from langgraph.checkpoint.sqlite import SqliteSaver

from clinisim.engine._postgres_checkpoints import (
    checkpoint_url,
    open_postgres_checkpointer,
    redacted,
)
from clinisim.engine._session_spec import SessionSpec
from clinisim.errors import InputError
from clinisim.paths import data_dir

__all__ = ["checkpoint_location", "checkpoint_path", "load_spec", "open_checkpointer"]


def checkpoint_path() -> Path:
    """The SQLite checkpoint database, shared by all sessions, keyed by session id."""
    return data_dir() / "checkpoints.sqlite"


class _LocalSqliteSaver(SqliteSaver):
    """LangGraph's SQLite saver, answering the async graph in the event loop itself.

    A local SQLite write takes well under a millisecond, less than the thread hop
    the aiosqlite-based saver makes for every query (``benchmarks/consultation_speed.py``,
    checkpointed 20-turn offline session: median 498 ms through aiosqlite, 302 ms
    like this). One session per process (``clinisim run``, ``counsel``) has nothing
    else to run meanwhile.
    """

    async def aget_tuple(self, config: RunnableConfig) -> CheckpointTuple | None:
        return self.get_tuple(config)

    async def alist(
        self,
        config: RunnableConfig | None,
        *,
        filter: dict[str, Any] | None = None,
        before: RunnableConfig | None = None,
        limit: int | None = None,
    ) -> AsyncIterator[CheckpointTuple]:
        for item in self.list(config, filter=filter, before=before, limit=limit):
            yield item

    async def aput(
        self,
        config: RunnableConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> RunnableConfig:
        return self.put(config, checkpoint, metadata, new_versions)

    async def aput_writes(
        self,
        config: RunnableConfig,
        writes: Sequence[tuple[str, Any]],
        task_id: str,
        task_path: str = "",
    ) -> None:
        self.put_writes(config, writes, task_id, task_path)

    async def adelete_thread(self, thread_id: str) -> None:
        self.delete_thread(thread_id)


def checkpoint_location(url: str | None = None) -> str:
    """Where checkpoints go for ``url`` (default: ``CLINISIM_CHECKPOINT_URL``), for messages."""
    target = checkpoint_url(url)
    return redacted(target) if target else str(checkpoint_path())


@asynccontextmanager
async def open_checkpointer(
    path: Path | None = None, *, url: str | None = None
) -> AsyncIterator[BaseCheckpointSaver[Any]]:
    """The session checkpointer, closed on exit.

    A PostgreSQL database when ``url`` (default: ``CLINISIM_CHECKPOINT_URL``) names
    one and no ``path`` is given; else the SQLite file ``path`` (default:
    :func:`checkpoint_path`).
    """
    target_url = checkpoint_url(url) if path is None else None
    if target_url is not None:
        async with open_postgres_checkpointer(target_url) as saver:
            yield saver
        return
    target = path or checkpoint_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(target), check_same_thread=False)
    # WAL with NORMAL sync: a commit survives the process being killed (what resume
    # needs) without an fsync per graph step; only a power cut may lose the last ones.
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    try:
        yield _LocalSqliteSaver(conn)
    finally:
        conn.close()


async def load_spec(
    session_id: str, checkpointer: BaseCheckpointSaver[Any], where: str | None = None
) -> SessionSpec:
    """Recover a session's spec from its checkpoints; unknown ids are an ``InputError``.

    ``where`` names the checkpoint store in the message (default: this machine's file).
    """
    found = await checkpointer.aget_tuple({"configurable": {"thread_id": session_id}})
    meta = found.checkpoint["channel_values"].get("meta") if found else None
    if not isinstance(meta, dict):
        raise InputError(
            f"no checkpoint for session {session_id!r} in {where or checkpoint_path()}",
            field="--resume",
        )
    return SessionSpec.from_meta(meta)
