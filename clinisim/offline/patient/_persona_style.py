"""How each persona axis value changes what the patient says.

Every addition here is about manner, never about the illness: tangents, pressure,
worry, agreement, hesitation. So a styled reply states exactly the facts of the
plain one, and grounding checks still hold.
"""

from __future__ import annotations

import random
import re

from clinisim.offline.patient._lay_terms import to_lay_terms
from clinisim.schemas import Bias, Confusion, LanguageProficiency, Persona, Personality, Recall

__all__ = ["OPENERS", "style_answer", "style_reply", "vague"]

OPENERS = ("", "", "Well, ", "Hmm, ", "Let me think. ", "Right. ", "Okay. ")

TANGENTS = (
    "Funny, my neighbour was just telling me about her garden this morning.",
    "I nearly didn't come in today, the buses were all over the place.",
    "My sister always says I talk too much, sorry.",
    "We've had such a busy week at home, you wouldn't believe it.",
    "I was meant to be at my grandson's football match today, actually.",
    "The waiting room was very full, I had a good chat with a lady there.",
    "I've been meaning to sort out the garden shed for weeks.",
    "My daughter says I should have come in sooner, but you know how it is.",
    "The car park was full again, I had to go round twice.",
)
PRESSURE = (
    "Can we hurry this up?",
    "How much longer will this take?",
    "Look, I need to get going soon.",
    "Can you just tell me what to do?",
    "I've got somewhere to be, to be honest.",
    "Is all this really necessary?",
    "Let's get on with it, please.",
)
DISTRUST = (
    "Why do you need to know that?",
    "What's that got to do with anything?",
    "Why are you asking me that?",
    "Is that really relevant?",
    "Who's going to see these notes?",
    "I don't see why that matters.",
    "Last time nobody asked me any of this.",
)
WORRY = (
    "Is that bad? I'm really worried it's something serious.",
    "I've been so anxious about this, I couldn't sleep.",
    "Please tell me it's nothing dangerous.",
    "I keep thinking the worst, doctor.",
    "My heart's going just talking about it.",
    "I read something awful online last night and now I can't stop worrying.",
    "Sorry, I'm a bit of a worrier.",
)
PLEASING = (
    "Yes, of course, doctor.",
    "Whatever you think is best.",
    "Sure, happy to answer anything.",
    "Yes, absolutely.",
    "Whatever helps, doctor.",
    "Of course, I'll tell you anything.",
    "Good question, doctor.",
)
OFF_TOPIC = (
    "Sorry, did I leave the kettle on at home?",
    "Is it Tuesday today? I lose track.",
    "What was I saying? My mind wanders.",
    "Oh, I was thinking about something else just then.",
)
TIME_MUDDLE = (
    "Or was that last week? I get the days muddled.",
    "I get the order things happened in mixed up.",
    "Was that before or after? It's all a bit jumbled.",
)
BIAS_REMARKS: dict[Bias, tuple[str, ...]] = {
    Bias.RECENCY: ("My friend had something a bit like this last month, so that's on my mind.",),
    Bias.FREQUENCY: ("It's probably just a bug going round, that's what it usually is.",),
    Bias.FALSE_CONSENSUS: ("Anyone would feel like this, surely. Everyone I know does.",),
    Bias.SELF_DIAGNOSIS: ("I looked it up online and I'm convinced it's just stress.",),
    Bias.CULTURAL: ("In my family we usually try home remedies first before seeing a doctor.",),
    Bias.SOCIOECONOMIC: ("I can't really afford a lot of tests or much time off work.",),
}
CONFUSION_RATE: dict[Confusion, float] = {
    Confusion.NORMAL: 0.0,
    Confusion.MODERATE: 0.3,
    Confusion.HIGH: 0.6,
}
"""Chance per reply of an off-topic or time-muddled remark."""

_DOSE = re.compile(r"\b\d+(\.\d+)?\s*(mg|mcg|micrograms|g|ml|units|puffs|iu)\b", re.IGNORECASE)
_NUMBER = re.compile(r"\b\d+(\.\d+)?\b")
_FREQUENCY = re.compile(
    r"\b(once|twice|three times|four times) (a|per) (day|week)\b", re.IGNORECASE
)


def vague(sentence: str, section: str) -> str:
    """Low recall: doses, dates and drug names blur; the fact itself stays.

    The reply adds one "can't remember the details" for all its vague answers.
    """
    text = _DOSE.sub("", sentence)
    text = _FREQUENCY.sub("every so often", text)
    text = _NUMBER.sub("a few", text)
    taking = re.match(r"^(I|She|He)(?: (takes?)|('ve|'s) been taking) ", text)
    if section == "medications" and taking:
        subject = taking.group(1)
        if taking.group(3):  # a course still going on: "I've been taking ..."
            verb = f"{taking.group(3)} been taking"
        else:
            verb = " take" if subject == "I" else " takes"
        text = f"{subject}{verb} some tablets, but I forget the names."
    text = re.sub(r"\s{2,}", " ", text).replace(" ,", ",").replace(" .", ".")
    text = re.sub(r"\ba few (hours|days|weeks|months|years|minutes)\b", r"a few \1", text)
    text = re.sub(r"\ba few (?!hours|days|weeks|months|years|minutes)(\w+)", r"some \1", text)
    if not text.startswith(("I ", "I'")):
        text = text[:1].lower() + text[1:]
    return f"I think {text}"


_RECALLED = frozenset({"medications", "past_medical_history", "social_history", "family_history"})
_RECALLED_HPI = frozenset({"onset", "duration", "context"})
"""History details a low-recall patient is vague about: dates, doses, drug names."""


def _short_sentences(text: str) -> str:
    """Break a sentence where the next part can stand alone (it has its own subject)."""
    parts = re.split(
        r"(?:,\s+(?:and\s+|but\s+|so\s+)?|;\s+|\s+(?:and|but|so)\s+)"
        r"(?=(?:I|I'm|I've|it|it's|my|she|she's|he|he's|they)\b)",
        text,
    )
    sentences = []
    for part in parts:
        part = part.strip().rstrip(".,")
        if len(re.findall(r"[A-Za-z]", part)) < 2:
            continue
        sentences.append(part[:1].upper() + part[1:] + ".")
    return " ".join(sentences)


def style_answer(
    sentence: str, section: str, label: str, persona: Persona, rng: random.Random
) -> tuple[str, bool]:
    """Style one fact sentence (language and recall); also whether it was made vague."""
    detailed = section == "medications" or bool(_NUMBER.search(sentence))
    recalled = section in _RECALLED or label in _RECALLED_HPI
    blurred = persona.recall is Recall.LOW and recalled and detailed
    if blurred:
        sentence = vague(sentence, section)
    if persona.language is LanguageProficiency.A:
        sentence = _short_sentences(to_lay_terms(sentence))
    elif persona.language is LanguageProficiency.B:
        sentence = to_lay_terms(sentence) if rng.random() < 0.5 else sentence
    return sentence, blurred


def _fresh(pool: tuple[str, ...], said: str, rng: random.Random) -> str:
    """A remark from ``pool`` not yet said in this consultation, while there is one."""
    unused = tuple(r for r in pool if r not in said)
    return rng.choice(unused or pool)


def style_reply(
    answers: list[str], persona: Persona, rng: random.Random, *, first: bool, said: str = ""
) -> str:
    """Join the answers and add the persona's manner around them.

    ``said`` is what the patient said earlier in the consultation: a remark is not
    repeated until its pool is used up.
    """
    body = " ".join(dict.fromkeys(a for a in answers if a))
    opener = rng.choice(OPENERS)
    uses_opener = persona.personality in (
        Personality.PLAIN,
        Personality.VERBOSE,
        Personality.OVERANXIOUS,
    )
    if uses_opener and opener.endswith(", ") and not body.startswith(("I ", "I'")):
        body = body[:1].lower() + body[1:]
    match persona.personality:
        case Personality.VERBOSE:
            body = f"{opener}{body} {_fresh(TANGENTS, said, rng)}"
        case Personality.IMPATIENT:
            # The caller passes only the first answer for an impatient patient.
            body = f"{body} {_fresh(PRESSURE, said, rng)}"
        case Personality.DISTRUST:
            body = f"{_fresh(DISTRUST, said, rng)} {body}"
        case Personality.OVERANXIOUS:
            body = f"{opener}{body} {_fresh(WORRY, said, rng)}"
        case Personality.PLEASING:
            body = f"{_fresh(PLEASING, said, rng)} {body}"
        case _:
            body = f"{opener}{body}"
    rate = CONFUSION_RATE[persona.confusion]
    if rate and rng.random() < rate:
        body = f"{body} {_fresh(OFF_TOPIC if rng.random() < 0.5 else TIME_MUDDLE, said, rng)}"
    if persona.bias is not None and (first or rng.random() < 0.25):
        body = f"{body} {_fresh(BIAS_REMARKS[persona.bias], said, rng)}"
    if persona.language is LanguageProficiency.A:
        body = to_lay_terms(body)
    return body.strip()
