"""The offline counselor: a held-back question is asked again in other words, and a
model client's words are read as a thought or a holding back."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinisim.library import CaseLibrary
from clinisim.offline.client import _client, _client_voice
from clinisim.offline.counselor import _counselor
from clinisim.schemas import CounselingTurnState, Emotion, Role, Turn
from clinisim.store import RecordStore
from tests.counseling.conftest import counseling_run, run_to_end


def _client_turn(text: str, disclosed: list[str] | None = None) -> Turn:
    state = CounselingTurnState(
        emotion=Emotion.SAD, intensity=0.5, trust=0.5, resistance=0.2, disclosed=disclosed or []
    )
    return Turn(index=1, role=Role.CLIENT, content=text, state=state)


@pytest.mark.parametrize(
    "line",
    [
        *_client_voice._GUARDED,
        *_client_voice._PLEASING_GUARDED,
        *_client_voice._RESERVED_GUARDED,
    ],
)
def test_every_offline_deflection_counts_as_holding_back(line: str) -> None:
    assert _counselor._deflected(_client_turn(line))


def test_a_model_clients_words_decide_without_disclosed_facts() -> None:
    """A model client reports no fact ids: a statement is a thought, an assent or a
    feeling alone is not, and a statement is not taken for holding back."""
    thought = _client_turn("Nobody there really wants me around.")
    assert _counselor._stated_thought(thought)
    assert not _counselor._deflected(thought)
    assert not _counselor._stated_thought(_client_turn("I felt sad and anxious."))
    assent = _client_turn("Mm. Yes.")
    assert _counselor._deflected(assent)
    assert not _counselor._stated_thought(assent)


@pytest.mark.parametrize(
    ("client_id", "seed"),
    [
        ("ben-loneliness", 0),
        ("ben-loneliness", 1),
        ("ben-loneliness", 67),
        ("maya-work-stress", 11),
        ("ryan-suicidal-plan", 27),
    ],
)
async def test_no_question_is_asked_twice_in_the_same_words(
    tmp_path: Path, library: CaseLibrary, client_store: RecordStore, client_id: str, seed: int
) -> None:
    for style in ("reserved", "plain", "upset"):
        record = await run_to_end(
            counseling_run(
                tmp_path,
                library,
                client_store,
                client_id,
                seed=seed,
                overrides={"style": style},
            )
        )
        asked = [t.content for t in record.turns if t.role is Role.COUNSELOR and "?" in t.content]
        assert len(asked) == len(set(asked)), f"{style}: {asked}"
        # Nor does the client reconsider a thought in the same words twice.
        second_looks = [
            t.content
            for t in record.turns
            if t.role is Role.CLIENT and any(line in t.content for line in _client._RECONSIDER)
        ]
        assert len(second_looks) == len(set(second_looks)), f"{style}: {second_looks}"


async def test_nothing_refers_to_a_situation_the_client_never_described(
    tmp_path: Path, library: CaseLibrary, client_store: RecordStore
) -> None:
    """A guarded client who describes no situation is asked about thoughts in general,
    and a refusal is never said back as if it were a statement."""
    record = await run_to_end(
        counseling_run(tmp_path, library, client_store, "ryan-suicidal-plan", seed=27)
    )
    turns = record.turns
    first_situation = next(
        (
            t.index
            for t in turns
            if t.role is Role.CLIENT
            and t.state is not None
            and any(":situation." in f for f in getattr(t.state, "disclosed", []))
        ),
        len(turns),
    )
    before = [t.content for t in turns if t.role is Role.COUNSELOR and t.index < first_situation]
    assert any("thoughts" in text for text in before)  # the thought was asked about
    for text in before:
        for phrase in ("When that happened", "that moment", "this had happened", "another time"):
            assert phrase not in text, text
    for turn in turns:
        if turn.role is Role.COUNSELOR:
            assert "You said that you'd rather" not in turn.content
            assert "You said that you don't really" not in turn.content
