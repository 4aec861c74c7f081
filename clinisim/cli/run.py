"""``clinisim run``: one consultation, streamed live, saved as a session record."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.prompt import Prompt

from clinisim.cli._app import app, imports_done
from clinisim.cli._options import CasesDir
from clinisim.errors import InputError, RuntimeFailure
from clinisim.paths import runs_dir

if TYPE_CHECKING:
    from clinisim.session import (
        HumanTurnNeeded,
    )

__all__ = ["run"]

console = Console(highlight=False)

_EXAMPLES = """
Examples:

  clinisim run                                   # offline engine, a random case

  clinisim run --case stemi-inferior --persona personality=distrust --persona language=A

  clinisim run --doctor openai/gpt-4o-mini       # benchmark a real model as the doctor

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
) -> None:
    """Run one doctor–patient–examiner consultation and save its session record.

    With no options every role is played by the built-in offline engine: no API key,
    no GPU, no network. The transcript streams live; the record is rewritten after
    every turn, so a killed session loses nothing and resumes with --resume.
    """
    from clinisim.cli._reference_corpus import read_reference
    from clinisim.cli._transcript_view import print_summary, print_turn
    from clinisim.judges import default_judges
    from clinisim.library import parse_persona, resolve_library
    from clinisim.llm import ModelClient, load_model_config
    from clinisim.schemas import Role, TerminationReason
    from clinisim.session import (
        ConsultationRun,
        ConsultationSpec,
        TurnMade,
        build_consultation_roles,
        load_spec,
        open_checkpointer,
    )
    from clinisim.store import RecordStore

    imports_done()

    library = resolve_library(cases_dir)
    checkpointer = open_checkpointer()
    model_config = load_model_config(
        {"doctor": doctor, "patient": patient, "examiner": examiner, "judge": judge},
        api_base=api_base,
        config_file=config,
    )
    if resume:
        spec = load_spec(resume, checkpointer)
        chosen = library.get(spec.case_id)
        model_config = load_model_config(spec.models, api_base=spec.api_base, config_file=config)
    else:
        persona_value = parse_persona(persona or [])
        chosen = library.pick(case, seed)
        session_id = f"{chosen.id}-s{seed}-{uuid.uuid4().hex[:8]}"
        spec = ConsultationSpec(
            session_id=session_id,
            case_id=chosen.id,
            persona=persona_value,
            seed=seed,
            models=model_config.models_for_record(),
            out=out or _default_out(session_id),
            max_turns=max_turns,
            max_tests=max_tests,
            api_base=model_config.api_base,
        )
    store = RecordStore()
    store.ensure_ingested(chosen)
    client = ModelClient(model_config)
    roles, hashes = build_consultation_roles(
        case=chosen,
        persona=spec.persona,
        seed=spec.seed,
        models=spec.models,
        library=library,
        store=store,
        chat_model=client.chat_model,
        max_turns=spec.max_turns,
        max_tests=spec.max_tests,
    )
    judge_model = client.model_if_any(Role.JUDGE)
    session_run = ConsultationRun(
        spec,
        chosen,
        roles,
        checkpointer,
        prompt_hashes=hashes,
        judges=default_judges(judge_model, read_reference(reference)),
    )
    if resume and session_run.is_finished():
        raise InputError(f"session {resume!r} already finished", field="--resume")
    if not quiet:
        console.rule(f"[bold]{chosen.title}[/] ({chosen.id}) · seed {spec.seed}")
        if resume:
            for turn in session_run.session().turns:
                print_turn(console, turn)
    human_input: str | None = None
    try:
        while True:
            paused: HumanTurnNeeded | None = None
            for event in session_run.stream(human_input):
                if isinstance(event, TurnMade):
                    if not quiet:
                        print_turn(console, event.turn)
                else:
                    paused = event
            if paused is None:
                break
            human_input = Prompt.ask(f"[bold]{paused.role.capitalize()}[/] (you)", console=console)
    except KeyboardInterrupt:
        record = session_run.session()
        console.print(
            f"\n[yellow]interrupted[/]; resume with: clinisim run --resume {spec.session_id}"
        )
        print_summary(console, record, str(spec.out))
        raise typer.Exit(1) from None
    except Exception as exc:
        raise RuntimeFailure(
            f"session crashed ({type(exc).__name__}: {exc}); partial record saved to {spec.out}"
        ) from exc
    record = session_run.save()
    print_summary(console, record, str(spec.out))
    if record.termination_reason == TerminationReason.ERROR:
        message = record.error.message if record.error else "session failed"
        raise RuntimeFailure(f"{message}; partial record saved to {spec.out}")
