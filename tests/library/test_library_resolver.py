"""One function decides the case library for every command."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from clinisim.errors import InputError
from clinisim.library import CASES_DIR_ENV, resolve_library
from clinisim.paths import personas_dir


def _copy_case(source_id: str, new_id: str, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    text = (personas_dir() / "cases" / f"{source_id}.yaml").read_text()
    (directory / f"{new_id}.yaml").write_text(text.replace(f"id: {source_id}", f"id: {new_id}", 1))


def test_shipped_imported_env_and_flag_directories(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    monkeypatch.setenv("CLINISIM_DATA_DIR", str(data))
    _copy_case("migraine", "imported-one", data / "cases")
    _copy_case("gout", "env-one", tmp_path / "env-a")
    _copy_case("gout", "env-two", tmp_path / "env-b")
    _copy_case("migraine", "flag-one", tmp_path / "flag")
    monkeypatch.setenv(
        CASES_DIR_ENV, os.pathsep.join([str(tmp_path / "env-a"), str(tmp_path / "env-b")])
    )
    library = resolve_library([tmp_path / "flag"])
    for case_id in ("migraine", "imported-one", "env-one", "env-two", "flag-one"):
        assert library.get(case_id).id == case_id


def test_a_missing_cases_dir_flag_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(InputError) as raised:
        resolve_library([tmp_path / "absent"])
    assert "--cases-dir" in raised.value.one_line()


def test_without_extras_the_shipped_library_is_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLINISIM_DATA_DIR", str(tmp_path))
    monkeypatch.delenv(CASES_DIR_ENV, raising=False)
    assert "stemi-inferior" in resolve_library().cases
    shutil.rmtree(tmp_path, ignore_errors=True)
