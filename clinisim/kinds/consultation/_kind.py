"""The consultation kind: a doctor takes a history, orders tests and diagnoses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from clinisim.engine import RegistryDefaults, SessionSpec, SummaryColumn
from clinisim.judges import match_diagnosis
from clinisim.kinds.consultation._agents import persona_of
from clinisim.kinds.consultation._graph import build_consultation_graph
from clinisim.schemas import (
    ConsultationOutcome,
    DoctorAction,
    PatientCase,
    Role,
    Session,
    SessionOutcome,
    TerminationReason,
    Turn,
)

if TYPE_CHECKING:
    from langgraph.checkpoint.base import BaseCheckpointSaver
    from langgraph.graph.state import CompiledStateGraph

    from clinisim.library import CaseLibrary
    from clinisim.store import RecordStore

__all__ = ["CONSULTATION", "ConsultationKind"]


def _outcome_of(session: Session) -> ConsultationOutcome | None:
    outcome = session.outcome
    return outcome if isinstance(outcome, ConsultationOutcome) else None


def _diagnosis(session: Session) -> str | None:
    outcome = _outcome_of(session)
    return (outcome.diagnosis_given or "(none)") if outcome else None


def _gold(session: Session) -> str | None:
    outcome = _outcome_of(session)
    return outcome.gold_diagnosis if outcome else None


def _match(session: Session) -> str | None:
    outcome = _outcome_of(session)
    if outcome is None:
        return None
    if outcome.correct is None:
        return "no diagnosis"
    return f"correct (matches {outcome.matched_name!r})" if outcome.correct else "incorrect"


def _match_style(session: Session) -> str:
    outcome = _outcome_of(session)
    if outcome is None or outcome.correct is None:
        return "yellow"
    return "green" if outcome.correct else "red"


def _ordered(session: Session) -> str | None:
    outcome = _outcome_of(session)
    return ", ".join(outcome.tests_ordered) if outcome and outcome.tests_ordered else None


@dataclass(frozen=True)
class ConsultationKind(RegistryDefaults):
    """Doctor, patient and examiner; ends with a diagnosis or at the turn budget."""

    name: str = "consultation"
    roles: tuple[Role, ...] = (Role.DOCTOR, Role.PATIENT, Role.EXAMINER)
    tested_role: Role = Role.DOCTOR
    budgets: Mapping[str, int] = field(default_factory=lambda: {"max_turns": 20, "max_tests": 8})
    termination_reasons: frozenset[TerminationReason] = frozenset(
        {
            TerminationReason.DIAGNOSIS_GIVEN,
            TerminationReason.TURN_BUDGET,
            TerminationReason.ERROR,
            TerminationReason.BUDGET_EXCEEDED,
            TerminationReason.INTERRUPTED,
        }
    )
    summary_columns: tuple[SummaryColumn, ...] = (
        SummaryColumn("diagnosis given", _diagnosis),
        SummaryColumn("gold diagnosis", _gold),
        SummaryColumn("match", _match, _match_style),
        SummaryColumn("ordered", _ordered),
    )

    def subject(self, library: CaseLibrary, subject_id: str) -> PatientCase:
        """The case called ``subject_id`` (unknown ids are an ``InputError``)."""
        return library.get(subject_id)

    def prepare_store(self, store: RecordStore, subject: Any) -> None:
        """Ingest the case's facts and records (once per case and content)."""
        store.ensure_ingested(subject)

    def build_graph(
        self,
        agents: Mapping[Role, Any] | None,
        budgets: Mapping[str, int],
        checkpointer: BaseCheckpointSaver[Any] | None,
    ) -> CompiledStateGraph[Any, None, Any, Any]:
        """The consultation graph."""
        return build_consultation_graph(agents, {**self.budgets, **budgets}, checkpointer)

    def initial_state(self, spec: SessionSpec) -> dict[str, Any]:
        """An empty transcript with nothing ordered."""
        return {
            "meta": spec.to_meta(),
            "turns": [],
            "doctor_turns": 0,
            "tests_ordered": [],
            "failed_usage": [],
            "pending": None,
            "termination_reason": None,
            "error": None,
        }

    def outcome(
        self, spec: SessionSpec, subject: Any, state: Mapping[str, Any], turns: list[Turn]
    ) -> SessionOutcome:
        """The last diagnosis given, matched against the case's gold diagnosis."""
        case: PatientCase = subject
        given: DoctorAction | None = None
        for turn in reversed(turns):
            action = turn.action
            if isinstance(action, DoctorAction) and action.kind == "diagnose":
                given = action
                break
        diagnosis = given.diagnosis if given else None
        match = match_diagnosis(diagnosis, case.diagnosis)
        return ConsultationOutcome(
            diagnosis_given=diagnosis,
            differential_given=list(given.differential) if given else [],
            gold_diagnosis=case.diagnosis.name,
            correct=match.correct if diagnosis else None,
            matched_name=match.matched_name,
            tests_ordered=list(state.get("tests_ordered", [])),
        )

    def persona_values(self, spec: SessionSpec) -> dict[str, str | None]:
        """The persona's axis values."""
        return persona_of(spec).axis_values()


CONSULTATION = ConsultationKind()
