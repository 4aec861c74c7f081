"""Patient fidelity: is each patient statement supported by the case?

Offline, each sentence of every patient turn is embedded and matched against the
case's facts in the record store (all visibilities):

- nearest fact within ``SUPPORTED_DISTANCE`` and the same polarity: ``supported``
  (facts are compared clause by clause, and a negation covers its whole list:
  "denies chest pain, palpitations or cough" denies all three);
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

from clinisim.language import list_items, polar_clauses
from clinisim.schemas import ItemResult, PatientCase, Role, Score, Session
from clinisim.store import cosine_matrix, embed_queries, embed_texts, vector_matrix

__all__ = ["CLAIM_DISTANCE", "SUPPORTED_DISTANCE", "FidelityJudge"]

SUPPORTED_DISTANCE = 0.35
CLAIM_DISTANCE = 0.62
FIDELITY_JUDGE_VERSION = "2"

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
_HEDGE = re.compile(
    r"\b(not sure|don't (?:really )?know|no idea|can't remember|couldn't (?:tell|say)|"
    r"hoping you could tell|came to find out|nobody has told me|haven't been told)\b",
    re.I,
)


def _fact_units(case: PatientCase) -> tuple[tuple[str, str, bool], ...]:
    """Each fact as units with their polarity: (fact id, text, denied).

    A fact is a unit as written and in the patient's own words (``says``); a fact
    with several clauses also gives each clause ("Chest pain, no palpitations or
    breathlessness": chest pain affirmed, the rest denied), and a denied list gives
    each item ("denies chest pain, palpitations or cough" denies palpitations). A
    review-of-systems negative is denied whatever its wording.
    """
    units: list[tuple[str, str, bool]] = []
    for fact in case.facts():
        if fact.section == "diagnosis":
            continue
        if fact.id.startswith("ros.negative"):
            units.append((fact.id, fact.text, True))
            continue
        for text in dict.fromkeys(t for t in (fact.text, fact.says) if t):
            clauses = [c for c in polar_clauses(text) if re.search(r"[A-Za-z]{3}", c.text)]
            units.append((fact.id, text, bool(clauses) and clauses[0].negated))
            if len(clauses) > 1:
                units.extend((fact.id, c.text, c.negated) for c in clauses)
            for clause in clauses:
                items = list_items(clause.text) if clause.negated else []
                if len(items) > 1:
                    units.extend((fact.id, item, True) for item in items)
    return tuple(dict.fromkeys(units))


def _claims(sentence: str) -> list[tuple[str, bool]]:
    """A patient sentence's clauses with their polarity ("No, no fever or cough." is
    one denied clause; "I smoke but I don't drink" is two)."""
    clauses = [
        (c.text, c.negated)
        for c in polar_clauses(sentence)
        if len(re.findall(r"[A-Za-z]{3,}", c.text)) >= 1
    ]
    if len(clauses) <= 1:
        return [(sentence, bool(clauses) and clauses[0][1])]
    return clauses


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

    async def __call__(self, session: Session, case: PatientCase) -> Score:
        items: list[ItemResult] = []
        statements = [
            (turn.index, n, sentence)
            for turn in session.turns
            if turn.role in (Role.PATIENT, Role.CLIENT)
            for n, sentence in enumerate(s.strip() for s in _SENTENCE.split(turn.content))
            if len(sentence.split()) >= 2 and not _HEDGE.search(sentence)
        ]
        units = _fact_units(case)
        facts = tuple((fid, text) for fid, text, _ in units)
        claims = [
            (k, claim)
            for k, (_, _, sentence) in enumerate(statements)
            for claim in _claims(sentence)
        ]
        # Every claim against every fact unit: one batch of embeddings, one matrix product.
        similarities = cosine_matrix(
            embed_queries([text for _, (text, _) in claims]), _fact_matrix(facts)
        )
        verdicts: dict[int, list[tuple[str, str, float]]] = {}
        for (k, (_, denied)), row in zip(claims, similarities, strict=True):
            best = int(np.argmax(row))
            fact_id, _, fact_denied = units[best]
            distance = 1.0 - float(row[best])
            if distance <= SUPPORTED_DISTANCE:
                label = "supported" if fact_denied == denied else "contradicted"
            else:
                label = "far"
            verdicts.setdefault(k, []).append((label, fact_id, distance))
        for k, (turn_index, n, sentence) in enumerate(statements):
            found = verdicts.get(k, [])
            label, fact_id, distance = min(found, key=lambda v: v[2])
            if any(v[0] == "contradicted" for v in found):
                label, fact_id, distance = next(v for v in found if v[0] == "contradicted")
            elif any(v[0] == "supported" for v in found):
                label, fact_id, distance = min(
                    (v for v in found if v[0] == "supported"), key=lambda v: v[2]
                )
            elif distance > CLAIM_DISTANCE and not _CLINICAL.search(sentence):
                continue  # small talk, not a clinical claim
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
