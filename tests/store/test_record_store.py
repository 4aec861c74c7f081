"""The chromadb record store: ingest, retrieval, visibility isolation, idempotence."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinisim.errors import InputError
from clinisim.library import CaseLibrary
from clinisim.schemas import Visibility
from clinisim.store import EMBEDDING_DIM, RecordStore, case_chunks, embed_query


def test_embeddings_are_unit_length_minilm_vectors() -> None:
    vector = embed_query("Does the pain spread anywhere?")
    assert len(vector) == EMBEDDING_DIM
    assert abs(sum(x * x for x in vector) - 1.0) < 1e-3


def test_a_question_retrieves_the_fact_that_answers_it(store: RecordStore) -> None:
    found = store.query("stemi-inferior", "What medications do you take?", k=3)
    assert found[0].fact_id.startswith("medications.")
    assert [c.distance for c in found] == sorted(c.distance for c in found)
    fever = store.query("pulmonary-embolism", "Have you had a fever?", k=1)
    assert fever[0].fact_id.startswith("ros.negative.")
    assert "fever" in fever[0].text


def test_patient_queries_never_return_examiner_or_hidden_chunks(
    store: RecordStore, library: CaseLibrary
) -> None:
    probes = ["What did the ECG show?", "What is the diagnosis?", "blood test results", "scan"]
    for case in library.cases.values():
        for probe in probes:
            for chunk in store.query(case.id, probe, (Visibility.PATIENT,), k=10):
                assert chunk.visibility is Visibility.PATIENT, (case.id, probe, chunk.fact_id)


def test_examiner_view_reaches_examiner_chunks(store: RecordStore) -> None:
    found = store.query(
        "stemi-inferior", "ECG result", (Visibility.PATIENT, Visibility.EXAMINER), k=3
    )
    assert any(c.visibility is Visibility.EXAMINER for c in found)


def test_every_fact_is_indexed_with_its_metadata(library: CaseLibrary) -> None:
    case = library.get("stemi-inferior")
    chunks = case_chunks(case)
    assert {c.fact_id for c in chunks} == {f.id for f in case.facts()}
    assert all(c.chunk_id.startswith("stemi-inferior:") for c in chunks)


def test_ingest_is_idempotent_and_detects_changes(tmp_path: Path, library: CaseLibrary) -> None:
    store = RecordStore(tmp_path / "store")
    case = library.get("migraine")
    assert store.ensure_ingested(case) is True
    assert store.ensure_ingested(case) is False
    first = store.query(case.id, "where is the headache?", k=3)
    store.ingest(case)
    assert store.query(case.id, "where is the headache?", k=3) == first
    changed = case.model_copy(update={"title": "Changed title"})
    assert store.ensure_ingested(changed) is True


def test_unknown_case_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not in the record store"):
        RecordStore(tmp_path / "empty").query("no-such-case", "hello")
