"""The leaderboard of a benchmark run: one row per doctor model, plus run provenance.

These definitions are the report's contract; the HTML, JSON and CSV outputs all
show the numbers computed here.

* **Status counts.** Every session of a doctor is counted once by its
  ``SessionStatus``: completed, budget_exceeded, failed, interrupted or missing.
  A doctor's planned sessions are ``manifest.sessions_planned`` divided by the
  number of doctors in the manifest; *missing* is planned minus the records found
  for that doctor, never negative. Unreadable session files count as missing. A
  doctor found in the records but not in the manifest has as many planned
  sessions as records, and the report warns about it.
* **Ended sessions** are completed + budget_exceeded + failed. A failed session
  counts as not correct, so a model that breaks is not rewarded for it.
  Interrupted and missing sessions are left out of every accuracy and mean below
  and only reported as counts.
* **Top-1** is the mean over ended sessions of 1 when ``outcome.correct`` is true,
  else 0, with a percentile bootstrap 95% CI (``aggregate``). **Top-k** (k =
  ``TOP_K``) is the same with 1 when the ``diagnosis`` score's ``top<k>`` item is met.
* **Moderator** accuracy is the aggregate of the ``diagnosis-moderator`` score over
  ended sessions where that score was scored; ``None`` when it never was.
* **Rubrics** are every score other than ``diagnosis``, ``diagnosis-moderator`` and
  ``realism``: the aggregate of the scored values over ended sessions, and by axis,
  for each tag of a rubric's items, the aggregate over sessions of the rubric score
  of just the items with that tag (``aggregate_by_tag``). **Realism** is the plain
  mean MATTR (the realism score's value), without a CI.
* **pass^k** groups a doctor's ended sessions by (case, persona) and computes
  ``pass_hat_k`` of their top-1 outcomes for k = 1 up to the larger of the suite's
  trials and the largest group; the headline is k = the suite's ``trials``.
* **Means per ended session**: transcript turns, doctor turns, tests ordered,
  tokens (every role's usage), and cost in USD: the sum of the known costs over the
  ended sessions divided by their number. The cost is ``None`` (unknown) when no
  usage entry has a known cost although model calls were made, and 0 when no model
  was called at all (the offline engine). ``calls_unknown_cost`` counts the calls
  whose cost is unknown, so a partly known cost can be flagged. Cache hits are a total.
* **Failures** count ``error.type`` over the failed and budget_exceeded sessions.
* **By persona**: for each persona axis and each value seen (``-`` for none), the
  top-1 aggregate over the ended sessions with that value.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from clinisim.judges import MODERATOR, TOP_K, Aggregate, GradedItem, aggregate, aggregate_by_tag
from clinisim.report._pass_k import pass_hat_k
from clinisim.report._run_results import RunResults
from clinisim.runner import Manifest, SessionStatus, persona_key, status_of
from clinisim.schemas import Persona, Role, Score, Session

__all__ = [
    "DIAGNOSIS",
    "ENDED",
    "NOT_RUBRICS",
    "REALISM",
    "Leaderboard",
    "ModelRow",
    "build_leaderboard",
    "leaderboard_csv",
    "leaderboard_json",
]

DIAGNOSIS = "diagnosis"
REALISM = "realism"
NOT_RUBRICS: frozenset[str] = frozenset({DIAGNOSIS, MODERATOR, REALISM})
"""Score names that are not rubrics: they have columns of their own."""
ENDED: tuple[SessionStatus, ...] = (
    SessionStatus.COMPLETED,
    SessionStatus.BUDGET_EXCEEDED,
    SessionStatus.FAILED,
)
"""The statuses whose sessions count towards accuracy and the means."""
_FAILURES = (SessionStatus.FAILED, SessionStatus.BUDGET_EXCEEDED)
_NO_VALUE = "-"
"""How an unset persona axis is written, as in ``persona_key``."""


@dataclass(frozen=True)
class ModelRow:
    """One doctor model's results; see the module docstring for the definitions."""

    doctor: str
    sessions_planned: int
    counts: dict[SessionStatus, int]
    """Sessions by status; every status is a key."""
    top1: Aggregate | None
    top_k: Aggregate | None
    moderator: Aggregate | None
    rubrics: dict[str, Aggregate | None]
    """Rubric name to its aggregate (``None``: never scored)."""
    rubric_axes: dict[str, dict[str, Aggregate]]
    """Rubric name to tag to the aggregate of the items with that tag."""
    realism: float | None
    pass_k: float | None
    """pass^k at k = the suite's trials."""
    pass_k_by_k: dict[int, float | None]
    mean_turns: float | None
    mean_doctor_turns: float | None
    mean_tests: float | None
    tokens_per_session: float | None
    cost_per_session: float | None
    calls: int
    calls_unknown_cost: int
    cache_hits: int
    failures: dict[str, int]
    """``error.type`` to count over failed and budget_exceeded sessions."""
    by_persona: dict[str, dict[str, Aggregate | None]]
    """Persona axis to value to top-1 aggregate."""

    @property
    def ended(self) -> int:
        """Completed + budget_exceeded + failed sessions."""
        return sum(self.counts[status] for status in ENDED)


@dataclass(frozen=True)
class Leaderboard:
    """A run's rows with what is needed to trust and reproduce them."""

    run_id: str
    status: str
    suite_name: str
    trials: int
    top_k: int
    sessions_planned: int
    counts: dict[SessionStatus, int]
    """Sessions by status over every doctor, recomputed from the session files."""
    spend: dict[str, Any]
    started_at: datetime
    ended_at: datetime | None
    config_hash: str
    git_revision: str | None
    versions: dict[str, str]
    rubric_versions: dict[str, str]
    warnings: list[str]
    """The manifest's warnings, then the report's own (unreadable files...)."""
    unreadable: list[str]
    rows: list[ModelRow]

    @property
    def rubric_names(self) -> list[str]:
        """Every rubric of any row, in row order of first appearance."""
        return _unique(name for row in self.rows for name in row.rubrics)

    @property
    def persona_axes(self) -> dict[str, list[str]]:
        """Every persona axis to the values seen in any row, in order of appearance."""
        axes: dict[str, list[str]] = {}
        for row in self.rows:
            for axis, values in row.by_persona.items():
                seen = axes.setdefault(axis, [])
                seen.extend(v for v in values if v not in seen)
        return axes


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _score(record: Session, name: str) -> Score | None:
    # The last one wins: a rescore appends rather than edits in some tools.
    found = [score for score in record.scores if score.name == name]
    return found[-1] if found else None


def _scored_value(record: Session, name: str) -> float | None:
    score = _score(record, name)
    if score is None or score.status != "scored":
        return None
    return score.value


def _top1(record: Session) -> float:
    outcome = record.consultation
    return 1.0 if outcome is not None and outcome.correct is True else 0.0


def _top_k(record: Session) -> float:
    score = _score(record, DIAGNOSIS)
    item_id = f"top{TOP_K}"
    met = score is not None and any(i.id == item_id and i.met is True for i in score.items)
    return 1.0 if met else 0.0


def _doctor(record: Session) -> str:
    return record.models.get("doctor", "unknown")


def _manifest_doctors(manifest: Manifest) -> list[str]:
    value = manifest.models.get("doctor", manifest.suite.models.doctor)
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _group_key(record: Session) -> tuple[str, str]:
    """(case, persona) in the runner's canonical persona form."""
    try:
        key = persona_key(Persona.model_validate(record.persona))
    except ValidationError:
        # Not a patient persona (e.g. a counseling client): the same text form, unvalidated.
        key = ",".join(f"{a}={v or _NO_VALUE}" for a, v in record.persona.items())
    return (record.case_id, key)


def _rubric_order(manifest: Manifest, records: Sequence[Session]) -> list[str]:
    names = [*manifest.rubrics, *sorted({s.name for r in records for s in r.scores})]
    return [name for name in _unique(names) if name not in NOT_RUBRICS]


def _rubric_axes(ended: Sequence[Session], name: str) -> dict[str, Aggregate]:
    sessions: list[list[GradedItem]] = []
    for record in ended:
        score = _score(record, name)
        if score is None:
            continue
        sessions.append(
            [
                GradedItem(points=item.points or 0, met=item.met, tags=tuple(item.tags))
                for item in score.items
            ]
        )
    return aggregate_by_tag(sessions)


def _pass_k(ended: Sequence[Session], trials: int) -> dict[int, float | None]:
    groups: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for record in ended:
        groups[_group_key(record)].append(_top1(record) == 1.0)
    largest = max((len(g) for g in groups.values()), default=0)
    outcomes = list(groups.values())
    return {k: pass_hat_k(outcomes, k) for k in range(1, max(trials, largest) + 1)}


def _by_persona(ended: Sequence[Session]) -> dict[str, dict[str, Aggregate | None]]:
    values: dict[str, dict[str, list[float]]] = {}
    for record in ended:
        for axis, value in record.persona.items():
            values.setdefault(axis, {}).setdefault(value or _NO_VALUE, []).append(_top1(record))
    return {
        axis: {value: aggregate(tops) for value, tops in by_value.items()}
        for axis, by_value in values.items()
    }


def _cost(ended: Sequence[Session]) -> tuple[float | None, int, int]:
    """(total known cost or None, calls, calls of unknown cost) over the sessions."""
    entries = [usage for record in ended for usage in record.usage.values()]
    known = [u.cost_usd for u in entries if u.cost_usd is not None]
    calls = sum(u.calls for u in entries)
    unknown_calls = sum(u.calls for u in entries if u.cost_usd is None)
    if known:
        return sum(known), calls, unknown_calls
    return (None if calls > 0 else 0.0), calls, unknown_calls


def _row(
    doctor: str,
    records: Sequence[Session],
    *,
    planned: int,
    rubric_names: Sequence[str],
    trials: int,
) -> ModelRow:
    counts = dict.fromkeys(SessionStatus, 0)
    for record in records:
        counts[status_of(record)] += 1
    counts[SessionStatus.MISSING] = max(0, planned - len(records))
    ended = [r for r in records if status_of(r) in ENDED]
    n = len(ended)

    def per_session(measure: Callable[[Session], float]) -> float | None:
        return _mean([measure(r) for r in ended])

    moderator = [v for r in ended if (v := _scored_value(r, MODERATOR)) is not None]
    realism = [v for r in ended if (v := _scored_value(r, REALISM)) is not None]
    rubrics = {
        name: aggregate([v for r in ended if (v := _scored_value(r, name)) is not None])
        for name in rubric_names
        if any(_score(r, name) is not None for r in ended)
    }
    total_cost, calls, unknown_calls = _cost(ended)
    pass_by_k = _pass_k(ended, trials)
    failures = Counter(
        r.error.type if r.error is not None else "unknown"
        for r in records
        if status_of(r) in _FAILURES
    )
    return ModelRow(
        doctor=doctor,
        sessions_planned=planned,
        counts=counts,
        top1=aggregate([_top1(r) for r in ended]),
        top_k=aggregate([_top_k(r) for r in ended]),
        moderator=aggregate(moderator),
        rubrics=rubrics,
        rubric_axes={name: axes for name in rubrics if (axes := _rubric_axes(ended, name))},
        realism=_mean(realism),
        pass_k=pass_by_k.get(trials),
        pass_k_by_k=pass_by_k,
        mean_turns=per_session(lambda r: len(r.turns)),
        mean_doctor_turns=per_session(lambda r: sum(t.role is Role.DOCTOR for t in r.turns)),
        mean_tests=per_session(
            lambda r: len(r.consultation.tests_ordered) if r.consultation else 0
        ),
        tokens_per_session=per_session(lambda r: sum(u.total_tokens for u in r.usage.values())),
        cost_per_session=None if total_cost is None or n == 0 else total_cost / n,
        calls=calls,
        calls_unknown_cost=unknown_calls,
        cache_hits=sum(u.cache_hits for r in ended for u in r.usage.values()),
        failures=dict(sorted(failures.items(), key=lambda kv: (-kv[1], kv[0]))),
        by_persona=_by_persona(ended),
    )


def build_leaderboard(results: RunResults) -> Leaderboard:
    """One row per doctor: the manifest's doctors in order, then any other found."""
    manifest = results.manifest
    planned_doctors = _manifest_doctors(manifest)
    per_doctor = manifest.sessions_planned // len(planned_doctors) if planned_doctors else 0
    by_doctor: dict[str, list[Session]] = {d: [] for d in planned_doctors}
    for record in results.records:
        by_doctor.setdefault(_doctor(record), []).append(record)
    rubric_names = _rubric_order(manifest, results.records)
    trials = manifest.suite.trials
    rows = [
        _row(
            doctor,
            records,
            planned=per_doctor if doctor in planned_doctors else len(records),
            rubric_names=rubric_names,
            trials=trials,
        )
        for doctor, records in by_doctor.items()
    ]
    warnings = list(manifest.warnings)
    if results.unreadable:
        warnings.append(
            f"{len(results.unreadable)} session file(s) could not be read and count as missing"
        )
    extra = [d for d in by_doctor if d not in planned_doctors]
    if extra:
        warnings.append(f"records of doctors not in the manifest: {', '.join(extra)}")
    return Leaderboard(
        run_id=manifest.run_id,
        status=manifest.status,
        suite_name=manifest.suite.name,
        trials=trials,
        top_k=TOP_K,
        sessions_planned=manifest.sessions_planned,
        counts={s: sum(row.counts[s] for row in rows) for s in SessionStatus},
        spend=dict(manifest.spend),
        started_at=manifest.started_at,
        ended_at=manifest.ended_at,
        config_hash=manifest.config_hash,
        git_revision=manifest.git_revision,
        versions=dict(manifest.versions),
        rubric_versions=dict(manifest.rubrics),
        warnings=warnings,
        unreadable=[str(p) for p in results.unreadable],
        rows=rows,
    )


# --- JSON and CSV ---------------------------------------------------------------------


def _agg_json(value: Aggregate | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {"mean": value.mean, "low": value.low, "high": value.high, "n": value.n}


def _row_json(row: ModelRow, top_k: int, trials: int) -> dict[str, Any]:
    return {
        "doctor": row.doctor,
        "sessions_planned": row.sessions_planned,
        "counts": {status.value: n for status, n in row.counts.items()},
        "ended": row.ended,
        "top1": _agg_json(row.top1),
        f"top{top_k}": _agg_json(row.top_k),
        "moderator": _agg_json(row.moderator),
        "rubrics": {name: _agg_json(agg) for name, agg in row.rubrics.items()},
        "rubric_axes": {
            name: {tag: _agg_json(agg) for tag, agg in axes.items()}
            for name, axes in row.rubric_axes.items()
        },
        "realism": row.realism,
        "pass_k": {"k": trials, "value": row.pass_k},
        # A list, not a dict: JSON object keys would turn k into a string.
        "pass_k_by_k": [{"k": k, "value": v} for k, v in row.pass_k_by_k.items()],
        "mean_turns": row.mean_turns,
        "mean_doctor_turns": row.mean_doctor_turns,
        "mean_tests": row.mean_tests,
        "tokens_per_session": row.tokens_per_session,
        "cost_per_session": row.cost_per_session,
        "calls": row.calls,
        "calls_unknown_cost": row.calls_unknown_cost,
        "cache_hits": row.cache_hits,
        "failures": dict(row.failures),
        "by_persona": {
            axis: {value: _agg_json(agg) for value, agg in by_value.items()}
            for axis, by_value in row.by_persona.items()
        },
    }


def leaderboard_json(lb: Leaderboard) -> dict[str, Any]:
    """The leaderboard as JSON-serialisable data; an ``Aggregate`` is a dict or null."""
    return {
        "run_id": lb.run_id,
        "status": lb.status,
        "suite": lb.suite_name,
        "trials": lb.trials,
        "top_k": lb.top_k,
        "sessions_planned": lb.sessions_planned,
        "counts": {status.value: n for status, n in lb.counts.items()},
        "spend": lb.spend,
        "started_at": lb.started_at.isoformat(),
        "ended_at": lb.ended_at.isoformat() if lb.ended_at is not None else None,
        "config_hash": lb.config_hash,
        "git_revision": lb.git_revision,
        "versions": lb.versions,
        "rubric_versions": lb.rubric_versions,
        "warnings": lb.warnings,
        "unreadable": lb.unreadable,
        "models": [_row_json(row, lb.top_k, lb.trials) for row in lb.rows],
    }


def _num(value: float | None) -> str:
    # Rounded so the file is readable; six decimals keep every reported digit.
    return "" if value is None else str(round(value, 6))


def _agg_cells(agg: Aggregate | None) -> list[str]:
    if agg is None:
        return ["", "", ""]
    return [_num(agg.mean), _num(agg.low), _num(agg.high)]


def _with_ci(name: str) -> list[str]:
    return [name, f"{name}_low", f"{name}_high"]


def leaderboard_csv(lb: Leaderboard) -> str:
    """One header line and one line per doctor; empty cells mean "not available"."""
    rubrics = lb.rubric_names
    header = [
        "doctor",
        "sessions_planned",
        *(status.value for status in SessionStatus),
        "ended",
        *_with_ci("top1"),
        *_with_ci(f"top{lb.top_k}"),
        "pass_k",
        *_with_ci("moderator"),
        "mean_turns",
        "mean_doctor_turns",
        "mean_tests",
        "tokens_per_session",
        "cost_per_session",
        "calls_unknown_cost",
        "cache_hits",
        "realism",
        *(column for name in rubrics for column in _with_ci(name)),
    ]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in lb.rows:
        writer.writerow(
            [
                row.doctor,
                str(row.sessions_planned),
                *(str(row.counts[status]) for status in SessionStatus),
                str(row.ended),
                *_agg_cells(row.top1),
                *_agg_cells(row.top_k),
                _num(row.pass_k),
                *_agg_cells(row.moderator),
                _num(row.mean_turns),
                _num(row.mean_doctor_turns),
                _num(row.mean_tests),
                _num(row.tokens_per_session),
                _num(row.cost_per_session),
                str(row.calls_unknown_cost),
                str(row.cache_hits),
                _num(row.realism),
                *(cell for name in rubrics for cell in _agg_cells(row.rubrics.get(name))),
            ]
        )
    return out.getvalue()
