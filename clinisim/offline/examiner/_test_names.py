"""Loose matching of ordered test names to the tests a case lists."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from functools import lru_cache

__all__ = ["MATCH_THRESHOLD", "best_match", "normalize_test_name"]

MATCH_THRESHOLD = 0.72
"""Scores at or above this count as the same test."""

# Abbreviations and alternative names, folded to one spelling before comparing.
_EXPANSIONS: dict[str, str] = {
    "cxr": "chest x ray",
    "chest xray": "chest x ray",
    "chest radiograph": "chest x ray",
    "xray": "x ray",
    "ekg": "ecg",
    "electrocardiogram": "ecg",
    "12 lead ecg": "ecg",
    "cbc": "full blood count",
    "fbc": "full blood count",
    "complete blood count": "full blood count",
    "blood count": "full blood count",
    "u e": "urea and electrolytes",
    "u es": "urea and electrolytes",
    "ue": "urea and electrolytes",
    "renal function": "urea and electrolytes",
    "kidney function": "urea and electrolytes",
    "bmp": "basic metabolic panel",
    "lft": "liver function tests",
    "lfts": "liver function tests",
    "crp": "c reactive protein",
    "abg": "arterial blood gas",
    "vbg": "venous blood gas",
    "trop": "troponin",
    "hs troponin": "troponin",
    "high sensitivity troponin": "troponin",
    "ddimer": "d dimer",
    "ua": "urinalysis",
    "urine dip": "urinalysis",
    "urine dipstick": "urinalysis",
    "dipstick": "urinalysis",
    "tft": "thyroid function tests",
    "tfts": "thyroid function tests",
    "tsh": "thyroid function tests",
    "ctpa": "ct pulmonary angiogram",
    "ct pulmonary angiography": "ct pulmonary angiogram",
    "ct of the head": "ct head",
    "head ct": "ct head",
    "ct brain": "ct head",
    "lp": "lumbar puncture",
    "bhcg": "pregnancy test",
    "beta hcg": "pregnancy test",
    "hcg": "pregnancy test",
    "us": "ultrasound",
    "uss": "ultrasound",
    "echo": "echocardiogram",
    "bnp": "nt probnp",
    "glucose": "blood glucose",
    "cbg": "blood glucose",
    "bm": "blood glucose",
}
_EXPANSION_PATTERN = re.compile(
    r"\b(" + "|".join(re.escape(k) for k in sorted(_EXPANSIONS, key=len, reverse=True)) + r")\b"
)
_FILLER = frozenset(
    {
        "a",
        "an",
        "the",
        "please",
        "test",
        "tests",
        "level",
        "levels",
        "serum",
        "order",
        "check",
        "request",
        "get",
        "do",
        "some",
        "me",
        "i",
        "would",
        "like",
        "to",
        "of",
        "for",
        "and",
        "scan",
    }
)


@lru_cache(maxsize=16384)
def normalize_test_name(name: str) -> str:
    """Lowercase, punctuation to spaces, abbreviations expanded, filler words dropped."""
    text = re.sub(r"[^a-z0-9]+", " ", name.lower()).strip()
    text = re.sub(r"\bx ray\b", "xray", text)
    text = _EXPANSION_PATTERN.sub(lambda m: _EXPANSIONS[m.group(1)], text)
    text = text.replace("x ray", "xray")
    return " ".join(w for w in text.split() if w not in _FILLER)


@lru_cache(maxsize=65536)
def _score(ordered: str, candidate: str) -> float:
    if not ordered or not candidate:
        return 0.0
    if ordered == candidate:
        return 1.0
    a, b = set(ordered.split()), set(candidate.split())
    if a <= b or b <= a:
        # "troponin" ordered, "troponin i" listed: the same test, named more or less fully.
        return 0.9
    jaccard = len(a & b) / len(a | b)
    ratio = difflib.SequenceMatcher(None, ordered, candidate).ratio()
    return max(jaccard, ratio)


def best_match(ordered: str, names: Iterable[tuple[str, list[str]]]) -> tuple[str | None, float]:
    """The listed test (by canonical name) that ``ordered`` names, and the match score.

    ``names`` gives each canonical name with its aliases.
    """
    wanted = normalize_test_name(ordered)
    best: tuple[str | None, float] = (None, 0.0)
    for canonical, aliases in names:
        for candidate in (canonical, *aliases):
            score = _score(wanted, normalize_test_name(candidate))
            if score > best[1]:
                best = (canonical, score)
    if best[1] < MATCH_THRESHOLD:
        return None, best[1]
    return best
