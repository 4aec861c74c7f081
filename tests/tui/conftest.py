"""Fixtures for the trainee app: a practice kit and app options in a private directory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from clinisim.library import CaseLibrary
from clinisim.tui import PracticeKit, PracticeOptions


@pytest.fixture
async def kit(tmp_path: Path, library: CaseLibrary) -> AsyncIterator[PracticeKit]:
    """A practice kit writing records and checkpoints under ``tmp_path``."""
    practice = PracticeKit(
        library, tmp_path / "runs" / "practice" / "sessions", checkpoint_file=tmp_path / "cp.sqlite"
    )
    yield practice
    await practice.close()


@pytest.fixture
def options(tmp_path: Path) -> PracticeOptions:
    """App options with everything under ``tmp_path`` and a clock that stands still."""
    return PracticeOptions(
        runs_root=tmp_path / "runs",
        out_dir=tmp_path / "runs" / "practice" / "sessions",
        checkpoint_file=tmp_path / "cp.sqlite",
        clock=lambda: 0.0,
    )
