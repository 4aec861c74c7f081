"""Sessions as Ray tasks: a run spread over the cores of one machine or a cluster.

The driver (the ``clinisim bench``/``generate`` process) owns the run directory: it
plans, queues, retries, checks the caps and writes every record atomically as its
result arrives, so resume, the manifest and the report work as with the local
executor. Workers are Ray actors (:class:`SessionWorker`), each playing many
sessions at once on its own event loop. A worker rebuilds what it needs from what
the driver sends it (the suite, the subjects, the run id) and from its own
install of the kit (the shipped library, the record store of its node or the
shared one at ``CLINISIM_STORE_URL``); it never reads the driver's files.

Same seeds, same records: a session's record depends on its plan, not on where it
ran (only timings differ).
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import re
import socket
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clinisim import __version__
from clinisim.engine import kind_named, write_session
from clinisim.errors import InputError, RuntimeFailure
from clinisim.library import CaseLibrary
from clinisim.llm import CallLimits, ResponseCache, SpendingCap
from clinisim.runner._plan import SessionPlan
from clinisim.runner._session_task import SessionContext, play_session
from clinisim.schemas import Session, Suite

__all__ = [
    "FORWARDED_ENV",
    "RayExecutor",
    "SessionWorker",
    "WorkerBrief",
    "check_ray_address",
    "forwarded_env",
]

FORWARDED_ENV = (r"CLINISIM_\w+", r"LITELLM_\w+", r"\w+_API_(KEY|BASE|VERSION)")
"""Environment variables the driver passes to its workers (patterns): the kit's
own settings (the shared store's URL...) and the model providers' keys and bases."""

log = logging.getLogger("clinisim.runner")

_ADDRESS = re.compile(r"(auto|local|(ray://)?[A-Za-z0-9_.-]+:\d{1,5})")

WORKER_LOST_RETRIES = 2
"""Times a session is sent again when the worker playing it dies (a node lost), and
times Ray restarts a dead worker."""

WORKER_RESTART_WAIT = 120.0
"""Seconds a session waits for an unavailable (restarting) worker before failing."""


def forwarded_env(environ: dict[str, str] | None = None) -> dict[str, str]:
    """The variables of ``environ`` (default: this process's) that workers get."""
    source = os.environ if environ is None else environ
    return {
        name: value
        for name, value in source.items()
        if any(re.fullmatch(pattern, name) for pattern in FORWARDED_ENV)
    }


def check_ray_address(address: str | None) -> str | None:
    """``address`` if it has the form of a Ray address, else an ``InputError``.

    Accepted: ``auto`` (the cluster this machine is part of), ``local`` (start one
    here), ``HOST:PORT`` (a head node's GCS) and ``ray://HOST:PORT`` (Ray Client).
    """
    if address is None:
        return None
    if not _ADDRESS.fullmatch(address):
        raise InputError(
            f"not a Ray address: {address!r} (expected HOST:PORT, ray://HOST:PORT, auto or local)",
            field="--ray-address",
        )
    return address


def _probe(address: str) -> None:
    """Fail fast when a ``HOST:PORT`` head is not listening (Ray itself waits minutes)."""
    if address in ("auto", "local"):
        return
    host, _, port = address.removeprefix("ray://").rpartition(":")
    try:
        with socket.create_connection((host, int(port)), timeout=5):
            pass
    except OSError as exc:
        raise RuntimeFailure(
            f"the Ray cluster at {address} is unreachable ({exc.strerror or exc})"
        ) from None


@dataclass(frozen=True)
class WorkerBrief:
    """Everything a worker needs, sent by value: no path of the driver's machine."""

    suite: Suite
    subjects: dict[str, Any]
    """The run's cases or clients by id (imported ones included)."""
    run_id: str
    kit_version: str
    call_options: dict[str, Any] | None = None
    cache: bool = False
    """Reuse replies from the response cache of the worker's own node."""


class SessionWorker:
    """A Ray actor that plays sessions of one run, many at once on its event loop."""

    def __init__(self, brief: WorkerBrief) -> None:
        from clinisim.paths import data_dir
        from clinisim.store import RecordStore

        self.brief = brief
        kind = kind_named(brief.suite.kind)
        store = RecordStore()
        lock_path = Path(str(store.path) + ".lock") if store.path is not None else None
        self._ingest(store, kind, lock_path)
        cache = ResponseCache(data_dir() / "cache" / "responses.sqlite") if brief.cache else None
        self.ctx = SessionContext(
            suite=brief.suite,
            run_id=brief.run_id,
            # Never written: the driver writes each record it receives.
            sessions_dir=Path(tempfile.gettempdir()) / "clinisim-worker" / brief.run_id,
            library=CaseLibrary(),
            store=store,
            kind=kind,
            subjects=brief.subjects,
            run_cap=SpendingCap("run", brief.suite.budgets.run_usd, brief.suite.budgets.run_tokens),
            limits=CallLimits(brief.suite.execution.per_provider),
            cache=cache,
            call_options=brief.call_options,
        )
        self.ctx.graph  # noqa: B018  (compiled once, shared by the worker's sessions)
        if _plays_models(brief.suite):
            # Import litellm (seconds) before saying ready, not in the first session.
            from clinisim.llm._litellm_setup import litellm_module

            litellm_module()

    def _ingest(self, store: Any, kind: Any, lock_path: Path | None) -> None:
        # Several workers of one node share its embedded store: one ingests at a
        # time (ingestion skips what is already there, so the others only check).
        if lock_path is None:
            for subject in self.brief.subjects.values():
                kind.prepare_store(store, subject)
            return
        from filelock import FileLock

        with FileLock(str(lock_path)):
            for subject in self.brief.subjects.values():
                kind.prepare_store(store, subject)

    def kit_version(self) -> tuple[str, str]:
        """This worker's kit version and host name."""
        return __version__, socket.gethostname()

    async def play(self, plan: SessionPlan, attempt: int, run_spent: tuple[float, int]) -> Session:
        """Play one session; ``run_spent`` is the run's spend (USD, tokens) when sent."""
        cap = self.ctx.run_cap
        cap.spent_usd = max(cap.spent_usd, run_spent[0])
        cap.spent_tokens = max(cap.spent_tokens, run_spent[1])
        return await play_session(self.ctx, plan, attempt)


class RayExecutor:
    """Plays a run's sessions on Ray workers; the driver writes every record.

    ``address`` is a Ray cluster (``HOST:PORT``, ``ray://HOST:PORT``, ``auto``) or
    ``None``/``local`` for a cluster on this machine. If Ray is already initialised
    in this process (a test's ``ray.init(num_cpus=2)``), that cluster is used.
    Workers: one per CPU of the cluster, at most ``concurrency``; each plays its
    share of the run's concurrency at once.
    """

    charges_run_cap = True

    def __init__(
        self,
        brief: WorkerBrief,
        sessions_dir: Path,
        run_cap: SpendingCap,
        *,
        concurrency: int,
        address: str | None = None,
    ) -> None:
        self.brief = brief
        self.sessions_dir = sessions_dir
        self.run_cap = run_cap
        self.concurrency = concurrency
        self.address = check_ray_address(address)
        self._actors: list[Any] = []
        self._load: list[int] = []
        self._restarting_until: list[float] = []
        self._started_ray = False

    def _init_ray(self) -> Any:
        try:
            import ray
        except ImportError:
            raise InputError(
                "the Ray executor needs Ray: pip install 'clinisim[ray]'", field="--executor"
            ) from None
        if not ray.is_initialized():
            address = None if self.address in (None, "local") else self.address
            if address is not None:
                _probe(address)
            try:
                ray.init(
                    address=address,
                    include_dashboard=False,
                    log_to_driver=False,
                    logging_level=logging.WARNING,
                )
            except ConnectionError as exc:
                raise RuntimeFailure(
                    f"could not join the Ray cluster at {address}: {exc}"
                ) from None
            self._started_ray = True
        return ray

    async def start(self) -> None:
        ray = self._init_ray()
        cpus = int(ray.cluster_resources().get("CPU", 1)) or 1
        count = max(1, min(cpus, self.concurrency))
        per_worker = math.ceil(self.concurrency / count)
        actor = ray.remote(SessionWorker).options(
            num_cpus=1,
            max_concurrency=per_worker,
            max_restarts=WORKER_LOST_RETRIES,
            runtime_env={"env_vars": forwarded_env()},
        )
        self._actors = [actor.remote(self.brief) for _ in range(count)]
        self._load = [0] * count
        self._restarting_until = [0.0] * count
        try:
            found = await asyncio.gather(*(a.kit_version.remote() for a in self._actors))
        except Exception as exc:
            await self.close()
            raise RuntimeFailure(f"Ray workers did not start: {_cause(exc)}") from None
        for version, host in found:
            if version != self.brief.kit_version:
                await self.close()
                raise RuntimeFailure(
                    f"the worker on {host} runs clinisim {version}, the driver "
                    f"{self.brief.kit_version}: install the same version on every node"
                )

    def _pick(self) -> int:
        """The least loaded worker, preferring those not seen restarting lately."""
        now = time.monotonic()
        every = range(len(self._actors))
        up = [i for i in every if self._restarting_until[i] <= now] or list(every)
        return min(up, key=self._load.__getitem__)

    async def play(self, plan: SessionPlan, attempt: int) -> Session:
        import ray
        from ray.exceptions import ActorUnavailableError, RayActorError

        lost = 0
        waited_since: float | None = None
        while True:
            index = self._pick()
            self._load[index] += 1
            spent = (self.run_cap.spent_usd, self.run_cap.spent_tokens)
            ref = self._actors[index].play.remote(plan, attempt, spent)
            try:
                record: Session = await ref
                break
            except asyncio.CancelledError:
                ray.cancel(ref)
                raise
            except ActorUnavailableError as exc:
                # The worker died and Ray is restarting it (or its connection broke):
                # send the session again, to another worker if one is up, else once
                # this one is back; a worker that never comes back ends the wait.
                now = time.monotonic()
                if waited_since is None:
                    waited_since = now
                    log.warning(
                        "session %s: its Ray worker is unavailable (%s); sending it again",
                        plan.session_id,
                        _cause(exc),
                    )
                if now - waited_since > WORKER_RESTART_WAIT:
                    raise RuntimeFailure(
                        f"session {plan.session_id}: its Ray worker stayed unavailable for "
                        f"{WORKER_RESTART_WAIT:.0f} s ({_cause(exc)})"
                    ) from None
                self._restarting_until[index] = now + 5.0
                await asyncio.sleep(0.2)
            except RayActorError as exc:  # died for good, or out of restarts
                lost += 1
                log.warning(
                    "session %s: its Ray worker was lost (%s); sending it again",
                    plan.session_id,
                    _cause(exc),
                )
                if lost > WORKER_LOST_RETRIES:
                    raise RuntimeFailure(
                        f"session {plan.session_id}: its Ray worker was lost "
                        f"{lost} times ({_cause(exc)})"
                    ) from None
            finally:
                self._load[index] -= 1
        for usage in record.usage.values():
            self.run_cap.charge(usage)
        out = self.sessions_dir / f"{plan.session_id}.json"
        await asyncio.to_thread(write_session, record, out)
        return record

    async def close(self) -> None:
        if not self._actors and not self._started_ray:
            return
        import ray

        for actor in self._actors:
            ray.kill(actor)
        self._actors = []
        if self._started_ray:
            ray.shutdown()
            self._started_ray = False


def _plays_models(suite: Suite) -> bool:
    """True when some role of the suite calls a model (not offline, not human)."""
    from clinisim.llm import HUMAN, OFFLINE

    played = [*suite.models.under_test, *suite.models.roles.values(), suite.models.judge]
    return any(model not in (OFFLINE, HUMAN) for model in played)


def _cause(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[-1] if text else ''}"
