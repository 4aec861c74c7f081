"""Persona axis=value parsing and the shipped axis descriptions."""

from __future__ import annotations

import pytest

from clinisim.errors import InputError
from clinisim.library import CaseLibrary, parse_persona
from clinisim.schemas import PERSONA_AXES, Confusion, LanguageProficiency, Personality


def test_parse_sets_each_axis() -> None:
    persona = parse_persona(["personality=distrust", "language=A", "confusion=high"])
    assert persona.personality is Personality.DISTRUST
    assert persona.language is LanguageProficiency.A
    assert persona.confusion is Confusion.HIGH
    assert persona.axis_values()["recall"] == "high"


@pytest.mark.parametrize(
    ("item", "fragment"),
    [
        ("personality", "expected axis=value"),
        ("mood=grumpy", "unknown persona axis 'mood'"),
        ("language=D", "unknown value 'D' for axis 'language'"),
    ],
)
def test_bad_values_are_input_errors(item: str, fragment: str) -> None:
    with pytest.raises(InputError) as info:
        parse_persona([item])
    assert fragment in info.value.one_line()
    assert info.value.exit_code == 2


def test_axis_descriptions_cover_exactly_the_schema_values() -> None:
    descriptions = CaseLibrary().axis_descriptions
    for axis, enum in PERSONA_AXES.items():
        assert set(descriptions[axis]) == {m.value for m in enum}
