"""``clinisim practice``: the trainee app (a Textual terminal UI)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from clinisim.cli._app import app, imports_done
from clinisim.cli._options import CasesDir
from clinisim.errors import InputError

__all__ = ["practice"]

_EXAMPLES = """
Examples:

  clinisim practice                                  # offline patient and client, no key needed

  clinisim practice --mode counseling                # open on the counseling library

  clinisim practice --model openai/gpt-4o-mini       # a real model plays the patient or client

  clinisim practice --model openai/local --api-base http://127.0.0.1:8000/v1

  clinisim practice --runs-dir runs --out runs/practice/sessions
"""

_MODES = ("consultation", "counseling")


@app.command(epilog=_EXAMPLES)
def practice(
    mode: Annotated[
        str, typer.Option(help="Open on 'consultation' (you are the doctor) or 'counseling'.")
    ] = "consultation",
    model: Annotated[
        str, typer.Option(help="Model of the patient, examiner or client ('offline' or litellm).")
    ] = "offline",
    judge: Annotated[str, typer.Option(help="Judge model for the feedback.")] = "offline",
    seed: Annotated[int, typer.Option(help="Default seed of new sessions.")] = 0,
    api_base: Annotated[
        str | None, typer.Option(help="OpenAI-compatible base URL for the models.")
    ] = None,
    runs_dir: Annotated[
        Path, typer.Option(help="Where the history screen looks for session records.")
    ] = Path("runs"),
    out: Annotated[
        Path | None,
        typer.Option(
            help="Where practice session records go (default RUNS_DIR/practice/sessions)."
        ),
    ] = None,
    cases_dir: CasesDir = None,
) -> None:
    """Practise a consultation (you are the doctor) or a counseling session (you are the
    counselor) in the terminal, then read feedback tied to the turns that earned it.

    Sessions are saved as standard session records after every turn, appear in the
    history screen (F2), and an unfinished one resumes from there. Press ? or F1 in
    the app for its keys.
    """
    from clinisim.llm import check_model_string
    from clinisim.tui import PracticeApp, PracticeOptions

    imports_done()
    if mode not in _MODES:
        raise InputError(f"unknown mode {mode!r}; choose {' or '.join(_MODES)}", field="--mode")
    model = check_model_string(model, field="--model")
    judge = check_model_string(judge, field="--judge")
    if "human" in (model, judge):
        raise InputError("you play the human role; give a model, not 'human'", field="--model")
    for directory in cases_dir or []:
        if not directory.is_dir():
            raise InputError("not a directory", file=directory, field="--cases-dir")
    options = PracticeOptions(
        runs_root=runs_dir,
        out_dir=out or runs_dir / "practice" / "sessions",
        cases_dir=list(cases_dir or []),
        mode=mode,
        model=model,
        judge=judge,
        seed=seed,
        api_base=api_base,
    )
    trainee_app = PracticeApp(options)
    trainee_app.run()
    if trainee_app.load_error:
        raise InputError(trainee_app.load_error)
    if trainee_app.return_code:
        raise typer.Exit(trainee_app.return_code)
