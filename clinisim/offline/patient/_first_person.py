"""Turn a case fact, written as a note, into what the patient (or a parent) would say.

A fact's own ``says`` wins: case authors write it where the automatic rendering
would read wrong. Otherwise the note is converted: pronouns and verb agreement
change together ("she keeps" → "I keep"), a bare verb gets the subject its field
implies ("Felt sick" under associated symptoms → "I felt sick"; "Comes in
attacks" under timing → "It comes in attacks"), and a full clause is never glued
onto a lead-in such as "I've also had". A young child's parent speaks about the
child in the third person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from clinisim.language import base_form, fix_first_person_agreement, third_to_first
from clinisim.schemas import HPI_FIELDS, CaseFact, Demographics

__all__ = ["NEGATIVE_FORMS", "Speaker", "first_person", "merge_list_sentences", "negative_answer"]


@dataclass(frozen=True)
class Speaker:
    """Who answers: the patient, or a parent speaking about a child."""

    for_child: bool = False
    child_pronoun: str = "she"

    @classmethod
    def of(cls, demographics: Demographics) -> Speaker:
        pronoun = "he" if demographics.sex == "male" else "she"
        return cls(for_child=demographics.spoken_for(), child_pronoun=pronoun)

    @property
    def subject(self) -> str:
        return self.child_pronoun.capitalize() if self.for_child else "I"

    @property
    def have(self) -> str:
        """``I've`` or ``She's`` (as in "she has")."""
        return f"{self.subject}'s" if self.for_child else "I've"

    @property
    def be(self) -> str:
        return f"{self.subject}'s" if self.for_child else "I'm"

    def verb(self, verb: str) -> str:
        """The verb agreeing with this subject (notes use the third person)."""
        return verb if self.for_child else base_form(verb)


_IT_FIELDS = frozenset(HPI_FIELDS)
"""History fields whose notes are about the complaint itself ("It started...")."""
_VERB_START = re.compile(
    r"^(started|began|begun|came|comes|goes|went|spreads|spread|radiates|moves|moved|gets|got|"
    r"is|was|does|has|had|stays|stayed|feels|felt|wakes|woke|lasts|lasted|occurs|occurred|"
    r"happens|happened|builds|built|eases|eased|settles|settled|keeps|kept|smokes|smoked|"
    r"drinks|drank|lives|lived|works|worked|takes|took|uses|used|walks|runs|plays|eats|ate|"
    r"cycles|swims|travels|travelled|traveled|denies|reports|stopped|quit|gave|never|"
    r"recently|occasionally|rarely|often|sometimes|vomited|coughed|noticed|notices|fainted|"
    r"passed|passes|needs|needed|can't|cannot|could|couldn't|finds|found|tried|tries|"
    r"returned|flew|drove|visited|ran|fell|lifted|injured|hurt|cut|scratched|missed|can|"
    r"forgot|ran out|stopped taking|been|also|still|wears|sleeps|slept|spends|spent|enjoys)\b",
    re.IGNORECASE,
)
_IT_VERB = re.compile(
    r"^(started|began|came|comes|goes|spreads|radiates|moves|moved|gets|got|is|was|does|has|"
    r"stays|lasts|lasted|occurs|happens|builds|eases|settles|keeps|feels|felt)\b",
    re.IGNORECASE,
)
_ADJECTIVE_START = re.compile(
    r"^(worse|better|constant|continuous|intermittent|sharp|dull|heavy|burning|crushing|"
    r"stabbing|throbbing|aching|cramping|tight|squeezing|severe|mild|moderate|colicky|"
    r"worst|gradual|sudden|present|there|on and off|like|pulsating|gnawing|tearing|"
    r"pressing|shooting|much|mostly|only|about|around|roughly|nearly|almost|uncomfortable|"
    r"frightening|unbearable|rapidly|slowly|gradually|getting|worsening|improving|"
    r"increasingly|mainly|mostly)\b",
    re.IGNORECASE,
)
_PLACE_START = re.compile(
    r"^(centre|center|middle|left|right|lower|upper|front|back|side|top|bottom|whole|both|"
    r"low down|high up|deep|just)\b",
    re.IGNORECASE,
)
_PREPOSITION_START = re.compile(
    r"^(in|on|behind|around|across|under|over|at|all over|into|to|through|down|up|from|"
    r"over the|after|before|during|when|while|with|since|for)\b",
    re.IGNORECASE,
)
_STATE_START = re.compile(
    r"^(off|unable|drinking|eating|sleeping|feeling|short of|more|less|very|too|quite|"
    r"increasingly|unusually|tired|thirsty|hungry|breathless|dizzy|weak|unwell|sweaty|"
    r"clammy|anxious|low|irritable|restless|confused|drowsy|not|shivery|feverish|nauseous|"
    r"queasy|lightheaded|light-headed|faint|sleepy|achy|exhausted|worried|"
    r"frightened|scared|upset|needing|having|using|passing|getting|going|waking|coughing|"
    r"bringing|struggling|finding|losing|gaining|sweating|itching|bleeding|breathing|"
    r"a bit|a little|slightly|somewhat|(?:hot|cold)(?=\s+and\b|$))\b",
    re.IGNORECASE,
)
# A finite verb after the first word: the text is a full clause with its own subject.
_FINITE = re.compile(
    r"\s(is|are|was|were|has|have|had|makes|make|made|feel|feels|felt|hurt|hurts|keep|keeps|"
    r"come|comes|came|go|goes|went|get|gets|got|become|becomes|became|seem|seems|seemed|"
    r"can|can't|cannot|could|will|won't|would|does|do|did|doesn't|don't|didn't|look|looks|"
    r"looked|started|began|stopped|woke|wakes|turned|appeared|appears|caused|causes|cause|"
    r"gave|gives|tastes|tasted|sounds|sounded|smells|smelled|smelt|settles|settled|eases|"
    r"eased|helps|helped|stings|burns|aches|throbs|itches|runs|spreads|spread|brings|brought|"
    r"takes|took|lasts|lasted)\b",
    re.IGNORECASE,
)
_RELATION_START = re.compile(
    r"^(father|mother|dad|mum|mom|brother|sister|son|daughter|grandfather|grandmother|"
    r"grandparents|uncle|aunt|cousin|parents|husband|wife|partner|both parents|"
    r"maternal|paternal|older|younger|twin)\b",
    re.IGNORECASE,
)
_NO_START = re.compile(r"^(no|none|nil|nkda|nothing)\b", re.IGNORECASE)
_SMOKING_NOUN = re.compile(
    r"^(non-?smoker|ex-?smoker|smoker|teetotal|vegetarian|vegan|retired)\b", re.I
)


_IRREGULAR_PAST = frozenset(
    [
        "lost",
        "felt",
        "got",
        "had",
        "went",
        "came",
        "woke",
        "began",
        "took",
        "made",
        "became",
        "kept",
        "fell",
        "ran",
        "saw",
        "thought",
        "brought",
        "bought",
        "caught",
        "drank",
        "ate",
        "slept",
        "put",
        "gave",
        "found",
        "knew",
        "grew",
        "held",
        "hurt",
        "let",
        "met",
        "paid",
        "said",
        "sent",
        "sat",
        "spent",
        "stood",
        "told",
        "won",
        "wrote",
        "broke",
        "chose",
        "drove",
        "flew",
        "forgot",
        "hid",
        "rode",
        "rose",
        "shook",
        "spoke",
        "stole",
        "swam",
        "threw",
        "wore",
        "developed",
    ]
)


_PAST_VERBS = frozenset(
    [
        "vomited",
        "noticed",
        "coughed",
        "fainted",
        "passed",
        "started",
        "stopped",
        "needed",
        "tried",
        "returned",
        "travelled",
        "traveled",
        "visited",
        "lifted",
        "injured",
        "developed",
        "missed",
        "finished",
        "changed",
        "gained",
        "worsened",
        "improved",
        "collapsed",
        "twisted",
        "strained",
        "landed",
        "slipped",
        "tripped",
        "woke",
        "bumped",
        "scratched",
        "cut",
        "moved",
        "stayed",
        "lasted",
        "peaked",
        "eased",
        "settled",
        "happened",
        "occurred",
        "completed",
        "attended",
        "returned",
        "used",
        "smoked",
        "drank",
    ]
)
_PASSIVE_START = re.compile(
    r"^(told|diagnosed|advised|prescribed|admitted|treated|seen|given|started on|"
    r"referred|operated on|born)\b",
    re.IGNORECASE,
)
_DETERMINER = re.compile(r"^(a|an|the|my|her|his|their|with|in|at|on|for|about|\d)\b", re.I)
_BODY_PART_START = re.compile(
    r"^(neck|head|chest|back|legs?|arms?|eyes?|face|throat|skin|urine|stools?|voice|heart|"
    r"stomach|tummy|knees?|ankles?|foot|feet|hands?|mouth|lips|tongue|ears?|joints?|calf|"
    r"calves|toes?|breathing|speech|vision|sleep|appetite|weight|periods?|hair|nails|gums|"
    r"nose|breath|bowels|left (?:leg|arm|eye|ear|side|hand|foot)|right (?:leg|arm|eye|ear|"
    r"side|hand|foot))\b",
    re.IGNORECASE,
)


def _starts_with_verb(body: str) -> bool:
    """A note that starts with its verb ("Felt sick", "Lost weight", "Vomited twice")."""
    if _VERB_START.match(body):
        return True
    first, _, rest = body.partition(" ")
    first = first.lower().strip(",")
    if first in _IRREGULAR_PAST or first in _PAST_VERBS:
        return True
    # "Shares a flat with...": a third-person verb followed by its object.
    return (
        first.endswith("s")
        and not first.endswith("ss")
        and len(first) > 3
        and bool(_DETERMINER.match(rest))
        and first not in {"has", "is", "was", "does", "this", "always", "sometimes", "perhaps"}
    )


_PAIN_QUALITIES = frozenset(
    [
        "getting",
        "worsening",
        "improving",
        "increasing",
        "throbbing",
        "stabbing",
        "burning",
        "aching",
        "crushing",
        "pulsating",
        "shooting",
        "gnawing",
        "tearing",
        "pressing",
        "squeezing",
        "cramping",
        "radiating",
        "spreading",
        "nagging",
        "pounding",
        "gripping",
        "ripping",
        "boring",
        "splitting",
        "stinging",
    ]
)


def _it_verb_guess(lowered: str) -> bool:
    """A bare third-person verb that starts a note about the complaint ("rises up")."""
    first, _, rest = lowered.partition(" ")
    return (
        first.endswith("s")
        and not first.endswith(("ss", "ous"))
        and len(first) > 3
        and bool(rest)
        and not _FINITE.search(f" {rest}")
        and first
        not in {
            "lips",
            "legs",
            "arms",
            "eyes",
            "ears",
            "hands",
            "feet",
            "joints",
            "episodes",
            "attacks",
            "spells",
            "days",
            "hours",
            "weeks",
            "months",
        }
    )


_NOTHING = re.compile(
    r"^(?:none|nil|nothing)(?:\s+(?:relevant|regularly|significant|of note|known|regular))?\.?$",
    re.IGNORECASE,
)
_NOTHING_TO_REPORT = {
    "medications": "{subject} {do} take any regular medicines.",
    "past_medical_history": "{subject} {do} have any other medical problems.",
    "family_history": "Nothing runs in {possessive} family that I know of.",
}
"""A section's "None" or "Nothing relevant", said as a person would."""


def _lower_first(text: str) -> str:
    if len(text) > 1 and text[1].isupper():  # an acronym such as "HIV": keep it
        return text
    return text[:1].lower() + text[1:]


def _sentence(text: str) -> str:
    text = text.strip().rstrip(".;,")
    return text[:1].upper() + text[1:] + "."


def _verb_first(body: str, speaker: Speaker) -> str:
    word, _, rest = body.partition(" ")
    if _PASSIVE_START.match(body):
        return f"{speaker.subject} was {_lower_first(body)}".strip()
    if word.lower() == "denies":
        return f"{speaker.subject} {'doesn' if speaker.for_child else 'don'}'t have {rest}".strip()
    if word.lower() == "reports":
        return f"{speaker.subject} {speaker.verb('has')} {rest}".strip()
    if re.match(r"^(me|her|him)\b", rest) and word.lower() not in ("told", "gave"):
        return f"It {_lower_first(word)} {rest}"  # "Woke him from sleep": it woke me
    text = f"{speaker.subject} {speaker.verb(_lower_first(word))} {rest}".strip()
    return text if speaker.for_child else fix_first_person_agreement(text)


def _plural(phrase: str) -> bool:
    return bool(re.search(r",|\band\b", phrase))


def _third_person_make(phrase: str) -> str:
    return "make" if _plural(phrase) else "makes"


def _own_voice(text: str, section: str, speaker: Speaker) -> str:
    if speaker.for_child:
        return text.strip()
    return third_to_first(text, about_relative=section == "family_history")


def _has_subject(body: str) -> bool:
    return re.match(r"^(i|my|i'm|i've|i'd|i'll|me|we|our)\b", body, re.IGNORECASE) is not None


def _demographic(label: str, text: str, speaker: Speaker, age: int | None) -> str:
    if label == "age":
        years = text.split()[0]
        return f"{speaker.be} {years}."
    if label == "sex":
        young = age is not None and age < 18
        sex = text.split(",")[0].strip()
        noun = {"female": "girl" if young else "woman", "male": "boy" if young else "man"}
        return f"{speaker.be} a {noun.get(sex, sex)}."
    occupation = _lower_first(text.strip().rstrip("."))
    if re.search(r"\b(retired|student|pupil|child|unemployed|carer|homemaker)\b", occupation):
        article = "" if re.match(r"^(unemployed|retired)$", occupation) else _article(occupation)
        return _sentence(f"{speaker.be} {article}{occupation}")
    return _sentence(
        f"{speaker.subject} {speaker.verb('works')} as {_article(occupation)}{occupation}"
    )


def _article(noun: str) -> str:
    if re.match(r"^(uni|use|usu|eu|one\b)", noun, re.IGNORECASE):
        return "a "  # "a university student": a consonant sound
    if re.match(r"^(hour|honest|heir)", noun, re.IGNORECASE):
        return "an "
    return "an " if re.match(r"^[aeiou]", noun, re.IGNORECASE) else "a "


_FOR_A_WHILE = re.compile(
    r"\bfor (a|an|a few|several|\d+|one|two|three|four|five|six|seven|eight|nine|ten)"
    r" (day|week|month|year)s?$",
    re.IGNORECASE,
)
_NEGATION = re.compile(
    r"\b(do|does|did|is|are|was|were|has|have|had|would|could|should) not\b|\b(can ?not)\b",
    re.IGNORECASE,
)


def _contracted(text: str) -> str:
    """Spoken negation: "I do not smoke" → "I don't smoke", "cannot" → "can't"."""

    def contract(match: re.Match[str]) -> str:
        word = match.group(0)
        spoken = "can't" if match.group(2) else f"{match.group(1)}n't"
        return spoken[:1].upper() + spoken[1:] if word[:1].isupper() else spoken

    return _NEGATION.sub(contract, text)


def first_person(fact: CaseFact, speaker: Speaker | None = None, age: int | None = None) -> str:
    """The fact as the patient would say it, with the contractions of speech. It adds
    no information of its own; a fact's own ``says`` is said as written."""
    said = _converted(fact, speaker or Speaker(), age)
    authored = bool(fact.says) and fact.section != "demographics"
    return said if authored else _contracted(said)


def _converted(fact: CaseFact, speaker: Speaker, age: int | None) -> str:
    section, label = fact.section, fact.label
    if section == "demographics":  # said by whoever is speaking, child or adult
        return _demographic(label, fact.text, speaker, age)
    if fact.says:
        return _sentence(fact.says)
    body = _own_voice(fact.text, section, speaker)
    lowered = _lower_first(body)
    if section == "chief_complaint" or _has_subject(body):
        return _sentence(body)
    if _BODY_PART_START.match(body) and _FINITE.search(f" {body}"):
        return _sentence(f"{'Her' if speaker.for_child else 'My'} {lowered}")
    if _NOTHING.match(body) and section in _NOTHING_TO_REPORT:
        return _NOTHING_TO_REPORT[section].format(
            subject=speaker.subject,
            do="doesn't" if speaker.for_child else "don't",
            possessive="her" if speaker.for_child else "my",
        )
    if section == "medications":
        if _NO_START.match(body):
            return _sentence(body)
        if _starts_with_verb(body):
            return _sentence(_verb_first(body, speaker))
        if re.search(r"\binhaler\b", body, re.I) and not _DETERMINER.match(body):
            return _sentence(
                f"{speaker.subject} {speaker.verb('uses')} {_article(lowered)}{lowered}"
            )
        if re.search(r"\b(patch|cream|spray|gel)\b", body, re.I) and not _DETERMINER.match(body):
            return _sentence(
                f"{speaker.subject} {speaker.verb('uses')} {_article(lowered)}{lowered}"
            )
        if re.search(r"\bpill\b", body, re.I) and not _DETERMINER.match(body):
            return _sentence(f"{speaker.subject} {speaker.verb('takes')} the {lowered}")
        if _VERB_START.match(body):
            return _sentence(_verb_first(body, speaker))
        if _FOR_A_WHILE.search(body):  # "... for two days": a course still going on
            return _sentence(f"{speaker.have} been taking {lowered}")
        return _sentence(f"{speaker.subject} {speaker.verb('takes')} {lowered}")
    if section == "allergies":
        if _NO_START.match(body):
            return _sentence(body)
        if _PASSIVE_START.match(body):
            return _sentence(_verb_first(body, speaker))
        if _FINITE.search(f" {body}"):
            return _sentence(body)
        if re.match(r"^allergic\b", lowered):
            return _sentence(f"{speaker.be} {lowered}")
        return _sentence(f"{speaker.be} allergic to {lowered}")
    if section == "family_history":
        if _RELATION_START.match(body):
            return _sentence(f"{'Her' if speaker.for_child else 'My'} {lowered}")
        return _sentence(body)
    if section == "records":
        return _sentence(f"{'Her' if speaker.for_child else 'My'} notes say: {body}")
    if _NO_START.match(body):
        return _sentence(body)
    if section in {"social_history", "past_medical_history", "review_of_systems"}:
        if _starts_with_verb(body) or body.lower().startswith("born "):
            return _sentence(_verb_first(body, speaker))
        if section == "social_history" and re.match(r"^not\s+\w+ing\b", body, re.I):
            return _sentence(f"{speaker.be} {lowered}")
        if _SMOKING_NOUN.match(body):
            return _sentence(f"{speaker.be} {_article(lowered)}{lowered}")
        if _FINITE.search(f" {body}"):
            return _sentence(body)
        if section == "past_medical_history":
            if re.search(r"\b(as a child|ago|last year|in \d{4}|at \d+)\b", body, re.I):
                return _sentence(f"{speaker.subject} had {lowered}")
            return _sentence(f"{speaker.have} had {lowered}")
        if section == "review_of_systems":
            return _sentence(f"{speaker.have} had {lowered}")
        return _sentence(body)
    # The history of the present illness.
    if label in _IT_FIELDS:
        if label in ("aggravating", "relieving") and _FINITE.search(f" {body}"):
            return _sentence(body)
        if label in ("aggravating", "relieving") and re.search(
            r"\b(help|helps|helped|better|worse)\b", body, re.I
        ):
            return _sentence(body)
        if label == "onset" and re.match(r"^(gradually|suddenly|slowly|quickly)\b", body, re.I):
            return _sentence(f"It came on {lowered}")
        if label == "relieving" and re.match(r"^nothing yet\b", body, re.I):
            return "Nothing has helped yet."
        if label == "relieving" and re.match(
            r"^nothing(\s+(really|much|in particular))?\.?$", body, re.I
        ):
            return _sentence(f"{body} helps")
        if label == "aggravating" and not re.search(
            r"\b(worse|aggravat|bring|brings|brought|trigger)", body, re.I
        ):
            return _sentence(f"{body} {_third_person_make(body)} it worse")
        if label == "relieving" and not re.search(
            r"\b(help|helps|helped|better|reliev|ease|eases|settle)", body, re.I
        ):
            if _NO_START.match(body) or re.match(r"^nothing\b", body, re.I):
                return _sentence(body)
            return _sentence(f"{body} {'help' if _plural(body) else 'helps'}")
        body = re.sub(r"^now\s+", "", body, flags=re.IGNORECASE)
        lowered = _lower_first(body)
        if label == "duration" and re.match(
            r"^\S+ (minutes?|hours?|days?|weeks?|months?|years?) of\b", lowered
        ):
            return _sentence(f"{speaker.have} had {lowered}")
        if label == "duration" and not _FINITE.search(f" {body}") and not _VERB_START.match(body):
            if re.match(r"^since\b", body, re.I):
                return _sentence(f"It's been going on {lowered}")
            return _sentence(f"It's been {lowered}")
        if label == "severity" and re.match(r"^\d", body):
            return _sentence(f"I'd say {body}" if not speaker.for_child else body)
        if re.match(
            r"^(feels|felt)\s+(very\s+|so\s+|really\s+)?(unwell|sick|ill|terrible|awful|"
            r"faint|dizzy|tired|breathless|exhausted|like i)\b",
            lowered,
        ):
            return _sentence(_verb_first(body, speaker))
        if re.match(r"^(started|began)\s+\w+ing\b", lowered):
            return _sentence(_verb_first(body, speaker))
        if _IT_VERB.match(body) or _it_verb_guess(lowered):
            return _sentence(f"It {lowered}")
        if _ADJECTIVE_START.match(body):
            if re.search(r"\bsince\b", lowered):  # "constant since it started"
                return _sentence(f"It's been {lowered}")
            return _sentence(f"It's {lowered}")
        if _PLACE_START.match(body):
            if re.match(r"^(low down|high up|deep|just)\b", lowered):
                return _sentence(f"It's {lowered}")
            if "side" in lowered.split()[:3]:
                return _sentence(f"It's on the {lowered}")
            if re.match(r"^(left|right) (?!side|upper|lower|part)[a-z]+\b(?! of\b)", lowered):
                owner = "her" if speaker.for_child else "my"
                return _sentence(f"It's in {owner} {lowered}")  # "in my left knee"
            return _sentence(f"It's in the {lowered}")
        if _PREPOSITION_START.match(body):
            return _sentence(f"It's {lowered}")
        if _VERB_START.match(body):
            return _sentence(_verb_first(body, speaker))
        if label == "duration" and not _FINITE.search(f" {body}"):
            if re.match(r"^since\b", body, re.I):
                return _sentence(f"It's been going on {lowered}")
            return _sentence(f"It's been {lowered}")
        if label == "onset" or _FINITE.search(f" {body}"):
            return _sentence(body)
        first = lowered.split(" ", 1)[0].strip(",")
        if first.endswith("ing") and first not in _PAIN_QUALITIES:
            return _sentence(f"{speaker.be} {lowered}")
        if re.match(r"^(pain|ache|discomfort|tenderness)\b", lowered):
            return _sentence(f"{speaker.subject} {speaker.verb('gets')} {lowered}")
        return _sentence(f"It's {lowered}")
    # Associated symptoms, context and anything else about the illness.
    if _starts_with_verb(body):
        return _sentence(_verb_first(body, speaker))
    if _FINITE.search(f" {body}"):
        return _sentence(body)
    if _STATE_START.match(body):
        if re.search(r"\b(last night|yesterday|ago|this morning|earlier)\b", body, re.I):
            return _sentence(f"{speaker.subject} was {lowered}")
        return _sentence(f"{speaker.have} been {lowered}")
    if _PREPOSITION_START.match(body):
        return _sentence(body)
    return _sentence(f"{speaker.have} also had {lowered}")


NEGATIVE_FORMS = ("No, no {}.", "No {}, no.", "No, I haven't had any {}.")
"""Ways to deny a symptom asked about; each names it."""


def negative_answer(text: str, speaker: Speaker | None = None, form: int = 0) -> str:
    """A denial of a review-of-systems negative that names it: ``No, no fever.``"""
    symptom = _lower_first(text.strip().rstrip("."))
    if not (speaker and speaker.for_child):
        symptom = third_to_first(symptom)
    symptom = re.sub(r"^(no|denies|not)\s+", "", symptom, flags=re.IGNORECASE)
    template = NEGATIVE_FORMS[form % len(NEGATIVE_FORMS)]
    if speaker and speaker.for_child:
        template = template.replace(
            "I haven't", "she hasn't" if speaker.child_pronoun == "she" else "he hasn't"
        )
    if template.startswith("No, I") and re.match(r"^(recent|previous|new)\b", symptom):
        template = NEGATIVE_FORMS[0]
    return template.format(symptom)


_HAD = re.compile(
    r"^(?P<who>I've|I have|She's|He's|She has|He has) (?:also )?(?P<verb>had|got) "
    r"(?P<what>[^.!?]+)\.$"
)


def _listed(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} and {items[-1]}"


_NOT_SIMPLE = re.compile(r",|\b(and|or|but|with)\b")


def merge_list_sentences(sentences: list[str]) -> list[str]:
    """Sentences of one list answer, with "I've also had X." repeats made one sentence.

    "I've also had a rash. I've also had wheeze. I felt faint." reads as "I've also
    had a rash and wheeze. I felt faint.": the sentences that only name something
    had (or got) join the first of their kind, and "also" is said once per reply.
    Only plain names join: one with its own commas or "and" keeps its sentence.
    """
    groups: dict[tuple[str, str], list[str]] = {}
    also: dict[tuple[str, str], bool] = {}
    out: list[str | tuple[str, str]] = []
    for sentence in sentences:
        found = _HAD.match(sentence.strip())
        if found is None or _NOT_SIMPLE.search(found["what"]):
            out.append(sentence)
            continue
        key = (found["who"], found["verb"])
        if key not in groups:
            groups[key] = []
            also[key] = " also " in sentence
            out.append(key)
        groups[key].append(found["what"].strip())
    said_also = False
    merged: list[str] = []
    for item in out:
        if isinstance(item, str):
            merged.append(item)
            continue
        who, verb = item
        extra = " also" if also[item] and not said_also else ""
        said_also = said_also or bool(extra)
        merged.append(f"{who}{extra} {verb} {_listed(groups[item])}.")
    return merged
