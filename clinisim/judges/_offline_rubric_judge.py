"""The offline rubric judge: embedding similarity between a role's turns and examples.

Each doctor turn is split into its questions; every question is embedded with the
bundled MiniLM model and compared with each item's example phrases. An item is met
when the best cosine similarity reaches the item's threshold (default: the
rubric's ``offline_threshold``, 0.55 for history taking); the turns that reach it
are the evidence. Scale rubrics are graded by their scales' offline rules
(``_offline_scale_judge``); a rubric without offline matchers or rules needs a judge
model and is reported ``unscored``.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from clinisim.judges._offline_scale_judge import judge_scales_offline
from clinisim.judges._rubric_scoring import judged_score
from clinisim.offline.patient import split_questions
from clinisim.schemas import ItemResult, Rubric, RubricItem, Score, Session
from clinisim.store import cosine_matrix, embed_queries, vector_matrix

__all__ = ["judge_rubric_offline"]


@lru_cache(maxsize=1024)
def _phrase_matrix(phrases: tuple[str, ...]) -> NDArray[np.float64]:
    """An item's example phrases, embedded once per process as one matrix."""
    return vector_matrix(embed_queries(list(phrases)))


def _grade(
    item: RubricItem,
    threshold: float,
    utterances: list[tuple[int, str, list[float]]],
    matrix: NDArray[np.float64],
) -> ItemResult:
    assert item.offline is not None
    needed = item.offline.threshold or threshold
    similarities = cosine_matrix(matrix, _phrase_matrix(tuple(item.offline.phrases)))
    best = (-1.0, -1, "")
    evidence: set[int] = set()
    for (index, text, _), row in zip(utterances, similarities, strict=True):
        similarity = max(row)
        if similarity > best[0]:
            best = (similarity, index, text)
        if similarity >= needed:
            evidence.add(index)
    met = best[0] >= needed
    closest = f"closest: {best[2]!r} ({best[0]:.2f})" if best[1] >= 0 else "no turns"
    return ItemResult(
        id=item.id,
        criterion=item.criterion,
        met=met,
        points=item.points,
        tags=list(item.tags),
        explanation=f"{'met' if met else 'not met'} at threshold {needed:.2f}; {closest}",
        evidence=sorted(evidence),
    )


def judge_rubric_offline(rubric: Rubric, session: Session, chief_complaint: str = "") -> Score:
    """Score ``session`` with ``rubric`` using the embedding matcher.

    Items whose ``applies_when`` words are absent from ``chief_complaint`` are not
    graded (they are left out of the score and the item list).
    """
    if rubric.kind == "scale":
        return judge_scales_offline(rubric, session)
    if any(item.offline is None for item in rubric.items):
        return Score(
            name=rubric.name,
            version=rubric.version,
            judge_model="offline",
            value=None,
            status="unscored",
            details={"reason": "this rubric needs a judge model"},
        )
    questions = [
        (turn.index, question)
        for turn in session.turns
        if turn.role.value == rubric.role
        for question in split_questions(turn.content)
    ]
    items = rubric.items_for(chief_complaint)
    phrases = [p for item in items if item.offline is not None for p in item.offline.phrases]
    # One batch for what is new; the phrases' embeddings are cached for _grade.
    vectors = embed_queries([q for _, q in questions] + phrases)[: len(questions)]
    utterances = [
        (index, question, vector)
        for (index, question), vector in zip(questions, vectors, strict=True)
    ]
    matrix = vector_matrix([vector for _, _, vector in utterances])
    results = [_grade(item, rubric.offline_threshold, utterances, matrix) for item in items]
    base = {"name": rubric.name, "version": rubric.version, "judge_model": "offline"}
    return judged_score(
        rubric, results, base, {"kind": rubric.kind, "threshold": rubric.offline_threshold}
    )
