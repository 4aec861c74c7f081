"""The record store on a real chroma server (``chroma run``) on 127.0.0.1."""

from __future__ import annotations

import pytest

from clinisim.errors import InputError, RuntimeFailure
from clinisim.library import CaseLibrary
from clinisim.schemas import Visibility
from clinisim.store import RecordStore
from clinisim.store._store_server import store_server
from tests.integration.local_llm_server import free_port

pytestmark = pytest.mark.integration


def test_the_server_answers_as_the_embedded_store_does(
    chroma_url: str, store: RecordStore, library: CaseLibrary
) -> None:
    remote = RecordStore(url=chroma_url)
    case = library.get("migraine")
    assert remote.ensure_ingested(case) is True
    assert remote.ensure_ingested(case) is False  # idempotent: unchanged, not re-indexed
    # A second client (another worker) ingesting the same case changes nothing.
    assert RecordStore(url=chroma_url).ensure_ingested(case) is False
    for question in ("When did it start?", "Do you take any medicines?"):
        here = [(c.chunk_id, round(c.distance, 4)) for c in store.query(case.id, question)]
        there = [(c.chunk_id, round(c.distance, 4)) for c in remote.query(case.id, question)]
        assert here == there
    hidden = remote.query(case.id, "What is the diagnosis?", (Visibility.PATIENT,), k=8)
    assert all(c.visibility is Visibility.PATIENT for c in hidden)


def test_bad_and_unreachable_urls() -> None:
    for bad in ("", "ftp://host:1", "localhost:8000", "http://:80", "http://h:1/path"):
        with pytest.raises(InputError):
            store_server(bad)
    with pytest.raises(RuntimeFailure, match="unreachable"):
        RecordStore(url=f"http://127.0.0.1:{free_port()}")
