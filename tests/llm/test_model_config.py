"""Which model plays each role: flags over environment over config file over default."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinisim.errors import InputError
from clinisim.llm import load_model_config


def test_precedence_flag_env_file_default(tmp_path: Path) -> None:
    config_file = tmp_path / "clinisim.yaml"
    config_file.write_text(
        "models:\n  doctor: openai/from-file\n  patient: openai/from-file\n  examiner: openai/from-file\n"
        "api_base: http://127.0.0.1:9/v1\ntimeout: 12\n"
    )
    env = {"CLINISIM_DOCTOR_MODEL": "openai/from-env", "CLINISIM_PATIENT_MODEL": "openai/from-env"}
    config = load_model_config({"doctor": "openai/from-flag"}, config_file=config_file, env=env)
    assert config.model_for("doctor") == "openai/from-flag"
    assert config.model_for("patient") == "openai/from-env"
    assert config.model_for("examiner") == "openai/from-file"
    assert config.model_for("judge") == "offline"
    assert config.api_base == "http://127.0.0.1:9/v1" and config.timeout == 12


def test_toml_config_file(tmp_path: Path) -> None:
    config_file = tmp_path / "clinisim.toml"
    config_file.write_text('[models]\ndoctor = "anthropic/claude-3-5-haiku-latest"\n')
    config = load_model_config({}, config_file=config_file, env={})
    assert config.model_for("doctor") == "anthropic/claude-3-5-haiku-latest"


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("nosuchprovider/model", "unknown model provider 'nosuchprovider'"),
        ("gpt4", "must be 'offline', 'human' or 'provider/model'"),
    ],
)
def test_bad_model_strings_are_input_errors(value: str, fragment: str) -> None:
    with pytest.raises(InputError) as info:
        load_model_config({"doctor": value}, env={})
    assert fragment in info.value.one_line() and info.value.field == "--doctor"


def test_bad_config_file_names_file_and_field(tmp_path: Path) -> None:
    config_file = tmp_path / "bad.yaml"
    config_file.write_text("models:\n  surgeon: openai/x\n")
    with pytest.raises(InputError) as info:
        load_model_config({}, config_file=config_file, env={})
    assert str(config_file) in info.value.one_line() and "models" in info.value.one_line()
    config_file.write_text("models: [unclosed\n")
    with pytest.raises(InputError, match="malformed YAML"):
        load_model_config({}, config_file=config_file, env={})


def test_record_holds_models_never_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLINISIM_API_KEY", "sk-should-not-appear-123456")
    config = load_model_config({"doctor": "openai/gpt-4o-mini"}, env={})
    assert "sk-should-not-appear" not in str(config.models_for_record())
    assert config.models_for_record()["doctor"] == "openai/gpt-4o-mini"
