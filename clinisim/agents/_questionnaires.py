"""PHQ-9 and GAD-7: item topics, strict parsing of answers, offline answers from state.

The item topics below are short descriptions in our own words of what each
public-domain item asks about; answers are 0 (not at all) to 3 (nearly every day)
over the last two weeks.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Sequence

from clinisim.schemas import (
    GAD7_BANDS,
    PHQ9_BANDS,
    ClientProfile,
    QuestionnaireResult,
    Severity,
)

__all__ = [
    "GAD7_ITEMS",
    "PHQ9_ITEMS",
    "QUESTIONNAIRES",
    "items_for_severity",
    "items_for_total",
    "offline_answers",
    "parse_answers",
]

PHQ9_ITEMS: tuple[str, ...] = (
    "little interest or pleasure in doing things",
    "feeling down, depressed or hopeless",
    "trouble falling or staying asleep, or sleeping too much",
    "feeling tired or having little energy",
    "poor appetite or overeating",
    "feeling bad about yourself, or that you are a failure or have let people down",
    "trouble concentrating on things",
    "moving or speaking noticeably slowly, or being fidgety or restless",
    "thoughts that you would be better off dead, or of hurting yourself",
)
GAD7_ITEMS: tuple[str, ...] = (
    "feeling nervous, anxious or on edge",
    "not being able to stop or control worrying",
    "worrying too much about different things",
    "trouble relaxing",
    "being so restless that it is hard to sit still",
    "becoming easily annoyed or irritable",
    "feeling afraid as if something awful might happen",
)
QUESTIONNAIRES: dict[str, tuple[str, ...]] = {"PHQ-9": PHQ9_ITEMS, "GAD-7": GAD7_ITEMS}
_BANDS = {"PHQ-9": PHQ9_BANDS, "GAD-7": GAD7_BANDS}


def items_for_severity(items: Sequence[int], severity: Severity, name: str) -> list[int]:
    """``items`` moved one step at a time until their total is in ``severity``'s band.

    Used when a suite or ``--severity`` overrides the profile's severity: the
    client's own pattern of answers is kept as far as the band allows.
    """
    low, high = _BANDS[name][severity]
    return items_for_total(items, low, high)


def items_for_total(items: Sequence[int], low: int, high: int) -> list[int]:
    """``items`` moved one step at a time until their total is within ``low``–``high``."""
    out = list(items)
    low, high = max(0, low), min(3 * len(out), high)
    order = sorted(range(len(out)), key=lambda i: (-out[i], i))
    while sum(out) < low:
        i = next(i for i in order if out[i] < 3)
        out[i] += 1
    while sum(out) > high:
        i = next(i for i in reversed(order) if out[i] > 0)
        out[i] -= 1
    return out


def offline_answers(
    client: ClientProfile,
    name: str,
    *,
    severity: Severity,
    seed: int,
    eased: bool = False,
    carried_total: int | None = None,
) -> QuestionnaireResult:
    """The client's answers, in character: from severity, or from the total an earlier
    session of the course ended on (``carried_total``); ``eased`` (after a session in
    which trust grew and the feeling's intensity fell) takes one point off two items."""
    base = client.severity.phq9 if name == "PHQ-9" else client.severity.gad7
    answers = items_for_severity(base, severity, name)
    if carried_total is not None:
        answers = items_for_total(answers, carried_total, carried_total)
    if eased:
        rng = random.Random(f"{seed}:{name}:after")
        # Item 9 (thoughts of death or self-harm) never eases by rule: it is risk.
        candidates = [i for i, v in enumerate(answers) if v > 0 and i != 8]
        for i in rng.sample(candidates, k=min(2, len(candidates))):
            answers[i] -= 1
    return QuestionnaireResult(name=name, items=answers, total=sum(answers))


_ARRAY = re.compile(r"\[[^\[\]]*\]")


def parse_answers(text: str, count: int) -> list[int] | None:
    """Exactly ``count`` integers 0–3 as a JSON array in the reply, else ``None``.

    Strict on purpose: a reply that cannot be read is re-asked and then recorded as
    unscored, never turned into a default number.
    """
    for match in _ARRAY.finditer(text):
        try:
            values = json.loads(match.group(0))
        except json.JSONDecodeError:
            continue
        if (
            isinstance(values, list)
            and len(values) == count
            and all(isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 3 for v in values)
        ):
            return list(values)
    return None
