"""The offline client: grounded, gated by trust, styled, deterministic."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from clinisim.library import CaseLibrary
from clinisim.offline.client import _client, _client_voice
from clinisim.schemas import LAYER_TRUST, CounselingTurnState, DisclosureLevel, Role, Turn
from clinisim.store import RecordStore, client_chunks
from tests.counseling.conftest import client_lines, counseling_run, run_to_end

_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


def _allowed(library: CaseLibrary, client_id: str) -> set[str]:
    """Every sentence a client may say: its profile statements, risk cues, and the
    voice's framing lines (which state no fact)."""
    client = library.get_client(client_id)
    allowed: set[str] = set()
    for chunk in client_chunks(client):
        allowed.update(_sentences(chunk.text))
    for risk in client.risks:
        if risk.cue:
            allowed.update(_sentences(risk.cue))
    pools = [
        value
        for module in (_client, _client_voice)
        for name, value in vars(module).items()
        if name.isupper() and name.startswith("_")
    ]
    for pool in pools:
        values = pool.values() if isinstance(pool, dict) else pool
        if isinstance(values, str):
            values = [values]
        for line in values:
            if isinstance(line, str):
                allowed.update(_sentences(line))
    return allowed


_MOOD = re.compile(r"^Honestly, about a \d+ out of 10\.$")
_GOODBYE = re.compile(r"(Thank you|Okay)")


@pytest.mark.parametrize("client_id", ["maya-work-stress", "nadia-suicidal-passive", "grace-abuse"])
async def test_no_client_statement_falls_outside_the_profile(
    tmp_path: Path, library: CaseLibrary, client_store: RecordStore, client_id: str
) -> None:
    for style in ("plain", "verbose", "tangent", "pleasing", "upset", "reserved"):
        record = await run_to_end(
            counseling_run(tmp_path, library, client_store, client_id, overrides={"style": style})
        )
        allowed = _allowed(library, client_id)
        for line in client_lines(record):
            for sentence in _sentences(line):
                bridged = re.sub(
                    r"^(Anyway|Oh, and|Which reminds me|Not that it matters, but|And also|"
                    r"On top of that|I should say|The other thing is),? ",
                    "",
                    sentence,
                )
                bridged = bridged[:1].upper() + bridged[1:]
                ok = (
                    sentence in allowed
                    or bridged in allowed
                    or _MOOD.match(sentence)
                    or any(sentence in goodbye for goodbye in _goodbyes())
                )
                assert ok, f"{client_id} ({style}) said something not in its profile: {sentence!r}"


def _goodbyes() -> list[str]:
    from clinisim.offline.client._client_voice import goodbye
    from clinisim.schemas import ConversationalStyle

    return [goodbye(style, trust) for style in ConversationalStyle for trust in (0.1, 0.9)]


async def test_hidden_categories_are_never_said(
    tmp_path: Path, library: CaseLibrary, client_store: RecordStore
) -> None:
    for client_id in ("maya-work-stress", "helen-grief", "zoe-self-harm"):
        record = await run_to_end(counseling_run(tmp_path, library, client_store, client_id))
        text = " ".join(client_lines(record)).lower()
        for category in ("helpless", "unlovable", "worthless"):
            assert category not in text


async def test_disclosure_is_gated_by_trust(
    tmp_path: Path, library: CaseLibrary, client_store: RecordStore
) -> None:
    record = await run_to_end(counseling_run(tmp_path, library, client_store, "ryan-suicidal-plan"))
    chunks = {c.chunk_id: c for c in client_chunks(library.get_client("ryan-suicidal-plan"))}
    for turn in record.turns:
        state = turn.state
        if turn.role is not Role.CLIENT or not isinstance(state, CounselingTurnState):
            continue
        for fact in state.disclosed:
            chunk = chunks.get(fact)
            if chunk is None or chunk.layer is DisclosureLevel.RISK:
                continue
            assert state.trust >= LAYER_TRUST[chunk.layer], (fact, state.trust)


async def test_a_belief_question_is_deflected_at_low_trust_and_answered_at_high_trust(
    library: CaseLibrary, client_store: RecordStore
) -> None:
    from clinisim.offline.client import OfflineClient

    profile = library.get_client("maya-work-stress")
    question = "What does that say about you, deep down?"
    cold = OfflineClient(profile, client_store, seed=0, trust_bonus=-0.35)
    warm = OfflineClient(profile, client_store, seed=0, trust_bonus=0.4)
    turn = [Turn(index=0, role=Role.COUNSELOR, content=question)]
    cold_reply = await cold.respond(turn)
    warm_reply = await warm.respond(turn)
    belief_texts = {c.text for c in client_chunks(profile) if c.layer is DisclosureLevel.BELIEFS}
    assert not cold_reply.facts
    assert not any(text in cold_reply.content for text in belief_texts)
    assert warm_reply.facts and any(text in warm_reply.content for text in belief_texts)


async def test_same_seed_same_session(
    tmp_path: Path, library: CaseLibrary, client_store: RecordStore
) -> None:
    first = await run_to_end(counseling_run(tmp_path, library, client_store, "lena-gad", seed=4))
    again = await run_to_end(counseling_run(tmp_path, library, client_store, "lena-gad", seed=4))
    other = await run_to_end(counseling_run(tmp_path, library, client_store, "lena-gad", seed=5))
    assert [t.content for t in first.turns] == [t.content for t in again.turns]
    assert [t.state for t in first.turns] == [t.state for t in again.turns]
    assert [t.content for t in first.turns] != [t.content for t in other.turns]


async def test_every_style_changes_the_replies(
    tmp_path: Path, library: CaseLibrary, client_store: RecordStore
) -> None:
    lines: dict[str, list[str]] = {}
    for style in ("plain", "upset", "verbose", "reserved", "tangent", "pleasing"):
        record = await run_to_end(
            counseling_run(
                tmp_path, library, client_store, "maya-work-stress", overrides={"style": style}
            )
        )
        lines[style] = client_lines(record)
    words = {style: sum(len(line.split()) for line in said) for style, said in lines.items()}
    assert words["reserved"] < words["plain"] < words["verbose"]
    assert words["tangent"] > words["plain"]
    joined = {style: " ".join(said) for style, said in lines.items()}
    assert any(opener in joined["upset"] for opener in _client_voice._UPSET_OPENERS)
    assert any(opener in joined["pleasing"] for opener in _client_voice._PLEASING_OPENERS)
    assert any(bridge in joined["tangent"] for bridge in _client_voice._TANGENT_BRIDGES)
    assert len({tuple(said) for said in lines.values()}) == 6


async def test_every_attitude_changes_the_session(
    tmp_path: Path, library: CaseLibrary, client_store: RecordStore
) -> None:
    trust: dict[str, float] = {}
    for attitude in ("positive", "neutral", "negative"):
        run = counseling_run(
            tmp_path, library, client_store, "tom-social-anxiety", overrides={"attitude": attitude}
        )
        record = await run_to_end(run)
        assert record.persona["attitude"] == attitude
        outcome = record.counseling
        assert outcome is not None
        early = outcome.trust[:8]  # sessions differ in length; compare like with like
        trust[attitude] = sum(early) / len(early)
    assert trust["positive"] > trust["neutral"] > trust["negative"]


def test_a_bridge_keeps_a_name_capitalised_and_lowers_a_common_word() -> None:
    from clinisim.offline.client._client_voice import _lower_first

    assert _lower_first("Geoff and I were married for thirty-one years.").startswith("Geoff")
    assert _lower_first("My daughter calls every day.") == "my daughter calls every day."
    assert _lower_first("I sleep on the sofa.") == "I sleep on the sofa."


def test_the_counselor_leaves_a_bridge_out_when_it_echoes() -> None:
    from clinisim.offline.counselor._counselor import _echo
    from clinisim.schemas import Role, Turn

    turn = Turn(index=1, role=Role.CLIENT, content="And also, Geoff and I were married for years.")
    assert _echo([turn]) == "Geoff and you were married for years"


async def test_a_talkative_client_adds_a_life_fact_only_where_the_talk_is_open(
    tmp_path: Path, library: CaseLibrary, client_store: RecordStore
) -> None:
    from clinisim.language import Cue, counselor_cues

    bridges = (*_client_voice._VERBOSE_BRIDGES, *_client_voice._TANGENT_BRIDGES)
    narrow = {Cue.MOOD_CHECK, Cue.SOCRATIC, Cue.THOUGHT_QUESTION, Cue.BELIEF_QUESTION}
    asides = 0
    for client_id in ("maya-work-stress", "lena-gad", "sofia-relationship"):
        for style in ("verbose", "tangent"):
            record = await run_to_end(
                counseling_run(
                    tmp_path, library, client_store, client_id, overrides={"style": style}
                )
            )
            turns = record.turns
            for before, turn in itertools.pairwise(turns):
                if turn.role is not Role.CLIENT or before.role is Role.CLIENT:
                    continue
                if any(bridge in turn.content for bridge in bridges):
                    asides += 1
                    # "who do you have?" is answered when asked, never as an aside
                    supports = library.get_client(client_id).life.supports
                    assert supports[1:] not in turn.content, turn.content
                    assert not counselor_cues(before.content) & narrow, (
                        before.content,
                        turn.content,
                    )
    assert asides >= 3  # talkative clients still add them where the talk is open
