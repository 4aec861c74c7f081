"""The offline patient: retrieval-grounded, persona-styled, deterministic."""

from clinisim.offline.patient._lay_terms import LAY_TERMS, to_lay_terms
from clinisim.offline.patient._patient import OfflinePatient
from clinisim.offline.patient._question_intent import intent_of, split_questions

__all__ = ["LAY_TERMS", "OfflinePatient", "intent_of", "split_questions", "to_lay_terms"]
