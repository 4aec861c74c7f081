"""Fixtures for integration tests: a real local model server, started once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integration.local_llm_server import gemma_server, require_local_llm


@pytest.fixture(scope="session")
def local_llm_base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL (``http://127.0.0.1:PORT/v1``) of a running Gemma 3 270M server."""
    require_local_llm()
    with gemma_server(tmp_path_factory.mktemp("gemma")) as url:
        yield url
