"""``clinisim export``: turn session records into a training dataset."""

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
    from clinisim.export import ExportReport

__all__ = ["export"]

console = Console(highlight=False)

_EXAMPLES = """
Examples:

  clinisim export runs/gen-smoke --out datasets/smoke            # messages JSONL + card

  clinisim export runs/gen-smoke --format all --perspective both --out datasets/smoke

  clinisim export runs/a runs/b --format hf --min-score communication=0.6 --correct --dedupe 0.9 --out ds

  clinisim export runs/counsel-gen --perspective patient --persona style=upset --safe --out ds

  python -c "import datasets; print(datasets.load_dataset('ds'))"
"""


def _perspectives(values: list[str] | None) -> list[str]:
    chosen = values or ["clinician"]
    if "both" in chosen:
        return ["clinician", "patient"]
    for value in chosen:
        if value not in ("clinician", "patient"):
            raise InputError(
                f"unknown perspective {value!r} (clinician, patient, both)", field="--perspective"
            )
    return list(dict.fromkeys(chosen))


def _print_report(report: ExportReport) -> None:
    table = Table(title=f"exported to {report.out}", show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column()
    table.add_row("sessions found", str(report.found))
    for reason, count in sorted(report.dropped.items()):
        table.add_row(f"  left out: {reason}", str(count))
    table.add_row("sessions kept", str(report.kept))
    table.add_row(
        "examples",
        f"{report.examples} ("
        + ", ".join(f"{split} {count}" for split, count in report.by_split.items())
        + ")",
    )
    for name, files in report.files.items():
        table.add_row(name, ", ".join(files.values()))
    table.add_row("card", str(report.out / "README.md"))
    console.print(table)
    for skipped in report.skipped:
        console.print(f"[yellow]skipped:[/] {skipped.path}: {skipped.reason}")
    if report.missing_subjects:
        missing = sorted(set(report.missing_subjects))
        console.print(
            f"[yellow]warning:[/] {len(missing)} case(s) or client(s) not in the library "
            f"(licence 'unknown', no profile in patient-side system messages): "
            f"{', '.join(missing[:8])}{' ...' if len(missing) > 8 else ''}; "
            "give --cases-dir to find them"
        )


@app.command(epilog=_EXAMPLES)
def export(
    run_dirs: Annotated[
        list[Path],
        typer.Argument(
            metavar="RUN_DIR...",
            help="Run directories (runs/<id>), folders of session JSON files, or files.",
        ),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="The dataset folder to write.")],
    formats: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            "-f",
            help="messages, sharegpt, openai, parquet, hf, or all; repeat for several.",
        ),
    ] = None,
    perspective: Annotated[
        list[str] | None,
        typer.Option(
            help="clinician (the assistant is the doctor or counselor), patient (the "
            "assistant is the patient or client), or both; repeat for several.",
        ),
    ] = None,
    reason: Annotated[
        list[str] | None,
        typer.Option(help="Keep sessions that ended for this reason; repeat."),
    ] = None,
    min_score: Annotated[
        list[str] | None,
        typer.Option(help="NAME=VALUE: keep sessions with at least this score; repeat."),
    ] = None,
    correct: Annotated[
        bool, typer.Option("--correct", help="Keep consultations with a correct diagnosis.")
    ] = False,
    safe: Annotated[
        bool,
        typer.Option("--safe", help="Keep sessions that failed no safety-critical rubric item."),
    ] = False,
    persona: Annotated[
        list[str] | None,
        typer.Option(help="AXIS=VALUE: keep sessions with this persona or style value; repeat."),
    ] = None,
    dedupe: Annotated[
        float | None,
        typer.Option(
            help="Remove near-duplicate dialogues at this Jaccard similarity (0.9 is a good "
            "start; MinHash LSH over word 5-grams).",
            metavar="THRESHOLD",
        ),
    ] = None,
    split: Annotated[
        str,
        typer.Option(help="Split ratios by case or client: train,validation,test."),
    ] = "0.8,0.1,0.1",
    seed: Annotated[int, typer.Option(help="Seed of the split.")] = 0,
    name: Annotated[
        str, typer.Option(help="The dataset's name in its card.")
    ] = "clinisim synthetic dialogues",
    cases_dir: CasesDir = None,
) -> None:
    """Export session records as a dataset: JSONL (messages, ShareGPT, OpenAI), Parquet
    or a Hugging Face folder, with a dataset card.

    Every example keeps its provenance (models by role, case or client, persona,
    seeds, kit version, termination reason, scores with rubric versions, licence)
    and per-turn annotations. Failed and interrupted sessions are left out and
    counted; files that are not session records are named and skipped. Splits are
    by case or client, so none appears in two splits. The folder is written in
    full before it replaces an earlier export, so an interrupted export can simply
    be run again.
    """
    from clinisim.export import ExportOptions, Perspective, export_dataset, parse_filter
    from clinisim.export import parse_ratios as ratios_of
    from clinisim.library import resolve_library

    imports_done()
    chosen_formats = formats or ["messages"]
    session_filter = parse_filter(
        reasons=reason or [],
        min_scores=min_score or [],
        correct=correct,
        safe=safe,
        persona=persona or [],
    )
    extra_dirs = list(cases_dir or [])
    for run_dir in run_dirs:
        if (run_dir / "cases").is_dir():
            extra_dirs.append(run_dir / "cases")  # cases a run imported
    options = ExportOptions(
        sources=run_dirs,
        out=out,
        formats=chosen_formats,
        perspectives=[Perspective(p) for p in _perspectives(perspective)],
        session_filter=session_filter,
        dedupe=dedupe,
        ratios=ratios_of(split),
        seed=seed,
        name=name,
    )
    library = resolve_library(extra_dirs)
    with console.status("exporting") as status:

        def progress(stage: str, done: int, total: int) -> None:
            status.update(f"{stage}: {done}" + (f"/{total}" if total else ""))

        report = export_dataset(options, library, progress)
    _print_report(report)
