"""The review corpus: what the offline doctor asks and the offline patient answers.

A fixed run (seed 0) over every shipped case with three personas, plus the
shipped AgentClinic sample imported on the fly. Checked in as
``tests/data/review_corpus.txt`` so every wording change shows up in review;
``test_review_corpus.py`` regenerates it and diffs it.

Regenerate after an intended change with:

    python -m tests.offline.review_corpus --write
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

CORPUS_PATH = Path(__file__).resolve().parents[1] / "data" / "review_corpus.txt"
PERSONAS: tuple[tuple[str, ...], ...] = (
    (),
    ("personality=impatient", "recall=low"),
    ("personality=overanxious", "language=A", "confusion=moderate"),
)
"""Plain; a terse patient who blurs details; an anxious one with basic English."""


@dataclass(frozen=True)
class Exchange:
    """One doctor question and the patient's reply, with who the patient is."""

    case_id: str
    persona: str
    sex: str
    age: int
    question: str
    reply: str


@dataclass(frozen=True)
class Consultation:
    case_id: str
    persona: str
    sex: str
    age: int
    exchanges: tuple[Exchange, ...]
    diagnosis: str
    correct: bool


def _sample_cases() -> list[object]:
    from clinisim.library import convert_agentclinic_case
    from clinisim.paths import suites_dir

    path = suites_dir() / "agentclinic_sample.jsonl"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [
        convert_agentclinic_case(json.loads(line), f"agentclinic-{n}", f"{path.name}:{n}")
        for n, line in enumerate(lines, start=1)
    ]


def consultations(data_dir: Path) -> Iterator[Consultation]:
    """Every consultation of the corpus, in a fixed order."""
    from clinisim.engine import SessionSpec, build_session
    from clinisim.library import CaseLibrary, parse_persona
    from clinisim.llm import ModelClient, load_model_config
    from clinisim.schemas import ActionKind, PatientCase, Role
    from clinisim.store import RecordStore

    library = CaseLibrary()
    store = RecordStore(data_dir / "store")
    client = ModelClient(load_model_config({}, env={}))
    runs: list[tuple[PatientCase, tuple[str, ...]]] = [
        (case, persona) for case in library.cases.values() for persona in PERSONAS
    ]
    runs.extend((case, ()) for case in _sample_cases() if isinstance(case, PatientCase))
    for case, axes in runs:
        persona = parse_persona(list(axes))
        label = ", ".join(axes) or "plain"
        spec = SessionSpec(
            session_id=f"review-{case.id}-{len(axes)}",
            case_id=case.id,
            persona=persona.model_dump(mode="json"),
            seed=0,
            models={},
            out=data_dir / "sessions" / f"{case.id}-{len(axes)}.json",
        )
        run = build_session(
            spec, library=library, store=store, client=client, judges=(), subject=case
        )
        asyncio.run(run.run())
        session = run.record()
        demo = case.demographics
        exchanges: list[Exchange] = []
        turns = session.turns
        for turn, answer in itertools.pairwise(turns):
            if (
                turn.role == Role.DOCTOR
                and turn.action is not None
                and turn.action.kind == ActionKind.ASK
                and answer.role == Role.PATIENT
            ):
                exchanges.append(
                    Exchange(case.id, label, demo.sex, demo.age, turn.content, answer.content)
                )
        outcome = session.outcome
        yield Consultation(
            case.id,
            label,
            demo.sex,
            demo.age,
            tuple(exchanges),
            (outcome.diagnosis_given or "") if outcome else "",
            bool(outcome and outcome.correct),
        )


def render(items: list[Consultation]) -> str:
    """The corpus as plain text: one block per consultation."""
    lines = [
        "# Review corpus: offline doctor questions and patient replies (seed 0).",
        "# Regenerate: python -m tests.offline.review_corpus --write",
        "",
    ]
    for item in items:
        lines.append(f"## {item.case_id} · {item.persona} · {item.age} {item.sex}")
        for exchange in item.exchanges:
            lines.append(f"D: {exchange.question}")
            lines.append(f"P: {exchange.reply}")
        verdict = "correct" if item.correct else "wrong"
        lines.append(f"=> {item.diagnosis} ({verdict})")
        lines.append("")
    return "\n".join(lines)


def build() -> tuple[str, list[Consultation]]:
    """Run the corpus in a private data dir; the text and the consultations."""
    with tempfile.TemporaryDirectory() as tmp:
        previous = os.environ.get("CLINISIM_DATA_DIR")
        os.environ["CLINISIM_DATA_DIR"] = tmp
        try:
            items = list(consultations(Path(tmp)))
        finally:
            if previous is None:
                os.environ.pop("CLINISIM_DATA_DIR", None)
            else:
                os.environ["CLINISIM_DATA_DIR"] = previous
    return render(items), items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="Write the checked-in corpus.")
    args = parser.parse_args()
    text, _ = build()
    if args.write:
        CORPUS_PATH.write_text(text, encoding="utf-8")
        print(f"wrote {CORPUS_PATH}")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
