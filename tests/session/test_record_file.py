"""Session records: atomic writes and clear errors on bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clinisim.engine import read_session, write_session
from clinisim.errors import InputError
from clinisim.schemas import Role, Session, Turn


def _session() -> Session:
    return Session(
        session_id="s1",
        kind="consultation",
        case_id="c1",
        persona={"personality": "plain"},
        models={"doctor": "offline"},
        seed=3,
        turns=[Turn(index=0, role=Role.DOCTOR, content="Hello")],
    )


def test_round_trip_and_no_temp_files_left(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "s1.json"
    session = _session()
    write_session(session, path)
    write_session(session, path)
    assert read_session(path) == session
    assert [p.name for p in path.parent.iterdir()] == ["s1.json"]


def test_bad_json_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{\n  not json")
    with pytest.raises(InputError) as info:
        read_session(path)
    assert str(path) in info.value.one_line() and "line 2" in info.value.one_line()


def test_invalid_record_names_the_field(tmp_path: Path) -> None:
    data = json.loads(_session().model_dump_json())
    data["kind"] = "Not a kind!"  # plug-in kinds may be named freely, but as a slug
    path = tmp_path / "s.json"
    path.write_text(json.dumps(data))
    with pytest.raises(InputError) as info:
        read_session(path)
    assert info.value.field == "kind"
