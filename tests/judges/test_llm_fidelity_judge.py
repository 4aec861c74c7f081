"""The model-judged patient fidelity: strict labels, rates, unscored on failure."""

from __future__ import annotations

import json

from clinisim.judges import LLMFidelityJudge
from clinisim.library import CaseLibrary
from clinisim.llm import ModelClient, load_model_config
from clinisim.schemas import Role, Session, Turn


async def _no_wait(_seconds: float) -> None:
    return None


def _session() -> Session:
    lines = [(Role.DOCTOR, "Any fever?"), (Role.PATIENT, "Yes, I have a fever. My toe is red.")]
    return Session(
        session_id="s",
        kind="consultation",
        case_id="gout",
        persona={},
        models={},
        seed=0,
        turns=[Turn(index=i, role=r, content=c) for i, (r, c) in enumerate(lines)],
    )


def _judge(reply: str) -> LLMFidelityJudge:
    config = load_model_config({"judge": "openai/gpt-4o-mini"}, env={})
    client = ModelClient(config, call_options={"mock_response": reply}, sleep=_no_wait)
    return LLMFidelityJudge(client.chat_model(Role.JUDGE))


async def test_labels_give_rates_and_evidence(library: CaseLibrary) -> None:
    reply = json.dumps(
        {"labels": [{"n": 1, "label": "contradicted"}, {"n": 2, "label": "supported"}]}
    )
    score = await _judge(reply)(_session(), library.get("gout"))
    assert score.value == 0.5
    assert score.details["contradiction_rate"] == 0.5 and score.details["hallucination_rate"] == 0.0
    assert score.items[0].criterion == "Yes, I have a fever." and score.items[0].evidence == [1]


async def test_missing_or_unknown_labels_are_unscored(library: CaseLibrary) -> None:
    for reply in (
        '{"labels": [{"n": 1, "label": "supported"}]}',
        '{"labels": [{"n": 1, "label": "true"}, {"n": 2, "label": "supported"}]}',
        "",
    ):
        score = await _judge(reply)(_session(), library.get("gout"))
        assert score.status == "unscored" and score.value is None
