"""``clinisim bench``: run a benchmark suite; resume it; re-score it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from clinisim.cli._app import app, imports_done
from clinisim.cli._options import (
    Cache,
    CasesDir,
    Concurrency,
    Executor,
    RayAddress,
    RoleMap,
    RunId,
    RunsDir,
    StoreUrl,
    use_store_url,
)
from clinisim.cli._suite_run import SuiteFlags, apply_flags, execute_suite, suite_source
from clinisim.errors import InputError

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

  clinisim bench suite.yaml --executor ray               # sessions on this machine's cores via Ray

  clinisim bench suite.yaml --executor ray --ray-address 10.0.0.5:6379   # on a Ray cluster

  clinisim bench --rescore runs/nightly --rubric communication --judge openai/gpt-4o-mini

  clinisim report runs/nightly                           # leaderboard and HTML report
"""


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
    run_id: RunId = None,
    runs: RunsDir = None,
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
    concurrency: Concurrency = None,
    cache: Cache = None,
    call_workers: Annotated[
        str | None,
        typer.Option(
            help="Processes that make the model calls: 'auto' or 0 (in-process) to 16.",
            metavar="N|auto",
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    cases_dir: CasesDir = None,
    store_url: StoreUrl = None,
    executor: Executor = None,
    ray_address: RayAddress = None,
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
    from clinisim.library import resolve_library

    imports_done()
    use_store_url(store_url)

    if rescore is not None:
        if suite_file or resume:
            raise InputError("--rescore takes no SUITE and no --resume", field="--rescore")
        _rescore(rescore, rubric, judge, api_base)
        return
    if rubric:
        raise InputError("--rubric goes with --rescore; set rubrics in the suite", field="--rubric")
    library = resolve_library(cases_dir)
    found = suite_source(
        suite_file,
        resume=resume,
        run_id=run_id,
        runs=runs,
        missing="give a SUITE file, --resume RUN_DIR or --rescore RUN_DIR",
    )
    suite = found.suite
    flags = SuiteFlags(
        model=model,
        doctor=doctor,
        counselor=counselor,
        role=role,
        patient=patient,
        examiner=examiner,
        client=client,
        judge=judge,
        api_base=api_base,
        concurrency=concurrency,
        cache=cache,
        call_workers=call_workers,
        executor=executor,
    )
    suite = apply_flags(suite, flags)
    execute_suite(
        suite, found, library=library, quiet=quiet, command="bench", ray_address=ray_address
    )
