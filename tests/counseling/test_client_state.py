"""The client's state moves in the documented direction for good and bad counseling."""

from __future__ import annotations

from clinisim.agents import initial_state, open_layers, react
from clinisim.library import CaseLibrary
from clinisim.schemas import Attitude, DisclosureLevel

LAST = "I can't switch off from work, and I feel like I'm one mistake away from everything falling apart."


def test_reflection_and_empathy_raise_trust_and_lower_resistance(library: CaseLibrary) -> None:
    client = library.get_client("maya-work-stress")
    start = initial_state(client)
    change = react(
        client,
        start,
        "It sounds like work has been relentless. That sounds really hard.",
        LAST,
        first_turn=False,
    )
    assert {"reflection", "empathy"} <= set(change.rules)
    assert change.state.trust > start.trust
    assert change.state.resistance < start.resistance
    assert change.state.intensity < start.intensity


def test_lecturing_and_premature_advice_lower_trust_and_raise_resistance(
    library: CaseLibrary,
) -> None:
    client = library.get_client("maya-work-stress")
    start = initial_state(client)
    change = react(
        client,
        start,
        "You should just stop answering emails. You need to set boundaries.",
        LAST,
        first_turn=False,
    )
    assert {"premature advice", "lecturing"} <= set(change.rules)
    assert change.state.trust < start.trust
    assert change.state.resistance > start.resistance


def test_ignoring_what_was_said_costs_trust(library: CaseLibrary) -> None:
    client = library.get_client("maya-work-stress")
    start = initial_state(client)
    change = react(client, start, "Do you have any hobbies?", LAST, first_turn=False)
    assert change.rules == ["ignoring"]
    assert change.state.trust < start.trust


def test_attitude_sets_the_starting_trust_and_halves_gains_when_negative(
    library: CaseLibrary,
) -> None:
    positive = library.get_client("maya-work-stress")
    negative = library.get_client("james-alcohol")
    assert positive.attitude is Attitude.POSITIVE and negative.attitude is Attitude.NEGATIVE
    assert initial_state(positive).trust > initial_state(negative).trust
    good = "It sounds like evenings are the hardest. That makes sense."
    gain_positive = react(positive, initial_state(positive), good, LAST, first_turn=False)
    gain_negative = react(negative, initial_state(negative), good, LAST, first_turn=False)
    assert (gain_negative.state.trust - initial_state(negative).trust) < (
        gain_positive.state.trust - initial_state(positive).trust
    )


def test_trust_opens_layers_in_order(library: CaseLibrary) -> None:
    client = library.get_client("maya-work-stress")
    low = initial_state(client).model_copy(update={"trust": 0.1})
    high = low.model_copy(update={"trust": 0.65})
    assert open_layers(low) == [DisclosureLevel.SURFACE]
    assert open_layers(high) == [
        DisclosureLevel.SURFACE,
        DisclosureLevel.SITUATIONS,
        DisclosureLevel.THOUGHTS,
        DisclosureLevel.BELIEFS,
    ]


def test_a_hostile_session_makes_the_client_leave(library: CaseLibrary) -> None:
    client = library.get_client("james-alcohol")
    state = initial_state(client)
    for _ in range(6):
        state = react(
            client,
            state,
            "Everyone feels that way. You need to stop drinking. You should just cheer up.",
            LAST,
            first_turn=False,
        ).state
    assert state.leaves
