"""``clinisim counsel`` and ``clinisim clients`` as a user runs them."""

from __future__ import annotations

from pathlib import Path

from clinisim.engine import read_session
from clinisim.schemas import TerminationReason
from tests.cli.conftest import Cli

DATA = Path(__file__).parent.parent / "data"


def test_counsel_runs_an_offline_session_and_saves_its_record(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "session.json"
    result = cli("counsel", "--client", "maya-work-stress", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "Counselor:" in result.stdout and "Client:" in result.stdout
    assert "trust" in result.stdout and "PHQ-9" in result.stdout
    record = read_session(out)
    assert record.kind == "counseling"
    assert record.termination_reason is TerminationReason.COUNSELOR_CLOSED


def test_bad_flags_and_unknown_clients_exit_2_with_one_line(cli: Cli) -> None:
    bad_style = cli("counsel", "--style", "loud")
    assert bad_style.returncode == 2
    assert "--style" in bad_style.stderr and "loud" in bad_style.stderr
    assert "Traceback" not in bad_style.stderr
    unknown = cli("counsel", "--client", "nobody")
    assert unknown.returncode == 2 and "unknown client 'nobody'" in unknown.stderr


def test_clients_import_reports_failed_entries_by_number(cli: Cli, tmp_path: Path) -> None:
    result = cli(
        "clients",
        "import",
        "--format",
        "patient-psi",
        str(DATA / "patient_psi_sample.json"),
        "--out",
        str(tmp_path / "imported"),
    )
    assert result.returncode == 2
    assert "entry 3" in result.stdout and "entry 4" in result.stdout
    assert "imported 2 client(s)" in result.stdout
    valid = cli("clients", "validate", *map(str, sorted((tmp_path / "imported").glob("*.yaml"))))
    assert valid.returncode == 0, valid.stdout


def test_role_maps_and_the_model_under_test() -> None:
    import pytest

    from clinisim.cli._options import role_map
    from clinisim.errors import InputError

    roles = role_map(
        ["patient=openai/a", "judge=openai/j"],
        "doctor",
        "openai/under-test",
        {"doctor": None, "patient": None, "examiner": "offline"},
    )
    assert roles == {
        "patient": "openai/a",
        "judge": "openai/j",
        "doctor": "openai/under-test",
        "examiner": "offline",
    }
    assert role_map(["client=openai/c"], "counselor", None, {"client": "offline"}) == {
        "client": "offline"
    }
    for bad, match in (
        (["patient"], "expected ROLE=MODEL"),
        (["nurse=openai/x"], "unknown role 'nurse'"),
        (["patient=a/b", "patient=c/d"], "given twice"),
    ):
        with pytest.raises(InputError, match=match):
            role_map(bad, "doctor", None, {})
    with pytest.raises(InputError, match="different models"):
        role_map(None, "doctor", "openai/x", {"doctor": "openai/y"})
