"""The offline examiner: reports vitals, exam findings and test results from the case.

Policy for a test the case does not list: the examiner answers
``<test>: not available for this case.`` It never invents a result, normal or not,
and the session records what was ordered and whether it matched.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from clinisim.agents import AgentReply
from clinisim.offline.examiner._test_names import best_match
from clinisim.schemas import PatientCase, Turn

__all__ = ["UNLISTED_TEST_POLICY", "OfflineExaminer"]

UNLISTED_TEST_POLICY = "not available for this case"

_VITALS_WORDS = (
    "vital",
    "observations",
    "obs",
    "blood pressure",
    "heart rate",
    "pulse",
    "temperature",
    "oxygen",
    "saturation",
    "sats",
    "respiratory rate",
    "bp",
)
_EXAM_WORDS = (
    "exam",
    "examination",
    "examine",
    "physical",
    "auscultat",
    "palpat",
    "inspect",
    "look at",
    "listen to",
    "feel the",
    "percuss",
)
# Words a doctor may use for a body system, mapped to words in case system names.
_SYSTEM_WORDS: dict[str, tuple[str, ...]] = {
    "cardiovascular": ("cardio", "heart", "cvs", "cardiac", "pulses"),
    "respiratory": ("respiratory", "chest", "lung", "breath", "resp"),
    "abdomen": ("abdom", "belly", "stomach", "tummy", "abdo"),
    "neurological": ("neuro", "nerve", "cranial", "reflex", "neurological"),
    "general": ("general", "overall", "appearance"),
    "skin": ("skin", "rash", "derm"),
    "musculoskeletal": ("joint", "musculoskeletal", "msk", "knee", "back", "limb", "leg", "arm"),
    "head and neck": ("head", "neck", "ent", "throat", "ear", "nose"),
    "genitourinary": ("genital", "testic", "scrot", "pelvic", "genitourinary", "gu"),
}


def _as_sentence(text: str) -> str:
    """A finding as a sentence: a capital first letter, one full stop ("cool
    peripheries" -> "Cool peripheries.")."""
    text = text.strip().rstrip(".")
    return f"{text[:1].upper()}{text[1:]}."


def _split_request(request: str) -> list[str]:
    parts = re.split(r",|;|\+|\band\b|\bplus\b|\balso\b|/", request, flags=re.IGNORECASE)
    return [p.strip(" .") for p in parts if p.strip(" .")]


class OfflineExaminer:
    """An ``ExaminerAgent`` that needs no model."""

    def __init__(self, case: PatientCase) -> None:
        self.case = case
        self._tests = [(name, list(t.aliases)) for name, t in case.tests.items()]
        self._fact_ids = {f.label: f.id for f in case.facts()}

    async def examine(self, request: str, transcript: Sequence[Turn]) -> AgentReply:
        """Results for every test or exam named in ``request``."""
        lines: list[str] = []
        facts: list[str] = []
        matched: list[str | None] = []
        for item in _split_request(request) or [request]:
            item_lines, item_facts, name = self._one(item)
            lines.extend(item_lines)
            facts.extend(item_facts)
            matched.append(name)
        return AgentReply(
            content="\n".join(dict.fromkeys(lines)),
            facts=list(dict.fromkeys(facts)),
            state={"ordered": request, "matched": matched},
        )

    def _one(self, item: str) -> tuple[list[str], list[str], str | None]:
        lowered = item.lower()
        name, _score = best_match(item, self._tests)
        if name is not None:
            result = self.case.tests[name]
            fid = self._fact_ids.get(f"test: {name}")
            return [f"{name}: {result.result}"], [fid] if fid else [], name
        is_vitals = any(w in lowered for w in _VITALS_WORDS)
        is_exam = any(w in lowered for w in _EXAM_WORDS)
        if is_vitals and not is_exam:
            return self._vitals(lowered)
        if is_exam:
            return self._exam(lowered)
        return [f"{item}: {UNLISTED_TEST_POLICY}."], [], None

    def _vitals(self, lowered: str) -> tuple[list[str], list[str], str | None]:
        wanted = [n for n in self.case.vitals if n.lower() in lowered]
        names = wanted or list(self.case.vitals)
        if not names:
            return [f"Vital signs: {UNLISTED_TEST_POLICY}."], [], None
        lines = [f"{n}: {self.case.vitals[n].text}" for n in names]
        ids = [self._fact_ids[f"vitals: {n}"] for n in names]
        return lines, ids, "vitals"

    def _exam(self, lowered: str) -> tuple[list[str], list[str], str | None]:
        systems = [
            system
            for system in self.case.physical_exam
            if system.lower() in lowered
            or any(
                word in lowered
                for key, words in _SYSTEM_WORDS.items()
                if key in system.lower() or system.lower() in key
                for word in words
            )
        ]
        whole = not systems
        chosen = list(self.case.physical_exam) if whole else systems
        lines: list[str] = []
        ids: list[str] = []
        if whole:
            vitals, vital_ids, _ = self._vitals("")
            lines.extend(vitals)
            ids.extend(vital_ids)
        for system in chosen:
            findings = self.case.physical_exam[system]
            lines.append(
                f"{system.capitalize()}: " + " ".join(_as_sentence(f.text) for f in findings)
            )
            ids.extend(self._fact_ids_for_exam(system, len(findings)))
        if not lines:
            return [f"Examination: {UNLISTED_TEST_POLICY}."], [], None
        return lines, ids, "physical exam" if whole else ", ".join(chosen)

    def _fact_ids_for_exam(self, system: str, count: int) -> list[str]:
        prefix = [f.id for f in self.case.facts() if f.label == f"exam: {system}"]
        return prefix[:count]
