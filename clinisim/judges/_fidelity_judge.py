"""Patient fidelity: is each patient statement supported by the case?

Offline, each sentence of every patient turn is embedded and matched against the
case's facts in the record store (all visibilities):

- nearest fact within ``SUPPORTED_DISTANCE`` and the same polarity: ``supported``;
- nearest fact within ``SUPPORTED_DISTANCE`` and the opposite polarity (a denied
  symptom claimed, or a present one denied): ``contradicted``;
- otherwise, when the sentence is a clinical claim (nearest fact within
  ``CLAIM_DISTANCE``, or clinical vocabulary such as a diagnosis, a drug, a
  symptom), ``unsupported``: an invented fact;
- anything else is small talk, not a clinical claim, and not counted.

Hedges ("I'm not sure", "I don't know") are not statements. The hallucination
rate is unsupported over counted statements; the contradiction rate likewise.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from clinisim.schemas import ItemResult, PatientCase, Role, Score, Session
from clinisim.store import cosine_matrix, embed_queries, embed_texts, vector_matrix

__all__ = ["CLAIM_DISTANCE", "SUPPORTED_DISTANCE", "FidelityJudge"]

SUPPORTED_DISTANCE = 0.35
CLAIM_DISTANCE = 0.62
FIDELITY_JUDGE_VERSION = "1"

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_NEGATED = re.compile(
    r"\b(no|not|never|don't|doesn't|didn't|haven't|hasn't|isn't|wasn't|without|denies)\b", re.I
)
# Words that make a sentence a clinical claim even when no case fact is near it.
_CLINICAL = re.compile(
    r"\b(diagnos\w*|tablets?|pills?|medicines?|medications?|\d+\s*mg|inhaler|insulin|"
    r"operations?|surgery|hospital|allerg\w*|pain\w*|ache\w*|hurts?|fever|cough\w*|"
    r"bleed\w*|blood|vomit\w*|sick|rash|swollen|swelling|breath\w*|dizz\w*|faint\w*|"
    r"numb\w*|weak\w*|seizures?|fits?|epilep\w*|diabet\w*|asthma|cancer|infection|"
    r"heart|stroke|pregnan\w*|smok\w*|alcohol|drink\w*)\b",
    re.IGNORECASE,
)
_HEDGE = re.compile(r"\b(not sure|don't know|no idea|can't remember|hoping you could tell)\b", re.I)


def _negative_fact(fact_id: str, text: str) -> bool:
    return fact_id.startswith("ros.negative") or bool(_NEGATED.search(text))


@lru_cache(maxsize=256)
def _fact_matrix(facts: tuple[tuple[str, str], ...]) -> NDArray[np.float64]:
    """The embeddings of a case's facts (id, text), one row each.

    Cached by content across sessions and judge instances: embedding a case's facts
    took most of a session's judging time when every session embedded them anew.
    """
    return vector_matrix(embed_texts([text for _, text in facts]))


class FidelityJudge:
    """A session judge that checks patient statements against the case's facts.

    It compares each statement with the embedding of every fact's own text (all
    visibilities), computed once per case.
    """

    def __call__(self, session: Session, case: PatientCase) -> Score:
        items: list[ItemResult] = []
        statements = [
            (turn.index, n, sentence)
            for turn in session.turns
            if turn.role in (Role.PATIENT, Role.CLIENT)
            for n, sentence in enumerate(s.strip() for s in _SENTENCE.split(turn.content))
            if len(sentence.split()) >= 2 and not _HEDGE.search(sentence)
        ]
        facts = tuple((f.id, f.text) for f in case.facts() if f.section != "diagnosis")
        # Every statement against every fact: one batch of embeddings, one matrix product.
        similarities = cosine_matrix(
            embed_queries([sentence for _, _, sentence in statements]), _fact_matrix(facts)
        )
        for (turn_index, n, sentence), row in zip(statements, similarities, strict=True):
            similarity, fact_id, fact_text = max(
                (s, fid, text) for s, (fid, text) in zip(row, facts, strict=True)
            )
            distance = 1.0 - similarity
            if distance > CLAIM_DISTANCE and not _CLINICAL.search(sentence):
                continue  # small talk, not a clinical claim
            if distance <= SUPPORTED_DISTANCE:
                negated = bool(_NEGATED.search(sentence))
                same = _negative_fact(fact_id, fact_text) == negated
                label = "supported" if same else "contradicted"
            else:
                label = "unsupported"
            items.append(
                ItemResult(
                    id=f"turn{turn_index}.s{n}",
                    criterion=sentence,
                    met=label == "supported",
                    explanation=f"{label}: nearest fact {fact_id} ({distance:.2f})",
                    evidence=[turn_index],
                )
            )
        counted = len(items)
        if counted == 0:
            return Score(
                name="patient-fidelity",
                version=FIDELITY_JUDGE_VERSION,
                judge_model="offline",
                value=None,
                status="unscored",
                details={"reason": "no patient statements to check"},
            )
        labels = [i.explanation.split(":")[0] for i in items]
        supported = labels.count("supported")
        return Score(
            name="patient-fidelity",
            version=FIDELITY_JUDGE_VERSION,
            judge_model="offline",
            value=supported / counted,
            items=items,
            details={
                "statements": counted,
                "supported": supported,
                "contradicted": labels.count("contradicted"),
                "unsupported": labels.count("unsupported"),
                "hallucination_rate": labels.count("unsupported") / counted,
                "contradiction_rate": labels.count("contradicted") / counted,
            },
        )
