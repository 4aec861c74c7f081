"""Session plans: one per doctor × case × persona × trial, with stable derived seeds."""

from __future__ import annotations

from clinisim.runner import derive_seed, persona_key, plan_sessions
from clinisim.schemas import Persona, Personality


def _plans(doctors: list[str]) -> list:  # type: ignore[type-arg]
    return plan_sessions(
        models=doctors,
        case_ids=["gout", "migraine"],
        personas=[Persona().axis_values(), Persona(personality=Personality.DISTRUST).axis_values()],
        trials=3,
        run_seed=7,
    )


def test_every_combination_once_with_unique_ids() -> None:
    plans = _plans(["offline", "openai/gpt-4o-mini"])
    assert len(plans) == 2 * 2 * 2 * 3
    assert len({p.session_id for p in plans}) == len(plans)
    assert all("/" not in p.session_id for p in plans)


def test_seed_depends_on_case_persona_trial_and_run_seed_not_on_doctor() -> None:
    a, b = _plans(["offline"]), _plans(["openai/gpt-4o-mini"])
    assert [p.seed for p in a] == [p.seed for p in b]  # paired: same patients for each doctor
    seeds = [p.seed for p in a]
    assert len(set(seeds)) == len(seeds)
    persona = Persona().axis_values()
    base = derive_seed(7, "gout", persona, 0)
    assert base == derive_seed(7, "gout", persona, 0)
    assert base != derive_seed(8, "gout", persona, 0)
    assert base != derive_seed(7, "gout", persona, 1)
    assert base != derive_seed(7, "migraine", persona, 0)
    assert base != derive_seed(7, "gout", Persona(personality=Personality.VERBOSE).axis_values(), 0)


def test_persona_key_names_every_axis() -> None:
    key = persona_key(Persona(personality=Personality.DISTRUST).axis_values())
    assert key == "personality=distrust,language=C,recall=high,confusion=normal,bias=-"
