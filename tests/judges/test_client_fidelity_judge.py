"""Client fidelity: grounding in the profile, planted contradictions, style, logged state."""

from __future__ import annotations

from clinisim.judges._client_fidelity_judge import judge_client_fidelity
from clinisim.library import CaseLibrary
from clinisim.schemas import CounselingTurnState, Emotion, Role, Session, Turn

C, X = Role.COUNSELOR, Role.CLIENT


def _state(emotion: Emotion) -> CounselingTurnState:
    return CounselingTurnState(emotion=emotion, intensity=0.5, trust=0.5, resistance=0.3)


def _session(client_lines: list[tuple[str, Emotion]], style: str = "verbose") -> Session:
    turns: list[Turn] = []
    for text, emotion in client_lines:
        turns.append(Turn(index=len(turns), role=C, content="Can you tell me more about that?"))
        turns.append(Turn(index=len(turns), role=X, content=text, state=_state(emotion)))
    return Session(
        session_id="s",
        kind="counseling",
        case_id="helen-grief",
        persona={"style": style},
        models={},
        seed=0,
        turns=turns,
    )


FAITHFUL = [
    (
        "Geoff and I were married for thirty-one years, and my daughter calls every day.",
        Emotion.SAD,
    ),
    ("I sleep on the sofa these days because I can't face our bed at all.", Emotion.SAD),
    ("I found his reading glasses in the car glovebox last week and it broke me.", Emotion.SAD),
]


def _items(score: object) -> dict[str, object]:
    return {item.id: item for item in score.items}  # type: ignore[attr-defined]


def test_a_faithful_client_passes(library: CaseLibrary) -> None:
    score = judge_client_fidelity(_session(FAITHFUL, "plain"), library.get_client("helen-grief"))
    assert score.value == 1.0, [i.explanation for i in score.items]
    assert "3 statement(s) supported" in _items(score)["grounded"].explanation  # type: ignore[attr-defined]


def test_a_planted_contradiction_is_flagged_and_zeroes_the_score(library: CaseLibrary) -> None:
    planted = [*FAITHFUL, ("My daughter never calls me, not even once.", Emotion.SAD)]
    score = judge_client_fidelity(_session(planted), library.get_client("helen-grief"))
    item = _items(score)["no-contradiction"]
    assert item.met is False and item.evidence == [7]  # type: ignore[attr-defined]
    assert "calls every day" in item.explanation  # type: ignore[attr-defined]
    assert score.value == 0.0 and score.details["hard_fail"] == ["no-contradiction"]


def test_a_wrong_age_is_a_contradiction(library: CaseLibrary) -> None:
    aged = [*FAITHFUL, ("Honestly, I'm 34 and I feel far older than that.", Emotion.SAD)]
    item = _items(judge_client_fidelity(_session(aged), library.get_client("helen-grief")))[
        "no-contradiction"
    ]
    assert item.met is False and "says 34 years old; the profile says 58" in item.explanation  # type: ignore[attr-defined]


def test_invented_life_facts_are_unsupported(library: CaseLibrary) -> None:
    invented = [
        ("My son is a pilot in Dubai and my husband left me for his secretary.", Emotion.SAD),
        ("I work as a lorry driver on night shifts now, up and down the motorway.", Emotion.SAD),
        ("I live with my brother in a flat above his chip shop in Leeds.", Emotion.SAD),
        FAITHFUL[0],
    ]
    item = _items(judge_client_fidelity(_session(invented), library.get_client("helen-grief")))[
        "grounded"
    ]
    assert item.met is False and item.evidence == [1, 3, 5]  # type: ignore[attr-defined]


def test_style_and_logged_state(library: CaseLibrary) -> None:
    helen = library.get_client("helen-grief")
    terse = [("No.", Emotion.SAD), ("Fine, I suppose.", Emotion.SAD)]
    assert _items(judge_client_fidelity(_session(terse, "verbose"), helen))["style"].met is False  # type: ignore[attr-defined]
    assert _items(judge_client_fidelity(_session(terse, "reserved"), helen))["style"].met is True  # type: ignore[attr-defined]
    clash = [("I feel so much better and lighter after today.", Emotion.HOPELESS)]
    state = _items(judge_client_fidelity(_session(clash), helen))["state-consistent"]
    assert state.met is False and state.evidence == [1]  # type: ignore[attr-defined]


def test_without_a_profile_it_is_unscored() -> None:
    score = judge_client_fidelity(_session(FAITHFUL), None)
    assert score.status == "unscored" and "needs the client's profile" in score.details["reason"]
