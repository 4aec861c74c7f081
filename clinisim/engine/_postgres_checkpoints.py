"""Graph checkpoints in PostgreSQL: sessions that any machine of a fleet can resume.

``--checkpoint-url postgresql://USER@HOST:PORT/DB`` (or ``CLINISIM_CHECKPOINT_URL``)
puts every step of ``run``/``counsel`` sessions into LangGraph's async Postgres
saver instead of the SQLite file of this machine, so a session started by one
worker is resumed (``--resume ID``) by another that points at the same database.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver

from clinisim.errors import InputError, RuntimeFailure

__all__ = ["CHECKPOINT_URL_ENV", "checkpoint_url", "open_postgres_checkpointer", "redacted"]

CHECKPOINT_URL_ENV = "CLINISIM_CHECKPOINT_URL"

CONNECT_TIMEOUT = 5
"""Seconds to wait for the database when the URL does not say (``connect_timeout``)."""

_SCHEMES = ("postgresql://", "postgres://")


def checkpoint_url(url: str | None = None) -> str | None:
    """``url``, else ``CLINISIM_CHECKPOINT_URL``, checked; ``None``: the local SQLite file.

    A URL that is not a PostgreSQL connection URI is an ``InputError`` naming the flag.
    """
    given = url if url is not None else os.environ.get(CHECKPOINT_URL_ENV) or None
    if given is None:
        return None
    field = "--checkpoint-url" if url is not None else CHECKPOINT_URL_ENV
    if not given.startswith(_SCHEMES):
        raise InputError(
            f"not a PostgreSQL URL: {redacted(given)!r} (expected postgresql://USER@HOST:PORT/DB)",
            field=field,
        )
    try:
        from psycopg.conninfo import conninfo_to_dict
    except ImportError:
        raise InputError(
            "Postgres checkpoints need psycopg: pip install 'clinisim[postgres]'", field=field
        ) from None
    try:
        params = conninfo_to_dict(given)
    except Exception as exc:  # psycopg.ProgrammingError, with the parser's reason
        raise InputError(
            f"not a valid PostgreSQL URL ({str(exc).splitlines()[0]})", field=field
        ) from None
    port = str(params.get("port") or "5432")
    if not all(part.isdigit() for part in port.split(",")):
        raise InputError(f"not a valid PostgreSQL URL (port {port!r})", field=field)
    return given


def redacted(url: str) -> str:
    """``url`` with its password hidden, for messages and logs."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    user_part, at, host_part = rest.rpartition("@")
    user = user_part.split(":", 1)[0]
    return f"{scheme}://{user}:***{at}{host_part}" if ":" in user_part else url


@asynccontextmanager
async def open_postgres_checkpointer(url: str) -> AsyncIterator[BaseCheckpointSaver[Any]]:
    """LangGraph's async Postgres saver on ``url``, its tables created if missing.

    An unreachable database is a ``RuntimeFailure`` (exit code 1) that names it.
    """
    from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
    from psycopg import AsyncConnection, OperationalError
    from psycopg.conninfo import conninfo_to_dict
    from psycopg.rows import dict_row

    params: dict[str, Any] = conninfo_to_dict(url)
    params.setdefault("connect_timeout", CONNECT_TIMEOUT)
    try:
        conn = await AsyncConnection.connect(
            autocommit=True, prepare_threshold=0, row_factory=dict_row, **params
        )
    except OperationalError as exc:
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        raise RuntimeFailure(
            f"the checkpoint database at {redacted(url)} is unreachable ({reason})"
        ) from None
    async with conn:
        saver = AsyncPostgresSaver(conn=conn)
        await saver.setup()
        yield saver
