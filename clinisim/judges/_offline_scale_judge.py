"""The offline scale judge: anchored scores from what the graded role's turns do.

Each scale of a ``scale`` rubric may carry an ``offline`` rule (``ScaleRule``). The
judge reads every turn of the rubric's role with :func:`counselor_cues` and counts
the turns that show the rule's evidence cues; that count reaches an anchor through
the rule's ``levels``. Turns showing an ``against`` cue, beyond the allowed share of
the role's turns, lower the score by one anchor each. The score always lands on an
anchor, whose text is the explanation, and the counted turns are the evidence.

The rules are plain and deliberately readable: the judge measures whether the
behaviour a dimension asks for happened and how often, not how well it was done.
A judge model grades quality; the offline judge gives a free, deterministic floor.
"""

from __future__ import annotations

import math

from clinisim.judges._rubric_scoring import judged_score
from clinisim.language import Cue, counselor_cues
from clinisim.schemas import ItemResult, Rubric, RubricScale, Score, Session

__all__ = ["judge_scales_offline", "scale_rule_cues"]


def scale_rule_cues(scale: RubricScale) -> list[str]:
    """The cue names a scale's offline rule uses that are not cues (for validation)."""
    rule = scale.offline
    if rule is None:
        return []
    known = {cue.value for cue in Cue}
    return [name for name in (*rule.evidence, *rule.against) if name not in known]


def _grade(scale: RubricScale, turns: list[tuple[int, frozenset[Cue]]]) -> ItemResult:
    rule = scale.offline
    assert rule is not None
    bands = sorted(scale.anchors)
    wanted = {Cue(name) for name in rule.evidence}
    against = {Cue(name) for name in rule.against}
    evidence = [index for index, cues in turns if cues & wanted]
    if rule.ordered:
        count, last = 0, -1
        for name in rule.evidence:
            first = next((i for i, cues in turns if Cue(name) in cues), None)
            if first is not None and first > last:
                count, last = count + 1, first
        found = count
    else:
        found = len(evidence)
    opposed = [index for index, cues in turns if cues & against]
    allowed = math.floor(rule.allowed_share * len(turns))
    penalty = max(0, len(opposed) - allowed)
    if rule.start == "top":
        level = len(bands) - 1
    else:
        level = sum(1 for needed in rule.levels if found >= needed)
    level = max(0, level - penalty)
    band = bands[level]
    parts = []
    if rule.evidence:
        what = "in order" if rule.ordered else "turn(s)"
        parts.append(f"{found} evidence {what} ({', '.join(rule.evidence)})")
    if rule.against:
        parts.append(
            f"{len(opposed)} turn(s) against ({', '.join(rule.against)}), {allowed} allowed"
        )
    return ItemResult(
        id=scale.id,
        criterion=scale.name,
        value=float(band),
        tags=list(scale.tags),
        explanation=f"{'; '.join(parts)}: anchor {band}, {scale.anchors[band]}",
        evidence=sorted(set(evidence) | set(opposed)),
    )


def judge_scales_offline(rubric: Rubric, session: Session) -> Score:
    """Score ``session`` on every scale of ``rubric`` by its offline rules."""
    base = {"name": rubric.name, "version": rubric.version, "judge_model": "offline"}
    if any(scale.offline is None for scale in rubric.scales):
        reason = "a scale of this rubric has no offline rule: it needs a judge model"
        return Score(**base, value=None, status="unscored", details={"reason": reason})
    turns = [
        (turn.index, counselor_cues(turn.content))
        for turn in session.turns
        if turn.role.value == rubric.role
    ]
    if not turns:
        reason = f"no {rubric.role} turns to grade"
        return Score(**base, value=None, status="unscored", details={"reason": reason})
    results = [_grade(scale, turns) for scale in rubric.scales]
    return judged_score(rubric, results, base, {"kind": "scale", "rule": "offline cues"})
