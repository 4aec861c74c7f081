"""Medical terms and the lay words a patient with basic language would use instead."""

from __future__ import annotations

import re

__all__ = ["LAY_TERMS", "to_lay_terms"]

LAY_TERMS: dict[str, str] = {
    "myocardial infarction": "heart attack",
    "hypertension": "high blood pressure",
    "hypercholesterolaemia": "high cholesterol",
    "hypercholesterolemia": "high cholesterol",
    "hyperlipidaemia": "high cholesterol",
    "type 2 diabetes mellitus": "sugar diabetes",
    "diabetes mellitus": "sugar diabetes",
    "dyspnoea": "short of breath",
    "dyspnea": "short of breath",
    "shortness of breath": "hard to breathe",
    "diaphoresis": "sweating",
    "nausea": "feeling sick",
    "vomited": "threw up",
    "vomiting": "throwing up",
    "palpitations": "heart racing",
    "syncope": "fainting",
    "presyncope": "nearly fainting",
    "haematuria": "blood in my pee",
    "hematuria": "blood in my pee",
    "dysuria": "pain when I pee",
    "urinary frequency": "peeing a lot",
    "urination": "peeing",
    "haemoptysis": "coughing blood",
    "hemoptysis": "coughing blood",
    "photophobia": "light hurts my eyes",
    "paraesthesia": "pins and needles",
    "paresthesia": "pins and needles",
    "pruritus": "itching",
    "oedema": "swelling",
    "edema": "swelling",
    "pyrexia": "fever",
    "febrile": "feverish",
    "abdominal": "belly",
    "abdomen": "belly",
    "epigastric": "upper belly",
    "thoracic": "chest",
    "sternum": "breastbone",
    "cervical": "neck",
    "lumbar": "lower back",
    "vertigo": "spinning feeling",
    "fatigue": "tiredness",
    "lethargy": "tiredness",
    "malaise": "feeling unwell",
    "anorexia": "no appetite",
    "insomnia": "trouble sleeping",
    "dizziness": "feeling dizzy",
    "diarrhoea": "loose stools",
    "diarrhea": "loose stools",
    "constipation": "hard stools",
    "menstrual": "period",
    "menses": "period",
    "analgesia": "painkillers",
    "analgesics": "painkillers",
    "paracetamol": "painkillers",
    "ibuprofen": "painkillers",
    "antacid": "indigestion",
    "medication": "medicine",
    "medications": "medicines",
    "chronic": "long-term",
    "acute": "sudden",
    "bilateral": "both sides",
    "unilateral": "one side",
    "radiates": "spreads",
    "radiating": "spreading",
    "intermittent": "on and off",
    "episodes": "times",
    "onset": "start",
}

_PATTERN = re.compile(
    r"\b(" + "|".join(re.escape(t) for t in sorted(LAY_TERMS, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)


def to_lay_terms(text: str) -> str:
    """``text`` with every known medical term replaced by its lay equivalent."""
    return _PATTERN.sub(lambda m: LAY_TERMS[m.group(1).lower()], text)
