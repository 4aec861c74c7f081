"""The offline baseline doctor and its reasoning over the knowledge base."""

from clinisim.offline.doctor._differential import RankedCondition, rank_conditions
from clinisim.offline.doctor._doctor import OfflineDoctor
from clinisim.offline.doctor._findings import Findings, gather_findings
from clinisim.offline.doctor._history_checklist import (
    authored_questions,
    history_plan,
    is_pain_complaint,
)

__all__ = [
    "Findings",
    "OfflineDoctor",
    "RankedCondition",
    "authored_questions",
    "gather_findings",
    "history_plan",
    "is_pain_complaint",
    "rank_conditions",
]
