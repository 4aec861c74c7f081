"""The library as the start screen lists it: one row per case or client, with filters.

Cases and clients have different fields, so each becomes a :class:`LibraryEntry`
with the same four facets: a group (a case's specialty, a client's first topic),
tags, a severity (a case's setting, a client's worse questionnaire band) and a risk
(a red-flag condition, a client's highest risk level). Imported cases and clients
are in the library like shipped ones, so they are listed too.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from clinisim.library import CaseLibrary

__all__ = ["EntryFilter", "LibraryEntry", "facet_values", "library_entries", "pick_random"]

_SEVERITY_ORDER = ("none", "mild", "moderate", "severe")


@dataclass(frozen=True)
class LibraryEntry:
    """One case or client as a row of the start screen."""

    id: str
    title: str
    group: str
    tags: tuple[str, ...]
    severity: str
    risk: str
    """``none`` when the subject carries no risk; else its kind or level."""
    source: str

    def text(self) -> str:
        """Everything a search matches against, lower case."""
        return " ".join((self.id, self.title, self.group, *self.tags, self.source)).lower()


@dataclass(frozen=True)
class EntryFilter:
    """The start screen's search box and filters (``None``: any)."""

    search: str = ""
    group: str | None = None
    tag: str | None = None
    severity: str | None = None
    risky: bool | None = None
    words: tuple[str, ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "words", tuple(self.search.lower().split()))

    def keeps(self, entry: LibraryEntry) -> bool:
        """Whether ``entry`` passes every filter."""
        text = entry.text()
        if any(word not in text for word in self.words):
            return False
        if self.group is not None and entry.group != self.group:
            return False
        if self.tag is not None and self.tag not in entry.tags:
            return False
        if self.severity is not None and entry.severity != self.severity:
            return False
        return self.risky is None or (entry.risk != "none") == self.risky

    def apply(self, entries: Iterable[LibraryEntry]) -> list[LibraryEntry]:
        """The entries that pass, in order."""
        return [entry for entry in entries if self.keeps(entry)]


def _case_entries(library: CaseLibrary) -> list[LibraryEntry]:
    conditions = library.conditions
    entries = []
    for case in library.cases.values():
        condition = conditions.get(case.diagnosis.condition_id or "")
        entries.append(
            LibraryEntry(
                id=case.id,
                title=case.title,
                group=case.specialty,
                tags=tuple(case.tags),
                severity=case.setting.replace("_", " "),
                risk="red flag" if condition is not None and condition.red_flag else "none",
                source=case.provenance.source,
            )
        )
    return entries


def _client_entries(library: CaseLibrary) -> list[LibraryEntry]:
    entries = []
    for client in library.clients.values():
        bands = [client.severity.depression.value, client.severity.anxiety.value]
        worse = max(bands, key=_SEVERITY_ORDER.index)
        risk = client.risk_level
        entries.append(
            LibraryEntry(
                id=client.id,
                title=f"{client.name}: {client.title}",
                group=client.topics[0] if client.topics else "general",
                tags=tuple(client.topics) + (("risk",) if client.risks else ()),
                severity=worse,
                risk=f"{risk} risk" if risk != "none" else "none",
                source=client.source,
            )
        )
    return entries


def library_entries(library: CaseLibrary, kind: str) -> list[LibraryEntry]:
    """Every case (``consultation``) or client (``counseling``), sorted by id."""
    entries = _case_entries(library) if kind == "consultation" else _client_entries(library)
    return sorted(entries, key=lambda entry: entry.id)


def facet_values(entries: Sequence[LibraryEntry], facet: str) -> list[str]:
    """The distinct values of one facet (``group``, ``tag`` or ``severity``), sorted."""
    values: set[str] = set()
    for entry in entries:
        if facet == "tag":
            values.update(entry.tags)
        else:
            values.add(str(getattr(entry, facet)))
    if facet == "severity" and values <= set(_SEVERITY_ORDER):
        return [v for v in _SEVERITY_ORDER if v in values]
    return sorted(values)


def pick_random(entries: Sequence[LibraryEntry], rng: random.Random) -> LibraryEntry | None:
    """One entry at random (``None`` when there is none)."""
    return rng.choice(list(entries)) if entries else None
