"""Where the shipped libraries and the user's data live."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

__all__ = ["cache_dir", "data_dir", "personas_dir", "rubrics_dir", "runs_dir", "suites_dir"]

_PACKAGE = Path(__file__).resolve().parent
_DATA_ENV = "CLINISIM_DATA_DIR"


def _shipped(name: str) -> Path:
    # In a wheel the libraries are force-included under clinisim/_data; in a source
    # checkout (editable install, tests) they sit at the repository root.
    bundled = _PACKAGE / "_data" / name
    if bundled.is_dir():
        return bundled
    return _PACKAGE.parent / name


def personas_dir() -> Path:
    """The shipped case, persona-axis and condition library."""
    return _shipped("personas")


def rubrics_dir() -> Path:
    """The shipped rubric library."""
    return _shipped("rubrics")


def suites_dir() -> Path:
    """The shipped benchmark suites."""
    return _shipped("suites")


def data_dir() -> Path:
    """The user data dir (record store, checkpoints); ``CLINISIM_DATA_DIR`` overrides."""
    override = os.environ.get(_DATA_ENV)
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir("clinisim", appauthor=False))


def cache_dir() -> Path:
    """Files the kit derives once and reuses (the exported embedding model):
    ``CLINISIM_CACHE_DIR``, else the user cache dir."""
    override = os.environ.get("CLINISIM_CACHE_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_cache_dir("clinisim", appauthor=False))


def runs_dir() -> Path:
    """Default directory for run outputs: ``./runs`` relative to the working directory."""
    return Path("runs")
