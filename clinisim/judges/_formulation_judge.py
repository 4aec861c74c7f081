"""Formulation accuracy: a written formulation against the client's hidden cognitive model.

* **Core-belief categories** (helpless, unlovable, worthless) and **emotions**: set
  F1 between the formulation's and the profile's (the profile's emotions are those of
  all its situations). Both empty counts as 1; one empty as 0.
* **Situation, automatic thought, behaviour**: cosine similarity (MiniLM) between the
  formulation's text and the closest of the profile's situations' text, clipped to
  [0, 1]; a field left empty scores 0.

The score is the mean of the five. The formulation is a trainee's (the record's
``config["formulation"]``, put there by ``clinisim score --formulation FILE``) or,
failing that, the counselor's own, written after the session
(``outcome.formulation``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from clinisim.schemas import ClientProfile, Formulation, ItemResult, Score, Session
from clinisim.store import cosine_matrix, embed_queries, vector_matrix

__all__ = ["FORMULATION_JUDGE_VERSION", "formulation_accuracy", "judge_formulation", "set_f1"]

FORMULATION_JUDGE_VERSION = "1"


def set_f1(given: Iterable[str], gold: Iterable[str]) -> float:
    """F1 of ``given`` against ``gold`` as sets; two empty sets agree (1.0)."""
    a, b = set(given), set(gold)
    if not a and not b:
        return 1.0
    both = len(a & b)
    if both == 0:
        return 0.0
    precision, recall = both / len(a), both / len(b)
    return 2 * precision * recall / (precision + recall)


def _closest(text: str, options: list[str]) -> tuple[float, str]:
    if not text.strip() or not options:
        return 0.0, ""
    row = cosine_matrix(
        vector_matrix(embed_queries([text])), vector_matrix(embed_queries(options))
    )[0]
    best = max(range(len(options)), key=lambda i: row[i])
    return max(0.0, min(1.0, row[best])), options[best]


def formulation_accuracy(formulation: Formulation, client: ClientProfile) -> Score:
    """Compare ``formulation`` with ``client``'s cognitive model, item by item."""
    model = client.cognitive_model
    gold_categories = [
        c for c in ("helpless", "unlovable", "worthless") if getattr(model.core_beliefs, c)
    ]
    gold_emotions = sorted({e.value for s in model.situations for e in s.emotions})
    given_categories = list(formulation.core_belief_categories)
    given_emotions = sorted({e.value for e in formulation.emotions})
    items = [
        ItemResult(
            id="core-belief-categories",
            criterion="Core-belief categories (set F1)",
            value=set_f1(given_categories, gold_categories),
            explanation=f"given {given_categories or 'none'}; profile {gold_categories}",
        ),
        ItemResult(
            id="emotions",
            criterion="Emotions (set F1)",
            value=set_f1(given_emotions, gold_emotions),
            explanation=f"given {given_emotions or 'none'}; profile {gold_emotions}",
        ),
    ]
    comparison: list[dict[str, Any]] = [
        {
            "field": "core beliefs",
            "given": ", ".join(given_categories),
            "gold": ", ".join(gold_categories),
        },
        {"field": "emotions", "given": ", ".join(given_emotions), "gold": ", ".join(gold_emotions)},
    ]
    for field, attribute in (
        ("situation", "situation"),
        ("automatic-thought", "automatic_thought"),
        ("behavior", "behavior"),
    ):
        text = getattr(formulation, attribute)
        similarity, closest = _closest(text, [getattr(s, attribute) for s in model.situations])
        items.append(
            ItemResult(
                id=field,
                criterion=f"{field.replace('-', ' ').capitalize()} (cosine similarity)",
                value=similarity,
                explanation=f"closest in the profile: {closest!r}"
                if text.strip()
                else "left empty",
            )
        )
        comparison.append(
            {
                "field": field.replace("-", " "),
                "given": text.strip(),
                "gold": closest if text.strip() else getattr(model.situations[0], attribute),
            }
        )
    for row, item in zip(comparison, items, strict=True):
        row["value"] = item.value
    values = [item.value for item in items if item.value is not None]
    return Score(
        name="formulation",
        version=FORMULATION_JUDGE_VERSION,
        judge_model="offline",
        value=sum(values) / len(values),
        items=items,
        details={
            "comparison": comparison,
            **({"author": formulation.author} if formulation.author else {}),
        },
    )


def judge_formulation(session: Session, subject: Any) -> Score:
    """Score the formulation stored on ``session`` against the client ``subject``."""
    base = {"name": "formulation", "version": FORMULATION_JUDGE_VERSION, "judge_model": "offline"}
    outcome = session.counseling
    raw = session.config.get("formulation")
    if raw is None and outcome is not None and outcome.formulation is not None:
        raw = outcome.formulation.model_dump(mode="json")
    if raw is None:
        reason = (outcome.formulation_error if outcome else None) or (
            "no formulation on this session (clinisim score --formulation FILE)"
        )
        return Score(**base, value=None, status="unscored", details={"reason": reason})
    if not isinstance(subject, ClientProfile):
        reason = "a formulation is compared with the client's profile, which is missing"
        return Score(**base, value=None, status="unscored", details={"reason": reason})
    try:
        formulation = Formulation.model_validate(raw)
    except ValidationError as exc:
        return Score(**base, value=None, status="unscored", details={"reason": str(exc)[:300]})
    return formulation_accuracy(formulation, subject)
