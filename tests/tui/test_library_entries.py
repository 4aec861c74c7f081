"""The start screen's rows and filters, over the shipped and an extra case directory."""

from __future__ import annotations

import random
from pathlib import Path

import yaml

from clinisim.library import CaseLibrary, resolve_library
from clinisim.tui._library_entries import EntryFilter, facet_values, library_entries, pick_random

SHIPPED = Path(__file__).resolve().parents[2] / "personas" / "cases"


def test_an_extra_case_directory_is_listed_with_the_shipped_cases(tmp_path: Path) -> None:
    data = yaml.safe_load((SHIPPED / "migraine.yaml").read_text(encoding="utf-8"))
    data["id"] = "migraine-imported"
    data["title"] = "Throbbing headache, brought from elsewhere"
    (tmp_path / "migraine-imported.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    entries = library_entries(resolve_library([tmp_path]), "consultation")
    ids = [entry.id for entry in entries]
    assert "migraine-imported" in ids and "migraine" in ids
    found = EntryFilter(search="brought elsewhere").apply(entries)
    assert [entry.id for entry in found] == ["migraine-imported"]


def test_filters_combine_and_random_picks_among_the_rows_shown(library: CaseLibrary) -> None:
    cases = library_entries(library, "consultation")
    assert "neurology" in facet_values(cases, "group")
    neurology = EntryFilter(group="neurology").apply(cases)
    assert neurology and all(entry.group == "neurology" for entry in neurology)
    red = EntryFilter(group="neurology", risky=True).apply(cases)
    assert red and all(entry.risk == "red flag" for entry in red) and len(red) < len(neurology)
    assert EntryFilter(tag="headache", severity="primary care").apply(cases)
    rng = random.Random(3)
    assert {pick_random(red, rng) for _ in range(20)} <= set(red)
    assert pick_random([], rng) is None

    clients = library_entries(library, "counseling")
    assert facet_values(clients, "severity") == ["mild", "moderate", "severe"]
    risky = EntryFilter(risky=True).apply(clients)
    assert risky and all("risk" in entry.tags for entry in risky)
    assert EntryFilter(search="nightmares forklift").apply(clients)[0].id == "aaron-trauma"
