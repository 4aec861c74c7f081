"""Suite files: validation errors name the file and field; the config hash guards resume."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from clinisim.errors import InputError
from clinisim.library import CaseLibrary
from clinisim.runner import config_hash
from tests.runner.conftest import loaded_suite, write_suite


def _error(tmp_path: Path, library: CaseLibrary, **fields: Any) -> InputError:
    path = write_suite(tmp_path, **fields)
    with pytest.raises(InputError) as caught:
        loaded_suite(path, library)
    assert caught.value.file == str(path)
    return caught.value


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"cases": ["no-such-case"]}, "cases[0]", "unknown case"),
        ({"cases": ["tag:no-such-tag"]}, "cases[0]", "no case has tag"),
        ({"personas": [{"personality": "grumpy"}]}, "personas[0].personality", "unknown value"),
        ({"personas": [{"mood": "low"}]}, "personas[0]", "unknown persona axis"),
        ({"models": {"doctor": ["human"]}}, "models.under_test[0]", "human"),
        (
            {"models": {"doctor": ["nosuchprovider/x"]}},
            "models.under_test[0]",
            "unknown model provider",
        ),
        ({"models": {"doctor": ["offline", "offline"]}}, "models.under_test", "listed twice"),
        ({"rubrics": ["no-such-rubric"]}, "rubrics[0]", "unknown rubric"),
        ({"rubrics": ["diagnosis-moderator"]}, "rubrics[0]", "needs a judge model"),
        ({"personas": {"axes": {"language": "all"}, "sample": 9}}, "personas.sample", "larger"),
    ],
)
def test_bad_suites_name_the_field(
    tmp_path: Path, library: CaseLibrary, fields: dict[str, Any], field: str, words: str
) -> None:
    error = _error(tmp_path, library, **fields)
    assert error.field is not None and field in error.field
    assert words in error.problem


def test_schema_errors_name_the_field(tmp_path: Path, library: CaseLibrary) -> None:
    error = _error(tmp_path, library, trials=0)
    assert error.field == "trials"
    error = _error(tmp_path, library, execution={"concurency": 3})
    assert error.field == "execution.concurency" and error.problem == "unknown field"
    error = _error(tmp_path, library, protocol="agentclinic", budgets={"max_turns": 10})
    assert "20-turn" in error.problem


def test_malformed_yaml_names_line(tmp_path: Path, library: CaseLibrary) -> None:
    path = tmp_path / "suite.yaml"
    path.write_text("name: t\ncases: [gout\n")
    with pytest.raises(InputError) as caught:
        loaded_suite(path, library)
    assert caught.value.file == str(path) and "line" in (caught.value.field or "")


def test_tags_all_and_persona_grid(tmp_path: Path, library: CaseLibrary) -> None:
    loaded = loaded_suite(
        write_suite(
            tmp_path,
            cases=["tag:chest-pain"],
            personas={"axes": {"personality": ["plain", "distrust"], "language": "all"}},
        ),
        library,
    )
    expected = sorted(cid for cid, case in library.cases.items() if "chest-pain" in case.tags)
    assert sorted(loaded.subjects) == expected and expected
    assert len(loaded.personas) == 2 * 3
    everything = loaded_suite(write_suite(tmp_path, cases="all"), library)
    assert set(everything.subjects) == set(library.cases)


def test_persona_sample_is_seeded(tmp_path: Path, library: CaseLibrary) -> None:
    rule = {"axes": {"personality": "all", "language": "all"}, "sample": 5}
    first = loaded_suite(write_suite(tmp_path, personas=rule, seed=3), library).personas
    again = loaded_suite(write_suite(tmp_path, personas=rule, seed=3), library).personas
    other = loaded_suite(write_suite(tmp_path, personas=rule, seed=4), library).personas
    assert first == again and len(first) == 5
    assert first != other


def test_config_hash_covers_sessions_not_execution(tmp_path: Path, library: CaseLibrary) -> None:
    base = config_hash(loaded_suite(write_suite(tmp_path), library))
    same = config_hash(
        loaded_suite(
            write_suite(
                tmp_path,
                execution={"concurrency": 16, "session_retries": 3},
                budgets={"run_usd": 5.0},
            ),
            library,
        )
    )
    assert same == base
    for change in ({"trials": 3}, {"seed": 1}, {"budgets": {"max_turns": 5}}, {"cases": ["gout"]}):
        assert config_hash(loaded_suite(write_suite(tmp_path, **change), library)) != base
