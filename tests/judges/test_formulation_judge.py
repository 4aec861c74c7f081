"""Formulation accuracy against a client's hidden cognitive model, worked by hand."""

from __future__ import annotations

import pytest

from clinisim.judges._formulation_judge import formulation_accuracy, judge_formulation, set_f1
from clinisim.library import CaseLibrary
from clinisim.schemas import Emotion, Formulation, Session


def test_set_f1_by_hand() -> None:
    assert set_f1([], []) == 1.0
    assert set_f1(["a"], []) == 0.0
    # given {a, b}, gold {b, c}: precision 1/2, recall 1/2 -> F1 1/2
    assert set_f1(["a", "b"], ["b", "c"]) == pytest.approx(0.5)
    # given {a}, gold {a, b, c}: precision 1, recall 1/3 -> F1 2 * (1/3) / (4/3) = 1/2
    assert set_f1(["a"], ["a", "b", "c"]) == pytest.approx(0.5)


def test_a_formulation_in_the_profiles_own_words_scores_full_marks(
    library: CaseLibrary,
) -> None:
    helen = library.get_client("helen-grief")
    situation = helen.cognitive_model.situations[0]
    exact = Formulation(
        core_belief_categories=["unlovable", "worthless"],  # helen: unlovable and worthless
        emotions=list(situation.emotions),
        situation=situation.situation,
        automatic_thought=situation.automatic_thought,
        behavior=situation.behavior,
    )
    score = formulation_accuracy(exact, helen)
    assert score.value == pytest.approx(1.0, abs=1e-6)


def test_a_partial_formulation(library: CaseLibrary) -> None:
    helen = library.get_client("helen-grief")
    partial = Formulation(
        core_belief_categories=["worthless", "helpless"],
        emotions=[Emotion.GUILTY],
        situation="",
        automatic_thought="My holiday plans are ruined by the weather.",
    )
    items = {i.id: i.value for i in formulation_accuracy(partial, helen).items}
    assert items["core-belief-categories"] == pytest.approx(0.5)
    # helen's emotions are guilty and sad: given {guilty} -> precision 1, recall 1/2 -> 2/3
    assert items["emotions"] == pytest.approx(2 / 3)
    assert items["situation"] == 0.0 and items["behavior"] == 0.0
    thought = items["automatic-thought"]
    assert thought is not None and thought < 0.5  # an unrelated thought


def test_the_judge_needs_a_formulation_and_a_profile(library: CaseLibrary) -> None:
    session = Session(
        session_id="s", kind="counseling", case_id="helen-grief", persona={}, models={}, seed=0
    )
    helen = library.get_client("helen-grief")
    assert judge_formulation(session, helen).status == "unscored"
    session.config["formulation"] = {"emotions": ["sad"]}
    assert judge_formulation(session, None).status == "unscored"
    scored = judge_formulation(session, helen)
    assert scored.status == "scored" and scored.value is not None
