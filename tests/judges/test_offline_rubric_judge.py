"""Rubrics: schema, library, and the offline embedding judge."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinisim.errors import InputError
from clinisim.judges import available_rubrics, judge_rubric_offline, load_rubric
from clinisim.library import CaseLibrary
from clinisim.schemas import Role, Session, Turn
from clinisim.store import RecordStore
from tests.session.conftest import drain, make_run


def _session(doctor_lines: list[str]) -> Session:
    turns = []
    for line in doctor_lines:
        turns.append(Turn(index=len(turns), role=Role.DOCTOR, content=line))
        turns.append(Turn(index=len(turns), role=Role.PATIENT, content="I see."))
    return Session(
        session_id="s",
        kind="consultation",
        case_id="gout",
        persona={},
        models={},
        seed=0,
        turns=turns,
    )


def test_the_library_validates() -> None:
    names = available_rubrics()
    assert {"history-taking", "communication", "clinical-safety"} <= set(names)
    assert {"ctrs", "counseling-dimensions", "counseling-safety"} <= set(names)
    for name in names:
        rubric = load_rubric(name)
        # Every shipped rubric can be graded offline: matchers on its items, rules on
        # its scales, or a judge of its own (counseling-safety).
        if rubric.kind == "scale":
            assert rubric.scales and all(scale.offline for scale in rubric.scales)
        elif name not in ("counseling-safety", "client-fidelity"):
            assert rubric.items and all(item.offline for item in rubric.items)
    assert any(i.points < 0 for i in load_rubric("clinical-safety").items)


def test_unknown_and_malformed_rubrics_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown rubric 'nope'"):
        load_rubric("nope")
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: bad\nversion: '1'\nkind: scale\ndescription: x\nscales:\n"
        "  - {id: warmth, name: Warmth, range: [1, 6], anchors: {2: a, 6: b}}\n"
    )
    with pytest.raises(InputError) as info:
        load_rubric(str(bad))
    assert (
        str(bad) in info.value.one_line()
        and "anchors must include both ends of the range" in info.value.one_line()
    )


async def test_checklist_scores_drop_when_questions_are_removed(
    tmp_path: Path, library: CaseLibrary, store: RecordStore
) -> None:
    run = await make_run(tmp_path, library, store, case_id="renal-colic")
    await drain(run)
    full = run.record()
    rubric = load_rubric("history-taking")
    full_score = judge_rubric_offline(rubric, full)
    assert full_score.value is not None and full_score.value >= 0.8
    met = [i for i in full_score.items if i.met]
    assert all(i.evidence for i in met)
    assert all(full.turns[e].role is Role.DOCTOR for i in met for e in i.evidence)
    # Remove the background questions (medications, allergies, social, family...).
    trimmed = full.model_copy(deep=True)
    trimmed.turns = [
        t
        for t in trimmed.turns
        if not (
            t.role is Role.DOCTOR
            and any(
                w in t.content.lower()
                for w in ("medication", "allerg", "smoke", "family", "medical")
            )
        )
    ]
    trimmed_score = judge_rubric_offline(rubric, trimmed)
    assert trimmed_score.value is not None and trimmed_score.value < full_score.value
    unmet = {i.id for i in trimmed_score.items if not i.met}
    assert {"medications", "allergies", "family-history"} <= unmet


def test_items_rubric_subtracts_harmful_behaviour() -> None:
    rubric = load_rubric("clinical-safety")
    careful = _session(
        [
            "Have you had any chest pain or shortness of breath?",
            "REQUEST TEST: Physical examination",
            "REQUEST TEST: ECG",
        ]
    )
    careless = _session(
        [
            "Have you had any chest pain or shortness of breath?",
            "REQUEST TEST: Physical examination",
            "REQUEST TEST: ECG",
            "It's definitely nothing serious, you can go home.",
        ]
    )
    good, bad = judge_rubric_offline(rubric, careful), judge_rubric_offline(rubric, careless)
    # Met 3 + 2 + 2 = 7 of 10 positive points; the unsafe line costs 5 more.
    assert good.value == pytest.approx(0.7)
    assert bad.value == pytest.approx(0.2)
    unsafe = next(i for i in bad.items if i.id == "unsafe-reassurance")
    assert unsafe.met is True and unsafe.evidence == [6] and unsafe.points == -5


def test_history_checklist_adapts_to_the_chief_complaint() -> None:
    rubric = load_rubric("history-taking")
    pain = {i.id for i in rubric.items_for("Crushing pain in my chest")}
    tired = {i.id for i in rubric.items_for("I'm exhausted all the time")}
    assert {"location", "character", "radiation"} <= pain
    assert not {"location", "character", "radiation"} & tired
    session = _session(["What brings you in?", "When did it start?"])
    graded = judge_rubric_offline(rubric, session, "I'm exhausted all the time")
    assert {i.id for i in graded.items} == tired
    assert graded.value == pytest.approx(2 / len(tired))
