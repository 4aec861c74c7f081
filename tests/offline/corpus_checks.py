"""Mechanical checks of the review corpus's English (used by test_review_corpus.py).

Each check returns the offending lines, so a failure shows what reads wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from clinisim.library import CaseLibrary
from clinisim.offline.doctor import authored_questions
from clinisim.offline.patient import content_stems
from clinisim.schemas import Finding

__all__ = [
    "Block",
    "inappropriate_questions",
    "parse_corpus",
    "spliced_questions",
    "stacked_not_sure",
    "ungrammatical_replies",
    "unrelated_denials",
]


@dataclass(frozen=True)
class Block:
    """One consultation of the corpus."""

    header: str
    sex: str
    age: int
    pairs: tuple[tuple[str, str], ...]


def parse_corpus(path: Path) -> list[Block]:
    blocks: list[Block] = []
    header = ""
    sex, age = "", 0
    pairs: list[tuple[str, str]] = []
    question = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            header = line[3:]
            age_text, sex = header.rsplit("·", 1)[1].split()
            age = int(age_text)
            pairs = []
        elif line.startswith("D: "):
            question = line[3:]
        elif line.startswith("P: "):
            pairs.append((question, line[3:]))
        elif line.startswith("=> "):
            blocks.append(Block(header, sex, age, tuple(pairs)))
    return blocks


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.?!])\s+", text.strip()) if s]


def spliced_questions(blocks: list[Block], library: CaseLibrary) -> list[str]:
    """Doctor sentences that are not one of the kit's authored sentences."""
    authored = {s for q in authored_questions(library.conditions) for s in _sentences(q)}
    return [
        f"{b.header}: {s}"
        for b in blocks
        for question, _ in b.pairs
        for s in _sentences(question)
        if s not in authored
    ]


_FEMALE_ONLY = re.compile(
    r"\b(periods?\b(?!\s+of\b)|pregnan\w*|vaginal|contraceptive pill|womb|ovar\w*)", re.I
)
_MALE_ONLY = re.compile(r"\b(testic\w*|scrot\w*|prostate|erection)\b", re.I)
_ADULT_ONLY = re.compile(
    r"\b(beer|do you (?:smoke|drink)|contraceptive|for work|water tablets)\b", re.I
)


def inappropriate_questions(blocks: list[Block], library: CaseLibrary) -> list[str]:
    """Questions that cannot apply to the patient's sex or age.

    Two independent views: the knowledge base's own restriction on the finding a
    question belongs to, and words that only fit one sex or adults.
    """
    restricted: dict[str, list[Finding]] = {}
    for condition in library.conditions.values():
        for finding in (*condition.findings, *condition.against):
            if finding.ask is not None:
                restricted.setdefault(finding.ask, []).append(finding)
    out: list[str] = []
    for b in blocks:
        for question, _ in b.pairs:
            for s in _sentences(question):
                findings = restricted.get(s, [])
                if (
                    (findings and not any(f.applies_to(b.sex, b.age) for f in findings))
                    or (b.sex == "male" and _FEMALE_ONLY.search(s))
                    or (b.sex == "female" and _MALE_ONLY.search(s))
                    or (b.age < 12 and _ADULT_ONLY.search(s))
                ):
                    out.append(f"{b.header}: {s}")
    return out


_CLAUSE_VERB = re.compile(
    r"\b(is|are|was|were|make|makes|made|feel|feels|keep|keeps|come|comes|go|goes|get|gets|"
    r"seem|seems|can|can't|will|won't|does|do|did|hurt|hurts)\b"
)
_THIRD_AFTER_I = re.compile(
    r"\bI (?:also |still |often |usually |never |always |sometimes |just |really )?"
    r"(has|is|does|goes|keeps|takes|drinks|smokes|lives|works|feels|gets|needs|uses|wakes)\b"
)
_IT_FELT = re.compile(r"\bIt (felt|feels) (sick|tired|dizzy|faint|hot|cold|unwell|weak)\b")
_DANGLING = re.compile(r"\b(make|makes|the|a|an|my|and|or|but|when|keeping|is|are|am)\.$")
"""A sentence cut off in the middle ("bending down make. It worse.")."""
_NOT_SURE = re.compile(
    r"not sure|don't (?:really )?know|no idea|couldn't (?:tell|say)|can't remember|can't say",
    re.I,
)


def ungrammatical_replies(blocks: list[Block]) -> list[str]:
    """Replies with "It felt <state>", a clause after "I've also had", "also had"
    twice, "I has", a
    sentence that starts in lowercase, or one cut off mid-phrase."""
    out: list[str] = []
    for b in blocks:
        for _, reply in b.pairs:
            problems = []
            if _IT_FELT.search(reply):
                problems.append("it felt")
            for match in re.finditer(r"(?:I've|She's|He's) also had ([^.?!]*)", reply):
                if _CLAUSE_VERB.search(match.group(1)):
                    problems.append("clause after 'also had'")
            if len(re.findall(r"\b(?:I've|She's|He's) also (?:had|got)\b", reply)) > 1:
                problems.append("'also had' more than once")
            if _THIRD_AFTER_I.search(reply):
                problems.append("third-person verb after I")
            for sentence in _sentences(reply):
                first = sentence.lstrip("\"'(")[:1]
                if first.isalpha() and first.islower():
                    problems.append("lowercase start")
                if _DANGLING.search(sentence):
                    problems.append("sentence cut off")
            if problems:
                out.append(f"{b.header}: {', '.join(problems)}: {reply}")
    return out


def stacked_not_sure(blocks: list[Block]) -> list[str]:
    """Replies with more than one "not sure" phrase."""
    return [
        f"{b.header}: {reply}"
        for b in blocks
        for _, reply in b.pairs
        if len(_NOT_SURE.findall(reply)) > 1
    ]


_DENIAL = re.compile(
    r"\bNo, no ([^.?!,]+)|\bNo ([^.?!,]+), no\b|\bNo, (?:I|she|he) ha(?:ve|s)n't had any ([^.?!]+)"
)


def unrelated_denials(blocks: list[Block]) -> list[str]:
    """ "No, no X." where X is not what the doctor asked about."""
    out: list[str] = []
    for b in blocks:
        for question, reply in b.pairs:
            asked = content_stems(question)
            for match in _DENIAL.finditer(reply):
                denied = next(g for g in match.groups() if g)
                if not content_stems(denied) & asked:
                    out.append(f"{b.header}: {question} -> {match.group(0)}")
    return out
