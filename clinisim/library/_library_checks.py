"""Checks beyond the schema: ids, links between cases and conditions, and leaks."""

from __future__ import annotations

import re
from pathlib import Path

from clinisim.errors import ClinisimError, InputError
from clinisim.library._case_library import CaseLibrary
from clinisim.library._history_text import reads_as_finding
from clinisim.library._yaml_file import load_model
from clinisim.schemas import PatientCase, Visibility

__all__ = ["check_library", "diagnosis_leaks", "finding_leaks", "load_case_file"]


def load_case_file(path: Path) -> PatientCase:
    """Load one case file, with the semantic checks that need no library."""
    case = load_model(path, PatientCase)
    leaks = diagnosis_leaks(case)
    if leaks:
        raise InputError(
            f"patient-visible fact names the diagnosis ({leaks[0][1]!r})",
            file=path,
            field=leaks[0][0],
        )
    findings = finding_leaks(case)
    if findings:
        raise InputError(
            f"patient-visible fact reads as an exam or test finding ({findings[0][1]!r}); "
            "make it visibility: examiner",
            file=path,
            field=findings[0][0],
        )
    return case


def finding_leaks(case: PatientCase) -> list[tuple[str, str]]:
    """Patient-visible history facts that read as exam or test findings: (fact id, text).

    Records and tests are left out: a patient may hold a letter or have been told a
    result, and both are marked visible on purpose.
    """
    return [
        (fact.id, fact.text)
        for fact in case.visible_facts(Visibility.PATIENT)
        if fact.section not in ("records", "tests", "demographics") and reads_as_finding(fact.text)
    ]


def diagnosis_leaks(case: PatientCase) -> list[tuple[str, str]]:
    """Patient-visible facts that contain the diagnosis or a synonym: (fact id, name)."""
    found: list[tuple[str, str]] = []
    names = [n for n in case.diagnosis.accepted_names() if len(n) >= 3]
    for fact in case.visible_facts(Visibility.PATIENT):
        if fact.section == "family_history":  # a relative's illness is not a leak
            continue
        for name in names:
            if re.search(r"\b" + re.escape(name.lower()) + r"\b", fact.text.lower()):
                found.append((fact.id, name))
    return found


def check_library(library: CaseLibrary) -> list[str]:
    """Every problem in the library, one line each (empty when all is well)."""
    problems: list[str] = []
    cases: dict[str, PatientCase] = {}
    for path in library.case_files():
        try:
            case = load_case_file(path)
        except ClinisimError as exc:
            problems.append(exc.one_line())
            continue
        if path.stem != case.id:
            problems.append(f"{path}: id: must match the file name {path.stem!r}")
        if case.id in cases:
            problems.append(f"{path}: id: duplicate case id {case.id!r}")
        cases[case.id] = case
    try:
        conditions = library.conditions
    except ClinisimError as exc:
        return [*problems, exc.one_line()]
    condition_dir = library.root / "conditions"
    for condition in conditions.values():
        for case_id in condition.cases:
            if case_id not in cases:
                problems.append(
                    f"{condition_dir / (condition.id + '.yaml')}: cases: unknown case {case_id!r}"
                )
    for case in cases.values():
        ref = case.diagnosis.condition_id
        if ref is not None and ref not in conditions:
            problems.append(f"case {case.id}: diagnosis.condition_id: unknown condition {ref!r}")
    try:
        _ = library.axis_descriptions
    except ClinisimError as exc:
        problems.append(exc.one_line())
    return problems
