"""The offline baseline doctor: history, targeted questions, exam, tests, diagnosis.

It never sees the case. Everything it knows comes from the transcript: the
patient's and examiner's replies, and its own earlier turns (whose ``state`` holds
its progress, so a resumed session continues exactly). It is a baseline and can be
wrong.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

from clinisim.agents import AgentReply
from clinisim.offline.doctor._differential import RankedCondition, rank_conditions
from clinisim.offline.doctor._findings import gather_findings, mentions
from clinisim.offline.doctor._history_checklist import OPENING, SEX, about_child, history_plan
from clinisim.offline.doctor._patient_profile import PatientProfile, profile_from
from clinisim.offline.patient import content_stems
from clinisim.schemas import ActionKind, Condition, DoctorAction, Finding, Role, Turn

__all__ = ["OfflineDoctor"]

QUESTIONS_PER_TURN = 2
"""History items combined in one turn."""
TARGETED_TURNS = 3
"""Turns spent asking about findings of the leading conditions."""
TARGETED_PER_TURN = 3
LEADING = 4
"""How many leading conditions drive targeted questions and tests."""
LEADING_QUESTIONS = 2
"""Questions per turn about the leading condition; the others get one each."""
CONTENDER_SHARE = 0.5
"""A leading condition drives questions and tests only when its score is at least
this share of the best one's: a migraine with a clear lead gets no kidney tests."""

_EXAM_PHRASES = ("Physical examination", "Full physical examination including vital signs")


def _last_state(transcript: Sequence[Turn]) -> dict[str, Any]:
    for turn in reversed(transcript):
        if turn.role == Role.DOCTOR and turn.state is not None:
            return turn.state.model_dump(exclude_none=True)
    return {}


def _contenders(ranked: list[RankedCondition]) -> list[RankedCondition]:
    """The leading conditions still worth pursuing (see :data:`CONTENDER_SHARE`)."""
    if not ranked or ranked[0].score <= 0:
        return ranked[:LEADING]
    floor = CONTENDER_SHARE * ranked[0].score
    return [r for r in ranked[:LEADING] if r.score > 0 and r.score >= floor]


def _sex_would_decide(finding: Finding, profile: PatientProfile) -> bool:
    """Whether knowing the sex (and nothing else) could make the finding askable."""
    if finding.sex is None or profile.sex is not None:
        return False
    return finding.applies_to(finding.sex, profile.age)


class OfflineDoctor:
    """A ``DoctorAgent`` that needs no model."""

    def __init__(
        self,
        conditions: Mapping[str, Condition],
        seed: int,
        max_turns: int = 20,
        max_tests: int = 8,
    ) -> None:
        self.conditions = dict(conditions)
        self.seed = seed
        self.max_turns = max_turns
        self.max_tests = max_tests

    async def act(self, transcript: Sequence[Turn]) -> AgentReply:
        """The next turn: ask, order, or diagnose."""
        turn_no = sum(1 for t in transcript if t.role == Role.DOCTOR) + 1
        rng = random.Random(f"{self.seed}:doctor:{turn_no}")
        state = _last_state(transcript)
        asked: list[str] = list(state.get("asked", []))
        targeted: list[str] = list(state.get("targeted", []))
        ordered: list[str] = list(state.get("ordered", []))
        examined = bool(state.get("examined", False))
        targeted_turns = int(state.get("targeted_turns", 0))

        profile = profile_from(transcript)
        ranked = rank_conditions(
            self.conditions, gather_findings(transcript), profile.sex, profile.age
        )
        remaining = self.max_turns - turn_no  # turns left after this one

        def reply(action: DoctorAction, content: str) -> AgentReply:
            new_state = {
                "asked": asked,
                "targeted": targeted,
                "ordered": ordered,
                "examined": examined,
                "targeted_turns": targeted_turns,
                "differential": [
                    {"condition": r.condition.name, "score": r.score} for r in ranked[:5]
                ],
            }
            return AgentReply(content=content, action=action, state=new_state)

        if turn_no == 1 and self.max_turns > 1:
            asked.append(OPENING.id)
            text = rng.choice(OPENING.phrasings_for(False))
            return reply(DoctorAction(kind=ActionKind.ASK, text=text), text)

        wanted_tests = self._tests_to_order(ranked, ordered)
        can_order = len(ordered) + (0 if examined else 1) < self.max_tests
        # Turns still needed after history: exam, a test order or two, the diagnosis.
        tail = (
            1 + (0 if examined else 1) + (min(2, (len(wanted_tests) + 1) // 2) if can_order else 0)
        )
        if remaining <= 0 or (remaining < tail - 1):
            return self._diagnose(ranked, reply)

        chief = self._chief_complaint(transcript)
        pending = [item for item in history_plan(chief) if item.id not in asked]
        if pending and remaining >= tail + 1:
            chosen = pending[:QUESTIONS_PER_TURN]
            asked.extend(item.id for item in chosen)
            text = " ".join(
                rng.choice(item.phrasings_for(profile.spoken_for, profile.sex)) for item in chosen
            )
            return reply(DoctorAction(kind=ActionKind.ASK, text=text), text)

        if targeted_turns < TARGETED_TURNS and remaining >= tail + 1:
            picked, needs_sex = self._targeted_questions(ranked, targeted, transcript, profile)
            questions = [said for _, said in picked]
            if needs_sex and SEX.id not in asked:
                asked.append(SEX.id)
                sex_question = rng.choice(SEX.phrasings_for(profile.spoken_for, profile.sex))
                picked = picked[: TARGETED_PER_TURN - 1]
                questions = [sex_question, *questions][:TARGETED_PER_TURN]
            if questions:
                targeted.extend(ask for ask, _ in picked)
                targeted_turns += 1
                text = " ".join(questions)
                return reply(DoctorAction(kind=ActionKind.ASK, text=text), text)

        if not examined and len(ordered) < self.max_tests and remaining >= 1:
            examined = True
            ordered.append("physical examination")
            request = rng.choice(_EXAM_PHRASES)
            return reply(
                DoctorAction(kind=ActionKind.ORDER, text=f"REQUEST TEST: {request}", test=request),
                f"REQUEST TEST: {request}",
            )

        if wanted_tests and len(ordered) < self.max_tests and remaining >= 1:
            batch = wanted_tests[:2]
            ordered.extend(batch)
            request = " and ".join(batch)
            return reply(
                DoctorAction(kind=ActionKind.ORDER, text=f"REQUEST TEST: {request}", test=request),
                f"REQUEST TEST: {request}",
            )
        return self._diagnose(ranked, reply)

    @staticmethod
    def _chief_complaint(transcript: Sequence[Turn]) -> str:
        for turn in transcript:
            if turn.role == Role.PATIENT:
                return turn.content
        return ""

    def _targeted_questions(
        self,
        ranked: list[RankedCondition],
        targeted: list[str],
        transcript: Sequence[Turn],
        profile: PatientProfile,
    ) -> tuple[list[tuple[str, str]], bool]:
        """Authored questions about the leading conditions' history findings.

        A finding is asked about only when it has a question of its own, has not
        been asked or already mentioned, and can apply to this patient. The second
        value says whether a question was held back because the sex is not known.
        Each question comes as (the knowledge base's question, what is said): a
        parent is asked about the child ("Has she been sick?").
        """
        transcript_text = " ".join(t.content.lower() for t in transcript)
        told = content_stems(" ".join(t.content for t in transcript if t.role is Role.PATIENT))
        questions: list[tuple[str, str]] = []
        asked_before = set(targeted)
        needs_sex = False
        leading = _contenders(ranked)
        for rank, entry in enumerate(leading):
            if len(leading) == 1:
                quota = TARGETED_PER_TURN  # one clear lead: every question is about it
            else:
                quota = LEADING_QUESTIONS if rank == 0 else 1
            for finding in sorted(entry.condition.findings, key=lambda f: -f.weight):
                question = finding.ask
                if question is None or question in asked_before:
                    continue
                if any(mentions(transcript_text, t) for t in finding.terms):
                    continue
                asking = content_stems(question)
                if len(asking) >= 2 and asking <= told:
                    continue  # the patient already said it, in other words
                if not finding.applies_to(profile.sex, profile.age):
                    needs_sex = needs_sex or _sex_would_decide(finding, profile)
                    continue
                said: str | None = question
                if profile.spoken_for and profile.sex in ("female", "male"):
                    said = about_child(question, profile.sex)
                if said is None:
                    continue  # cannot be put to a parent as written
                asked_before.add(question)
                questions.append((question, said))
                quota -= 1
                if quota == 0 or len(questions) >= TARGETED_PER_TURN:
                    break
            if len(questions) >= TARGETED_PER_TURN:
                break
        return questions, needs_sex

    def _tests_to_order(self, ranked: list[RankedCondition], ordered: list[str]) -> list[str]:
        wanted: list[str] = []
        done = {o.lower() for o in ordered}
        for entry in _contenders(ranked):
            for test in entry.condition.tests:
                if test.lower() not in done and test not in wanted:
                    wanted.append(test)
        return wanted

    def _diagnose(self, ranked: list[RankedCondition], reply: Any) -> AgentReply:
        top = [r.condition.name for r in ranked[:5]]
        diagnosis = top[0] if top else "Undifferentiated presentation"
        action = DoctorAction(
            kind=ActionKind.DIAGNOSE,
            text=f"DIAGNOSIS READY: {diagnosis}",
            diagnosis=diagnosis,
            differential=top or [diagnosis],
        )
        result: AgentReply = reply(action, f"DIAGNOSIS READY: {diagnosis}")
        return result
