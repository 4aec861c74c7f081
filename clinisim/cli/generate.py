"""``clinisim generate``: mass-produce scored sessions for a dataset."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

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

__all__ = ["generate"]

_EXAMPLES = """
Examples:

  clinisim generate smoke --personas 8                      # offline: 4 cases x 8 personas x 3 trials

  clinisim generate counseling-smoke --personas 12 --trials 5

  clinisim generate smoke --model openai/gpt-4o-mini --judge openai/gpt-4o-mini --run-usd 5

  clinisim generate smoke --run-id gen-nightly               # re-run the same command to resume

  clinisim generate --resume runs/gen-nightly

  clinisim generate smoke --personas 32 --executor ray --ray-address 10.0.0.5:6379

  clinisim export runs/gen-nightly --format all --perspective both --out datasets/nightly
"""


@app.command(epilog=_EXAMPLES)
def generate(
    suite_file: Annotated[
        Path | None,
        typer.Argument(metavar="SUITE", help="Suite YAML, or a shipped suite's name (smoke...)."),
    ] = None,
    personas: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Personas or styles drawn (seeded) from the kind's whole grid [default: 8 "
            "when the suite names none].",
        ),
    ] = None,
    trials: Annotated[
        int | None,
        typer.Option(min=1, max=100, help="Trials per subject and persona [default: at least 3]."),
    ] = None,
    model: Annotated[
        list[str] | None,
        typer.Option("--model", "-m", help="The doctor or counselor model; repeat for several."),
    ] = None,
    role: RoleMap = None,
    judge: Annotated[
        str | None,
        typer.Option(help="Judge model: adds the judges that need one to every session."),
    ] = None,
    api_base: Annotated[
        str | None, typer.Option(help="OpenAI-compatible base URL for the models.")
    ] = None,
    run_usd: Annotated[
        float | None,
        typer.Option(min=0.0, help="Stop starting sessions once the run has cost this much."),
    ] = None,
    run_tokens: Annotated[
        int | None, typer.Option(min=1, help="Stop starting sessions after this many tokens.")
    ] = None,
    session_usd: Annotated[
        float | None, typer.Option(min=0.0, help="Stop any one session at this cost.")
    ] = None,
    run_id: RunId = None,
    runs: RunsDir = None,
    resume: Annotated[
        Path | None,
        typer.Option(help="Resume this run directory from its manifest.", metavar="RUN_DIR"),
    ] = None,
    concurrency: Concurrency = None,
    cache: Cache = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    cases_dir: CasesDir = None,
    store_url: StoreUrl = None,
    executor: Executor = None,
    ray_address: RayAddress = None,
) -> None:
    """Generate scored sessions for a dataset: the benchmark runner with generation defaults.

    A suite that names only the default persona is played with a seeded sample of
    its kind's persona grid (consultations) or style grid (counseling), each at
    least three times, and every session is scored by every judge of its kind.
    Sessions run concurrently, each saved under runs/<run-id>/sessions/ as it ends,
    with a manifest; re-run the same command (or --resume) after a crash to finish
    the run. Then turn the run into a dataset with clinisim export.
    """
    from clinisim.library import resolve_library
    from clinisim.runner import generation_suite

    imports_done()
    use_store_url(store_url)
    library = resolve_library(cases_dir)
    found = suite_source(suite_file, resume=resume, run_id=run_id, runs=runs, prefix="gen-")
    suite = found.suite
    flags = SuiteFlags(
        model=model,
        role=role,
        judge=judge,
        api_base=api_base,
        concurrency=concurrency,
        cache=cache,
        executor=executor,
    )
    suite = apply_flags(suite, flags)
    if resume is None:
        suite = generation_suite(
            suite,
            personas=personas,
            trials=trials,
            run_usd=run_usd,
            run_tokens=run_tokens,
            session_usd=session_usd,
        )
    elif any(v is not None for v in (personas, trials, run_usd, run_tokens, session_usd)):
        raise InputError(
            "--resume runs the suite in the manifest; it takes no --personas, --trials or caps",
            field="--resume",
        )
    execute_suite(
        suite, found, library=library, quiet=quiet, command="generate", ray_address=ray_address
    )
