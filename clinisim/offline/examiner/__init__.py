"""The offline examiner and its loose test-name matching."""

from clinisim.offline.examiner._examiner import UNLISTED_TEST_POLICY, OfflineExaminer
from clinisim.offline.examiner._test_names import (
    MATCH_THRESHOLD,
    best_match,
    normalize_test_name,
)

__all__ = [
    "MATCH_THRESHOLD",
    "UNLISTED_TEST_POLICY",
    "OfflineExaminer",
    "best_match",
    "normalize_test_name",
]
