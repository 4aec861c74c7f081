"""Split a case into the chunks the record store indexes: one per fact, records windowed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from clinisim.schemas import PatientCase, Visibility

__all__ = ["Chunk", "case_chunks", "embedding_text"]

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_WINDOW = 3
"""Sentences per record chunk."""


# The question a doctor would ask to get each kind of fact. It is embedded together
# with the fact, so a question retrieves the fact that answers it even when they
# share no words ("does it go anywhere?" and "spreads to the left arm").
_LEAD_QUESTIONS: dict[str, str] = {
    "chief complaint": "What brings you in today? What is the problem?",
    "onset": "When did it start? How did it begin?",
    "location": "Where is it? Where exactly do you feel it?",
    "duration": "How long has it lasted? How long have you had it?",
    "character": "What does it feel like? Can you describe it?",
    "aggravating": "What makes it worse?",
    "relieving": "What makes it better? Does anything help or relieve it?",
    "radiation": "Does it spread or move anywhere else?",
    "timing": "Is it constant or does it come and go?",
    "severity": "How bad is it, on a scale of one to ten?",
    "associated symptom": "Any other symptoms? Anything else you have noticed?",
    "context": "What were you doing when it started? Has anything happened recently?",
    "past medical history": "Do you have any medical conditions or past illnesses or operations?",
    "medications": "What medications or tablets do you take?",
    "allergies": "Do you have any allergies?",
    "social history": "Do you smoke or drink? What is your job? Who do you live with?",
    "family history": "Does anything run in your family?",
}


def embedding_text(label: str, text: str) -> str:
    """What is embedded for a chunk: the question it answers, then the fact."""
    if label.startswith("review of systems"):
        return f"Have you had {text}? {text}"
    lead = _LEAD_QUESTIONS.get(label)
    return f"{lead} {text}" if lead else f"{label}: {text}"


@dataclass(frozen=True)
class Chunk:
    """One indexed piece of a case."""

    chunk_id: str
    fact_id: str
    section: str
    label: str
    text: str
    visibility: Visibility


def case_chunks(case: PatientCase) -> list[Chunk]:
    """Every fact as a chunk; long records split into windows of a few sentences."""
    chunks: list[Chunk] = []
    for fact in case.facts():
        pieces = [fact.text]
        if fact.section == "records":
            sentences = [s for s in _SENTENCE.split(fact.text) if s.strip()]
            pieces = [
                " ".join(sentences[i : i + _WINDOW]) for i in range(0, len(sentences), _WINDOW)
            ] or [fact.text]
        for n, piece in enumerate(pieces):
            suffix = f"#{n}" if len(pieces) > 1 else ""
            chunks.append(
                Chunk(
                    chunk_id=f"{case.id}:{fact.id}{suffix}",
                    fact_id=fact.id,
                    section=fact.section,
                    label=fact.label,
                    text=piece,
                    visibility=fact.visibility,
                )
            )
    return chunks
