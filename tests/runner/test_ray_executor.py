"""Sessions as Ray tasks: the same records as the local executor, caps, a killed driver
resumed with nothing lost."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from clinisim.engine import read_session
from clinisim.library import CaseLibrary
from clinisim.report import build_leaderboard, leaderboard_json, load_run
from clinisim.runner import read_manifest
from clinisim.schemas import TerminationReason
from clinisim.store import RecordStore
from tests.runner.conftest import bench, write_suite

pytestmark = pytest.mark.integration

MOCK_DOCTOR = "openai/mock-doctor"
TIMING = ("started_at", "ended_at")


def _comparable(path: Path) -> dict[str, Any]:
    """A record without what legitimately differs between two runs: timings, run id."""
    data: dict[str, Any] = json.loads(path.read_text())
    for key in TIMING:
        data.pop(key)
    data["config"].pop("run_id")
    return data


def _suite_dir(tmp_path: Path, name: str, **fields: Any) -> Path:
    directory = tmp_path / name
    directory.mkdir()
    return write_suite(directory, **fields)


def test_a_ray_run_writes_the_records_of_a_local_run(
    tmp_path: Path, library: CaseLibrary, store: RecordStore, ray_cluster: str
) -> None:
    common: dict[str, Any] = {
        "cases": ["stemi-inferior", "gout", "migraine"],
        "trials": 2,
        "rubrics": ["diagnosis", "communication"],
    }
    local_suite = _suite_dir(tmp_path, "local", **common, execution={"concurrency": 3})
    ray_suite = _suite_dir(
        tmp_path, "ray", **common, execution={"concurrency": 3, "executor": "ray"}
    )
    local = bench(local_suite, tmp_path / "local-run", library, store)
    on_ray = bench(ray_suite, tmp_path / "ray-run", library, store)
    assert local.manifest.status == on_ray.manifest.status == "complete"
    assert on_ray.manifest.counts == local.manifest.counts
    assert on_ray.manifest.config_hash == local.manifest.config_hash
    names = sorted(p.name for p in (tmp_path / "local-run" / "sessions").glob("*.json"))
    assert len(names) == 6
    assert sorted(p.name for p in (tmp_path / "ray-run" / "sessions").glob("*.json")) == names
    for name in names:
        ray_record = _comparable(tmp_path / "ray-run" / "sessions" / name)
        assert ray_record == _comparable(tmp_path / "local-run" / "sessions" / name), name
        assert ray_record["scores"] and ray_record["turns"]
    # The report reads a Ray run as it reads a local one.
    local_board = leaderboard_json(build_leaderboard(load_run(tmp_path / "local-run")))
    ray_board = leaderboard_json(build_leaderboard(load_run(tmp_path / "ray-run")))
    assert ray_board["models"] == local_board["models"]
    assert ray_board["counts"] == local_board["counts"]


def test_the_run_token_cap_stops_a_ray_run(
    tmp_path: Path, library: CaseLibrary, store: RecordStore, ray_cluster: str
) -> None:
    suite = write_suite(
        tmp_path,
        models={"doctor": MOCK_DOCTOR},
        budgets={"max_turns": 3, "run_tokens": 100},
        execution={"concurrency": 1, "executor": "ray"},
    )
    # The mocked reply travels to the workers with the call options.
    result = bench(
        suite, tmp_path / "run", library, store, call_options={"mock_response": "Where?"}
    )
    # 30 tokens a call, 3 calls a session: the cap is crossed in the second session,
    # inside its worker; the driver then starts no more.
    assert result.manifest.counts["completed"] == 1
    assert result.manifest.counts["budget_exceeded"] == 1
    assert result.manifest.counts["missing"] == 2
    assert result.manifest.status == "incomplete"
    stopped = [
        read_session(p)
        for p in (tmp_path / "run" / "sessions").glob("*.json")
        if read_session(p).termination_reason is TerminationReason.BUDGET_EXCEEDED
    ]
    assert stopped[0].error is not None and stopped[0].error.type == "RunBudgetExceeded"


def _bench_process(args: list[str], cwd: Path, data_dir: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "CLINISIM_DATA_DIR": str(data_dir), "COLUMNS": "200"}
    return subprocess.Popen(
        [sys.executable, "-m", "clinisim", "bench", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_driver_killed_mid_run_resumes_with_nothing_lost(
    tmp_path: Path, shared_data_dir: Path, ray_cluster: str
) -> None:
    suite = write_suite(
        tmp_path,
        cases=["stemi-inferior", "gout", "migraine", "asthma-exacerbation"],
        trials=6,
        execution={"concurrency": 2},
    )
    run_dir = tmp_path / "runs" / "killed"
    sessions = run_dir / "sessions"
    ray_args = ["--executor", "ray", "--ray-address", ray_cluster, "-q"]
    driver = _bench_process(
        [str(suite), "--runs-dir", str(tmp_path / "runs"), "--run-id", "killed", *ray_args],
        tmp_path,
        shared_data_dir,
    )
    deadline = time.monotonic() + 240
    while len(list(sessions.glob("*.json"))) < 3:
        assert driver.poll() is None, driver.communicate()
        assert time.monotonic() < deadline, "no session was written in time"
        time.sleep(0.02)
    driver.send_signal(signal.SIGKILL)
    driver.communicate()
    kept = {p.name: p.read_bytes() for p in sessions.glob("*.json")}
    assert 3 <= len(kept) < 24, "the driver was not killed mid-run"
    for name in kept:
        read_session(sessions / name)  # every record on disk is whole
    resumed = _bench_process(["--resume", str(run_dir), *ray_args], tmp_path, shared_data_dir)
    _out, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err
    manifest = read_manifest(run_dir)
    assert manifest.status == "complete" and manifest.counts["completed"] == 24
    assert manifest.invocations[0].outcome == "killed: ended without writing its end"
    assert manifest.invocations[-1].sessions_run == 24 - len(kept)
    for name, content in kept.items():
        assert (sessions / name).read_bytes() == content, f"{name} was run again"
    assert not list(sessions.glob(".*.tmp"))


def _session_worker_pids() -> set[int]:
    """The processes of the run's Ray actors (Ray titles them ``ray::SessionWorker``)."""
    found = subprocess.run(["pgrep", "-f", "ray::SessionWorker"], capture_output=True, text=True)
    return {int(pid) for pid in found.stdout.split()}


def test_a_worker_killed_mid_run_is_restarted_and_its_sessions_sent_again(
    tmp_path: Path, library: CaseLibrary, store: RecordStore, ray_cluster: str
) -> None:
    common: dict[str, Any] = {
        "cases": ["stemi-inferior", "gout", "migraine", "asthma-exacerbation"],
        "trials": 4,
    }
    suite = _suite_dir(tmp_path, "ray", **common, execution={"concurrency": 2, "executor": "ray"})
    sessions = tmp_path / "ray-run" / "sessions"
    with ThreadPoolExecutor(1) as pool:
        running = pool.submit(bench, suite, tmp_path / "ray-run", library, store)
        deadline = time.monotonic() + 240
        while len(list(sessions.glob("*.json"))) < 2 or not _session_worker_pids():
            assert not running.done(), running.result()
            assert time.monotonic() < deadline, "no session was written in time"
            time.sleep(0.02)
        # Each of the two workers plays one session at a time, so the killed one has
        # a session in flight: the run restarts the worker and sends it again.
        os.kill(min(_session_worker_pids()), signal.SIGKILL)
        written_before = len(list(sessions.glob("*.json")))
        result = running.result(timeout=300)
    assert written_before < 16, "the worker was not killed mid-run"
    assert result.manifest.status == "complete" and result.manifest.counts["completed"] == 16
    local = bench(
        _suite_dir(tmp_path, "local", **common, execution={"concurrency": 2}),
        tmp_path / "local-run",
        library,
        store,
    )
    assert local.manifest.status == "complete"
    for path in sorted((tmp_path / "local-run" / "sessions").glob("*.json")):
        assert _comparable(sessions / path.name) == _comparable(path), path.name
