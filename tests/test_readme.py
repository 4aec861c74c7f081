"""The README's two commands are the ones the project actually runs."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_readme_test_command_is_what_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "bash scripts/test.sh" in readme
    assert "bash scripts/test.sh" in ci
    script = (ROOT / "scripts" / "test.sh").read_text()
    assert "pytest" in script and "-eq 5" in script  # "no tests" must fail


def test_readme_main_command_runs_the_offline_default() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "pip install -e . && clinisim run" in readme
