"""Judges: diagnosis matching (more judges arrive with the rubric engine)."""

from clinisim.judges._diagnosis_match import DiagnosisMatch, match_diagnosis, normalize_diagnosis

__all__ = ["DiagnosisMatch", "match_diagnosis", "normalize_diagnosis"]
