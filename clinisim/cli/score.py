"""``clinisim score``: re-score saved sessions without re-running them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from clinisim.cli._app import app, imports_done
from clinisim.cli._options import CasesDir
from clinisim.errors import InputError

if TYPE_CHECKING:
    pass

__all__ = ["score"]

console = Console(highlight=False)

_EXAMPLES = """
Examples:

  clinisim score runs/run-20261124/sessions/stemi-inferior-s0-1a2b3c4d.json

  clinisim score runs/run-20261124 --rubric history-taking --rubric communication

  clinisim score runs/ --rubric my-rubrics/triage.yaml

  clinisim score counsel-session.json --formulation my-formulation.yaml
"""


def _session_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if path.is_dir():
        return sorted(p for p in path.rglob("*.json") if not p.name.startswith("."))
    raise InputError("no such file or directory", file=path)


@app.command(epilog=_EXAMPLES)
def score(
    path: Annotated[Path, typer.Argument(help="A session JSON file or a run directory.")],
    rubric: Annotated[
        list[str] | None,
        typer.Option(
            help="Rubric name or YAML path; repeat. Also 'diagnosis', 'realism', 'patient-fidelity'."
        ),
    ] = None,
    judge: Annotated[
        str | None,
        typer.Option(help="Judge model for the rubrics (litellm string); default offline."),
    ] = None,
    api_base: Annotated[str | None, typer.Option(help="OpenAI-compatible base URL.")] = None,
    reference: Annotated[
        Path | None,
        typer.Option(help="Human reference corpus (one utterance per line) for realism z-scores."),
    ] = None,
    formulation: Annotated[
        Path | None,
        typer.Option(
            help="A formulation (YAML or JSON: core_belief_categories, emotions, situation, "
            "automatic_thought, behavior) to store on the session and score against the "
            "client's hidden cognitive model.",
            metavar="FILE",
        ),
    ] = None,
    cases_dir: CasesDir = None,
) -> None:
    """Score saved sessions again and write the scores into each record.

    Scores of the same name are replaced; others are kept. Without --rubric every
    default judge of the session's kind runs (consultations: diagnosis, realism,
    history-taking, communication, clinical-safety, patient-fidelity; counseling:
    counseling-safety, ctrs, counseling-dimensions); with --judge the rubrics are
    graded by that model, with strict parsing and bounded re-asks (unparseable:
    unscored). Imported transcripts (clinisim sessions import) are scored too.
    """
    from clinisim.cli._reference_corpus import read_reference
    from clinisim.engine import kind_named, read_session, write_session
    from clinisim.judges import SessionJudge, judges_by_name, rejudge
    from clinisim.library import resolve_library
    from clinisim.llm import ModelClient, load_model_config

    imports_done()

    config = load_model_config({"judge": judge}, api_base=api_base)
    model = ModelClient(config).model_if_any("judge")
    corpus = read_reference(reference)
    written = None
    if formulation is not None:
        from clinisim.library import load_model
        from clinisim.schemas import Formulation

        written = load_model(formulation, Formulation).model_dump(mode="json")
        rubric = [*(rubric or []), "formulation"]
    judges_by_kind: dict[str, list[SessionJudge]] = {}
    files = _session_files(path)
    if not files:
        raise InputError("no session files found", file=path)
    library = resolve_library(cases_dir)
    table = Table(title=f"{len(files)} session(s) scored")
    table.add_column("session")
    names: list[str] = []
    for file in files:
        session = read_session(file)
        if written is not None:
            if session.kind != "counseling":
                raise InputError("a formulation is scored on counseling sessions", file=file)
            session.config["formulation"] = written
        if session.kind not in judges_by_kind:
            judges_by_kind[session.kind] = judges_by_name(
                rubric or None, model, corpus, kind=session.kind
            )
        try:
            subject = kind_named(session.kind).subject(library, session.case_id)
        except InputError:
            if "imported" not in session.config:
                raise
            subject = None  # a transcript imported without its profile
        import asyncio

        fresh = asyncio.run(rejudge(session, subject, judges_by_kind[session.kind]))
        write_session(session, file)
        if not names:
            names = [s.name for s in fresh]
            for name in names:
                table.add_column(name)
        values = {s.name: s for s in fresh}
        table.add_row(
            session.session_id,
            *[
                f"{values[n].value:.2f}" if values[n].value is not None else values[n].status
                for n in names
            ],
        )
    console.print(table)
