"""The benchmark runner: many sessions, concurrent, resumable, with caps and a manifest.

Sessions run as asyncio tasks on one event loop: ``concurrency`` workers take
sessions from a queue, model calls are awaited (with per-provider limits), and
every session's record is written atomically to ``runs/<run-id>/sessions/`` when it
ends. The session files are the source of truth: a resumed run reads them, runs
only what is missing, failed or interrupted, and recomputes the manifest's counts
from them. A process killed at any moment therefore loses at most the sessions
that were in flight.
"""

from __future__ import annotations

import asyncio
import gc
import os
import time
from dataclasses import dataclass
from pathlib import Path

from clinisim import __version__
from clinisim.errors import InputError
from clinisim.judges import judge_versions
from clinisim.library import CaseLibrary
from clinisim.llm import HUMAN, OFFLINE, CallLimits, CallWorkers, ResponseCache, SpendingCap
from clinisim.runner._manifest import (
    Invocation,
    Manifest,
    git_revision,
    package_versions,
    read_manifest,
    write_manifest,
)
from clinisim.runner._plan import SessionPlan, plan_sessions
from clinisim.runner._ray_executor import RayExecutor, WorkerBrief
from clinisim.runner._run_events import (
    CallWorkersReady,
    EventSink,
    RunPlanned,
    RunStopping,
    SessionEnded,
    SessionStarted,
)
from clinisim.runner._session_executor import LocalExecutor, SessionExecutor
from clinisim.runner._session_status import SessionStatus, needs_run, read_if_valid, status_of
from clinisim.runner._session_task import SessionContext
from clinisim.runner._suite_file import LoadedSuite, config_hash
from clinisim.schemas import Session, Usage, utc_now
from clinisim.store import RecordStore

__all__ = ["BenchResult", "BenchRun", "call_worker_count", "run_spend"]

_MANIFEST_EVERY = 1.0
"""Seconds between manifest rewrites while the run works."""


AUTO_CALL_WORKERS_FROM = 16
"""Sessions at once from which ``call_workers: auto`` moves litellm's work out."""


def call_worker_count(loaded: LoadedSuite, cpus: int | None = None) -> int:
    """How many call worker processes the run uses (``execution.call_workers``).

    None when no session role calls a model (judges call in-process, from worker
    threads). ``auto``: two from 16 sessions at once on a machine with two cores or
    more, else none. Below that, litellm's few milliseconds of CPU per call fit in
    the run's own loop, and the extra hop to a worker would only add latency; with
    one core, there is no second one to move the work to.
    """
    suite = loaded.suite
    played = [*loaded.models, *suite.models.roles.values()]
    if all(model in (OFFLINE, HUMAN) for model in played):
        return 0
    wanted = suite.execution.call_workers
    if wanted != "auto":
        return wanted
    cores = cpus if cpus is not None else (os.cpu_count() or 1)
    return 2 if suite.execution.concurrency >= AUTO_CALL_WORKERS_FROM and cores >= 2 else 0


@dataclass(frozen=True)
class BenchResult:
    """How a ``clinisim bench`` invocation ended."""

    run_dir: Path
    manifest: Manifest

    @property
    def exit_code(self) -> int:
        """0 when every planned session has a final record, else 1."""
        return 0 if self.manifest.status == "complete" else 1


def run_spend(records: list[Session]) -> dict[str, float | int]:
    """Tokens, known cost, calls and cache hits summed over records."""
    total = Usage()
    unknown_cost_calls = 0
    for record in records:
        for usage in record.usage.values():
            total = total.add(usage)
            if usage.cost_usd is None:
                unknown_cost_calls += usage.calls - usage.cache_hits
    return {
        "prompt_tokens": total.prompt_tokens,
        "completion_tokens": total.completion_tokens,
        "tokens": total.total_tokens,
        "cost_usd": round(total.cost_usd or 0.0, 6),
        "calls": total.calls,
        "cache_hits": total.cache_hits,
        "calls_with_unknown_cost": unknown_cost_calls,
    }


class BenchRun:
    """One invocation of a run: plan, check the manifest, run what is left, report."""

    def __init__(
        self,
        loaded: LoadedSuite,
        run_dir: Path,
        *,
        library: CaseLibrary,
        store: RecordStore,
        on_event: EventSink | None = None,
        cache_path: Path | None = None,
        call_options: dict[str, object] | None = None,
        ray_address: str | None = None,
    ) -> None:
        self.loaded = loaded
        self.suite = loaded.suite
        self.run_dir = run_dir
        self.run_id = run_dir.name
        self.sessions_dir = run_dir / "sessions"
        self.library = library
        self.store = store
        self._emit: EventSink = on_event or (lambda _event: None)
        self.cache_path = cache_path
        self.call_options = dict(call_options or {})
        self.ray_address = ray_address
        """The Ray cluster of ``execution.executor: ray`` (``None``: one on this machine)."""
        self.plans = plan_sessions(
            models=loaded.models,
            case_ids=list(loaded.subjects),
            personas=loaded.personas,
            trials=self.suite.trials,
            run_seed=self.suite.seed,
        )
        self.config_hash = config_hash(loaded)
        self.records: dict[str, Session | None] = {}
        self._failed_final = 0
        self._stop_reason: str | None = None
        self._abort = False
        """True when the run stops at once (failure threshold, interrupt); a reached run
        budget instead lets in-flight sessions end on their own."""
        self._last_manifest = 0.0
        self.call_workers: CallWorkers | None = None
        """Started by :meth:`prepare` when the run calls models (see
        :func:`call_worker_count`); ended by :meth:`execute`."""

    # -- preparation ---------------------------------------------------------------
    def _check_or_create_manifest(self) -> Manifest:
        if (self.run_dir / "manifest.json").exists():
            manifest = read_manifest(self.run_dir)
            if manifest.config_hash != self.config_hash:
                raise InputError(
                    f"run {self.run_id!r} was made with a different suite (config hash "
                    f"{manifest.config_hash}, this suite {self.config_hash}); use a new --run-id",
                    file=self.run_dir / "manifest.json",
                    field="config_hash",
                )
            # Execution settings and the run-wide budget may change on resume.
            manifest.suite = self.suite
            manifest.warnings = list(self.loaded.warnings)
            return manifest
        return Manifest(
            run_id=self.run_id,
            git_revision=git_revision(),
            versions=package_versions(),
            suite_source=self.loaded.source,
            suite=self.suite,
            config_hash=self.config_hash,
            models=self.loaded.role_models(),
            rubrics=judge_versions(
                self.suite.rubrics, self.suite.models.judge != OFFLINE, self.loaded.kind.name
            ),
            run_seed=self.suite.seed,
            seeds={p.session_id: p.seed for p in self.plans},
            cases=list(self.loaded.subjects),
            personas=[dict(p) for p in self.loaded.personas],
            sessions_planned=len(self.plans),
            warnings=list(self.loaded.warnings),
        )

    def _clean_temp_files(self) -> None:
        # A kill during an atomic write can leave its temp file; the real file is intact.
        for stale in self.sessions_dir.glob(".*.tmp"):
            stale.unlink(missing_ok=True)

    def _keep_imported_cases(self) -> None:
        # Imported cases are not in the library: keep them with the run so that
        # re-scoring and reports can find them later.
        if not self.suite.imports:
            return
        shipped = self.library.cases
        imported = [c for cid, c in self.loaded.subjects.items() if cid not in shipped]
        if imported:
            from clinisim.library import ImportResult

            ImportResult(cases=imported).write(self.run_dir / "cases")

    def prepare(self) -> Manifest:
        """Check the manifest, read saved sessions and ingest the cases (synchronous)."""
        self.sessions_dir.mkdir(parents=True, exist_ok=True)
        manifest = self._check_or_create_manifest()
        self._clean_temp_files()
        self._keep_imported_cases()
        for plan in self.plans:
            self.records[plan.session_id] = read_if_valid(
                self.sessions_dir / f"{plan.session_id}.json"
            )
        if any(needs_run(record) for record in self.records.values()):
            self._start_call_workers()  # they import litellm while the cases are indexed
        for subject in self.loaded.subjects.values():
            self.loaded.kind.prepare_store(self.store, subject)
        return manifest

    def _start_call_workers(self) -> None:
        if self.suite.execution.executor != "local":
            return  # Ray workers make their own calls
        count = call_worker_count(self.loaded)
        if count and self.call_workers is None:
            self.call_workers = CallWorkers(count, log_path=self.run_dir / "call-workers.log")
            self.call_workers.start()

    def _attach_call_workers(self) -> None:
        # In the background: sessions start at once, and their first model calls wait
        # for the workers (which import litellm, a few seconds) rather than the run.
        workers = self.call_workers
        if workers is None:
            return
        workers.begin_attach()

        def ready(task: asyncio.Task[None]) -> None:
            if not task.cancelled() and task.exception() is None:
                self._emit(CallWorkersReady(workers.count))

        workers.attach_task().add_done_callback(ready)

    def _check_call_workers(self) -> None:
        failure = self.call_workers.failure if self.call_workers is not None else None
        if failure is not None:
            self._stop(
                f"call workers did not start ({failure}); see "
                f"{self.run_dir / 'call-workers.log'}, or set execution.call_workers: 0",
                abort=True,
            )

    # -- execution -----------------------------------------------------------------
    def _counts(self) -> dict[str, int]:
        counts = {status.value: 0 for status in SessionStatus}
        for record in self.records.values():
            counts[status_of(record).value] += 1
        return counts

    def _finish_manifest(self, manifest: Manifest) -> Manifest:
        saved = [r for r in self.records.values() if r is not None]
        hashes: dict[str, str] = {}
        for record in saved:
            hashes.update(record.prompt_hashes)
        manifest.prompt_hashes = dict(sorted(hashes.items()))
        manifest.counts = self._counts()
        manifest.spend = run_spend(saved)
        if manifest.spend["calls_with_unknown_cost"] and (
            self.suite.budgets.run_usd or self.suite.budgets.session_usd
        ):
            note = (
                f"{manifest.spend['calls_with_unknown_cost']} model call(s) have no known "
                "price: USD caps count only known costs"
            )
            if note not in manifest.warnings:
                manifest.warnings.append(note)
        return manifest

    def _write_progress(self, manifest: Manifest) -> None:
        now = time.monotonic()
        if now - self._last_manifest >= _MANIFEST_EVERY:
            self._last_manifest = now
            write_manifest(self._finish_manifest(manifest), self.run_dir)

    def _stop(self, reason: str, *, abort: bool) -> None:
        if self._stop_reason is None:
            self._stop_reason = reason
            self._emit(RunStopping(reason))
        self._abort = self._abort or abort

    async def _attempts(self, executor: SessionExecutor, plan: SessionPlan) -> Session:
        retries = self.suite.execution.session_retries
        attempt = 0
        while True:
            attempt += 1
            self._emit(SessionStarted(plan, attempt))
            record = await executor.play(plan, attempt)
            self.records[plan.session_id] = record
            status = status_of(record)
            retrying = (
                status is SessionStatus.FAILED and attempt <= retries and not self._stop_reason
            )
            self._emit(SessionEnded(plan, record, status, attempt, retrying))
            if not retrying:
                return record

    async def _worker(
        self,
        executor: SessionExecutor,
        run_cap: SpendingCap,
        queue: asyncio.Queue[SessionPlan],
        manifest: Manifest,
        invocation: Invocation,
    ) -> None:
        threshold = self.suite.execution.max_failure_fraction * len(self.plans)
        while not self._stop_reason:
            self._check_call_workers()
            if self._stop_reason:
                return
            try:
                plan = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            if run_cap.reached():
                self._stop(f"run budget reached: {run_cap.reached()}", abort=False)
                return
            record = await self._attempts(executor, plan)
            invocation.sessions_run += 1
            self._check_call_workers()
            if status_of(record) is SessionStatus.FAILED:
                self._failed_final += 1
                if self._failed_final > threshold:
                    self._stop(
                        f"{self._failed_final} sessions failed, more than "
                        f"{self.suite.execution.max_failure_fraction:.0%} of {len(self.plans)}",
                        abort=True,
                    )
            self._write_progress(manifest)

    def _run_cap(self) -> SpendingCap:
        spent = run_spend([r for r in self.records.values() if r is not None])
        return SpendingCap(
            "run",
            self.suite.budgets.run_usd,
            self.suite.budgets.run_tokens,
            spent_usd=float(spent["cost_usd"]),
            spent_tokens=int(spent["tokens"]),
        )

    def _context(self, run_cap: SpendingCap, cache: ResponseCache | None) -> SessionContext:
        return SessionContext(
            suite=self.suite,
            run_id=self.run_id,
            sessions_dir=self.sessions_dir,
            library=self.library,
            store=self.store,
            kind=self.loaded.kind,
            subjects=self.loaded.subjects,
            run_cap=run_cap,
            limits=CallLimits(self.suite.execution.per_provider),
            cache=cache,
            call_options=self.call_options or None,
            call_workers=self.call_workers,
        )

    def _ray_executor(self, run_cap: SpendingCap) -> RayExecutor:
        brief = WorkerBrief(
            suite=self.suite,
            subjects=dict(self.loaded.subjects),
            run_id=self.run_id,
            kit_version=__version__,
            call_options=self.call_options or None,
            cache=self.suite.execution.cache,
        )
        return RayExecutor(
            brief,
            self.sessions_dir,
            run_cap,
            concurrency=self.suite.execution.concurrency,
            address=self.ray_address,
        )

    async def execute(self, manifest: Manifest) -> BenchResult:
        """Run every session that needs running; write the manifest; return the result."""
        todo = [p for p in self.plans if needs_run(self.records[p.session_id])]
        if todo:
            self._start_call_workers()  # when prepare() did not already
            self._attach_call_workers()
        invocation = Invocation(
            started_at=utc_now(), git_revision=git_revision(), versions=package_versions()
        )
        for earlier in manifest.invocations:
            if earlier.ended_at is None:
                earlier.outcome = "killed: ended without writing its end"
        manifest.invocations.append(invocation)
        manifest.status = "running"
        manifest.ended_at = None
        write_manifest(manifest, self.run_dir)
        run_cap = self._run_cap()
        cache: ResponseCache | None = None
        executor: SessionExecutor
        if self.suite.execution.executor == "ray":
            executor = self._ray_executor(run_cap)
        else:
            cache = ResponseCache(self.cache_path) if self.cache_path else None
            executor = LocalExecutor(self._context(run_cap, cache))
        if todo:
            try:
                await executor.start()
            except BaseException as exc:
                if cache is not None:
                    cache.close()
                if self.call_workers is not None:
                    await self.call_workers.aclose()
                    self.call_workers = None
                invocation.ended_at = manifest.ended_at = utc_now()
                invocation.outcome = f"did not start: {exc}"
                manifest.status = "aborted"
                write_manifest(self._finish_manifest(manifest), self.run_dir)
                raise
            # What is alive now (models, stores, the graph) lives for the whole run;
            # a full collection over it would stall every session for a few hundred ms.
            gc.freeze()
        self._emit(RunPlanned(len(self.plans), len(todo), len(self.plans) - len(todo)))
        queue: asyncio.Queue[SessionPlan] = asyncio.Queue()
        for plan in todo:
            queue.put_nowait(plan)
        workers = [
            asyncio.create_task(self._worker(executor, run_cap, queue, manifest, invocation))
            for _ in range(min(self.suite.execution.concurrency, max(1, len(todo))))
        ]
        cancelled = False
        try:
            while workers:
                done, pending = await asyncio.wait(workers, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    task.result()
                workers = list(pending)
                if self._abort:
                    for task in workers:
                        task.cancel()
                    await asyncio.gather(*workers, return_exceptions=True)
                    workers = []
        except asyncio.CancelledError:
            cancelled = True
            self._stop("interrupted", abort=True)
            for task in workers:
                task.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
        finally:
            gc.unfreeze()
            if todo:
                await executor.close()
            if cache is not None:
                cache.close()
            if self.call_workers is not None:
                await self.call_workers.aclose()
                self.call_workers = None
        # Interrupted sessions wrote their own records; read them back as they stand.
        for plan in self.plans:
            if self.records.get(plan.session_id) is None or needs_run(
                self.records[plan.session_id]
            ):
                self.records[plan.session_id] = read_if_valid(
                    self.sessions_dir / f"{plan.session_id}.json"
                )
        invocation.ended_at = utc_now()
        manifest = self._finish_manifest(manifest)
        remaining = sum(1 for r in self.records.values() if needs_run(r))
        if self._stop_reason and not self._abort:
            manifest.status = "incomplete" if remaining else "complete"
            note = f"{remaining} session(s) not finished: {self._stop_reason}"
            if remaining and note not in manifest.warnings:
                manifest.warnings.append(note)
        elif self._stop_reason:
            manifest.status = "aborted"
        else:
            manifest.status = "incomplete" if remaining else "complete"
        invocation.outcome = self._stop_reason or manifest.status
        manifest.ended_at = invocation.ended_at
        write_manifest(manifest, self.run_dir)
        if cancelled:
            raise asyncio.CancelledError
        return BenchResult(self.run_dir, manifest)

    def run(self) -> BenchResult:
        """Prepare and execute in a fresh event loop."""
        manifest = self.prepare()
        return asyncio.run(self.execute(manifest))
