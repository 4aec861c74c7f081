"""Drive one consultation through the graph, saving the record after every turn."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any, cast

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command

from clinisim import __version__
from clinisim.errors import InputError
from clinisim.graphs import (
    ROLES_KEY,
    ConsultationBudgets,
    ConsultationRoles,
    ConsultationState,
    build_consultation_graph,
    turns_of,
)
from clinisim.judges import SessionJudge, default_judges, match_diagnosis
from clinisim.paths import data_dir
from clinisim.schemas import (
    ConsultationOutcome,
    DoctorAction,
    PatientCase,
    Persona,
    Score,
    Session,
    SessionError,
    TerminationReason,
    Turn,
    Usage,
    utc_now,
)
from clinisim.session._record_file import write_session

__all__ = [
    "ConsultationGraph",
    "ConsultationRun",
    "ConsultationSpec",
    "HumanTurnNeeded",
    "RunEvent",
    "TurnMade",
    "checkpoint_path",
    "load_spec",
    "open_checkpointer",
]


@dataclass(frozen=True)
class ConsultationSpec:
    """Everything that determines a consultation; stored in the graph state for resume."""

    session_id: str
    case_id: str
    persona: Persona
    seed: int
    models: dict[str, str]
    out: Path
    max_turns: int = 20
    max_tests: int = 8
    api_base: str | None = None
    started_at: datetime = field(default_factory=utc_now)
    extra_config: dict[str, Any] = field(default_factory=dict)
    """More settings for the record's ``config`` (the runner's run id, trial...)."""

    def to_meta(self) -> dict[str, Any]:
        """A JSON-able form of the spec (never holds API keys)."""
        return {
            "session_id": self.session_id,
            "case_id": self.case_id,
            "persona": self.persona.model_dump(mode="json"),
            "seed": self.seed,
            "models": dict(self.models),
            "out": str(self.out),
            "max_turns": self.max_turns,
            "max_tests": self.max_tests,
            "api_base": self.api_base,
            "started_at": self.started_at.isoformat(),
            "extra_config": dict(self.extra_config),
        }

    @classmethod
    def from_meta(cls, meta: dict[str, Any]) -> ConsultationSpec:
        """Inverse of :meth:`to_meta`."""
        return cls(
            session_id=meta["session_id"],
            case_id=meta["case_id"],
            persona=Persona.model_validate(meta["persona"]),
            seed=int(meta["seed"]),
            models=dict(meta["models"]),
            out=Path(meta["out"]),
            max_turns=int(meta["max_turns"]),
            max_tests=int(meta["max_tests"]),
            api_base=meta.get("api_base"),
            started_at=datetime.fromisoformat(meta["started_at"]),
            extra_config=dict(meta.get("extra_config") or {}),
        )


@dataclass(frozen=True)
class TurnMade:
    """A new turn was added to the transcript."""

    turn: Turn


@dataclass(frozen=True)
class HumanTurnNeeded:
    """The graph paused for a human playing ``role``; resume with their text."""

    role: str
    payload: dict[str, Any]


RunEvent = TurnMade | HumanTurnNeeded


def checkpoint_path() -> Path:
    """The SQLite checkpoint database, shared by all sessions, keyed by session id."""
    return data_dir() / "checkpoints.sqlite"


def open_checkpointer(path: Path | None = None) -> SqliteSaver:
    """A SQLite checkpointer on ``path`` (default :func:`checkpoint_path`)."""
    target = path or checkpoint_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(target), check_same_thread=False)
    return SqliteSaver(conn)


def load_spec(session_id: str, checkpointer: SqliteSaver) -> ConsultationSpec:
    """Recover a session's spec from its checkpoints; unknown ids are an ``InputError``."""
    found = checkpointer.get_tuple({"configurable": {"thread_id": session_id}})
    meta = found.checkpoint["channel_values"].get("meta") if found else None
    if not isinstance(meta, dict):
        raise InputError(
            f"no checkpoint for session {session_id!r} in {checkpoint_path()}", field="--resume"
        )
    return ConsultationSpec.from_meta(meta)


ConsultationGraph = CompiledStateGraph[
    ConsultationState, None, ConsultationState, ConsultationState
]
"""A compiled consultation graph."""

RoleBuilder = Callable[[ConsultationSpec, PatientCase], ConsultationRoles]


class ConsultationRun:
    """One consultation: build the graph, stream it, keep the record on disk current."""

    def __init__(
        self,
        spec: ConsultationSpec,
        case: PatientCase,
        roles: ConsultationRoles,
        checkpointer: BaseCheckpointSaver[Any] | None,
        prompt_hashes: dict[str, str] | None = None,
        judges: Sequence[SessionJudge] | None = None,
        shared_graph: ConsultationGraph | None = None,
    ) -> None:
        self.spec = spec
        self.judges = tuple(judges) if judges is not None else default_judges()
        self.case = case
        self.prompt_hashes = dict(prompt_hashes or {})
        self._roles = roles
        self._budgets = ConsultationBudgets(spec.max_turns, spec.max_tests)
        self._shared_graph = shared_graph
        # Each doctor turn costs at most 3 graph steps (doctor, reply, routing slack).
        self.config: RunnableConfig = {
            "configurable": {"thread_id": spec.session_id, ROLES_KEY: roles},
            "recursion_limit": 4 * spec.max_turns + 20,
        }
        self._checkpointer = checkpointer
        self._values: ConsultationState = {}
        """Without a checkpointer (benchmark sessions): the state after the last step."""
        self._values_fresh = False
        """Whether ``_values`` holds the state after the latest step (set while streaming)."""
        self._crash: SessionError | None = None
        self._interrupted = False
        self._scored: tuple[tuple[int, str], list[Score]] | None = None
        """The scores of the finished record, by (turns, termination reason): the record
        is saved after the last step and again when the run ends, and judging it (every
        statement embedded and compared) is the most expensive part of a session."""

    @cached_property
    def graph(
        self,
    ) -> CompiledStateGraph[ConsultationState, None, ConsultationState, ConsultationState]:
        """The graph with synchronous nodes (``stream``), compiled on first use."""
        return build_consultation_graph(self._roles, self._budgets, self._checkpointer)

    @cached_property
    def _async_graph(
        self,
    ) -> CompiledStateGraph[ConsultationState, None, ConsultationState, ConsultationState]:
        if self._shared_graph is not None:
            return self._shared_graph  # the run's graph; this session's agents are in config
        return build_consultation_graph(
            self._roles, self._budgets, self._checkpointer, asynchronous=True
        )

    def _state(self) -> ConsultationState:
        if self._checkpointer is None or self._values_fresh:
            return self._values
        values: ConsultationState = self.graph.get_state(self.config).values  # type: ignore[assignment]
        return values

    def has_started(self) -> bool:
        """True when a checkpoint for this session exists."""
        return bool(self._state().get("meta"))

    def is_finished(self) -> bool:
        """True when the session ended (any termination reason)."""
        return bool(self._state().get("termination_reason")) or self._crash is not None

    def _initial_input(self) -> ConsultationState:
        return {
            "meta": self.spec.to_meta(),
            "turns": [],
            "doctor_turns": 0,
            "tests_ordered": [],
            "failed_usage": [],
            "pending": None,
            "termination_reason": None,
            "error": None,
        }

    async def arun(self) -> None:
        """Run the session to its end with async agents (no human roles), saving nothing.

        The benchmark runner's path: many sessions share one event loop, and the
        caller decides when the record is scored and written. Cancelling the task
        (a session timeout) leaves the state at the last completed step. Built
        without a checkpointer, the run keeps its state in memory: a benchmark
        resumes whole sessions, so per-step checkpoints would only cost time.
        """
        graph_input = None if self.has_started() else self._initial_input()
        stream = self._async_graph.astream(graph_input, self.config, stream_mode="values")
        async for values in stream:
            # Kept here, so a session without a checkpointer still has its state when
            # it ends or is cut off by a timeout.
            self._values = cast(ConsultationState, values)

    def mark_failed(self, error: SessionError) -> None:
        """End the session as failed (``error``) with ``error``, keeping the transcript."""
        self._crash = error

    def mark_interrupted(self) -> None:
        """End the session as ``interrupted`` (the run stopped it), keeping the transcript."""
        self._interrupted = True

    def score(self, record: Session) -> list[Score]:
        """Run every judge on a finished record."""
        return [judge(record, self.case) for judge in self.judges]

    def stream(self, human_input: str | None = None) -> Iterator[RunEvent]:
        """Advance the session until it ends or needs a human; yield each new turn.

        The first call starts the session; later calls continue it from its last
        checkpoint (after a crash or kill) or, with ``human_input``, resume a paused
        human turn. The record file is rewritten atomically after every step.
        """
        graph_input: Any
        if human_input is not None:
            graph_input = Command(resume=human_input)
        elif self.has_started():
            graph_input = None
        else:
            graph_input = self._initial_input()
        try:
            # "values" carries the state after each step, so saving the record does not
            # read the whole state back from the checkpointer at every step.
            for mode, chunk in self.graph.stream(
                graph_input, self.config, stream_mode=["updates", "values"]
            ):
                if mode == "values":
                    self._values = cast(ConsultationState, chunk)
                    self._values_fresh = True
                    self.save()
                    continue
                for node, delta in cast(dict[str, Any], chunk).items():
                    if node == "__interrupt__":
                        for item in delta:
                            payload = dict(item.value) if isinstance(item.value, dict) else {}
                            yield HumanTurnNeeded(
                                role=str(payload.get("role", "")), payload=payload
                            )
                        continue
                    for turn in (delta or {}).get("turns", []):
                        yield TurnMade(Turn.model_validate(turn))
        except KeyboardInterrupt:
            self._interrupted = True
            self.save()
            raise
        except Exception as exc:  # a bug or an unexpected library error: keep the transcript
            self._crash = SessionError(type=type(exc).__name__, message=str(exc))
            self.save()
            raise
        self.save()

    def session(self, *, scored: bool = True) -> Session:
        """The session record as it stands now (complete or partial).

        A finished session is scored by the judges unless ``scored`` is false.
        """
        state = self._state()
        turns = turns_of(state)
        reason = state.get("termination_reason")
        error = SessionError.model_validate(state["error"]) if state.get("error") else self._crash
        if self._crash is not None:
            reason = TerminationReason.ERROR.value
        elif self._interrupted and not reason:
            reason = TerminationReason.INTERRUPTED.value
        usage: dict[str, Usage] = {}
        for turn in turns:
            if turn.usage is not None:
                usage[turn.role.value] = usage.get(turn.role.value, Usage()).add(turn.usage)
        for failed in state.get("failed_usage", []):
            role = str(failed["role"])
            usage[role] = usage.get(role, Usage()).add(Usage.model_validate(failed["usage"]))
        record = Session(
            session_id=self.spec.session_id,
            kind="consultation",
            case_id=self.spec.case_id,
            persona=self.spec.persona.axis_values(),
            models=dict(self.spec.models),
            seed=self.spec.seed,
            started_at=self.spec.started_at,
            ended_at=utc_now() if reason else None,
            config={
                "max_turns": self.spec.max_turns,
                "max_tests": self.spec.max_tests,
                "api_base": self.spec.api_base,
                **self.spec.extra_config,
            },
            prompt_hashes=self.prompt_hashes,
            kit_version=__version__,
            turns=turns,
            termination_reason=TerminationReason(reason) if reason else None,
            outcome=self._outcome(state, turns),
            usage=usage,
            error=error,
        )
        if scored and reason and reason != TerminationReason.INTERRUPTED.value:
            # A finished session is scored once; the scores travel with the record.
            key = (len(turns), str(reason))
            if self._scored is None or self._scored[0] != key:
                self._scored = (key, self.score(record))
            record.scores = [score.model_copy(deep=True) for score in self._scored[1]]
        return record

    def _outcome(self, state: ConsultationState, turns: list[Turn]) -> ConsultationOutcome:
        given: DoctorAction | None = None
        for turn in reversed(turns):
            if turn.action is not None and turn.action.kind == "diagnose":
                given = turn.action
                break
        diagnosis = given.diagnosis if given else None
        match = match_diagnosis(diagnosis, self.case.diagnosis)
        return ConsultationOutcome(
            diagnosis_given=diagnosis,
            differential_given=list(given.differential) if given else [],
            gold_diagnosis=self.case.diagnosis.name,
            correct=match.correct if diagnosis else None,
            matched_name=match.matched_name,
            tests_ordered=list(state.get("tests_ordered", [])),
        )

    def save(self) -> Session:
        """Write the current record to ``spec.out`` atomically and return it."""
        record = self.session()
        write_session(record, self.spec.out)
        return record
