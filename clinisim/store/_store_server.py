"""A chroma server as the record store: ``--store-url`` or ``CLINISIM_STORE_URL``.

Many processes or machines can then share one store (``chroma run --path DIR
--host 127.0.0.1 --port 8000``); without a URL the store is the embedded
PersistentClient under the data dir.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

from clinisim.errors import InputError

__all__ = ["STORE_URL_ENV", "StoreServer", "store_server"]

STORE_URL_ENV = "CLINISIM_STORE_URL"


@dataclass(frozen=True)
class StoreServer:
    url: str
    host: str
    port: int
    ssl: bool


def store_server(url: str | None = None) -> StoreServer | None:
    """The chroma server ``url`` names (default: ``CLINISIM_STORE_URL``), or ``None``
    for the embedded store. A URL that is not ``http(s)://HOST[:PORT]`` is an
    ``InputError``."""
    field = "--store-url" if url is not None else STORE_URL_ENV
    given = url if url is not None else os.environ.get(STORE_URL_ENV, "")
    if not given.strip():
        if url is not None:
            raise InputError("is empty; give http://HOST:PORT of a chroma server", field=field)
        return None
    try:
        parts = urlsplit(given.strip())
        port = parts.port
    except ValueError as exc:
        raise InputError(f"not a URL ({exc}): {given!r}", field=field) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(
            f"expected http://HOST:PORT of a chroma server, got {given!r}", field=field
        )
    if parts.path not in ("", "/") or parts.query:
        raise InputError(f"give only scheme, host and port, got {given!r}", field=field)
    ssl = parts.scheme == "https"
    return StoreServer(given.strip(), parts.hostname, port or (443 if ssl else 8000), ssl)
