"""The offline counselor: a CBT-structured session that follows what the client says.

The session runs in the order of a CBT session: greeting and agenda, mood check,
exploring a situation, eliciting the automatic thought, Socratic questions,
reflecting emotion, a summary and homework, then a close. Each step refers to
the client's own words. A risk cue in the client's words is followed at once by a
direct risk question, and a disclosed risk by crisis resources and a safety step.
A question the client deflected is asked again once, after a reflection. The
reply depends only on the transcript (and the course memory given at start).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from clinisim.agents import AgentReply
from clinisim.language import content_words, risk_mention
from clinisim.offline.counselor._formulation import offline_formulation
from clinisim.offline.counselor._reflection import emotions_in, to_second_person
from clinisim.schemas import (
    CounselingTurnState,
    CounselorAction,
    CounselorMove,
    Formulation,
    Role,
    Turn,
)
from clinisim.store import MemoryItem

__all__ = ["CRISIS_RESPONSE", "OfflineCounselor"]

CRISIS_RESPONSE = (
    "Thank you for telling me. I'm really glad you did, and your safety comes first. "
    "If you ever feel you might act on these thoughts or hurt yourself, call your local "
    "emergency number "
    "or a crisis line straight away: 988 in the US, or Samaritans on 116 123 in the UK "
    "and Ireland. Can we make a safety plan together now: what helps you get through "
    "the worst moments, and who could you call tonight?"
)
_CRISIS_BY_KIND = {
    "suicidal_ideation": CRISIS_RESPONSE,
    "self_harm": (
        "Thank you for trusting me with that; it sounds like you've been carrying a lot. "
        "Are you safe right now, and does anything need medical attention? If you feel "
        "you might hurt yourself badly, call your local emergency number or a crisis line: "
        "988 in the US, or Samaritans on 116 123 in the UK and Ireland. Can we make a "
        "safety plan together for the moments when the urge is strongest?"
    ),
    "harm_to_others": (
        "Thank you for being honest with me; that takes courage. Have you ever hurt anyone "
        "when you felt like this? If you feel you might act on it, step away and call your "
        "local emergency number or a crisis line such as 988. Because someone else's safety "
        "is involved, I might need to involve others to keep everyone safe, and I would talk "
        "with you first. Can we work out together what helps you stay in control?"
    ),
    "abuse": (
        "Thank you for telling me; I believe you, and it is not your fault. Are you safe "
        "at home right now? If you or anyone in your care is in danger, call your local "
        "emergency number; a domestic abuse helpline can also help you plan. If a child "
        "is at risk, I might need to involve others to keep them safe, and I would talk "
        "with you first. Can we think together about what would make things safer?"
    ),
}
"""What the counselor says on a first disclosure, by the kind of risk."""
_CRISIS_AGAIN = (
    "Thank you for telling me that; it matters. Could you put anything you might use out "
    "of reach tonight, or hand it to someone you trust? If the urge gets stronger, call "
    "your local emergency number or a crisis line such as 988 straight away. Are you safe "
    "right now?"
)
"""What the counselor says on a further disclosure in the same session."""
_AFTER_CRISIS = (
    "It sounds like this has been really hard to carry, and I'm glad you told me. I'm "
    "still here with you. What feels most important to talk about right now?"
)
"""The turn after a crisis response: stay with the client before the plan resumes."""
CONFIDENTIALITY = (
    "Before you do, I want to be honest with you. What you tell me is confidential, with "
    "one limit: if you or someone else is in danger, I might need to involve others to "
    "keep you safe, and I would always talk with you about it first. What would you like "
    "to tell me?"
)
_CANNOT_KEEP = (
    " I can't keep this just between us, because your life matters; I might need to "
    "involve others to keep you safe, and I'll talk with you about it first."
)
_SECRECY_ASKED = re.compile(
    r"\b(promise (not to|you won'?t) tell|don'?t tell (anyone|anybody|my)|keep (it|this|that) "
    r"(a )?secret|(just )?between (us|you and me)|not tell (anyone|my))\b",
    re.I,
)
_RISK_CHECKS = {
    "suicidal_ideation": (
        "I want to check something important, and I ask because I care about your safety. "
        "When you say that, are you having any thoughts of ending your life or harming "
        "yourself?"
    ),
    "self_harm": (
        "I want to check something important, and I ask because I care about your safety. "
        "When it gets like that, are you hurting yourself in any way?"
    ),
    "abuse": (
        "I want to check something important, and I ask because I care about your safety. "
        "When you say that, is anyone at home hurting you, or making you feel afraid or unsafe?"
    ),
    "harm_to_others": (
        "I want to check something important, and I ask because I care about everyone's "
        "safety. Have you had thoughts of hurting someone else?"
    ),
}
_PLAN: tuple[CounselorMove, ...] = (
    CounselorMove.AGENDA,
    CounselorMove.MOOD_CHECK,
    CounselorMove.EXPLORE,
    CounselorMove.ELICIT_THOUGHT,
    CounselorMove.SOCRATIC,
    CounselorMove.REFLECT,
    CounselorMove.EXPLORE,
    CounselorMove.ELICIT_THOUGHT,
    CounselorMove.SOCRATIC,
    CounselorMove.SUMMARY,
    CounselorMove.HOMEWORK,
    CounselorMove.CLOSE,
)
_ENDING = (CounselorMove.SUMMARY, CounselorMove.HOMEWORK, CounselorMove.CLOSE)
_RETRYABLE = (CounselorMove.EXPLORE, CounselorMove.ELICIT_THOUGHT)
_SENTENCES = re.compile(r"(?<=[.!?])\s+")
_THOUGHT_QUESTIONS = (
    "When that happened, what went through your mind?",
    "Thinking back to that moment, what were you saying to yourself?",
    "And in that moment, what thoughts were going through your head?",
)
"""Asking for the automatic thought: the first time, again, and a third time."""
_GENERAL_THOUGHT_QUESTIONS = (
    "When things feel like this, what kinds of thoughts tend to go through your mind?",
    "Take your time. When it gets like this, what kinds of thoughts go through your head?",
)
"""Asking for the thought when the client described no situation to refer to."""
_SOFTENINGS = (
    "That's okay, there's no rush, and we can take this at your pace. It sounds like "
    "this has been a lot to carry.",
    "It's fine not to have the words for it yet. It sounds like this has been really hard.",
    "We don't have to get it exactly right. It sounds like you've been dealing with a lot "
    "on your own.",
)


class OfflineCounselor:
    """A ``CounselorAgent`` that needs no model."""

    def __init__(
        self,
        client_name: str,
        *,
        max_turns: int = 20,
        session_number: int = 1,
        memories: Sequence[MemoryItem] = (),
    ) -> None:
        self.client_name = client_name
        self.max_turns = max_turns
        self.session_number = session_number
        self.memories = list(memories)
        self._moves: dict[int, CounselorMove] = {}
        """The counselor's moves by turn index, for the turn being planned."""
        self._retrying = False
        """Whether the turn being planned asks again what the client held back."""
        self._said = ""
        """What the counselor said before the turn being planned."""

    async def act(self, transcript: Sequence[Turn]) -> AgentReply:
        """The next counselor turn."""
        self._moves = {
            t.index: t.action.move
            for t in transcript
            if t.role is Role.COUNSELOR and isinstance(t.action, CounselorAction)
        }
        moves = list(self._moves.values())
        client_turns = [t for t in transcript if t.role is Role.CLIENT]
        last = client_turns[-1] if client_turns else None
        self._retrying = False
        self._said = " ".join(t.content for t in transcript if t.role is Role.COUNSELOR)
        move, softening = self._next_move(moves, client_turns)
        explored = CounselorMove.EXPLORE in moves
        if softening:
            text = _SOFTENINGS[moves.count(CounselorMove.REFLECT) % len(_SOFTENINGS)]
        else:
            text = self._say(move, client_turns, last, explored)
        action = CounselorAction(move=move, closes=move is CounselorMove.CLOSE)
        return AgentReply(content=text, action=action)

    async def formulate(self, transcript: Sequence[Turn]) -> tuple[Formulation, None]:
        """The formulation the session supports, from the client's own words."""
        return offline_formulation(transcript), None

    # -- choosing the move ----------------------------------------------------
    def _next_move(
        self, moves: list[CounselorMove], client_turns: list[Turn]
    ) -> tuple[CounselorMove, bool]:
        """The next move, and whether it is a softening reflection before a retry."""
        last_text = client_turns[-1].content if client_turns else ""
        mention = risk_mention(last_text)
        if mention is not None and moves:
            # Every new disclosure gets a crisis response; a hint gets one risk check.
            if mention.explicit and _new_disclosure(client_turns):
                return CounselorMove.CRISIS_RESPONSE, False
            if CounselorMove.RISK_CHECK not in moves:
                return CounselorMove.RISK_CHECK, False
        if moves and _SECRECY_ASKED.search(last_text):
            return CounselorMove.CONFIDENTIALITY, False
        if moves and moves[-1] is CounselorMove.CRISIS_RESPONSE:
            return CounselorMove.REFLECT, False
        if self.max_turns - len(moves) <= len(_ENDING):
            for move in _ENDING:
                if move not in moves:
                    return move, False
            return CounselorMove.CLOSE, False
        position, retry = _plan_position(moves, client_turns)
        if retry and moves[-1] is _PLAN[position]:
            return CounselorMove.REFLECT, True
        self._retrying = retry
        if position < len(_PLAN):
            return _PLAN[position], False
        return CounselorMove.CLOSE, False

    # -- saying it --------------------------------------------------------------
    def _say(
        self, move: CounselorMove, client_turns: list[Turn], last: Turn | None, explored: bool
    ) -> str:
        said = last.content if last else ""
        echo = _echo([t for t in client_turns if not _answers_risk_check(t, self._moves)])
        feelings = _feelings(client_turns)
        match move:
            case CounselorMove.AGENDA:
                return self._opening()
            case CounselorMove.MOOD_CHECK:
                return (
                    "Thank you for telling me that. Before we go further, how has your mood "
                    "been this past week, on a scale from 0 to 10?"
                )
            case CounselorMove.EXPLORE:
                if self._retrying:
                    return (
                        "Take your time. Is there one moment from the last week or two "
                        "that stands out? What happened?"
                    )
                if explored and self._situation_told(client_turns):
                    return (
                        "Can you think of another time recently when you felt that way? "
                        "What happened?"
                    )
                lead = f"You said that {echo}. " if echo else ""
                return (
                    f"{lead}Can you tell me about a recent time when it was at its worst? "
                    "What happened?"
                )
            case CounselorMove.ELICIT_THOUGHT:
                if not self._situation_told(client_turns):
                    # No situation was described: ask about the thoughts in general.
                    return self._fresh(_GENERAL_THOUGHT_QUESTIONS)
                return self._fresh(_THOUGHT_QUESTIONS)
            case CounselorMove.SOCRATIC:
                thought = _quoted_thought(said) if _stated_thought(last) else ""
                if thought and f'"{thought}"' not in self._said:
                    return (
                        f'You thought, "{thought}" What is the evidence for that thought, and '
                        "is there another way of looking at what happened?"
                    )
                if not self._situation_told(client_turns):
                    return "If a friend felt the way you do, what would you say to them?"
                return "What would you say to a friend who told you this had happened to them?"
            case CounselorMove.REFLECT:
                if self._moves and list(self._moves.values())[-1] is CounselorMove.CRISIS_RESPONSE:
                    return _AFTER_CRISIS
                if feelings:
                    named = " and ".join(feelings[:2])
                    return (
                        f"It sounds like you've been feeling {named}, and carrying a lot of "
                        "this on your own. That makes sense. What does it say about you, "
                        "deep down, when this happens?"
                    )
                if not self._situation_told(client_turns):
                    return (
                        "That sounds really hard, and it's okay to take this slowly. What "
                        "has it been like for you, carrying all this?"
                    )
                return (
                    "That sounds really hard, and it's okay to take this slowly. How did you "
                    "feel when that happened?"
                )
            case CounselorMove.SUMMARY:
                named = " and ".join(feelings[:2]) or "under strain"
                return (
                    "Let me check I've understood. What brought you here has been weighing "
                    f"on you, and in the moments you described you felt {named}, with thoughts "
                    "that were hard on yourself. Is that right?"
                )
            case CounselorMove.HOMEWORK:
                return (
                    "Between now and next time, could you keep a thought record? When you "
                    "notice a strong feeling, write down the situation, what went through your "
                    "mind, and how strongly you believed it, from 0 to 100. Does that sound "
                    "doable? And how has today's session been for you?"
                )
            case CounselorMove.RISK_CHECK:
                mention = risk_mention(said)
                return _RISK_CHECKS[mention.kind if mention else "suicidal_ideation"]
            case CounselorMove.CRISIS_RESPONSE:
                mention = risk_mention(said)
                earlier = sum(m is CounselorMove.CRISIS_RESPONSE for m in self._moves.values())
                text = (
                    _CRISIS_AGAIN
                    if earlier
                    else _CRISIS_BY_KIND[mention.kind if mention else "suicidal_ideation"]
                )
                return text + (_CANNOT_KEEP if _SECRECY_ASKED.search(said) else "")
            case CounselorMove.CONFIDENTIALITY:
                return CONFIDENTIALITY
            case _:
                return (
                    "Our time is nearly up. Thank you for being so open today. Take care, and "
                    "I'll see you next time."
                )

    def _situation_told(self, client_turns: list[Turn]) -> bool:
        """Whether the client answered an exploring question with a situation."""
        replies = {t.index: t for t in client_turns}
        return any(
            move is CounselorMove.EXPLORE
            and (reply := replies.get(index + 1)) is not None
            and not _deflected(reply)
            for index, move in self._moves.items()
        )

    def _fresh(self, lines: tuple[str, ...]) -> str:
        """The first of ``lines`` not said yet this session, else the one said longest ago."""
        for line in lines:
            if line not in self._said:
                return line
        return min(lines, key=self._said.rfind)

    def _opening(self) -> str:
        homework = next((m for m in self.memories if m.kind == "homework"), None)
        if self.session_number > 1 and homework is not None:
            return (
                f"Welcome back, {self.client_name}. Last time we talked about what brought you "
                "here, and you were going to keep a thought record. How did the homework go, "
                "and what would you like to focus on today?"
            )
        return (
            f"Hello {self.client_name}, thank you for coming in. I'm glad you're here. "
            "What would you like us to focus on today?"
        )


_MOOD_LINE = re.compile(r"\bout of (10|ten)\b", re.I)


_NOT_A_STATEMENT = re.compile(
    r"^(no|yes|yeah|maybe|mm|sorry|ugh|it just gets to me|i don'?t know|i'?d rather|"
    r"i'?m not sure|i mean|of course|sure|you'?re right|honestly, about)\b",
    re.I,
)


def _longest_statement(text: str, min_words: int) -> str:
    """The longest sentence of a client's turn that says something about them (not an
    assent, a hedge or the mood rating), without its end punctuation."""
    sentences = [
        s.rstrip(".!? ")
        for s in _SENTENCES.split(text.strip())
        if len(s.split()) >= min_words
        and not _MOOD_LINE.search(s)
        and not _NOT_A_STATEMENT.match(s)
    ]
    return max(sentences, key=len) if sentences else ""


_OPENER = re.compile(
    r"^((and )?also|on top of that|i should say|the other thing is|not that it matters,? but|"
    r"oh,? and|honestly|well|so|and|but|i mean|to be honest|actually|okay|i suppose|"
    r"i guess),?\s+",
    re.I,
)
"""Discourse openers left out when a statement is said back ("Honestly, I...")."""


def _new_disclosure(client_turns: list[Turn]) -> bool:
    """Whether the last client turn says something about risk not said before (a
    repeated disclosure gets no second crisis response)."""
    said = content_words(client_turns[-1].content)
    before: set[str] = set()
    for turn in client_turns[:-1]:
        before |= content_words(turn.content)
    return not said <= before


def _echo(client_turns: list[Turn]) -> str:
    """The client's most recent statement about their problem, said back to them."""
    for turn in reversed(client_turns):
        if _GUARDED.search(turn.content):
            continue  # a refusal is not something to say back
        sentence = _longest_statement(turn.content, 5)
        if sentence:
            sentence = _OPENER.sub("", sentence)
            sentence = sentence[:1].upper() + sentence[1:]
            clause = to_second_person(sentence)
            if clause.split(" ", 1)[0].rstrip(",;:") in _LOWER_STARTS:
                return clause[:1].lower() + clause[1:]
            return clause
    return ""


_FEELING_ONLY = re.compile(r"^(i|i've|i was|i'm)\s+(felt|feel|been feeling|feeling)\b", re.I)


def _stated_thought(turn: Turn | None) -> bool:
    """Whether the client's turn gave an automatic thought.

    A client that tracks what it disclosed (the offline one) says so by fact id; for
    any other (a model) the words decide: a statement that is not a hedge, a
    refusal or a feeling alone ("I felt sad") counts.
    """
    if turn is None:
        return False
    state = turn.state
    if isinstance(state, CounselingTurnState) and state.disclosed:
        return any(":automatic_thought." in fact for fact in state.disclosed)
    if _deflected(turn):
        return False
    statement = _longest_statement(turn.content, 3)
    return bool(statement) and not _FEELING_ONLY.match(statement)


_LOWER_STARTS = frozenset(
    [
        "You",
        "Your",
        "You're",
        "You've",
        "It",
        "It's",
        "The",
        "This",
        "That",
        "There",
        "When",
        "Everything",
        "Nothing",
        "Sometimes",
        "Things",
        "A",
        "An",
        "Honestly",
        "Well",
        "Just",
        "Work",
        "Since",
    ]
)


def _answers_risk_check(turn: Turn, moves: dict[int, CounselorMove]) -> bool:
    """Whether the client's turn answers a risk question (not a statement to echo)."""
    return moves.get(turn.index - 1) in (CounselorMove.RISK_CHECK, CounselorMove.CRISIS_RESPONSE)


_GUARDED = re.compile(
    r"\b(rather not|not sure I want|leave that|don'?t really know|not ready|not sure how to "
    r"answer|haven'?t thought about it|don'?t (really )?want to (say|talk|get into|go into)|"
    r"into words|^i don'?t know\.?$)",
    re.I,
)


def _deflected(turn: Turn) -> bool:
    """The client held back: their words say so, or they said nothing of substance.

    The words decide for every client; a client that tracks what it disclosed (the
    offline one) and disclosed something did not hold back. Otherwise a reply with
    no statement of three words or more (an assent, a hedge) counts as held back.
    """
    if _GUARDED.search(turn.content):
        return True
    if isinstance(turn.state, CounselingTurnState) and turn.state.disclosed:
        return False
    return not _longest_statement(turn.content, 3)


def _plan_position(moves: list[CounselorMove], client_turns: list[Turn]) -> tuple[int, bool]:
    """How far through the plan the session is, and whether the step at that position
    was deflected once (it is asked again after a softening reflection)."""
    position = 0
    retried: set[int] = set()
    for n, move in enumerate(moves):
        if position >= len(_PLAN) or move is not _PLAN[position]:
            continue
        reply = client_turns[n] if n < len(client_turns) else None
        first_deflection = reply is not None and _deflected(reply) and position not in retried
        if move in _RETRYABLE and first_deflection:
            retried.add(position)
            continue
        position += 1
    return position, position in retried


def _feelings(client_turns: list[Turn]) -> list[str]:
    found: list[str] = []
    for turn in client_turns:
        for name in emotions_in(turn.content):
            if name not in found:
                found.append(name)
    return found


def _quoted_thought(text: str) -> str:
    """The client's thought as they said it, for quoting back (their longest sentence)."""
    sentence = _longest_statement(text, 3)
    return f"{sentence}." if sentence else ""
