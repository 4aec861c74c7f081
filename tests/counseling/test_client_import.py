"""Importing Patient-Ψ and MindEval-style client profiles from our own sample files."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinisim.errors import InputError
from clinisim.library import CaseLibrary, import_clients
from clinisim.schemas import ConversationalStyle, Emotion, Severity

DATA = Path(__file__).parent.parent / "data"


def test_patient_psi_profiles_import_with_failures_by_number(tmp_path: Path) -> None:
    result = import_clients(DATA / "patient_psi_sample.json", "patient-psi", "psi")
    assert [c.id for c in result.clients] == ["psi-1-1", "psi-1-2"]
    assert [n for n, _ in result.failures] == [3, 4]
    alex = result.clients[0]
    assert alex.style is ConversationalStyle.RESERVED
    assert alex.cognitive_model.core_beliefs.helpless == ["I am incompetent"]
    assert alex.cognitive_model.core_beliefs.unlovable == ["I am bound to be rejected"]
    situation = alex.cognitive_model.situations[0]
    assert situation.emotions[:2] == [Emotion.ANXIOUS, Emotion.SAD]
    assert alex.cognitive_model.history.startswith("I grew up with a critical father")
    bea = result.clients[1]
    assert bea.cognitive_model.core_beliefs.worthless == ["I am worthless, waste"]
    assert "I am powerless, weak, vulnerable" in bea.cognitive_model.core_beliefs.helpless
    written = result.write(tmp_path / "clients")
    library = CaseLibrary(extra_client_dirs=[tmp_path / "clients"])
    assert library.get_client("psi-1-1").name == "Alex"
    assert len(written) == 2


def test_mindeval_profiles_import_liberally(tmp_path: Path) -> None:
    result = import_clients(DATA / "mindeval_sample.jsonl", "mindeval", "mindeval")
    assert [c.name for c in result.clients] == ["Dana", "Eli"]
    assert [n for n, _ in result.failures] == [4, 5]
    dana, eli = result.clients
    assert dana.demographics.age == 34 and dana.demographics.sex == "female"
    assert dana.severity.depression is Severity.MODERATE and dana.severity.anxiety is Severity.MILD
    assert 10 <= sum(dana.severity.phq9) <= 14
    assert dana.style is ConversationalStyle.RESERVED
    assert dana.cognitive_model.core_beliefs.categories() == ["helpless"]
    assert eli.style is ConversationalStyle.VERBOSE
    assert eli.severity.anxiety is Severity.SEVERE and sum(eli.severity.gad7) >= 15
    assert eli.cognitive_model.history.startswith("I retired early")


def test_unknown_formats_and_unreadable_files_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown format"):
        import_clients(DATA / "mindeval_sample.jsonl", "patientsim", "x")
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n")
    with pytest.raises(InputError, match="no client profiles found"):
        import_clients(empty, "mindeval", "x")
    broken = tmp_path / "broken.json"
    broken.write_text("[{]")
    with pytest.raises(InputError, match="not valid JSON"):
        import_clients(broken, "patient-psi", "x")
