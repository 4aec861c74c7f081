"""The dataset card: ``README.md`` with the Hugging Face YAML header, statistics,
plots (matplotlib PNGs), how the data was made, and known limits.

Every count in the card is computed from the examples written, so the card and the
data cannot disagree (a test checks it).
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from jinja2 import Environment, PackageLoader

from clinisim.export._session_files import RunInfo, Skipped

__all__ = ["CardFacts", "hf_licence", "size_category", "write_card"]

_SPDX = {
    "apache-2.0": "apache-2.0",
    "mit": "mit",
    "cc-by-4.0": "cc-by-4.0",
    "cc-by-sa-4.0": "cc-by-sa-4.0",
    "cc-by-nc-4.0": "cc-by-nc-4.0",
    "cc-by-nc-sa-4.0": "cc-by-nc-sa-4.0",
    "cc0-1.0": "cc0-1.0",
}


def hf_licence(licences: Sequence[str]) -> str:
    """The card's ``license``: the one licence every case and client shares, when it is
    a known identifier, else ``other`` (the body lists them)."""
    found = {lic.strip().lower() for lic in licences}
    if len(found) == 1:
        only = found.pop()
        return _SPDX.get(only, "other")
    return "other"


def size_category(count: int) -> str:
    """Hugging Face's ``size_categories`` value for ``count`` examples."""
    for limit, name in (
        (1_000, "n<1K"),
        (10_000, "1K<n<10K"),
        (100_000, "10K<n<100K"),
        (1_000_000, "100K<n<1M"),
    ):
        if count < limit:
            return name
    return "1M<n<10M"


@dataclass
class CardFacts:
    """What the card reports, besides the examples themselves."""

    found: int
    dropped: Counter[str]
    skipped: list[Skipped]
    runs: list[RunInfo]
    files: dict[str, dict[str, str]]
    """Format -> split -> relative path."""
    ratios: dict[str, float]
    seed: int
    filters_text: str
    dedupe_text: str
    name: str
    extra: dict[str, Any] = field(default_factory=dict)


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _sessions(examples: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """One example per session (the first perspective written)."""
    seen: dict[str, dict[str, Any]] = {}
    for example in examples:
        seen.setdefault(example["session_id"], example)
    return list(seen.values())


def _figure(width: float, height: float) -> Any:
    """A matplotlib figure drawn with Agg, without pyplot (no GUI, no global state)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(figure)
    return figure


def _plots(
    folder: Path, examples: Sequence[dict[str, Any]], sessions: Sequence[dict[str, Any]]
) -> list[dict[str, str]]:
    plots_dir = folder / "plots"
    plots_dir.mkdir(parents=True, exist_ok=True)
    made: list[dict[str, str]] = []

    lengths: dict[str, list[int]] = {}
    for example in sessions:
        for note, message in zip(example["turn_annotations"], example["messages"], strict=False):
            if note["speaker"] != "system":
                lengths.setdefault(note["speaker"], []).append(len(message["content"].split()))
    figure = _figure(7, 4)
    ax = figure.add_subplot()
    for speaker, values in sorted(lengths.items()):
        ax.hist(np.asarray(values), bins=30, alpha=0.6, label=speaker)
    ax.set_xlabel("words per turn")
    ax.set_ylabel("turns")
    ax.set_title("Turn lengths by speaker")
    if lengths:
        ax.legend()
    figure.subplots_adjust(left=0.1, right=0.97, bottom=0.13, top=0.9)
    figure.savefig(plots_dir / "turn_lengths.png")
    made.append({"title": "Turn lengths by speaker", "path": "plots/turn_lengths.png"})

    persona_values = Counter(
        f"{axis}={value}"
        for example in sessions
        for axis, value in example["persona"].items()
        if value is not None
    )
    names = sorted(persona_values)
    height = max(3.0, 0.25 * len(names) + 1)
    figure = _figure(7, height)
    ax = figure.add_subplot()
    ax.barh(names, [persona_values[n] for n in names])
    ax.set_xlabel("sessions")
    ax.set_title("Persona and style values")
    figure.subplots_adjust(left=0.32, right=0.97, bottom=0.6 / height, top=1 - 0.45 / height)
    figure.savefig(plots_dir / "personas.png")
    made.append({"title": "Persona and style values", "path": "plots/personas.png"})

    scores: dict[str, list[float]] = {}
    for example in sessions:
        for score in example["scores"]:
            if score["value"] is not None:
                scores.setdefault(score["name"], []).append(float(score["value"]))
    if scores:
        count = len(scores)
        columns = min(3, count)
        rows = (count + columns - 1) // columns
        figure = _figure(3.2 * columns, 2.4 * rows + 0.6)
        axes = figure.subplots(rows, columns, squeeze=False)
        for ax, (name, found) in zip(axes.flat, sorted(scores.items()), strict=False):
            spread = np.asarray(found)
            ax.hist(spread, bins=10, range=(min(0.0, spread.min()), max(1.0, spread.max())))
            ax.set_title(name, fontsize=9)
        for ax in list(axes.flat)[count:]:
            ax.axis("off")
        figure.suptitle("Score distributions")
        figure.subplots_adjust(hspace=0.6, wspace=0.35, top=1 - 0.7 / (2.4 * rows + 0.6))
        figure.savefig(plots_dir / "scores.png")
        made.append({"title": "Score distributions", "path": "plots/scores.png"})
    return made


def _configs(files: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    """The card's ``configs``: the Parquet formats only. ``datasets`` reads a folder
    with one builder, chosen by the commonest file type, so a JSONL config listed
    beside Parquet ones would not load; the JSONL files load with the ``json``
    builder (the card says how)."""
    configs: list[dict[str, Any]] = []
    parquet = [name for name in ("hf", "parquet") if name in files]
    for n, name in enumerate(parquet):
        configs.append(
            {
                "config_name": "default" if n == 0 else name,
                "data_files": [{"split": s, "path": p} for s, p in files[name].items()],
            }
        )
    return configs


def write_card(folder: Path, examples: Sequence[dict[str, Any]], facts: CardFacts) -> Path:
    """Write ``README.md`` and ``plots/`` for ``examples`` into ``folder``."""
    sessions = _sessions(examples)
    kinds = Counter(e["kind"] for e in sessions)
    licences = sorted({e["licence"] for e in sessions})
    tags = ["synthetic", "dialogue", "simulation", "clinisim"]
    if "consultation" in kinds:
        tags += ["medical", "patient-simulation"]
    if kinds.keys() & {"counseling", "safety-probe"}:
        tags += ["mental-health", "counseling"]
    licence = hf_licence(licences or ["unknown"])
    header: dict[str, Any] = {
        "license": licence,
        "language": ["en"],
        "pretty_name": facts.name,
        "size_categories": [size_category(len(examples))],
        "task_categories": ["text-generation"],
        "tags": tags,
        "configs": _configs(facts.files),
    }
    if licence == "other":
        header["license_name"] = "mixed" if len(licences) > 1 else (licences or ["unknown"])[0]
    splits = list(facts.ratios)
    splits = [s for s in splits if any(e["split"] == s for e in examples)]
    files_table = _table(
        ["format", *splits],
        [
            [f"`{name}`", *(f"`{paths.get(s, '')}`" for s in splits)]
            for name, paths in facts.files.items()
        ],
    )
    jsonl = [name for name in facts.files if name not in ("hf", "parquet")]
    if header["configs"]:
        configs_text = (
            'Load the Parquet splits with `datasets.load_dataset("path/to/this/folder")`.'
        )
    else:
        configs_text = "This export has no Parquet format (add `--format hf`)."
    if jsonl:
        example = jsonl[0]
        data_files = ", ".join(f'"{s}": "{facts.files[example][s]}"' for s in splits)
        configs_text += (
            f' Load a JSONL format with `datasets.load_dataset("json", '
            f"data_files={{{data_files}}})` (here `{example}`)."
        )
    split_rows = []
    for split in splits:
        chosen = [e for e in examples if e["split"] == split]
        split_rows.append(
            [
                split,
                len(chosen),
                len({e["session_id"] for e in chosen}),
                len({e["subject_id"] for e in chosen}),
            ]
        )
    if "consultation" not in kinds:
        subject_noun = "clients"
    elif len(kinds) == 1:
        subject_noun = "cases"
    else:
        subject_noun = "cases and clients"
    count_tables = [
        _table(["kind", "sessions"], sorted(kinds.items())),
        _table(["status", "sessions"], sorted(Counter(e["status"] for e in sessions).items())),
        _table(
            ["termination reason", "sessions"],
            sorted(Counter(str(e["termination_reason"]) for e in sessions).items()),
        ),
    ]
    persona_counts = Counter(
        f"{axis}={value}"
        for e in sessions
        for axis, value in e["persona"].items()
        if value is not None
    )
    if persona_counts:
        count_tables.append(
            _table(["persona or style", "sessions"], sorted(persona_counts.items()))
        )
    model_counts: Counter[str] = Counter()
    models_by_role: dict[str, set[str]] = {}
    for e in sessions:
        for role, model in e["models"].items():
            if model:
                model_counts[f"{role}: {model}"] += 1
                models_by_role.setdefault(role, set()).add(model)
    count_tables.append(_table(["model", "sessions"], sorted(model_counts.items())))
    by_score: dict[tuple[str, str], list[float]] = {}
    for e in sessions:
        for s in e["scores"]:
            if s["value"] is not None:
                by_score.setdefault((s["name"], s["version"]), []).append(float(s["value"]))
    score_table = (
        _table(
            ["score (version)", "sessions scored", "mean", "min", "max"],
            [
                [
                    f"{name} ({version})",
                    len(vals),
                    f"{statistics.fmean(vals):.3f}",
                    f"{min(vals):.3f}",
                    f"{max(vals):.3f}",
                ]
                for (name, version), vals in sorted(by_score.items())
            ],
        )
        if by_score
        else ""
    )
    judges: dict[str, str] = {}
    for run in facts.runs:
        judges.update(run.judges)
    for e in sessions:
        for s in e["scores"]:
            judges.setdefault(s["name"], s["version"])
    judge_models = sorted({s["judge_model"] for e in sessions for s in e["scores"]})
    made_lines = []
    for run in facts.runs:
        line = f"Run `{run.run_id or run.path.name}`"
        if run.suite:
            line += f": suite `{run.suite}`"
        if run.suite_source:
            line += f" (`{run.suite_source}`)"
        manifest = run.path / "manifest.json"
        line += f"; manifest `{manifest}`" if manifest.is_file() else "; no manifest"
        made_lines.append(line + ".")
    made_lines.append(
        "Judges: "
        + (", ".join(f"`{n}` {v}" for n, v in sorted(judges.items())) or "none recorded")
        + "."
    )
    made_lines.append(
        "Models: "
        + "; ".join(f"{role}: {', '.join(sorted(m))}" for role, m in sorted(models_by_role.items()))
        + "."
    )
    made_lines.append(f"Filters: {facts.filters_text}.")
    made_lines.append(f"Near duplicates: {facts.dedupe_text}.")
    ratios_text = ", ".join(f"{k} {v:g}" for k, v in facts.ratios.items())
    made_lines.append(
        f"Splits: by case or client (none appears in two splits), ratios {ratios_text}, "
        f"seed {facts.seed}."
    )
    dropped_rows = sorted(facts.dropped.items()) or [("nothing", 0)]
    env = Environment(
        loader=PackageLoader("clinisim.export", "templates"),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # Markdown, not HTML
    )
    plots = _plots(folder, examples, sessions)
    text = env.get_template("dataset_card.md.j2").render(
        header=yaml.safe_dump(header, sort_keys=False, allow_unicode=True),
        title=facts.name,
        kinds_text=" and ".join(sorted(kinds)) or "no",
        kit_versions=", ".join(sorted({e["kit_version"] or "unknown" for e in sessions})),
        examples=len(examples),
        sessions=len(sessions),
        subjects=len({e["subject_id"] for e in sessions}),
        subject_noun=subject_noun,
        perspectives_text=" and ".join(sorted({e["perspective"] for e in examples})) or "no",
        files_table=files_table,
        configs_text=configs_text,
        found=facts.found,
        kept=len(sessions),
        dropped_table=_table(["left out", "sessions"], dropped_rows),
        skipped=facts.skipped,
        split_table=_table(["split", "examples", "sessions", subject_noun], split_rows),
        count_tables=count_tables,
        score_table=score_table,
        plots=plots,
        made_lines=made_lines,
        judge_models_text=", ".join(judge_models) or "none",
        licences_text=", ".join(licences) or "unknown",
    )
    target = folder / "README.md"
    target.write_text(text, encoding="utf-8")
    return target
