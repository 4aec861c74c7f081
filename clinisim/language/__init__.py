"""The kit's clinical English: negation scope, grammatical person, counseling cues.

Shared by the offline patient and doctor, the importers and the fidelity judge,
so they all read "denies A, B or C" the same way.
"""

from clinisim.language._counseling_cues import (
    CRISIS_PATTERN,
    Cue,
    RiskMention,
    asked_risks,
    content_words,
    counselor_cues,
    risk_mention,
)
from clinisim.language._grammatical_person import (
    base_form,
    fix_first_person_agreement,
    second_to_first,
    third_to_first,
)
from clinisim.language._negation import PolarClause, list_items, polar_clauses

__all__ = [
    "CRISIS_PATTERN",
    "Cue",
    "PolarClause",
    "RiskMention",
    "asked_risks",
    "base_form",
    "content_words",
    "counselor_cues",
    "fix_first_person_agreement",
    "list_items",
    "polar_clauses",
    "risk_mention",
    "second_to_first",
    "third_to_first",
]
