"""``clinisim counsel``: one counseling session, or a course of them, streamed live."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

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
from clinisim.errors import InputError
from clinisim.paths import runs_dir

if TYPE_CHECKING:
    from clinisim.llm import ModelConfig
    from clinisim.schemas import Session

__all__ = ["counsel"]

console = Console(highlight=False)

_EXAMPLES = """
Examples:

  clinisim counsel                                  # offline counselor and client, a random client

  clinisim counsel --client maya-work-stress --style reserved --depression severe

  clinisim counsel --client maya-work-stress --sessions 3   # a course, with memory between sessions

  clinisim counsel --counselor openai/gpt-4o-mini   # benchmark a real model as the counselor

  clinisim counsel -m openai/gpt-4o-mini --role client=openai/gpt-4o-mini   # model under test, role map

  clinisim counsel --counselor human                # you are the counselor; end with [END SESSION]

  clinisim counsel --resume maya-work-stress-s0-1a2b3c4d
"""

_STYLES = ("plain", "upset", "verbose", "reserved", "tangent", "pleasing")
_SEVERITIES = ("none", "mild", "moderate", "severe")


def _choice(value: str | None, allowed: tuple[str, ...], flag: str) -> str | None:
    if value is not None and value not in allowed:
        raise InputError(f"unknown value {value!r} (allowed: {', '.join(allowed)})", field=flag)
    return value


@app.command(epilog=_EXAMPLES)
def counsel(
    client: Annotated[
        str, typer.Option(help="Client id, or 'random' (chosen by --seed).")
    ] = "random",
    style: Annotated[
        str | None, typer.Option(help=f"Conversational style: {', '.join(_STYLES)}.")
    ] = None,
    depression: Annotated[str | None, typer.Option(help="Depression severity override.")] = None,
    anxiety: Annotated[str | None, typer.Option(help="Anxiety severity override.")] = None,
    sessions: Annotated[int, typer.Option(min=1, max=12, help="Sessions in the course.")] = 1,
    seed: Annotated[int, typer.Option(help="Seed: same seed, same offline transcript.")] = 0,
    max_turns: Annotated[int, typer.Option(min=1, max=200, help="Counselor turn budget.")] = 20,
    counselor: Annotated[
        str | None, typer.Option(help="Counselor model ('offline', 'human' or litellm).")
    ] = None,
    client_model: Annotated[
        str | None, typer.Option("--client-model", help="Client model ('offline' or litellm).")
    ] = None,
    judge: Annotated[str | None, typer.Option(help="Judge model.")] = None,
    model: ModelUnderTest = None,
    role: RoleMap = None,
    api_base: Annotated[
        str | None, typer.Option(help="OpenAI-compatible base URL for the models.")
    ] = None,
    config: Annotated[Path | None, typer.Option(help="Model config file (YAML or TOML).")] = None,
    out: Annotated[
        Path | None, typer.Option(help="Record file (one session) or directory (a course).")
    ] = None,
    resume: Annotated[
        str | None, typer.Option(help="Resume a killed session by its id.", metavar="SESSION_ID")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only print the summary.")] = False,
    cases_dir: CasesDir = None,
    store_url: StoreUrl = None,
    checkpoint_url: CheckpointUrl = None,
) -> None:
    """Run a counselor–client CBT session (or a course) and save each session record.

    With no options both roles are played by the built-in offline engine. The client
    keeps a live inner state (emotion, trust, resistance, disclosure, stage), logged
    on every turn; PHQ-9 and GAD-7 are filled in before and after each session.
    Between the sessions of a course, a summary, the homework and the questionnaire
    change are kept in the client's memory and come back in the next session.
    """
    # Everything the session needs is imported before the collector comes back on.
    import clinisim.engine
    import clinisim.kinds.counseling
    import clinisim.store  # noqa: F401
    from clinisim.llm import load_model_config

    imports_done()
    use_store_url(store_url)
    use_checkpoint_url(checkpoint_url)
    overrides = {
        "style": _choice(style, _STYLES, "--style"),
        "depression": _choice(depression, _SEVERITIES, "--depression"),
        "anxiety": _choice(anxiety, _SEVERITIES, "--anxiety"),
    }
    if resume and sessions > 1:
        raise InputError("--resume continues one session; drop --sessions", field="--resume")
    roles = role_map(
        role, "counselor", model, {"counselor": counselor, "client": client_model, "judge": judge}
    )
    model_config = load_model_config(
        roles,
        api_base=api_base,
        config_file=config,
    )
    import asyncio

    asyncio.run(
        _course(
            client_id=client,
            overrides=overrides,
            sessions=sessions,
            seed=seed,
            max_turns=max_turns,
            model_config=model_config,
            config=config,
            out=out,
            resume=resume,
            quiet=quiet,
            cases_dir=cases_dir,
        )
    )


async def _course(
    *,
    client_id: str,
    overrides: dict[str, str | None],
    sessions: int,
    seed: int,
    max_turns: int,
    model_config: ModelConfig,
    config: Path | None,
    out: Path | None,
    resume: str | None,
    quiet: bool,
    cases_dir: list[Path] | None,
) -> None:
    from clinisim.cli._live_session import drive_session
    from clinisim.engine import (
        SessionSpec,
        build_session,
        checkpoint_location,
        load_spec,
        open_checkpointer,
    )
    from clinisim.kinds.counseling import counseling_persona, remember_session
    from clinisim.library import resolve_library
    from clinisim.llm import ModelClient, load_model_config
    from clinisim.schemas import utc_now
    from clinisim.store import RecordStore

    library = resolve_library(cases_dir)
    store = RecordStore()
    records: list[Session] = []
    async with open_checkpointer() as checkpointer:
        if resume:
            spec = await load_spec(resume, checkpointer, checkpoint_location())
            if spec.kind != "counseling":
                raise InputError(
                    f"session {resume!r} is a {spec.kind}; resume it with 'clinisim run'",
                    field="--resume",
                )
            specs = [spec]
            model_config = load_model_config(
                spec.models, api_base=spec.api_base, config_file=config
            )
        else:
            profile = library.pick_client(client_id, seed)
            course = f"{profile.id}-s{seed}-{uuid.uuid4().hex[:8]}"
            base = runs_dir() / f"counsel-{utc_now():%Y%m%d}" / "sessions"
            specs = []
            for number in range(1, sessions + 1):
                session_id = course if sessions == 1 else f"{course}-{number}"
                if out is not None and sessions == 1:
                    target = out
                else:
                    target = (out or base) / f"{session_id}.json"
                specs.append(
                    SessionSpec(
                        kind="counseling",
                        session_id=session_id,
                        case_id=profile.id,
                        persona=counseling_persona(profile, overrides),
                        seed=seed + number - 1,
                        models={
                            k: v
                            for k, v in model_config.models_for_record().items()
                            if k in ("counselor", "client", "judge")
                        },
                        out=target,
                        budgets={"max_turns": max_turns},
                        api_base=model_config.api_base,
                        extra_config={"course": course, "session_number": number}
                        if sessions > 1
                        else {},
                    )
                )
        client = ModelClient(model_config)
        for spec in specs:
            session_run = build_session(
                spec, library=library, store=store, client=client, checkpointer=checkpointer
            )
            if not quiet and len(specs) > 1:
                console.print(
                    f"\n[bold]Session {spec.extra_config.get('session_number')} of {len(specs)}[/]"
                )
            await drive_session(console, session_run, resume=resume, quiet=quiet, command="counsel")
            record = session_run.record()
            records.append(record)
            course_id = spec.extra_config.get("course")
            if course_id:
                remember_session(store, session_run.subject, record, str(course_id))
    if len(records) > 1:
        _print_course(records)


def _print_course(records: list[Session]) -> None:
    table = Table(title="Course")
    for column in ("session", "ended", "trust start → end", "PHQ-9", "GAD-7", "deepest"):
        table.add_column(column)
    for record in records:
        outcome = record.counseling
        if outcome is None:
            continue

        def total(results: list[object], name: str) -> str:
            found = next((r for r in results if getattr(r, "name", "") == name), None)
            value = getattr(found, "total", None)
            return str(value) if value is not None else "—"

        trust = f"{outcome.trust[0]:.2f} → {outcome.trust[-1]:.2f}" if outcome.trust else "—"
        table.add_row(
            str(outcome.session_number),
            record.termination_reason.value if record.termination_reason else "unfinished",
            trust,
            f"{total(list(outcome.before), 'PHQ-9')} → {total(list(outcome.after), 'PHQ-9')}",
            f"{total(list(outcome.before), 'GAD-7')} → {total(list(outcome.after), 'GAD-7')}",
            outcome.deepest_disclosure.value,
        )
    console.print(table)
