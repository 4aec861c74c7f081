"""Parsing the doctor's reply into a typed action."""

from __future__ import annotations

import pytest

from clinisim.agents._doctor_action import parse_doctor_action
from clinisim.schemas import ActionKind


def test_agentclinic_tags() -> None:
    order = parse_doctor_action("Let me check. REQUEST TEST: Chest X-ray")
    assert order is not None and order.kind is ActionKind.ORDER and order.test == "Chest X-ray"
    exam = parse_doctor_action("REQUEST EXAM: cardiovascular")
    assert exam is not None and exam.kind is ActionKind.ORDER and exam.test == "cardiovascular"
    diagnosis = parse_doctor_action("DIAGNOSIS READY: Pulmonary embolism")
    assert diagnosis is not None and diagnosis.kind is ActionKind.DIAGNOSE
    assert diagnosis.diagnosis == "Pulmonary embolism"


def test_ranked_differential_after_the_tag() -> None:
    action = parse_doctor_action("DIAGNOSIS READY: 1. Pulmonary embolism 2. Pneumonia 3. MI")
    assert action is not None
    assert action.differential == ["Pulmonary embolism", "Pneumonia", "MI"]
    assert action.diagnosis == "Pulmonary embolism"


def test_json_action_plain_and_fenced() -> None:
    ask = parse_doctor_action('{"action": "ask", "text": "When did it start?"}')
    assert ask is not None and ask.kind is ActionKind.ASK and ask.text == "When did it start?"
    fenced = parse_doctor_action('Here:\n```json\n{"action": "order", "test": "ECG"}\n```')
    assert fenced is not None and fenced.kind is ActionKind.ORDER and fenced.test == "ECG"
    dx = parse_doctor_action('{"action": "diagnose", "differential": ["Gout", "Septic arthritis"]}')
    assert dx is not None and dx.diagnosis == "Gout" and dx.differential[1] == "Septic arthritis"


def test_malformed_json_falls_back_to_tags_or_prose() -> None:
    tagged = parse_doctor_action('{"action": "diagnose", oops} DIAGNOSIS READY: Gout')
    assert tagged is not None and tagged.kind is ActionKind.DIAGNOSE and tagged.diagnosis == "Gout"
    prose = parse_doctor_action("{not json at all} Any chest pain?")
    assert prose is not None and prose.kind is ActionKind.ASK


def test_prose_is_a_question() -> None:
    action = parse_doctor_action("Does the pain spread to your arm?")
    assert action is not None and action.kind is ActionKind.ASK
    assert action.text == "Does the pain spread to your arm?"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n",
        "...",
        "??!!",
        "\x00\x00",
        "ok ok ok ok ok ok ok ok ok ok",
        '{"action": "ask"}',
        "DIAGNOSIS READY:   ",
        '{"action": "fly", "text": "x"}',
        '```json\n{"action": "order"}\n```',
    ],
)
def test_empty_garbled_or_invalid_json_replies_are_none(text: str) -> None:
    assert parse_doctor_action(text) is None
