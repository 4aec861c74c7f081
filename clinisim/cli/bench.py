"""``clinisim bench``: run a benchmark suite; resume it; re-score it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from clinisim.cli._app import app, imports_done
from clinisim.cli._options import CasesDir, RoleMap
from clinisim.errors import InputError, RuntimeFailure
from clinisim.paths import data_dir, runs_dir, suites_dir

if TYPE_CHECKING:
    from clinisim.runner import (
        BenchResult,
        LoadedSuite,
        Manifest,
    )
    from clinisim.schemas import Suite

__all__ = ["bench"]

console = Console(highlight=False)

_EXAMPLES = """
Examples:

  clinisim bench suites/smoke.yaml                       # offline engine, a few sessions

  clinisim bench suite.yaml --model openai/gpt-4o-mini --model anthropic/claude-3-5-haiku-latest

  clinisim bench counseling-smoke                         # counselors on simulated clients

  clinisim bench counseling-smoke --model offline --role client=openai/gpt-4o-mini

  clinisim bench suite.yaml --run-id nightly             # re-run the same command to resume

  clinisim bench --resume runs/nightly                   # resume from the run's own manifest

  clinisim bench suite.yaml --concurrency 32 --cache     # reuse cached replies (per trial)

  clinisim bench suite.yaml --concurrency 64 --call-workers 2   # litellm work in 2 processes

  clinisim bench --rescore runs/nightly --rubric communication --judge openai/gpt-4o-mini

  clinisim report runs/nightly                           # leaderboard and HTML report
"""


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


def _override_execution(
    suite: Suite,
    concurrency: int | None,
    cache: bool | None,
    api_base: str | None,
    call_workers: int | str | None = None,
) -> Suite:
    from clinisim.schemas import Suite

    execution: dict[str, object] = {}
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


def _suite_path(given: Path) -> Path:
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


def _rescore(
    run_dir: Path, rubric: list[str] | None, judge: str | None, api_base: str | None
) -> None:
    from clinisim.llm import ModelClient, load_model_config
    from clinisim.runner import read_manifest, rescore_run

    manifest = read_manifest(run_dir)
    config = load_model_config(
        {"judge": judge or manifest.suite.models.judge},
        api_base=api_base or manifest.suite.api_base,
        env={},
    )
    model = ModelClient(config).model_if_any("judge")
    names = rubric or manifest.suite.rubrics
    with console.status("re-scoring sessions") as status:
        import asyncio

        count = asyncio.run(
            rescore_run(
                run_dir,
                names,
                model,
                on_session=lambda s: status.update(f"re-scored {s.session_id}"),
            )
        )
    console.print(f"re-scored {count} session(s) in {run_dir}; see: clinisim report {run_dir}")


@app.command(epilog=_EXAMPLES)
def bench(
    suite_file: Annotated[
        Path | None,
        typer.Argument(metavar="SUITE", help="Suite YAML, or a shipped suite's name (smoke...)."),
    ] = None,
    model: Annotated[
        list[str] | None,
        typer.Option(
            "--model",
            "-m",
            help="Model under test (the doctor or the counselor, by the suite's kind); repeat "
            "to compare several (replaces the suite's).",
        ),
    ] = None,
    doctor: Annotated[
        list[str] | None,
        typer.Option(help="Same as --model, for a consultation suite."),
    ] = None,
    counselor: Annotated[
        list[str] | None,
        typer.Option(help="Same as --model, for a counseling suite."),
    ] = None,
    role: RoleMap = None,
    patient: Annotated[
        str | None, typer.Option(help="Patient model (replaces the suite's).")
    ] = None,
    examiner: Annotated[str | None, typer.Option(help="Examiner model.")] = None,
    client: Annotated[str | None, typer.Option(help="Counseling client model.")] = None,
    judge: Annotated[
        str | None, typer.Option(help="Judge model for rubrics and moderator.")
    ] = None,
    api_base: Annotated[
        str | None, typer.Option(help="OpenAI-compatible base URL for the models.")
    ] = None,
    run_id: Annotated[
        str | None,
        typer.Option(help="Run id (directory name under --runs-dir); an existing run resumes."),
    ] = None,
    runs: Annotated[Path | None, typer.Option("--runs-dir", help="Where runs live.")] = None,
    resume: Annotated[
        Path | None,
        typer.Option(
            help="Resume this run directory with the suite in its manifest.", metavar="RUN_DIR"
        ),
    ] = None,
    rescore: Annotated[
        Path | None,
        typer.Option(help="Re-run only the judges on this run's sessions.", metavar="RUN_DIR"),
    ] = None,
    rubric: Annotated[
        list[str] | None, typer.Option(help="With --rescore: the judges to re-run; repeat.")
    ] = None,
    concurrency: Annotated[
        int | None, typer.Option(min=1, max=512, help="Sessions in flight at once.")
    ] = None,
    cache: Annotated[
        bool | None,
        typer.Option("--cache/--no-cache", help="Reuse model replies from the on-disk cache."),
    ] = None,
    call_workers: Annotated[
        str | None,
        typer.Option(
            help="Processes that make the model calls: 'auto' or 0 (in-process) to 16.",
            metavar="N|auto",
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    cases_dir: CasesDir = None,
) -> None:
    """Run a benchmark suite: subjects × personas × trials for each model under test.

    A consultation suite plays cases with doctor models under test; a counseling
    suite (kind: counseling) plays clients with counselor models under test.

    Sessions run concurrently and each is saved atomically under
    runs/<run-id>/sessions/ as it ends. Re-running with the same --run-id (or
    --resume RUN_DIR) runs only missing, failed or interrupted sessions; a changed
    suite is refused. Exit code 0 when every session has a final record, 1 when some
    failed after retries, were stopped by the run budget, or the run was aborted.
    """
    from clinisim.cli._bench_progress import BenchProgress
    from clinisim.library import resolve_library
    from clinisim.runner import BenchRun, load_suite, read_manifest, resolve_suite

    imports_done()

    if rescore is not None:
        if suite_file or resume:
            raise InputError("--rescore takes no SUITE and no --resume", field="--rescore")
        _rescore(rescore, rubric, judge, api_base)
        return
    if rubric:
        raise InputError("--rubric goes with --rescore; set rubrics in the suite", field="--rubric")
    library = resolve_library(cases_dir)
    if resume is not None:
        if suite_file is not None or run_id is not None:
            raise InputError("--resume takes no SUITE and no --run-id", field="--resume")
        manifest = read_manifest(resume)
        suite, source, run_dir = manifest.suite, manifest.suite_source, resume
        base_dir = Path(source).parent
    elif suite_file is not None:
        suite_file = _suite_path(suite_file)
        suite = load_suite(suite_file)
        source, base_dir = str(suite_file), suite_file.parent
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        run_dir = (runs or runs_dir()) / (run_id or f"{suite.name}-{stamp}")
    else:
        raise InputError("give a SUITE file, --resume RUN_DIR or --rescore RUN_DIR", field="SUITE")
    tested = _models_under_test(model, doctor, counselor)
    named = {"patient": patient, "examiner": examiner, "client": client, "judge": judge}
    suite = _override_models(suite, tested, role, named)
    if doctor or counselor:
        from clinisim.engine import kind_named

        flag, named_role = ("--doctor", "doctor") if doctor else ("--counselor", "counselor")
        tested_role = kind_named(suite.kind).tested_role.value
        if tested_role != named_role:
            raise InputError(
                f"a {suite.kind} suite tests the {tested_role}; use --model or --{tested_role}",
                field=flag,
            )
    workers = _call_workers(call_workers) if call_workers is not None else None
    suite = _override_execution(suite, concurrency, cache, api_base, workers)
    loaded: LoadedSuite = resolve_suite(suite, library=library, source=source, base_dir=base_dir)

    from clinisim.store import RecordStore

    progress = BenchProgress(console, loaded.kind.success, quiet=quiet)
    runner = BenchRun(
        loaded,
        run_dir,
        library=library,
        store=RecordStore(),
        on_event=progress,
        cache_path=data_dir() / "cache" / "responses.sqlite",
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
    import asyncio

    try:
        with progress:
            result = asyncio.run(runner.execute(manifest_now))
    except KeyboardInterrupt:
        console.print(f"\n[yellow]interrupted[/]; resume with: clinisim bench --resume {run_dir}")
        raise typer.Exit(1) from None
    _print_result(result)
    if result.exit_code:
        raise RuntimeFailure(
            f"run {result.manifest.status}; resume with: clinisim bench --resume {run_dir}"
        )
