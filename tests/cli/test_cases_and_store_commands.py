"""`clinisim cases ...` and `clinisim store ...` through the real command."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import Cli

SAMPLE = Path(__file__).parents[1] / "data" / "agentclinic_sample.jsonl"


def test_list_hides_the_diagnosis_unless_asked(cli: Cli) -> None:
    listed = cli("cases", "list", "--format", "json")
    assert listed.returncode == 0
    rows = json.loads(listed.stdout)
    assert len(rows) >= 30 and "diagnosis" not in rows[0]
    specialties = {r["specialty"] for r in rows}
    assert len(specialties) >= 10
    shown = json.loads(
        cli("cases", "list", "--format", "json", "--show-diagnosis", "--tag", "red-flag").stdout
    )
    assert shown and all("red-flag" in r["tags"] and r["diagnosis"] for r in shown)


def test_show_masks_examiner_and_hidden_fields(cli: Cli) -> None:
    masked = cli("cases", "show", "stemi-inferior")
    assert masked.returncode == 0
    assert "ST elevation" not in masked.stdout and "masked" in masked.stdout
    revealed = cli("cases", "show", "stemi-inferior", "--reveal")
    assert "ST elevation" in revealed.stdout


def test_validate_library_and_a_malformed_file(cli: Cli, tmp_path: Path) -> None:
    assert cli("cases", "validate").returncode == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\ntitle: [unclosed\n")
    result = cli("cases", "validate", str(bad))
    assert result.returncode == 2
    assert f"{bad}: line" in result.stdout and "malformed YAML" in result.stdout
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(
        "id: wrong\ntitle: t\nspecialty: s\ndemographics: {age: -3, sex: male}\nchief_complaint: x\n"
        "diagnosis: {name: y}\nprovenance: {source: a, author: b, licence: c}\n"
    )
    result = cli("cases", "validate", str(wrong))
    assert result.returncode == 2 and f"{wrong}: demographics.age:" in result.stdout


def test_import_agentclinic_reports_lines_and_keeps_the_rest(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "imported"
    result = cli("cases", "import", "--format", "agentclinic", str(SAMPLE), "--out", str(out))
    assert result.returncode == 2
    assert "line 4: not valid JSON" in result.stdout
    assert "imported 4 case(s)" in result.stdout
    assert len(list(out.glob("*.yaml"))) == 4
    assert cli("cases", "validate", str(out)).returncode == 0
    unknown = cli("cases", "import", "--format", "mindeval", str(SAMPLE))
    assert unknown.returncode == 2 and "unknown format 'mindeval'" in unknown.stderr


def test_store_query_shows_only_patient_chunks(cli: Cli) -> None:
    patient = cli(
        "store", "query", "--case", "stemi-inferior", "what did the ECG show?", "--k", "8"
    )
    assert patient.returncode == 0, patient.stderr
    assert "examiner" not in patient.stdout and "patient" in patient.stdout
    examiner = cli("store", "query", "--case", "stemi-inferior", "--as", "examiner", "ECG result")
    assert "examiner" in examiner.stdout


def test_store_ingest_reports_counts(cli: Cli, tmp_path: Path) -> None:
    result = cli("store", "ingest", "--case", "gout", "--store-dir", str(tmp_path / "s"))
    assert result.returncode == 0 and "1 case(s) indexed" in result.stdout
    again = cli("store", "ingest", "--case", "gout", "--store-dir", str(tmp_path / "s"))
    assert "0 case(s) indexed, 1 unchanged" in again.stdout


def test_an_imported_case_runs_by_its_id(cli: Cli, tmp_path: Path) -> None:
    """`cases import` writes into the data dir, and every command then sees the case."""
    data = tmp_path / "data"
    env = {"CLINISIM_DATA_DIR": str(data)}
    nejm = Path(__file__).parents[1] / "data" / "agentclinic_nejm.jsonl"
    imported = cli("cases", "import", "--format", "agentclinic", str(nejm), env=env)
    assert "imported 2 case(s)" in imported.stdout
    listed = cli("cases", "list", "--format", "json", env=env)
    ids = {row["id"] for row in json.loads(listed.stdout)}
    assert {"agentclinic-1", "agentclinic-3", "migraine"} <= ids
    ran = cli("run", "--case", "agentclinic-3", "-q", env=env)
    assert ran.returncode == 0, ran.stderr
    assert "Acute anterior uveitis" in ran.stdout  # the gold diagnosis of the imported case
    missing = cli("run", "--case", "agentclinic-3", "--cases-dir", str(tmp_path / "nope"), env=env)
    assert missing.returncode == 2 and "--cases-dir" in missing.stderr


def test_validate_flags_a_patient_visible_finding(cli: Cli, tmp_path: Path) -> None:
    leaky = tmp_path / "leaky.yaml"
    leaky.write_text(
        "id: leaky\ntitle: t\nspecialty: s\ndemographics: {age: 70, sex: male}\n"
        "chief_complaint: My eyesight is cloudy\n"
        "hpi: {associated: [Cloudy lenses noticed upon examination]}\n"
        "diagnosis: {name: Cataract}\nprovenance: {source: a, author: b, licence: c}\n"
    )
    result = cli("cases", "validate", str(leaky))
    assert result.returncode == 2
    assert f"{leaky}: hpi.associated.0: patient-visible fact reads as an exam or test finding" in (
        result.stdout
    )
