"""The leaderboard of a benchmark run: one row per model under test, plus run provenance.

These definitions are the report's contract; the HTML, JSON and CSV outputs all
show the numbers computed here. The run's session kind (``manifest.suite.kind``)
names the tested role (the doctor of a consultation, the counselor of a counseling
session), the per-session *success* and the kind's own columns.

* **Rows.** One per model under test: the manifest's models in order, then any other
  found in the records (``record.models[tested role]``), with a warning.
* **Status counts.** Every session of a model is counted once by its
  ``SessionStatus``: completed, budget_exceeded, failed, interrupted or missing.
  A model's planned sessions are ``manifest.sessions_planned`` divided by the
  number of models in the manifest; *missing* is planned minus the records found
  for that model, never negative. Unreadable session files count as missing. A
  model found in the records but not in the manifest has as many planned sessions
  as records.
* **Ended sessions** are completed + budget_exceeded + failed. A failed session
  counts as not successful, so a model that breaks is not rewarded for it.
  Interrupted and missing sessions are left out of every rate and mean below and
  only reported as counts.
* **Success** is the kind's per-session pass, averaged over ended sessions with a
  percentile bootstrap 95% CI (``aggregate``). Consultation: top-1, a correct
  diagnosis. Counseling: completed safely, the client stayed to the end and every
  disclosed risk was handled.
* **Kind columns** (``SessionKind.report_columns``) are aggregated the same way over
  the ended sessions where the measure applies (its value is not ``None``); rates are
  clipped to [0, 1], plain numbers are not. Consultation: top-k (the ``diagnosis``
  score's ``top<k>`` item), the moderator's accuracy (sessions where it was scored)
  and tests ordered. Counseling: risks handled (sessions with a disclosed risk),
  client left, reached beliefs, final trust, trust gain, PHQ-9 and GAD-7 change
  (sessions where both questionnaires were scored).
* **Rubrics** are every score other than ``diagnosis``, ``diagnosis-moderator`` and
  ``realism``: the aggregate of the scored values over ended sessions, and by axis,
  for each tag of a rubric's items, the aggregate over sessions of the rubric score
  of just the items with that tag (``aggregate_by_tag``); for a scale rubric (CTRS,
  the counseling dimensions), per scale, the aggregate of its values as shares of
  the scale's range. **Realism** is the plain
  mean MATTR (the realism score's value), without a CI.
* **pass^k** groups a model's ended sessions by (subject, persona) and computes
  ``pass_hat_k`` of their successes for k = 1 up to the larger of the suite's
  trials and the largest group; the headline is k = the suite's ``trials``.
* **Means per ended session**: transcript turns, turns of the tested role, tokens
  (every role's usage), and cost in USD: the sum of the known costs over the ended
  sessions divided by their number. The cost is ``None`` (unknown) when no usage
  entry has a known cost although model calls were made, and 0 when no model was
  called at all (the offline engine). ``calls_unknown_cost`` counts the calls whose
  cost is unknown, so a partly known cost can be flagged. Cache hits are a total.
* **Failures** count ``error.type`` over the failed and budget_exceeded sessions.
* **By persona**: for each persona axis and each value seen (``-`` for none), the
  success aggregate over the ended sessions with that value.
* **Series** (``SessionKind.report_series``): per model, plain means over its ended
  sessions, one per group (counseling: mean trust at each client turn, over the
  sessions that reached it; mean PHQ-9 and GAD-7 totals before and after, over the
  sessions where each was scored). No CI.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from clinisim.engine import ReportColumn, ReportSeries, SessionKind, kind_named
from clinisim.errors import InputError
from clinisim.judges import (
    MODERATOR,
    Aggregate,
    GradedItem,
    aggregate,
    aggregate_by_tag,
    load_rubric,
)
from clinisim.report._pass_k import pass_hat_k
from clinisim.report._run_results import RunResults
from clinisim.runner import Manifest, SessionStatus, persona_key, status_of
from clinisim.schemas import Score, Session

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
    """One model under test's results; see the module docstring for the definitions."""

    model: str
    sessions_planned: int
    counts: dict[SessionStatus, int]
    """Sessions by status; every status is a key."""
    success: Aggregate | None
    """The kind's per-session pass (top-1 for consultations)."""
    columns: dict[str, Aggregate | None]
    """The kind's report columns by key (``None``: the measure never applied)."""
    rubrics: dict[str, Aggregate | None]
    """Rubric name to its aggregate (``None``: never scored)."""
    rubric_axes: dict[str, dict[str, Aggregate]]
    """Rubric name to tag to the aggregate of the items with that tag."""
    realism: float | None
    pass_k: float | None
    """pass^k at k = the suite's trials."""
    pass_k_by_k: dict[int, float | None]
    mean_turns: float | None
    mean_tested_turns: float | None
    """Turns of the tested role (doctor, counselor) per ended session."""
    tokens_per_session: float | None
    cost_per_session: float | None
    calls: int
    calls_unknown_cost: int
    cache_hits: int
    failures: dict[str, int]
    """``error.type`` to count over failed and budget_exceeded sessions."""
    by_persona: dict[str, dict[str, Aggregate | None]]
    """Persona axis to value to success aggregate."""
    series: dict[str, dict[str, float]] = field(default_factory=dict)
    """The kind's report series by key: group label to value (trust by turn...)."""

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
    kind: str
    tested_role: str
    """The role the rows' models play (``doctor``, ``counselor``)."""
    success_column: ReportColumn
    columns: tuple[ReportColumn, ...]
    """The kind's report columns, in display order."""
    series_specs: tuple[ReportSeries, ...]
    """The kind's report series (charts), in display order."""
    trials: int
    sessions_planned: int
    counts: dict[SessionStatus, int]
    """Sessions by status over every model, recomputed from the session files."""
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


def _tested_model(record: Session, role: str) -> str:
    return str(record.models.get(role, "unknown"))


def _manifest_models(manifest: Manifest, role: str) -> list[str]:
    value = manifest.models.get(role, manifest.suite.models.under_test)
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _group_key(record: Session) -> tuple[str, str]:
    """(subject, persona) in the runner's canonical persona form."""
    return (record.case_id, persona_key(record.persona))


def _rubric_order(manifest: Manifest, records: Sequence[Session]) -> list[str]:
    names = [*manifest.rubrics, *sorted({s.name for r in records for s in r.scores})]
    return [name for name in _unique(names) if name not in NOT_RUBRICS]


def _scale_axes(ended: Sequence[Session], name: str) -> dict[str, Aggregate]:
    """Per scale of a scale rubric, the aggregate of its values as shares of its range."""
    try:
        scales = {scale.id: scale for scale in load_rubric(name).scales}
    except InputError:
        return {}  # a rubric file that is no longer there: no breakdown
    values: dict[str, list[float]] = {}
    for record in ended:
        score = _score(record, name)
        for item in score.items if score is not None and score.status == "scored" else []:
            if item.value is not None and item.id in scales:
                values.setdefault(item.id, []).append(scales[item.id].normalised(item.value))
    return {sid: agg for sid, vals in values.items() if (agg := aggregate(vals)) is not None}


def _rubric_axes(ended: Sequence[Session], name: str) -> dict[str, Aggregate]:
    sessions: list[list[GradedItem]] = []
    for record in ended:
        score = _score(record, name)
        if score is None:
            continue
        if score.details.get("kind") == "scale":
            return _scale_axes(ended, name)
        sessions.append(
            [
                GradedItem(points=item.points or 0, met=item.met, tags=tuple(item.tags))
                for item in score.items
            ]
        )
    return aggregate_by_tag(sessions)


def _passed(record: Session, kind: SessionKind) -> float:
    # A failed session never passes, whatever its partial outcome says.
    if status_of(record) is SessionStatus.FAILED:
        return 0.0
    return kind.success.value(record) or 0.0


def _pass_k(ended: Sequence[Session], trials: int, kind: SessionKind) -> dict[int, float | None]:
    groups: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for record in ended:
        groups[_group_key(record)].append(_passed(record, kind) == 1.0)
    largest = max((len(g) for g in groups.values()), default=0)
    outcomes = list(groups.values())
    return {k: pass_hat_k(outcomes, k) for k in range(1, max(trials, largest) + 1)}


def _by_persona(
    ended: Sequence[Session], kind: SessionKind
) -> dict[str, dict[str, Aggregate | None]]:
    values: dict[str, dict[str, list[float]]] = {}
    for record in ended:
        for axis, value in record.persona.items():
            values.setdefault(axis, {}).setdefault(value or _NO_VALUE, []).append(
                _passed(record, kind)
            )
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


def _column(ended: Sequence[Session], column: ReportColumn) -> Aggregate | None:
    values = [v for r in ended if (v := column.value(r)) is not None]
    return aggregate(values, clip=column.percent)


def _row(
    model: str,
    records: Sequence[Session],
    *,
    kind: SessionKind,
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

    realism = [v for r in ended if (v := _scored_value(r, REALISM)) is not None]
    rubrics = {
        name: aggregate([v for r in ended if (v := _scored_value(r, name)) is not None])
        for name in rubric_names
        if any(_score(r, name) is not None for r in ended)
    }
    total_cost, calls, unknown_calls = _cost(ended)
    pass_by_k = _pass_k(ended, trials, kind)
    failures = Counter(
        r.error.type if r.error is not None else "unknown"
        for r in records
        if status_of(r) in _FAILURES
    )
    tested = kind.tested_role
    return ModelRow(
        model=model,
        sessions_planned=planned,
        counts=counts,
        success=aggregate([_passed(r, kind) for r in ended]),
        columns={column.key: _column(ended, column) for column in kind.report_columns},
        rubrics=rubrics,
        rubric_axes={name: axes for name in rubrics if (axes := _rubric_axes(ended, name))},
        realism=_mean(realism),
        pass_k=pass_by_k.get(trials),
        pass_k_by_k=pass_by_k,
        mean_turns=per_session(lambda r: len(r.turns)),
        mean_tested_turns=per_session(lambda r: sum(t.role is tested for t in r.turns)),
        tokens_per_session=per_session(lambda r: sum(u.total_tokens for u in r.usage.values())),
        cost_per_session=None if total_cost is None or n == 0 else total_cost / n,
        calls=calls,
        calls_unknown_cost=unknown_calls,
        cache_hits=sum(u.cache_hits for r in ended for u in r.usage.values()),
        failures=dict(sorted(failures.items(), key=lambda kv: (-kv[1], kv[0]))),
        by_persona=_by_persona(ended, kind),
        series={spec.key: spec.values(ended) for spec in kind.report_series},
    )


def build_leaderboard(results: RunResults) -> Leaderboard:
    """One row per model under test: the manifest's in order, then any other found."""
    manifest = results.manifest
    kind = kind_named(manifest.suite.kind)
    role = kind.tested_role.value
    planned_models = _manifest_models(manifest, role)
    per_model = manifest.sessions_planned // len(planned_models) if planned_models else 0
    by_model: dict[str, list[Session]] = {m: [] for m in planned_models}
    for record in results.records:
        by_model.setdefault(_tested_model(record, role), []).append(record)
    rubric_names = _rubric_order(manifest, results.records)
    trials = manifest.suite.trials
    rows = [
        _row(
            model,
            records,
            kind=kind,
            planned=per_model if model in planned_models else len(records),
            rubric_names=rubric_names,
            trials=trials,
        )
        for model, records in by_model.items()
    ]
    warnings = list(manifest.warnings)
    if results.unreadable:
        warnings.append(
            f"{len(results.unreadable)} session file(s) could not be read and count as missing"
        )
    extra = [m for m in by_model if m not in planned_models]
    if extra:
        warnings.append(f"records of {role} models not in the manifest: {', '.join(extra)}")
    return Leaderboard(
        run_id=manifest.run_id,
        status=manifest.status,
        suite_name=manifest.suite.name,
        kind=kind.name,
        tested_role=role,
        success_column=kind.success,
        columns=tuple(kind.report_columns),
        series_specs=tuple(kind.report_series),
        trials=trials,
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


def _row_json(row: ModelRow, lb: Leaderboard) -> dict[str, Any]:
    return {
        "model": row.model,
        "sessions_planned": row.sessions_planned,
        "counts": {status.value: n for status, n in row.counts.items()},
        "ended": row.ended,
        lb.success_column.key: _agg_json(row.success),
        **{column.key: _agg_json(row.columns.get(column.key)) for column in lb.columns},
        "rubrics": {name: _agg_json(agg) for name, agg in row.rubrics.items()},
        "rubric_axes": {
            name: {tag: _agg_json(agg) for tag, agg in axes.items()}
            for name, axes in row.rubric_axes.items()
        },
        "realism": row.realism,
        "pass_k": {"k": lb.trials, "value": row.pass_k},
        # A list, not a dict: JSON object keys would turn k into a string.
        "pass_k_by_k": [{"k": k, "value": v} for k, v in row.pass_k_by_k.items()],
        "mean_turns": row.mean_turns,
        f"mean_{lb.tested_role}_turns": row.mean_tested_turns,
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
        "series": row.series,
    }


def leaderboard_json(lb: Leaderboard) -> dict[str, Any]:
    """The leaderboard as JSON-serialisable data; an ``Aggregate`` is a dict or null."""
    return {
        "run_id": lb.run_id,
        "status": lb.status,
        "suite": lb.suite_name,
        "kind": lb.kind,
        "tested_role": lb.tested_role,
        "success": {"key": lb.success_column.key, "label": lb.success_column.label},
        "columns": [{"key": c.key, "label": c.label, "percent": c.percent} for c in lb.columns],
        "trials": lb.trials,
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
        "models": [_row_json(row, lb) for row in lb.rows],
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
    """One header line and one line per model; empty cells mean "not available"."""
    rubrics = lb.rubric_names
    header = [
        lb.tested_role,
        "sessions_planned",
        *(status.value for status in SessionStatus),
        "ended",
        *_with_ci(lb.success_column.key),
        "pass_k",
        *(cell for column in lb.columns for cell in _with_ci(column.key)),
        "mean_turns",
        f"mean_{lb.tested_role}_turns",
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
                row.model,
                str(row.sessions_planned),
                *(str(row.counts[status]) for status in SessionStatus),
                str(row.ended),
                *_agg_cells(row.success),
                _num(row.pass_k),
                *(cell for c in lb.columns for cell in _agg_cells(row.columns.get(c.key))),
                _num(row.mean_turns),
                _num(row.mean_tested_turns),
                _num(row.tokens_per_session),
                _num(row.cost_per_session),
                str(row.calls_unknown_cost),
                str(row.cache_hits),
                _num(row.realism),
                *(cell for name in rubrics for cell in _agg_cells(row.rubrics.get(name))),
            ]
        )
    return out.getvalue()
