"""The typer app, and the one place user-facing errors are rendered."""

from __future__ import annotations

import gc
import inspect
import os
import sys

# litellm fetches a remote price map at import unless told not to; set it before
# anything imports litellm.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import typer
from rich.console import Console
from typer._click import exceptions as click_exceptions

from clinisim.errors import ClinisimError

__all__ = ["app", "err_console", "imports_done", "main"]

app = typer.Typer(
    name="clinisim",
    help=(
        "Clinical and counseling role-play simulation: run, score and benchmark "
        "consultations and counseling sessions, offline by default."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    add_completion=False,
)

err_console = Console(stderr=True)


def imports_done() -> None:
    """Turn the garbage collector back on once a command has imported what it needs.

    Importing chromadb, LangGraph and pydantic creates hundreds of thousands of
    objects, and the collector kept scanning them while they were being built: with
    it paused, a warm ``clinisim run`` started about 0.4 s sooner here. Freezing
    moves what was imported out of the collector's sight for good.
    """
    gc.freeze()
    gc.enable()


def _reflow(doc: str) -> str:
    """A docstring as help text: each paragraph on one line, so the terminal wraps it
    (typer keeps a docstring's single line breaks, which breaks lines mid-sentence)."""
    paragraphs = inspect.cleandoc(doc).split("\n\n")
    return "\n\n".join(" ".join(line.strip() for line in p.splitlines()) for p in paragraphs)


def _keep_lines(epilog: str) -> str:
    """An epilog whose paragraphs click prints as written (each marked with ``\\b``),
    so example commands are not rewrapped mid-command."""
    paragraphs = [p for p in inspect.cleandoc(epilog).split("\n\n") if p.strip()]
    return "\n\n".join(f"\b\n{p}" for p in paragraphs)


def _reflow_help(group: typer.Typer) -> None:
    for command in group.registered_commands:
        if command.help is None and command.callback is not None and command.callback.__doc__:
            command.help = _reflow(command.callback.__doc__)
        if command.epilog and not command.epilog.startswith("\b"):
            command.epilog = _keep_lines(command.epilog)
    for sub in group.registered_groups:
        if sub.typer_instance is not None:
            _reflow_help(sub.typer_instance)


def _register_commands() -> None:
    # Imported here so each command module can import ``app`` from this one.
    from clinisim.cli import (  # noqa: F401
        bench,
        cases,
        clients,
        counsel,
        export,
        generate,
        judges,
        practice,
        report,
        run,
        score,
        sessions,
        store,
        view,
    )

    _reflow_help(app)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: run the app and map errors to exit codes."""
    gc.disable()  # re-enabled by each command once its imports are done
    try:
        _register_commands()
        # Without standalone mode, click returns the code of a ``typer.Exit`` instead.
        result = app(args=argv, standalone_mode=False)
    except ClinisimError as exc:
        err_console.print(f"[bold red]error:[/] {exc.one_line()}", highlight=False, soft_wrap=True)
        sys.exit(exc.exit_code)
    except typer.Abort:
        err_console.print("[yellow]aborted[/]")
        sys.exit(1)
    except click_exceptions.NoArgsIsHelpError:
        sys.exit(2)  # the help was printed
    except click_exceptions.ClickException as exc:
        # Bad flags and usage errors: one line, exit code 2.
        err_console.print(
            f"[bold red]error:[/] {exc.format_message()}", highlight=False, soft_wrap=True
        )
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    finally:
        gc.enable()  # whatever happened (main may run inside another program)
    sys.exit(result if isinstance(result, int) else 0)
