"""A session kind: what makes a consultation a consultation and counseling counseling.

The runner, record writing, resume, caps, cache, manifest and report work on any
kind; a kind only declares what differs. A new kind lives in its own package and
calls :func:`register_kind` (or is named in the ``clinisim.kinds`` entry-point
group); nothing in the engine or the runner changes.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any, Protocol

from clinisim.errors import InputError
from clinisim.schemas import Role, Session, SessionOutcome, TerminationReason, Turn

if TYPE_CHECKING:
    from langgraph.checkpoint.base import BaseCheckpointSaver
    from langgraph.graph.state import CompiledStateGraph

    from clinisim.engine._session_spec import SessionSpec
    from clinisim.library import CaseLibrary
    from clinisim.store import RecordStore

__all__ = [
    "KIND_NAMES",
    "AgentContext",
    "RegistryDefaults",
    "ReportColumn",
    "ReportSeries",
    "SessionKind",
    "SummaryColumn",
    "kind_named",
    "register_kind",
]

KIND_NAMES: tuple[str, ...] = ("consultation", "counseling", "safety-probe")
"""The kinds that ship with the kit."""


@dataclass(frozen=True)
class SummaryColumn:
    """A row a kind adds to the CLI summary (and a column to the report)."""

    name: str
    value: Callable[[Session], str | None]
    """The text for a session; ``None`` leaves the row out."""
    style: Callable[[Session], str] | None = None
    """A rich style for the value (green for a correct diagnosis...)."""


@dataclass(frozen=True)
class ReportColumn:
    """A per-session measure a kind adds to the benchmark report.

    The report aggregates it over a model's ended sessions (mean with a bootstrap
    95% CI). ``value`` returns ``None`` when the measure does not apply to a session
    (no risk was disclosed, a questionnaire went unscored); such sessions are left
    out of that column's mean, and its ``n`` says how many counted.
    """

    key: str
    """The machine name, used in the JSON and CSV outputs (``top1``, ``trust_gain``)."""
    label: str
    """The heading in the HTML and terminal tables."""
    value: Callable[[Session], float | None]
    percent: bool = True
    """True for a rate in [0, 1] shown as a percentage; False for a plain number."""


@dataclass(frozen=True)
class ReportSeries:
    """A per-model chart a kind adds to the HTML report: one bar per group.

    ``values`` maps a model's ended sessions to group label → value (means over the
    sessions where the group applies); groups keep the order they come in.
    """

    key: str
    title: str
    y_label: str
    values: Callable[[Sequence[Session]], dict[str, float]]
    y_max: float = 1.0
    percent: bool = False


class SessionKind(Protocol):
    """What a kind declares. Implementations are frozen dataclasses or plain objects."""

    @property
    def name(self) -> str:
        """``consultation`` or ``counseling`` (the record's ``kind``)."""
        ...

    @property
    def roles(self) -> tuple[Role, ...]:
        """The roles agents play in this kind, the model under test first."""
        ...

    @property
    def tested_role(self) -> Role:
        """The role a benchmark puts a model under test in (doctor, counselor)."""
        ...

    @property
    def budgets(self) -> Mapping[str, int]:
        """Budget names and their defaults (``max_turns`` always among them)."""
        ...

    @property
    def termination_reasons(self) -> frozenset[TerminationReason]:
        """The reasons a session of this kind can end for."""
        ...

    @property
    def summary_columns(self) -> tuple[SummaryColumn, ...]:
        """Rows this kind adds to the CLI summary."""
        ...

    @property
    def subject_field(self) -> str:
        """The suite field that selects this kind's subjects (``cases``, ``clients``)."""
        ...

    @property
    def persona_axes(self) -> Mapping[str, tuple[str, ...]]:
        """Persona (or style) axes and their allowed values, in display order."""
        ...

    @property
    def persona_defaults(self) -> Mapping[str, str | None]:
        """The value an axis a suite leaves out takes (``None``: the subject's own)."""
        ...

    @property
    def success(self) -> ReportColumn:
        """The per-session pass (0 or 1) that the report's headline rate, pass^k and
        by-persona breakdown use (a correct diagnosis, a safely completed session)."""
        ...

    @property
    def report_columns(self) -> tuple[ReportColumn, ...]:
        """Further measures this kind adds to the report."""
        ...

    @property
    def report_series(self) -> tuple[ReportSeries, ...]:
        """Charts this kind adds to the HTML report (trust by turn...)."""
        ...

    def library_subjects(self, library: CaseLibrary) -> Mapping[str, Any]:
        """Every subject of this kind in the library, by id."""
        ...

    def subject_tags(self, subject: Any) -> list[str]:
        """What ``tag:<name>`` selects a subject by in a suite."""
        ...

    def session_persona(self, subject: Any, values: Mapping[str, str | None]) -> dict[str, Any]:
        """The persona a session records and plays, from a suite's axis values."""
        ...

    def subject(self, library: CaseLibrary, subject_id: str) -> Any:
        """The case or client the session plays (unknown ids are an ``InputError``)."""
        ...

    def prepare_store(self, store: RecordStore, subject: Any) -> None:
        """Make sure the subject's records are in the store."""
        ...

    def build_agents(
        self, spec: SessionSpec, subject: Any, context: AgentContext
    ) -> tuple[dict[Role, Any], dict[str, str]]:
        """The agent for each role (``None`` for a human) and the prompt hashes used."""
        ...

    def build_graph(
        self,
        agents: Mapping[Role, Any] | None,
        budgets: Mapping[str, int],
        checkpointer: BaseCheckpointSaver[Any] | None,
    ) -> CompiledStateGraph[Any, None, Any, Any]:
        """The kind's LangGraph (``agents=None``: shared, agents come in the config)."""
        ...

    def initial_state(self, spec: SessionSpec) -> dict[str, Any]:
        """The graph input that starts a session."""
        ...

    def outcome(
        self, spec: SessionSpec, subject: Any, state: Mapping[str, Any], turns: list[Turn]
    ) -> SessionOutcome:
        """What the session concluded, from its state."""
        ...

    def persona_values(self, spec: SessionSpec) -> dict[str, str | None]:
        """The persona or style axis values for the record."""
        ...

    def default_judges(self, with_model: bool) -> list[str]:
        """Names of the judges a session of this kind gets by default."""
        ...


class RegistryDefaults:
    """What most kinds share: agents from the agent registry, judges from the judge
    registry, both looked up by the kind's name (mix into a kind's class)."""

    name: str
    roles: tuple[Role, ...]

    def build_agents(
        self, spec: SessionSpec, subject: Any, context: AgentContext
    ) -> tuple[dict[Role, Any], dict[str, str]]:
        """Each role's agent from ``spec.models`` through the agent registry."""
        from clinisim.engine._agent_registry import build_agents

        return build_agents(self.name, self.roles, spec, subject, context)

    def default_judges(self, with_model: bool) -> list[str]:
        """The judges registered as this kind's defaults."""
        from clinisim.judges import default_judge_names

        return default_judge_names(with_model, self.name)


@dataclass
class AgentContext:
    """What agent builders may use besides the spec and the subject."""

    library: CaseLibrary
    store: RecordStore
    chat_model: Callable[[Role], Any]
    options: dict[str, Any] = field(default_factory=dict)
    """Kind-specific options (the consultation protocol...)."""


_KINDS: dict[str, SessionKind] = {}
_BUILTIN_PACKAGES = {
    "consultation": "clinisim.kinds.consultation",
    "counseling": "clinisim.kinds.counseling",
    "safety-probe": "clinisim.kinds.safety_probe",
}


def register_kind(kind: SessionKind) -> SessionKind:
    """Make ``kind`` available by name to every command and the runner."""
    _KINDS[kind.name] = kind
    return kind


def kind_named(name: str) -> SessionKind:
    """The kind called ``name``; importing its package registers it."""
    if name not in _KINDS:
        package = _BUILTIN_PACKAGES.get(name)
        if package is None:
            for point in entry_points(group="clinisim.kinds"):
                if point.name == name:
                    package = point.value
        if package is not None:
            importlib.import_module(package)
    if name not in _KINDS:
        raise InputError(f"unknown session kind {name!r}", field="kind")
    return _KINDS[name]
