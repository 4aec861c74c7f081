"""A kind defined outside the kit runs through the runner and the report unchanged."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clinisim.engine import AgentContext, SessionSpec, build_agents, read_session, register_kind
from clinisim.kinds.consultation import ConsultationKind
from clinisim.library import CaseLibrary
from clinisim.report import build_leaderboard, load_run
from clinisim.schemas import Role
from clinisim.store import RecordStore
from tests.runner.conftest import bench, write_suite


@dataclass(frozen=True)
class ShortConsultation(ConsultationKind):
    """A consultation variant a third-party package might ship: a three-turn history
    and no tests, played by the consultation agents."""

    name: str = "short-consultation"
    budgets: Mapping[str, int] = field(default_factory=lambda: {"max_turns": 3, "max_tests": 0})

    def build_agents(
        self, spec: SessionSpec, subject: Any, context: AgentContext
    ) -> tuple[dict[Role, Any], dict[str, str]]:
        return build_agents("consultation", self.roles, spec, subject, context)


register_kind(ShortConsultation())


def test_a_plug_in_kind_runs_resumes_and_reports(
    tmp_path: Path, library: CaseLibrary, store: RecordStore
) -> None:
    suite = write_suite(
        tmp_path,
        kind="short-consultation",
        cases=["gout"],
        trials=1,
        rubrics=["history-taking"],
        budgets={"max_turns": 3, "max_tests": 0},
    )
    result = bench(suite, tmp_path / "run", library, store)
    assert result.exit_code == 0 and result.manifest.counts["completed"] == 1
    (path,) = (tmp_path / "run" / "sessions").glob("*.json")
    record = read_session(path)
    assert record.kind == "short-consultation"
    assert sum(t.role is Role.DOCTOR for t in record.turns) <= 3
    assert [s.name for s in record.scores] == ["history-taking"]
    board = build_leaderboard(load_run(tmp_path / "run"))
    assert board.kind == "short-consultation" and board.tested_role == "doctor"
    assert [row.model for row in board.rows] == ["offline"] and board.rows[0].ended == 1
