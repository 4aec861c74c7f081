"""Generation defaults: a persona or style sample, several trials, every judge, caps."""

from __future__ import annotations

from clinisim.judges import default_judge_names
from clinisim.runner import GENERATION_PERSONAS, GENERATION_TRIALS, generation_suite
from clinisim.schemas import PersonaSampling, Suite


def test_a_suite_with_the_default_persona_gets_a_sample_of_the_grid() -> None:
    suite = Suite(name="s", cases=["gout"], rubrics=["diagnosis"])
    made = generation_suite(suite)
    assert isinstance(made.personas, PersonaSampling)
    assert made.personas.sample == GENERATION_PERSONAS
    assert set(made.personas.axes) == {"personality", "language", "recall", "confusion", "bias"}
    assert made.trials == GENERATION_TRIALS
    # The suite's rubrics stay, and every judge of the kind is added.
    assert made.rubrics is not None and made.rubrics[0] == "diagnosis"
    assert set(default_judge_names(False, "consultation")) <= set(made.rubrics)


def test_counseling_samples_styles_and_named_personas_are_kept() -> None:
    counseling = generation_suite(
        Suite(name="c", kind="counseling", clients=["helen-grief"]), personas=5, trials=2
    )
    assert isinstance(counseling.personas, PersonaSampling)
    assert "style" in counseling.personas.axes and counseling.personas.sample == 5
    assert counseling.trials == 2
    named = generation_suite(
        Suite(name="n", cases=["gout"], personas=[{"recall": "low"}], trials=7)
    )
    assert named.personas == [{"recall": "low"}] and named.trials == 7


def test_caps_and_a_judge_model_go_into_the_suite() -> None:
    suite = Suite.model_validate(
        {"name": "m", "cases": ["gout"], "models": {"judge": "openai/gpt-4o-mini"}}
    )
    made = generation_suite(suite, run_usd=2.5, run_tokens=10_000, session_usd=0.1)
    assert made.budgets.run_usd == 2.5 and made.budgets.run_tokens == 10_000
    assert made.budgets.session_usd == 0.1
    assert set(default_judge_names(True, "consultation")) <= set(made.rubrics or [])
