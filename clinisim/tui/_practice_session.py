"""A trainee's session: the trainee plays the kind's tested role, models play the rest.

Nothing here draws. :class:`PracticeKit` holds what every session of the app shares
(the case library, the record store, the checkpointer, where records go) and
:class:`PracticeSession` drives one session through the same engine, graph and
record file as ``clinisim run`` and ``clinisim counsel``: the trainee's role is
``human``, so the graph pauses for each of their turns and the checkpoint lets an
interrupted session resume from the history screen.

Every coroutine here runs on the app's :class:`SessionHost` loop.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clinisim.engine import (
    HumanTurnNeeded,
    SessionRun,
    SessionSpec,
    TurnMade,
    build_session,
    kind_named,
    load_spec,
    open_checkpointer,
)
from clinisim.errors import InputError, RuntimeFailure
from clinisim.llm import TextSink, streaming_to
from clinisim.schemas import Formulation, Session, SessionError, TerminationReason, Turn

if TYPE_CHECKING:
    from langgraph.checkpoint.base import BaseCheckpointSaver

    from clinisim.library import CaseLibrary
    from clinisim.llm import ModelClient, ModelConfig
    from clinisim.store import RecordStore

__all__ = [
    "HUMAN",
    "PracticeKit",
    "PracticeSession",
    "PracticeSetup",
    "TurnSink",
]

HUMAN = "human"
END_SESSION_TAG = "[END SESSION]"
TurnSink = Callable[[Turn], None]
"""Called with each new turn as the session makes it."""


@dataclass(frozen=True)
class PracticeSetup:
    """What the trainee chose on the start screen."""

    kind: str
    """``consultation`` (the trainee is the doctor) or ``counseling`` (the counselor)."""
    subject_id: str
    persona: dict[str, str | None] = field(default_factory=dict)
    """Persona axis (or counseling style) values; ``None`` keeps the subject's own."""
    model: str = "offline"
    """The model of every simulated role (patient and examiner, or client)."""
    judge: str = "offline"
    max_turns: int = 20
    max_tests: int = 8
    minutes: int | None = None
    """A time budget; the app stops taking turns when it runs out."""
    seed: int = 0
    api_base: str | None = None


class PracticeKit:
    """What every session of the app shares, opened once on the host loop."""

    def __init__(
        self,
        library: CaseLibrary,
        out_dir: Path,
        *,
        client_factory: Callable[[ModelConfig], ModelClient] | None = None,
        checkpoint_file: Path | None = None,
    ) -> None:
        self.library = library
        self.out_dir = out_dir
        self._client_factory = client_factory
        self._checkpoint_file = checkpoint_file
        self._store: RecordStore | None = None
        self._stack = contextlib.AsyncExitStack()
        self._checkpointer: BaseCheckpointSaver[Any] | None = None

    @property
    def store(self) -> RecordStore:
        """The record store (opened on first use)."""
        if self._store is None:
            from clinisim.store import RecordStore

            self._store = RecordStore()
        return self._store

    async def checkpointer(self) -> BaseCheckpointSaver[Any]:
        """The checkpointer every practice session writes to (opened on first use)."""
        if self._checkpointer is None:
            self._checkpointer = await self._stack.enter_async_context(
                open_checkpointer(self._checkpoint_file)
            )
        return self._checkpointer

    async def warm_up(self) -> None:
        """Open the store and load the embedding model before the first session needs them."""
        from clinisim.store import embed_queries

        await self.checkpointer()
        _ = self.store
        embed_queries(["warm up"])

    async def close(self) -> None:
        """Close the checkpointer."""
        await self._stack.aclose()

    def _client(self, config: ModelConfig) -> ModelClient:
        if self._client_factory is not None:
            return self._client_factory(config)
        from clinisim.llm import ModelClient

        return ModelClient(config)

    def _model_config(self, models: Mapping[str, str], api_base: str | None) -> ModelConfig:
        from clinisim.llm import load_model_config

        return load_model_config(dict(models), api_base=api_base)

    async def start(self, setup: PracticeSetup) -> PracticeSession:
        """A new session from the trainee's choices (unknown ids are an ``InputError``)."""
        kind = kind_named(setup.kind)
        subject = kind.subject(self.library, setup.subject_id)
        tested = kind.tested_role.value
        roles = {role.value: setup.model for role in kind.roles}
        roles[tested] = HUMAN
        roles["judge"] = setup.judge
        config = self._model_config(roles, setup.api_base)
        models = {k: v for k, v in config.models_for_record().items() if k in roles}
        session_id = f"{setup.subject_id}-s{setup.seed}-{uuid.uuid4().hex[:8]}"
        budgets = {"max_turns": setup.max_turns}
        if setup.kind == "consultation":
            budgets["max_tests"] = setup.max_tests
        extra: dict[str, Any] = {"practice": True}
        if setup.minutes:
            extra["time_budget_minutes"] = setup.minutes
        spec = SessionSpec(
            kind=setup.kind,
            session_id=session_id,
            case_id=setup.subject_id,
            persona=kind.session_persona(subject, setup.persona),
            seed=setup.seed,
            models=models,
            out=self.out_dir / f"{session_id}.json",
            budgets=budgets,
            api_base=config.api_base,
            extra_config=extra,
        )
        return await self._session(spec, config, subject)

    async def resume(self, session_id: str) -> PracticeSession:
        """A session interrupted earlier, from its checkpoint."""
        spec = await load_spec(session_id, await self.checkpointer())
        kind = kind_named(spec.kind)
        if spec.models.get(kind.tested_role.value) != HUMAN:
            raise InputError(
                f"session {session_id!r} was not a practice session "
                f"(its {kind.tested_role.value} is {spec.models.get(kind.tested_role.value)!r})",
                field="session",
            )
        config = self._model_config(spec.models, spec.api_base)
        return await self._session(spec, config, None)

    async def _session(
        self, spec: SessionSpec, config: ModelConfig, subject: Any
    ) -> PracticeSession:
        run = build_session(
            spec,
            library=self.library,
            store=self.store,
            client=self._client(config),
            checkpointer=await self.checkpointer(),
            subject=subject,
        )
        return PracticeSession(run)


class PracticeSession:
    """One session the trainee plays. Feed it their turns; it reports the others'."""

    def __init__(self, run: SessionRun) -> None:
        self.run = run
        self.waiting: dict[str, Any] | None = None
        """The graph's request for the trainee's next turn, when it is waiting for one."""
        self.failure: str | None = None
        """A one-line account of what ended the session abnormally (a model failure)."""
        self.partial_sink: TextSink | None = None
        """Shown each model reply's text as it streams in (role, text so far)."""
        self._last: Session | None = None
        """The record as of the end of the last step. The app's thread reads this copy,
        never the run itself, which the host's thread changes during a step."""

    @property
    def spec(self) -> SessionSpec:
        """The session's settings."""
        return self.run.spec

    @property
    def kind(self) -> str:
        """The session kind."""
        return self.run.kind.name

    @property
    def role(self) -> str:
        """The role the trainee plays."""
        return self.run.kind.tested_role.value

    @property
    def subject(self) -> Any:
        """The case or client."""
        return self.run.subject

    @property
    def finished(self) -> bool:
        """True when the session ended (a diagnosis, a closing, a budget or a failure)."""
        return self.run.is_finished()

    def transcript(self) -> list[Turn]:
        """Every turn as of the last completed step."""
        return list(self.record().turns)

    def record(self) -> Session:
        """The record as of the last completed step."""
        last = self._last
        return last if last is not None else self.run.record()

    async def begin(self, on_turn: TurnSink) -> None:
        """Start the session, or continue it from its checkpoint, up to the trainee's turn."""
        await self.run.restore()
        await self._advance(None, on_turn)

    async def say(self, text: str, on_turn: TurnSink) -> None:
        """The trainee's turn (a question, a reply, or a tagged action)."""
        if self.waiting is None:
            raise InputError("the session is not waiting for your turn", field="turn")
        await self._advance(text, on_turn)

    async def order(self, test: str, on_turn: TurnSink) -> None:
        """Order an examination or a test (consultations)."""
        await self.say(f"REQUEST TEST: {test.strip()}", on_turn)

    async def diagnose(self, diagnosis: str, differential: list[str], on_turn: TurnSink) -> None:
        """Submit the diagnosis, then the rest of the differential (consultations)."""
        ranked = [diagnosis.strip(), *(d.strip() for d in differential if d.strip())]
        ranked = list(dict.fromkeys(name for name in ranked if name))
        await self.say(f"DIAGNOSIS READY: {'; '.join(ranked)}", on_turn)

    async def close(self, text: str, on_turn: TurnSink) -> None:
        """The trainee's last turn of a counseling session; the client answers it."""
        words = text.strip() or "Let's stop here for today. Thank you for talking with me."
        await self.say(f"{words} {END_SESSION_TAG}", on_turn)

    async def _advance(self, text: str | None, on_turn: TurnSink) -> None:
        try:
            await self._stream(text, on_turn)
        finally:
            self._last = self.run.record()

    async def _stream(self, text: str | None, on_turn: TurnSink) -> None:
        self.waiting = None
        live = streaming_to(self.partial_sink) if self.partial_sink else contextlib.nullcontext()
        try:
            with live:
                await self._events(text, on_turn)
        except RuntimeFailure as exc:  # raised outside a node: keep the transcript
            self.failure = exc.one_line()
            self.run.mark_failed(SessionError(type=type(exc).__name__, message=self.failure))
            self.run.save(durable=True)
            return
        error = self.run.record().error
        if error is not None:
            self.failure = f"{error.role or 'a model'} failed: {error.message}"

    async def _events(self, text: str | None, on_turn: TurnSink) -> None:
        async for event in self.run.stream(text):
            if isinstance(event, TurnMade):
                on_turn(event.turn)
            elif isinstance(event, HumanTurnNeeded):
                self.waiting = dict(event.payload)

    async def finish(
        self,
        *,
        formulation: Formulation | None = None,
        formulation_missing: str | None = None,
        notes: Mapping[str, Any] | None = None,
    ) -> Session:
        """Score the ended session and write its record.

        ``formulation`` is the trainee's (counseling), scored against the client's
        hidden cognitive model; ``formulation_missing`` says why there is none;
        ``notes`` (their notes and working differential) are kept in the record's
        ``config``.
        """
        if formulation is not None:
            self.run.amend(
                {"formulation": formulation.model_dump(mode="json"), "formulation_error": None}
            )
        elif formulation_missing:
            self.run.amend({"formulation_error": formulation_missing})
        if notes:
            extra = {**self.run.spec.extra_config, "trainee_notes": dict(notes)}
            self.run.spec = replace(self.run.spec, extra_config=extra)
        record = await self.run.finish()
        self._last = record
        return record

    def stop(self) -> Session:
        """Leave the session unfinished: its record is saved and it can be resumed."""
        record = self.run.record()
        if not record.termination_reason:
            record = self.run.save(durable=True)
        self._last = record
        return record


def ended_normally(record: Session) -> bool:
    """Whether a record ended for a reason other than a failure or an interruption."""
    reason = record.termination_reason
    return reason is not None and reason not in (
        TerminationReason.ERROR,
        TerminationReason.INTERRUPTED,
    )
