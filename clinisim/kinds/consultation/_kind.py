"""The consultation kind: a doctor takes a history, orders tests and diagnoses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from clinisim.engine import (
    RegistryDefaults,
    ReportColumn,
    ReportSeries,
    SessionSpec,
    SummaryColumn,
)
from clinisim.judges import MODERATOR, TOP_K, match_diagnosis
from clinisim.kinds.consultation._agents import persona_of
from clinisim.kinds.consultation._graph import build_consultation_graph
from clinisim.schemas import (
    PERSONA_AXES,
    ConsultationOutcome,
    DoctorAction,
    PatientCase,
    Persona,
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


def _score(session: Session, name: str) -> Any:
    # The last one wins: a rescore appends rather than edits in some tools.
    found = [score for score in session.scores if score.name == name]
    return found[-1] if found else None


def _top1(session: Session) -> float:
    outcome = _outcome_of(session)
    return 1.0 if outcome is not None and outcome.correct is True else 0.0


def _top_k(session: Session) -> float:
    score = _score(session, "diagnosis")
    item_id = f"top{TOP_K}"
    met = score is not None and any(i.id == item_id and i.met is True for i in score.items)
    return 1.0 if met else 0.0


def _moderator(session: Session) -> float | None:
    score = _score(session, MODERATOR)
    return score.value if score is not None and score.status == "scored" else None


def _tests(session: Session) -> float:
    outcome = _outcome_of(session)
    return float(len(outcome.tests_ordered)) if outcome else 0.0


TOP1 = ReportColumn("top1", "Top-1", _top1)
"""A correct diagnosis (synonym match with the gold diagnosis); a session that gave
none, or failed, counts as not correct."""


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
    subject_field: str = "cases"
    persona_axes: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: {
            axis: tuple(m.value for m in enum) for axis, enum in PERSONA_AXES.items()
        }
    )
    persona_defaults: Mapping[str, str | None] = field(
        default_factory=lambda: Persona().axis_values()
    )
    success: ReportColumn = TOP1
    report_columns: tuple[ReportColumn, ...] = (
        ReportColumn(f"top{TOP_K}", f"Top-{TOP_K}", _top_k),
        ReportColumn("moderator", "Moderator", _moderator),
        ReportColumn("tests", "Tests", _tests, percent=False),
    )

    report_series: tuple[ReportSeries, ...] = ()

    def library_subjects(self, library: CaseLibrary) -> Mapping[str, PatientCase]:
        """Every case of the library."""
        return library.cases

    def subject_tags(self, subject: Any) -> list[str]:
        """A case's tags."""
        case: PatientCase = subject
        return list(case.tags)

    def session_persona(self, subject: Any, values: Mapping[str, str | None]) -> dict[str, Any]:
        """The patient persona, every axis filled in."""
        return Persona.model_validate(
            {axis: value for axis, value in values.items() if value is not None}
        ).model_dump(mode="json")

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
