"""A benchmark suite: which sessions a run holds and how it executes them.

A suite is YAML that evaluators edit. The parts that decide *what each session is*
(cases, personas, trials, models, seed, turn and session budgets, protocol,
rubrics) go into the run's config hash, so a run cannot be resumed with a different
suite. The parts that only decide *how the run executes* (concurrency, timeouts,
retries, the failure threshold, the run-wide budget and the cache) may change
between a run and its resume.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field, field_validator, model_validator

from clinisim.schemas._base import StrictModel

__all__ = [
    "AGENTCLINIC_MAX_TURNS",
    "TESTED_ROLE_KEYS",
    "CaseImport",
    "PersonaSampling",
    "Protocol",
    "Suite",
    "SuiteBudgets",
    "SuiteExecution",
    "SuiteModels",
]

AGENTCLINIC_MAX_TURNS = 20
"""AgentClinic's doctor budget; the ``agentclinic`` protocol enforces it."""


class Protocol(StrEnum):
    """How the doctor speaks and how the diagnosis is judged."""

    CLINISIM = "clinisim"
    """The kit's own: JSON or tag actions, diagnosis matched against synonyms."""
    AGENTCLINIC = "agentclinic"
    """AgentClinic's: ``REQUEST TEST:`` / ``DIAGNOSIS READY:`` tags only, a
    20-turn doctor budget, and a moderator model answering "same disease?"."""


class CaseImport(StrictModel):
    """Cases read from another simulator's file, converted when the suite loads."""

    format: Literal["agentclinic"]
    path: str
    """Relative to the suite file."""
    prefix: str = "agentclinic"
    """Imported case ids are ``<prefix>-<line number>``."""
    limit: int | None = Field(default=None, ge=1)
    """Only the first ``limit`` cases of the file."""


class PersonaSampling(StrictModel):
    """Personas drawn from axis values: the full grid, or a seeded sample of it."""

    axes: dict[str, list[str] | Literal["all"]]
    """Axis name to the values to use; ``all`` means every value of that axis."""
    sample: int | None = Field(default=None, ge=1)
    """Draw this many distinct personas from the grid (seeded by the suite seed);
    ``None`` uses the whole grid."""


TESTED_ROLE_KEYS: tuple[str, ...] = ("doctor", "counselor")
"""Keys that name the models under test in a suite's ``models`` (one per kind)."""
PLAYED_ROLE_KEYS: tuple[str, ...] = ("patient", "examiner", "client")
"""Keys that name the model of another role directly in ``models``."""


class SuiteModels(StrictModel):
    """The models of a suite: those under test, the other roles, and the judge.

    In YAML the models under test may be given as ``under_test`` or under the kind's
    tested role (``doctor: [...]``, ``counselor: [...]``), and another role's model as
    ``roles: {patient: ...}`` or directly (``patient: ...``). A role left out plays
    the offline engine.
    """

    under_test: list[str] = Field(default_factory=lambda: ["offline"], min_length=1)
    """Each model is compared in the kind's tested role (doctor, counselor)."""
    roles: dict[str, str] = Field(default_factory=dict)
    """Role name to model string for the roles not under test."""
    judge: str = "offline"
    named_as: str | None = Field(default=None, exclude=True, repr=False)
    """The key the models under test were given under (``doctor``...), to check it
    against the suite's kind; not part of the suite's content."""

    @model_validator(mode="before")
    @classmethod
    def _role_keys(cls, data: object) -> object:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        for key in TESTED_ROLE_KEYS:
            if key in data:
                if "under_test" in data:
                    raise ValueError(f"give the models under test once: under_test or {key}")
                value = data.pop(key)
                data["under_test"] = [value] if isinstance(value, str) else value
                data["named_as"] = key
        if isinstance(data.get("under_test"), str):
            data["under_test"] = [data["under_test"]]
        named = {key: data.pop(key) for key in PLAYED_ROLE_KEYS if key in data}
        if named:
            roles = dict(data.get("roles") or {})
            for key, value in named.items():
                if key in roles:
                    raise ValueError(f"role {key!r} is given twice (in roles and as {key})")
                roles[key] = value
            data["roles"] = roles
        return data

    def model_for(self, role: str) -> str:
        """The model playing ``role`` (not under test): the suite's, else ``offline``."""
        return self.roles.get(role, "offline")


class SuiteBudgets(StrictModel):
    """Turn limits and spending caps. ``None`` means no cap."""

    max_turns: int = Field(default=20, ge=1, le=200)
    """Doctor turns per session."""
    max_tests: int = Field(default=8, ge=0, le=100)
    session_usd: float | None = Field(default=None, gt=0)
    session_tokens: int | None = Field(default=None, gt=0)
    run_usd: float | None = Field(default=None, gt=0)
    """Spend of the whole run, summed over resumes."""
    run_tokens: int | None = Field(default=None, gt=0)


class SuiteExecution(StrictModel):
    """How the run executes; none of this changes what a session is."""

    concurrency: int = Field(default=4, ge=1, le=512)
    """Sessions in flight at once."""
    per_provider: dict[str, int] = Field(default_factory=dict)
    """Model calls in flight at once per provider (``openai``, ``anthropic``...)."""
    call_timeout: float = Field(default=60.0, gt=0)
    """Seconds per model call."""
    session_timeout: float = Field(default=900.0, gt=0)
    """Seconds per session, judges included."""
    call_retries: int = Field(default=3, ge=0, le=20)
    """Retries of one model call on timeouts, connection errors, 429 and 5xx."""
    session_retries: int = Field(default=1, ge=0, le=10)
    """Times a failed session (error or timeout) is run again within the run."""
    max_failure_fraction: float = Field(default=0.5, ge=0, le=1)
    """Stop the run once more than this fraction of all its sessions have failed."""
    cache: bool = False
    """Reuse model replies from the on-disk cache (keyed by trial, so trials stay
    independent)."""
    executor: Literal["local", "ray"] = "local"
    """Where sessions run: ``local`` (asyncio tasks in the run's process) or ``ray``
    (tasks on a Ray cluster: this machine's cores or many machines; the run's
    process still writes every record)."""
    call_workers: int | Literal["auto"] = "auto"
    """Processes that make the async model calls, so litellm's CPU work per call
    (a few milliseconds) leaves the run's event loop. ``0`` calls in-process;
    ``auto`` uses two from 16 sessions at once on a machine with two cores or more,
    else none. Offline runs never start any."""

    @field_validator("call_workers")
    @classmethod
    def _call_workers_in_range(cls, value: int | str) -> int | str:
        if isinstance(value, int) and not 0 <= value <= 16:
            raise ValueError(f"must be 'auto' or 0 to 16, got {value}")
        return value

    @field_validator("per_provider")
    @classmethod
    def _positive(cls, value: dict[str, int]) -> dict[str, int]:
        for provider, limit in value.items():
            if limit < 1:
                raise ValueError(f"limit for {provider!r} must be at least 1")
        return value


def _one_default_persona() -> list[dict[str, str]]:
    return [{}]


class Suite(StrictModel):
    """A benchmark: subjects × personas × trials × models under test, scored by rubrics.

    The subjects are cases for a ``consultation`` suite and counseling clients for a
    ``counseling`` suite; the personas are patient personas or client styles and
    severities.
    """

    schema_version: Literal[1] = 1
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    description: str = ""
    kind: str = Field(default="consultation", pattern=r"^[a-z][a-z0-9_-]*$")
    """The session kind: ``consultation`` or ``counseling`` (or a plug-in kind)."""
    seed: int = 0
    """The run seed; each session's seed derives from it, its case, persona and trial."""
    cases: list[str] | Literal["all"] | None = None
    """Shipped case ids, ``tag:<tag>`` for every case with that tag, or ``all``.
    Unset: ``all`` when there are no ``imports``, else only the imported cases."""
    clients: list[str] | Literal["all"] | None = None
    """For a counseling suite: client ids, ``tag:<topic>`` (``tag:risk`` for every
    client with a risk flag), or ``all`` (the default)."""
    probes: list[str] | Literal["all"] | None = None
    """For a safety-probe suite: probe ids, ``tag:<family>``, or ``all`` (the default)."""
    imports: list[CaseImport] = Field(default_factory=list)
    """Cases from other simulators' files, added to ``cases``."""
    personas: list[dict[str, str]] | PersonaSampling = Field(default_factory=_one_default_persona)
    """Explicit personas (axis → value; missing axes take defaults), or a sampling rule."""
    trials: int = Field(default=1, ge=1, le=100)
    models: SuiteModels = Field(default_factory=SuiteModels)
    api_base: str | None = None
    budgets: SuiteBudgets = Field(default_factory=SuiteBudgets)
    rubrics: list[str] | None = None
    """Judges to run on every session; ``None`` means the default set."""
    protocol: Protocol = Protocol.CLINISIM
    execution: SuiteExecution = Field(default_factory=SuiteExecution)

    @field_validator("cases", "clients", "probes", mode="before")
    @classmethod
    def _all_or_list(cls, value: object) -> object:
        if isinstance(value, str) and value != "all":
            return [value]
        return value

    @model_validator(mode="after")
    def _agentclinic_budget(self) -> Suite:
        if (
            self.protocol is Protocol.AGENTCLINIC
            and self.budgets.max_turns != AGENTCLINIC_MAX_TURNS
        ):
            raise ValueError(
                f"the agentclinic protocol uses a {AGENTCLINIC_MAX_TURNS}-turn doctor budget "
                "(budgets.max_turns)"
            )
        return self
