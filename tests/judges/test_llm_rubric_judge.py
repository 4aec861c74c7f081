"""LLM rubric and scale judges: strict parsing, bounded re-asks, never a default."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clinisim.judges import LLMRubricJudge, load_rubric
from clinisim.library import CaseLibrary
from clinisim.llm import ModelClient, load_model_config
from clinisim.schemas import Role, Session, Turn


async def _no_wait(_seconds: float) -> None:
    return None


GOOD_ITEMS = {
    "items": [
        {"id": "introduction", "met": True, "explanation": "Says hello", "evidence": [0]},
        {"id": "open-question", "met": True, "explanation": "Open", "evidence": [0]},
        {"id": "empathy", "met": False, "explanation": "None", "evidence": []},
        {"id": "summarising", "met": False, "explanation": "None", "evidence": []},
        {"id": "checks-understanding", "met": True, "explanation": "Asks", "evidence": [2]},
        {"id": "dismissive", "met": False, "explanation": "No", "evidence": []},
    ]
}


def _session() -> Session:
    lines = [
        (Role.DOCTOR, "Hello, I'm the doctor. What brings you in?"),
        (Role.PATIENT, "My toe hurts."),
        (Role.DOCTOR, "Does that make sense? Any questions?"),
        (Role.PATIENT, "No."),
    ]
    return Session(
        session_id="s",
        kind="consultation",
        case_id="gout",
        persona={},
        models={},
        seed=0,
        turns=[Turn(index=i, role=r, content=c) for i, (r, c) in enumerate(lines)],
    )


def _judge(rubric_name: str, reply: str, max_reasks: int = 2) -> LLMRubricJudge:
    config = load_model_config({"judge": "openai/gpt-4o-mini"}, env={}, max_reasks=max_reasks)
    client = ModelClient(config, call_options={"mock_response": reply}, sleep=_no_wait)
    return LLMRubricJudge(load_rubric(rubric_name), client.chat_model(Role.JUDGE))


async def test_a_valid_reply_is_scored_with_evidence(library: CaseLibrary) -> None:
    score = await _judge("communication", json.dumps(GOOD_ITEMS))(_session(), library.get("gout"))
    assert score.status == "scored"
    # Met 2 + 2 + 2 = 6 of 11 positive points.
    assert score.value == pytest.approx(6 / 11)
    assert score.judge_model == "openai/gpt-4o-mini" and score.prompt_hash
    checks = next(i for i in score.items if i.id == "checks-understanding")
    assert checks.met is True and checks.evidence == [2]


@pytest.mark.parametrize(
    "reply",
    [
        "",
        "The doctor did well overall.",
        '{"items": [{"id": "introduction", "met": true, "evidence": [0]}]}',
        json.dumps({"items": [dict(r, met="yes") for r in GOOD_ITEMS["items"]]}),
        json.dumps({"items": [dict(r, evidence=[99]) for r in GOOD_ITEMS["items"]]}),
    ],
    ids=["empty", "prose", "partial", "met-not-boolean", "evidence-out-of-range"],
)
async def test_bad_replies_end_unscored_after_bounded_re_asks(
    reply: str, library: CaseLibrary
) -> None:
    score = await _judge("communication", reply)(_session(), library.get("gout"))
    assert score.status == "unscored" and score.value is None and score.items == []
    assert "after 2 re-ask(s)" in score.details["reason"]
    assert score.details["usage"]["calls"] == 3


async def test_scales_parse_strictly(tmp_path: Path, library: CaseLibrary) -> None:
    path = tmp_path / "warmth.yaml"
    path.write_text(
        "name: warmth\nversion: '1'\nkind: scale\ndescription: Warmth.\nscales:\n"
        "  - id: warmth\n    name: Warmth\n    range: [1, 6]\n"
        "    anchors: {1: cold, 2: distant, 3: neutral, 4: kind, 5: warm, 6: exemplary}\n"
    )
    rubric = str(path)
    config = load_model_config({"judge": "openai/gpt-4o-mini"}, env={})
    good = ModelClient(
        config, call_options={"mock_response": '{"scores": [{"id": "warmth", "score": 5}]}'}
    )
    score = await LLMRubricJudge(load_rubric(rubric), good.chat_model("judge"))(
        _session(), library.get("gout")
    )
    # The item keeps the band; the rubric's value is its share of the 1-6 range.
    assert score.items[0].value == 5.0 and score.value == pytest.approx((5 - 1) / 5)
    for bad in (
        '{"scores": [{"id": "warmth", "score": 7}]}',
        '{"scores": [{"id": "warmth", "score": 4.5}]}',
    ):
        client = ModelClient(config, call_options={"mock_response": bad}, sleep=_no_wait)
        result = await LLMRubricJudge(load_rubric(rubric), client.chat_model("judge"))(
            _session(), library.get("gout")
        )
        assert result.status == "unscored" and result.value is None
