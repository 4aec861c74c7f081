"""The offline patient: retrieval-grounded, persona-styled, deterministic."""

from clinisim.offline.patient._lay_terms import LAY_TERMS, to_lay_terms
from clinisim.offline.patient._patient import OfflinePatient
from clinisim.offline.patient._question_intent import intent_of, split_questions
from clinisim.offline.patient._relevance import asked_topic, content_stems, shares_content

__all__ = [
    "LAY_TERMS",
    "OfflinePatient",
    "asked_topic",
    "content_stems",
    "intent_of",
    "shares_content",
    "split_questions",
    "to_lay_terms",
]
