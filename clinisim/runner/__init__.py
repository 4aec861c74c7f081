"""The benchmark runner: suites of sessions run concurrently, resumably, with a manifest."""

from clinisim.runner._bench_run import BenchResult, BenchRun, call_worker_count, run_spend
from clinisim.runner._generation import GENERATION_PERSONAS, GENERATION_TRIALS, generation_suite
from clinisim.runner._manifest import Invocation, Manifest, read_manifest, write_manifest
from clinisim.runner._plan import SessionPlan, derive_seed, persona_key, plan_sessions
from clinisim.runner._ray_executor import RayExecutor, WorkerBrief, check_ray_address
from clinisim.runner._rescore import rescore_run
from clinisim.runner._run_events import (
    CallWorkersReady,
    EventSink,
    RunEvent,
    RunPlanned,
    RunStopping,
    SessionEnded,
    SessionStarted,
)
from clinisim.runner._session_executor import EXECUTORS, LocalExecutor, SessionExecutor
from clinisim.runner._session_status import SessionStatus, needs_run, read_if_valid, status_of
from clinisim.runner._suite_file import LoadedSuite, config_hash, load_suite, resolve_suite

__all__ = [
    "EXECUTORS",
    "GENERATION_PERSONAS",
    "GENERATION_TRIALS",
    "BenchResult",
    "BenchRun",
    "CallWorkersReady",
    "EventSink",
    "Invocation",
    "LoadedSuite",
    "LocalExecutor",
    "Manifest",
    "RayExecutor",
    "RunEvent",
    "RunPlanned",
    "RunStopping",
    "SessionEnded",
    "SessionExecutor",
    "SessionPlan",
    "SessionStarted",
    "SessionStatus",
    "WorkerBrief",
    "call_worker_count",
    "check_ray_address",
    "config_hash",
    "derive_seed",
    "generation_suite",
    "load_suite",
    "needs_run",
    "persona_key",
    "plan_sessions",
    "read_if_valid",
    "read_manifest",
    "rescore_run",
    "resolve_suite",
    "run_spend",
    "status_of",
    "write_manifest",
]
