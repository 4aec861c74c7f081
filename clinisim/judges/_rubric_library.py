"""The shipped rubric library (``rubrics/*.yaml``), loaded by name."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from clinisim.errors import InputError
from clinisim.judges._offline_scale_judge import scale_rule_cues
from clinisim.language import Cue
from clinisim.library import load_model
from clinisim.paths import rubrics_dir
from clinisim.schemas import Rubric

__all__ = ["COUNSELING_RUBRICS", "DEFAULT_RUBRICS", "available_rubrics", "load_rubric"]

DEFAULT_RUBRICS: tuple[str, ...] = ("history-taking", "communication", "clinical-safety")
"""Rubrics every consultation is scored with by default."""
COUNSELING_RUBRICS: tuple[str, ...] = ("ctrs", "counseling-dimensions")
"""Scale rubrics every counseling session is scored with by default (the safety
rubric has a judge of its own)."""


def available_rubrics(directory: Path | None = None) -> list[str]:
    """Names of the rubrics in the library."""
    root = directory or rubrics_dir()
    return sorted(p.stem for p in root.glob("*.yaml"))


@cache
def _load(path: Path) -> Rubric:
    rubric = load_model(path, Rubric)
    if rubric.name != path.stem:
        raise InputError(f"name {rubric.name!r} must match the file name", file=path, field="name")
    for i, scale in enumerate(rubric.scales):
        unknown = scale_rule_cues(scale)
        if unknown:
            known = ", ".join(cue.value for cue in Cue)
            raise InputError(
                f"unknown cue {unknown[0]!r} (cues: {known})",
                file=path,
                field=f"scales[{i}].offline",
            )
    return rubric


def load_rubric(name_or_path: str) -> Rubric:
    """A rubric by library name, or from a YAML path; unknown names are an InputError."""
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") and path.exists():
        return _load(path.resolve())
    candidate = rubrics_dir() / f"{name_or_path}.yaml"
    if not candidate.exists():
        known = ", ".join(available_rubrics())
        raise InputError(f"unknown rubric {name_or_path!r} (known: {known})", field="--rubric")
    return _load(candidate.resolve())
