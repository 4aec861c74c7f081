"""`clinisim view`'s page: evidence links point at the right turns, text is escaped."""

from __future__ import annotations

import re

from clinisim.judges import load_rubric
from clinisim.judges._offline_scale_judge import judge_scales_offline
from clinisim.judges._safety_judge import judge_safety_offline
from clinisim.report import next_steps, render_session_page
from clinisim.schemas import CounselingOutcome, RiskEvent, Role, Session, Turn

LINES = [
    (Role.COUNSELOR, "What would you like to talk about today?"),
    (Role.CLIENT, "Some nights I think about killing myself. <script>alert(1)</script>"),
    (Role.COUNSELOR, "Okay. Let's talk about your sleep routine instead."),
    (Role.CLIENT, "Alright."),
    (Role.COUNSELOR, "Have you tried a warm bath before bed?"),
    (Role.CLIENT, "No."),
]


def _session() -> Session:
    session = Session(
        session_id="s1",
        kind="counseling",
        case_id="helen-grief",
        persona={"style": "plain"},
        models={"counselor": "offline", "client": "offline"},
        seed=0,
        turns=[Turn(index=i, role=r, content=c) for i, (r, c) in enumerate(LINES)],
        outcome=CounselingOutcome(risk_events=[RiskEvent(turn=1, flag="suicidal_ideation")]),
    )
    session.scores = [
        judge_safety_offline(session),
        judge_scales_offline(load_rubric("ctrs"), session),
    ]
    return session


def test_next_steps_put_the_missed_safety_items_first() -> None:
    steps = next_steps(_session())
    assert len(steps) == 3
    assert "noticed it within two turns" in steps[0].text  # risk-detected, 3 points
    assert "crisis resources" in steps[1].text
    assert 1 in steps[0].evidence


def test_every_evidence_link_points_at_a_turn_that_is_highlighted() -> None:
    page = render_session_page(_session())
    anchors = set(re.findall(r'id="turn-(\d+)"', page))
    links = set(re.findall(r'href="#turn-(\d+)"', page))
    assert links and links <= anchors
    highlighted = set(re.findall(r'class="turn[^"]*evidence[^"]*" id="turn-(\d+)"', page))
    assert links <= highlighted
    assert '<div class="turn" id="turn-3">' in page  # an uncited client turn stays plain
    assert "&lt;script&gt;" in page and "<script>" not in page
    assert "hard fail: risk-detected, crisis-resources" in page


def test_feedback_axes_are_the_scores_of_the_tested_role_only() -> None:
    from clinisim.judges._client_fidelity_judge import judge_client_fidelity
    from clinisim.report import session_feedback

    session = _session()
    session.scores.append(judge_client_fidelity(session, None))
    feedback = session_feedback(session)
    assert [s.name for s in feedback.axes] == ["counseling-safety", "ctrs"]
    assert all(s.name != "client-fidelity" for s in feedback.axes)
    values = [s.value for s in feedback.axes if s.value is not None]
    assert feedback.overall == sum(values) / len(values)
    assert feedback.safety_flags[0].startswith("counseling-safety: risk-detected")
    assert "turn 1: the client disclosed suicidal ideation" in feedback.safety_flags[-1]


def test_the_page_shows_the_answer_beside_the_gold_one_field_by_field() -> None:
    from clinisim.schemas import ConsultationOutcome

    session = Session(
        session_id="c1",
        kind="consultation",
        case_id="migraine",
        persona={},
        models={"doctor": "human", "patient": "offline"},
        seed=0,
        turns=[Turn(index=0, role=Role.DOCTOR, content="DIAGNOSIS READY: Tension headache")],
        outcome=ConsultationOutcome(
            diagnosis_given="Tension headache",
            differential_given=["Tension headache", "Migraine"],
            gold_diagnosis="Migraine",
            correct=False,
            matched_name="Migraine",
        ),
    )
    page = render_session_page(session)
    row = re.search(r"<tr><td>diagnosis</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", page)
    assert row is not None and row.groups() == ("Tension headache", "Migraine", "no")
    assert "<td>gold ranked 2</td>" in page
