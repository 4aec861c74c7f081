"""What ``bench`` and ``generate`` share: model and execution flags applied to a
suite, and running the suite with live progress, a manifest and a summary."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table

from clinisim.errors import InputError, RuntimeFailure
from clinisim.paths import data_dir, suites_dir

if TYPE_CHECKING:
    from clinisim.library import CaseLibrary
    from clinisim.runner import BenchResult, LoadedSuite, Manifest
    from clinisim.schemas import Suite

__all__ = [
    "SuiteFlags",
    "SuiteSource",
    "apply_flags",
    "execute_suite",
    "suite_path",
    "suite_source",
]

console = Console(highlight=False)


@dataclass(frozen=True)
class SuiteFlags:
    """The command-line flags that change a suite's models and execution."""

    model: list[str] | None = None
    doctor: list[str] | None = None
    counselor: list[str] | None = None
    role: list[str] | None = None
    patient: str | None = None
    examiner: str | None = None
    client: str | None = None
    judge: str | None = None
    api_base: str | None = None
    concurrency: int | None = None
    cache: bool | None = None
    call_workers: str | None = None
    executor: str | None = None


def _override_models(
    suite: Suite,
    under_test: list[str] | None,
    roles: list[str] | None,
    named: dict[str, str | None],
) -> Suite:
    """The suite with its models replaced by ``--model``/``--doctor``/``--counselor``
    (models under test), ``--role ROLE=MODEL`` and the named role flags."""
    from clinisim.cli._options import role_map
    from clinisim.errors import InputError
    from clinisim.schemas import TESTED_ROLE_KEYS

    update: dict[str, object] = {}
    if under_test:
        update["under_test"] = list(under_test)
    played = dict(suite.models.roles)
    for role, model in role_map(roles, "", None, named).items():
        if model is None:
            continue
        if role in TESTED_ROLE_KEYS:
            raise InputError(
                f"{role!r} is a role under test: use --model (repeat to compare)", field="--role"
            )
        if role == "judge":
            update["judge"] = model
        else:
            played[role] = model
    if played != suite.models.roles:
        update["roles"] = played
    if not update:
        return suite
    return suite.model_copy(update={"models": suite.models.model_copy(update=update)})


def _models_under_test(
    model: list[str] | None, doctor: list[str] | None, counselor: list[str] | None
) -> list[str]:
    from clinisim.errors import InputError

    given = [
        (flag, values)
        for flag, values in (("--model", model), ("--doctor", doctor), ("--counselor", counselor))
        if values
    ]
    if len(given) > 1:
        raise InputError(
            f"give the models under test with one flag, not {' and '.join(f for f, _ in given)}",
            field=given[1][0],
        )
    return list(given[0][1]) if given else []


def _call_workers(value: str) -> int | str:
    """``auto`` or a count from 0 to 16, for ``--call-workers``."""
    if value == "auto":
        return value
    try:
        count = int(value)
    except ValueError:
        count = -1
    if not 0 <= count <= 16:
        raise InputError(f"must be 'auto' or 0 to 16, got {value!r}", field="--call-workers")
    return count


def _executor(value: str) -> str:
    from clinisim.runner import EXECUTORS

    if value not in EXECUTORS:
        raise InputError(
            f"must be one of {', '.join(EXECUTORS)}, got {value!r}", field="--executor"
        )
    return value


def _override_execution(
    suite: Suite,
    concurrency: int | None,
    cache: bool | None,
    api_base: str | None,
    call_workers: int | str | None = None,
    executor: str | None = None,
) -> Suite:
    from clinisim.schemas import Suite

    execution: dict[str, object] = {}
    if executor is not None:
        execution["executor"] = _executor(executor)
    if concurrency is not None:
        execution["concurrency"] = concurrency
    if call_workers is not None:
        execution["call_workers"] = call_workers
    if cache is not None:
        execution["cache"] = cache
    update: dict[str, object] = {}
    if execution:
        update["execution"] = suite.execution.model_copy(update=execution)
    if api_base:
        update["api_base"] = api_base
    # Re-validate, so an override gets the same checks as the file.
    return Suite.model_validate(suite.model_copy(update=update).model_dump()) if update else suite


def suite_path(given: Path) -> Path:
    """A suite file, or the name of a shipped suite (``smoke`` → ``suites/smoke.yaml``)."""
    if given.exists() or given.suffix in (".yaml", ".yml") or len(given.parts) > 1:
        return given
    shipped = suites_dir() / f"{given.name}.yaml"
    if shipped.is_file():
        return shipped
    known = ", ".join(sorted(p.stem for p in suites_dir().glob("*.yaml")))
    raise InputError(f"no such suite file or shipped suite (shipped: {known})", file=given)


def _print_result(result: BenchResult) -> None:
    manifest: Manifest = result.manifest
    table = Table(title=f"run {manifest.run_id}: {manifest.status}", show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column()
    table.add_row("sessions", f"{manifest.sessions_planned} planned")
    for status, count in manifest.counts.items():
        if count:
            table.add_row(f"  {status}", str(count))
    spend = manifest.spend
    table.add_row(
        "spend",
        f"{spend.get('tokens', 0)} tokens, ${spend.get('cost_usd', 0.0):.4f} known cost, "
        f"{spend.get('calls', 0)} calls ({spend.get('cache_hits', 0)} from cache)",
    )
    table.add_row("run dir", str(result.run_dir))
    table.add_row("report", f"clinisim report {result.run_dir}")
    console.print(table)
    for warning in manifest.warnings:
        console.print(f"[yellow]warning:[/] {warning}")


@dataclass(frozen=True)
class SuiteSource:
    """The suite to run, where it came from, and the run directory it runs in."""

    suite: Suite
    source: str
    base_dir: Path
    run_dir: Path


def suite_source(
    suite_file: Path | None,
    *,
    resume: Path | None,
    run_id: str | None,
    runs: Path | None,
    prefix: str = "",
    missing: str = "give a SUITE file or --resume RUN_DIR",
) -> SuiteSource:
    """A new run of ``suite_file`` (under ``runs``, named ``run_id`` or by time), or
    the run at ``resume`` with the suite in its manifest."""
    from datetime import UTC, datetime

    from clinisim.paths import runs_dir
    from clinisim.runner import load_suite, read_manifest

    if resume is not None:
        if suite_file is not None or run_id is not None:
            raise InputError("--resume takes no SUITE and no --run-id", field="--resume")
        manifest = read_manifest(resume)
        source = manifest.suite_source
        return SuiteSource(manifest.suite, source, Path(source).parent, resume)
    if suite_file is None:
        raise InputError(missing, field="SUITE")
    path = suite_path(suite_file)
    suite = load_suite(path)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    run_dir = (runs or runs_dir()) / (run_id or f"{prefix}{suite.name}-{stamp}")
    return SuiteSource(suite, str(path), path.parent, run_dir)


def apply_flags(suite: Suite, flags: SuiteFlags) -> Suite:
    """The suite with the models and execution settings the flags give."""
    tested = _models_under_test(flags.model, flags.doctor, flags.counselor)
    named = {
        "patient": flags.patient,
        "examiner": flags.examiner,
        "client": flags.client,
        "judge": flags.judge,
    }
    suite = _override_models(suite, tested, flags.role, named)
    if flags.doctor or flags.counselor:
        from clinisim.engine import kind_named

        flag, named_role = ("--doctor", "doctor") if flags.doctor else ("--counselor", "counselor")
        tested_role = kind_named(suite.kind).tested_role.value
        if tested_role != named_role:
            raise InputError(
                f"a {suite.kind} suite tests the {tested_role}; use --model or --{tested_role}",
                field=flag,
            )
    workers = _call_workers(flags.call_workers) if flags.call_workers is not None else None
    return _override_execution(
        suite, flags.concurrency, flags.cache, flags.api_base, workers, flags.executor
    )


def execute_suite(
    suite: Suite,
    found: SuiteSource,
    *,
    library: CaseLibrary,
    quiet: bool,
    command: str,
    ray_address: str | None = None,
) -> None:
    """Run ``suite`` (``found``'s, with flags applied) into its run directory with
    progress; a failed run is a ``RuntimeFailure`` that says how to resume with
    ``clinisim COMMAND --resume``."""
    source, base_dir, run_dir = found.source, found.base_dir, found.run_dir
    import asyncio

    from clinisim.cli._bench_progress import BenchProgress
    from clinisim.runner import BenchRun, check_ray_address, resolve_suite
    from clinisim.store import RecordStore

    if ray_address is not None and suite.execution.executor != "ray":
        raise InputError("--ray-address goes with --executor ray", field="--ray-address")
    check_ray_address(ray_address)

    loaded: LoadedSuite = resolve_suite(suite, library=library, source=source, base_dir=base_dir)
    progress = BenchProgress(console, loaded.kind.success, quiet=quiet)
    runner = BenchRun(
        loaded,
        run_dir,
        library=library,
        store=RecordStore(),
        on_event=progress,
        cache_path=data_dir() / "cache" / "responses.sqlite",
        ray_address=ray_address,
    )
    subjects = loaded.kind.subject_field
    console.rule(
        f"[bold]{suite.name}[/] → {run_dir} · {len(runner.plans)} {suite.kind} sessions "
        f"({len(loaded.models)} {loaded.tested_role}(s) × {len(loaded.subjects)} "
        f"{subjects.removesuffix('s')}(s) × {len(loaded.personas)} persona(s) × "
        f"{suite.trials} trial(s))"
    )
    for warning in loaded.warnings:
        console.print(f"[yellow]warning:[/] {warning}")
    with console.status(f"preparing: checking the run, indexing {subjects}"):
        manifest_now = runner.prepare()
    if suite.execution.executor == "ray" and not quiet:
        where = ray_address or "a Ray cluster on this machine"
        console.print(f"executor: ray ({where}); starting workers")
    try:
        with progress:
            result = asyncio.run(runner.execute(manifest_now))
    except KeyboardInterrupt:
        console.print(
            f"\n[yellow]interrupted[/]; resume with: clinisim {command} --resume {run_dir}"
        )
        raise typer.Exit(1) from None
    _print_result(result)
    if result.exit_code:
        raise RuntimeFailure(
            f"run {result.manifest.status}; resume with: clinisim {command} --resume {run_dir}"
        )
