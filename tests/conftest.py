"""Test-wide setup: no network, no telemetry, a private data dir per session."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from clinisim.library import CaseLibrary
from clinisim.store import RecordStore
from tests.integration.local_llm_server import free_port, stop_process

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
# Derived files (the ONNX export of the embedding model, cached embeddings, the parsed
# knowledge base) go to a cache dir of this test session, not the user's.
os.environ.setdefault("CLINISIM_CACHE_DIR", tempfile.mkdtemp(prefix="clinisim-cache-"))


@pytest.fixture(scope="session")
def shared_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data dir (record store) for the whole test session, so cases embed once."""
    return tmp_path_factory.mktemp("clinisim-data")


@pytest.fixture(autouse=True)
def _isolated_data_dir(shared_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("CLINISIM_DATA_DIR", str(shared_data_dir))
    yield


@pytest.fixture(scope="session")
def library() -> CaseLibrary:
    """The shipped case library."""
    return CaseLibrary()


@pytest.fixture(scope="session")
def store(shared_data_dir: Path, library: CaseLibrary) -> RecordStore:
    """One record store for the test session, with every shipped case ingested."""
    record_store = RecordStore(shared_data_dir / "store")
    for case in library.cases.values():
        record_store.ensure_ingested(case)
    return record_store


@pytest.fixture(scope="session")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A chroma server on 127.0.0.1 for the test session, started on first use."""
    chroma = shutil.which("chroma")
    if chroma is None:
        pytest.fail("the chroma command (installed with chromadb) is not on PATH")
    port = free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    log = (data / "server.log").open("w")
    process = subprocess.Popen(
        [chroma, "run", "--path", str(data / "db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"chroma server did not start: {(data / 'server.log').read_text()}")
                time.sleep(0.2)
        yield url
    finally:
        stop_process(process)
        log.close()


@pytest.fixture(scope="session")
def ray_cluster() -> Iterator[str]:
    """A local Ray cluster of two CPUs for the test session; yields its address."""
    import logging

    import ray

    ray.init(
        num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING
    )
    try:
        yield str(ray.get_runtime_context().gcs_address)
    finally:
        ray.shutdown()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL server on 127.0.0.1 for the test session; yields its URL."""
    from tests.integration.local_postgres import start_postgres

    server = start_postgres()
    try:
        yield server.url
    finally:
        server.stop()
