"""Near-duplicate dialogues, found with MinHash LSH (``datasketch``).

Each dialogue is the set of its word 5-grams (shingles, lowercased). Two dialogues
whose estimated Jaccard similarity is at least the threshold (default
:data:`DEFAULT_THRESHOLD`) are near duplicates; the first one in the export's order
is kept. At 0.9, dialogues that differ in a word or two per turn are dropped, while
two sessions of the same case with different personas or different trial seeds of
a model usually stay apart (their wording differs well beyond a tenth of shingles).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from clinisim.errors import InputError

__all__ = ["DEFAULT_THRESHOLD", "NUM_PERM", "SHINGLE", "near_duplicates"]

DEFAULT_THRESHOLD = 0.9
NUM_PERM = 128
"""Permutations per MinHash: an error of about 1/sqrt(128), 9%, on each estimate."""
SHINGLE = 5
"""Words per shingle."""

_WORD = re.compile(r"\w+")


def _shingles(text: str) -> set[bytes]:
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE:
        return {" ".join(words).encode()} if words else {b""}
    return {" ".join(words[i : i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)}


def near_duplicates(texts: Sequence[str], threshold: float = DEFAULT_THRESHOLD) -> dict[int, int]:
    """Index of each text that nearly duplicates an earlier one -> that earlier index."""
    if not 0 < threshold <= 1:
        raise InputError(f"must be above 0 and at most 1, got {threshold}", field="--dedupe")
    try:
        from datasketch import MinHash, MinHashLSH
    except ImportError as exc:  # pragma: no cover - the export extra is missing
        raise InputError(
            "near-duplicate removal needs datasketch: pip install 'clinisim[export]'",
            field="--dedupe",
        ) from exc
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    signatures = MinHash.bulk((sorted(_shingles(t)) for t in texts), num_perm=NUM_PERM)
    dropped: dict[int, int] = {}
    for index, signature in enumerate(signatures):
        matches = [int(key) for key in lsh.query(signature)]
        if matches:
            dropped[index] = min(matches)
            continue
        lsh.insert(str(index), signature)
    return dropped
