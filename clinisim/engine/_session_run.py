"""Drive one session of any kind through its graph, keeping its record on disk current."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, cast

from langchain_core.runnables import RunnableConfig
from langgraph.types import Command

from clinisim import __version__
from clinisim.engine._nodes import AGENTS_KEY
from clinisim.engine._record_file import write_session
from clinisim.engine._session_kind import SessionKind
from clinisim.engine._session_spec import SessionSpec
from clinisim.judges import SessionJudge
from clinisim.schemas import (
    Role,
    Score,
    Session,
    SessionError,
    TerminationReason,
    Turn,
    Usage,
    utc_now,
)

if TYPE_CHECKING:
    from langgraph.checkpoint.base import BaseCheckpointSaver
    from langgraph.graph.state import CompiledStateGraph

__all__ = ["HumanTurnNeeded", "RunEvent", "SessionJudge", "SessionRun", "TurnMade"]


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

SAVE_INTERVAL = 0.25
"""Seconds between two rewrites of a live session's record file. The checkpoint
holds every step; the record follows it at this pace and at every pause and end."""


class SessionRun:
    """One session: stream its graph, keep the record current, score it at the end.

    With a checkpointer every step is checkpointed (a killed session resumes where it
    stopped, and human turns can pause it). Without one (benchmark sessions, which
    resume whole) the state lives in memory. ``shared_graph`` is a graph compiled
    once for many sessions; this session's agents then travel in its config.
    """

    def __init__(
        self,
        kind: SessionKind,
        spec: SessionSpec,
        subject: Any,
        agents: Mapping[Role, Any],
        checkpointer: BaseCheckpointSaver[Any] | None = None,
        *,
        judges: Sequence[SessionJudge] = (),
        prompt_hashes: Mapping[str, str] | None = None,
        shared_graph: CompiledStateGraph[Any, None, Any, Any] | None = None,
    ) -> None:
        self.kind = kind
        self.spec = spec
        self.subject = subject
        self.agents = dict(agents)
        self.judges = tuple(judges)
        self.prompt_hashes = dict(prompt_hashes or {})
        self._checkpointer = checkpointer
        self._shared_graph = shared_graph
        # Each turn of the tested role costs at most 3 graph steps (it, the reply, slack).
        self.config: RunnableConfig = {
            "configurable": {"thread_id": spec.session_id, AGENTS_KEY: self.agents},
            "recursion_limit": 4 * spec.max_turns + 20,
        }
        self._values: dict[str, Any] = {}
        self._turns: list[Turn] = []
        """The transcript as typed turns, extended as the state grows (not re-validated)."""
        self._crash: SessionError | None = None
        self._interrupted = False
        self._saved_at = -SAVE_INTERVAL

    @cached_property
    def graph(self) -> CompiledStateGraph[Any, None, Any, Any]:
        """The compiled graph (the shared one, or this session's own)."""
        if self._shared_graph is not None:
            return self._shared_graph
        return self.kind.build_graph(self.agents, self.spec.budgets, self._checkpointer)

    async def restore(self) -> None:
        """Load the last checkpoint of this session, if there is one."""
        if self._checkpointer is not None:
            snapshot = await self.graph.aget_state(self.config)
            self._values = dict(snapshot.values or {})

    def has_started(self) -> bool:
        """True when the session has a state (restored or streamed)."""
        return bool(self._values.get("meta"))

    def is_finished(self) -> bool:
        """True when the session ended (any termination reason)."""
        return bool(self._values.get("termination_reason")) or self._crash is not None

    def mark_failed(self, error: SessionError) -> None:
        """End the session as failed with ``error``, keeping the transcript."""
        self._crash = error

    def amend(self, values: Mapping[str, Any]) -> None:
        """Add ``values`` to the ended session's state before it is scored.

        For what arrives after the graph ended: a trainee's formulation, written in
        the app once the client has gone. The record and the judges see the values.
        """
        self._values.update(values)

    def mark_interrupted(self) -> None:
        """End the session as ``interrupted`` (the run stopped it), keeping the transcript."""
        self._interrupted = True

    def _input(self, human_input: str | None) -> Any:
        if human_input is not None:
            return Command(resume=human_input)
        if self.has_started():
            return None
        return self.kind.initial_state(self.spec)

    async def stream(
        self, human_input: str | None = None, *, save: bool = True
    ) -> AsyncIterator[RunEvent]:
        """Advance the session until it ends or needs a human; yield each new turn.

        The first call starts the session; later calls continue it from its state
        (after a crash or kill) or, with ``human_input``, resume a paused human turn.
        With ``save`` the record file is rewritten atomically as the session goes
        (at most every :data:`SAVE_INTERVAL` seconds, and whenever it pauses or stops).
        Cancelling (a timeout, Ctrl-C) leaves the state at the last completed step.
        """
        try:
            # "sync" durability: a step's checkpoint is on disk before the next step
            # starts, so a kill at any point resumes from the record's last turn.
            options: dict[str, Any] = {"durability": "sync"} if self._checkpointer else {}
            async for mode, chunk in self.graph.astream(
                self._input(human_input),
                self.config,
                stream_mode=["updates", "values"],
                **options,
            ):
                if mode == "values":
                    self._values = dict(cast(dict[str, Any], chunk))
                    if save and time.monotonic() - self._saved_at >= SAVE_INTERVAL:
                        self.save()
                    continue
                for node, delta in cast(dict[str, Any], chunk).items():
                    if node == "__interrupt__":
                        if save:
                            self.save()
                        for item in delta:
                            payload = dict(item.value) if isinstance(item.value, dict) else {}
                            yield HumanTurnNeeded(
                                role=str(payload.get("role", "")), payload=payload
                            )
                        continue
                    for turn in (delta or {}).get("turns", []):
                        yield TurnMade(Turn.model_validate(turn))
            if save:
                self.save()
        except GeneratorExit:  # the caller stopped reading: the record keeps what was done
            if save:
                self.save()
            raise
        except (KeyboardInterrupt, asyncio.CancelledError):
            self._interrupted = True
            if save:
                self.save(durable=True)
            raise
        except Exception as exc:  # a bug or an unexpected library error: keep the transcript
            self._crash = SessionError(type=type(exc).__name__, message=str(exc))
            if save:
                self.save(durable=True)
            raise

    async def run(self) -> None:
        """Run to the end without human turns and without writing the record."""
        async for _event in self.stream(save=False):
            pass

    def _typed_turns(self) -> list[Turn]:
        raw = self._values.get("turns", [])
        if len(raw) < len(self._turns):  # a different state (restored): start over
            self._turns = []
        self._turns.extend(Turn.model_validate(t) for t in raw[len(self._turns) :])
        return list(self._turns)

    def record(self) -> Session:
        """The session record as it stands now (complete or partial), without scores."""
        state = self._values
        turns = self._typed_turns()
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
        return Session(
            session_id=self.spec.session_id,
            kind=cast(Any, self.kind.name),
            case_id=self.spec.case_id,
            persona=self.kind.persona_values(self.spec),
            models=dict(self.spec.models),
            seed=self.spec.seed,
            started_at=self.spec.started_at,
            ended_at=utc_now() if reason else None,
            config={**self.spec.budgets, "api_base": self.spec.api_base, **self.spec.extra_config},
            prompt_hashes=self.prompt_hashes,
            kit_version=__version__,
            turns=turns,
            termination_reason=TerminationReason(reason) if reason else None,
            outcome=self.kind.outcome(self.spec, self.subject, state, turns),
            usage=usage,
            error=error,
        )

    async def score(self, record: Session) -> list[Score]:
        """Run every judge on a finished record."""
        return [await judge(record, self.subject) for judge in self.judges]

    def save(self, *, durable: bool = False) -> Session:
        """Write the current (unscored) record to ``spec.out`` atomically and return it."""
        record = self.record()
        write_session(record, self.spec.out, durable=durable)
        self._saved_at = time.monotonic()
        return record

    async def finish(self, *, write: bool = True) -> Session:
        """The final record: scored when the session ended for a final reason, then written."""
        record = self.record()
        reason = record.termination_reason
        if reason is not None and reason.is_final:
            record.scores = await self.score(record)
        if write:
            write_session(record, self.spec.out)
        return record
