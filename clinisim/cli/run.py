"""``clinisim run``: one consultation, streamed live, saved as a session record."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from clinisim.cli._app import app, imports_done
from clinisim.cli._options import (
    CasesDir,
    CheckpointUrl,
    ModelUnderTest,
    RoleMap,
    StoreUrl,
    role_map,
    use_checkpoint_url,
    use_store_url,
)
from clinisim.paths import runs_dir

if TYPE_CHECKING:
    from clinisim.llm import ModelConfig

__all__ = ["run"]

console = Console(highlight=False)

_EXAMPLES = """
Examples:

  clinisim run                                   # offline engine, a random case

  clinisim run --case stemi-inferior --persona personality=distrust --persona language=A

  clinisim run --doctor openai/gpt-4o-mini       # benchmark a real model as the doctor

  clinisim run -m openai/gpt-4o-mini --role patient=openai/gpt-4o-mini   # model under test, role map

  clinisim run --doctor openai/local --api-base http://127.0.0.1:8000/v1

  clinisim run --doctor human                    # you play the doctor in the terminal

  clinisim run --resume stemi-inferior-s0-1a2b3c4d
"""


def _default_out(session_id: str) -> Path:
    from clinisim.schemas import utc_now

    return runs_dir() / f"run-{utc_now():%Y%m%d}" / "sessions" / f"{session_id}.json"


@app.command(epilog=_EXAMPLES)
def run(
    case: Annotated[str, typer.Option(help="Case id, or 'random' (chosen by --seed).")] = "random",
    persona: Annotated[
        list[str] | None,
        typer.Option("--persona", "-p", help="Persona axis=value; repeat for several axes."),
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed: same seed, same offline transcript.")] = 0,
    max_turns: Annotated[int, typer.Option(min=1, max=200, help="Doctor turn budget.")] = 20,
    max_tests: Annotated[int, typer.Option(min=0, max=100, help="Tests and exams budget.")] = 8,
    doctor: Annotated[
        str | None, typer.Option(help="Doctor model ('offline', 'human' or litellm).")
    ] = None,
    patient: Annotated[str | None, typer.Option(help="Patient model.")] = None,
    examiner: Annotated[str | None, typer.Option(help="Examiner model.")] = None,
    judge: Annotated[str | None, typer.Option(help="Judge model.")] = None,
    model: ModelUnderTest = None,
    role: RoleMap = None,
    api_base: Annotated[
        str | None, typer.Option(help="OpenAI-compatible base URL for the models.")
    ] = None,
    config: Annotated[Path | None, typer.Option(help="Model config file (YAML or TOML).")] = None,
    out: Annotated[Path | None, typer.Option(help="Where to write the session record.")] = None,
    resume: Annotated[
        str | None, typer.Option(help="Resume a killed session by its id.", metavar="SESSION_ID")
    ] = None,
    reference: Annotated[
        Path | None,
        typer.Option(help="Human reference corpus (one utterance per line) for realism z-scores."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only print the summary.")] = False,
    cases_dir: CasesDir = None,
    store_url: StoreUrl = None,
    checkpoint_url: CheckpointUrl = None,
) -> None:
    """Run one doctor–patient–examiner consultation and save its session record.

    With no options every role is played by the built-in offline engine: no API key,
    no GPU, no network. The transcript streams live and the record is rewritten as
    it goes; every step is checkpointed, so a killed session resumes with --resume
    where it stopped.
    """
    # Everything the session needs is imported before the collector comes back on.
    import clinisim.engine
    import clinisim.kinds.consultation
    import clinisim.store  # noqa: F401
    from clinisim.library import parse_persona
    from clinisim.llm import load_model_config

    imports_done()
    use_store_url(store_url)
    use_checkpoint_url(checkpoint_url)
    roles = role_map(
        role,
        "doctor",
        model,
        {"doctor": doctor, "patient": patient, "examiner": examiner, "judge": judge},
    )
    model_config = load_model_config(
        roles,
        api_base=api_base,
        config_file=config,
    )
    persona_value = parse_persona(persona or []) if not resume else None
    import asyncio

    asyncio.run(
        _run_session(
            case=case,
            persona=persona_value.model_dump(mode="json") if persona_value else {},
            seed=seed,
            budgets={"max_turns": max_turns, "max_tests": max_tests},
            model_config=model_config,
            config=config,
            out=out,
            resume=resume,
            reference=reference,
            quiet=quiet,
            cases_dir=cases_dir,
        )
    )


async def _run_session(
    *,
    case: str,
    persona: dict[str, Any],
    seed: int,
    budgets: dict[str, int],
    model_config: ModelConfig,
    config: Path | None,
    out: Path | None,
    resume: str | None,
    reference: Path | None,
    quiet: bool,
    cases_dir: list[Path] | None,
) -> None:
    from clinisim.cli._live_session import drive_session
    from clinisim.cli._reference_corpus import read_reference
    from clinisim.engine import (
        SessionSpec,
        build_session,
        checkpoint_location,
        load_spec,
        open_checkpointer,
    )
    from clinisim.library import resolve_library
    from clinisim.llm import ModelClient, load_model_config
    from clinisim.store import RecordStore

    library = resolve_library(cases_dir)
    async with open_checkpointer() as checkpointer:
        if resume:
            spec = await load_spec(resume, checkpointer, checkpoint_location())
            model_config = load_model_config(
                spec.models, api_base=spec.api_base, config_file=config
            )
        else:
            chosen = library.pick(case, seed)
            session_id = f"{chosen.id}-s{seed}-{uuid.uuid4().hex[:8]}"
            spec = SessionSpec(
                kind="consultation",
                session_id=session_id,
                case_id=chosen.id,
                persona=persona,
                seed=seed,
                models=model_config.models_for_record(),
                out=out or _default_out(session_id),
                budgets=budgets,
                api_base=model_config.api_base,
            )
        session_run = build_session(
            spec,
            library=library,
            store=RecordStore(),
            client=ModelClient(model_config),
            checkpointer=checkpointer,
            reference=read_reference(reference),
        )
        await drive_session(console, session_run, resume=resume, quiet=quiet, command="run")
