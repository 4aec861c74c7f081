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
from typing import Any

from clinisim.errors import InputError

__all__ = [
    "DEFAULT_THRESHOLD",
    "NUM_PERM",
    "SHINGLE",
    "check_threshold",
    "duplicates_of",
    "near_duplicates",
    "signature",
]

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
    grams = zip(*(words[i:] for i in range(SHINGLE)), strict=False)
    return set(map(str.encode, map(" ".join, grams)))


def _datasketch() -> Any:
    try:
        import datasketch
    except ImportError as exc:  # pragma: no cover - the export extra is missing
        raise InputError(
            "near-duplicate removal needs datasketch: pip install 'clinisim[export]'",
            field="--dedupe",
        ) from exc
    return datasketch


def check_threshold(threshold: float) -> None:
    if not 0 < threshold <= 1:
        raise InputError(f"must be above 0 and at most 1, got {threshold}", field="--dedupe")


_TEMPLATE: list[Any] = []


def _hash32() -> Any:
    """xxHash32 when installed (a fast, well-mixed hash that ``datasets`` brings along),
    else datasketch's SHA-1 default. Signatures compared must use the same one."""
    try:
        import xxhash
    except ImportError:
        return None
    return xxhash.xxh32_intdigest


def signature(text: str) -> Any:
    """The MinHash values of ``text``'s shingles (an array of :data:`NUM_PERM` numbers).

    The permutations are drawn once per process (datasketch would draw them again for
    every text, the larger part of the cost)."""
    sketch = _datasketch()
    if not _TEMPLATE:
        _TEMPLATE.append(sketch.MinHash(num_perm=NUM_PERM))
    template = _TEMPLATE[0]
    minhash = sketch.MinHash(
        num_perm=NUM_PERM,
        permutations=template.permutations,
        scheme=template.scheme,
        hashfunc=_hash32(),
    )
    minhash.update_batch(sorted(_shingles(text)))
    return minhash.hashvalues


def duplicates_of(signatures: Sequence[Any], threshold: float) -> dict[int, int]:
    """Index of each signature that nearly duplicates an earlier one -> that earlier index."""
    check_threshold(threshold)
    sketch = _datasketch()
    lsh = sketch.MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    scheme = sketch.MinHash(num_perm=NUM_PERM).scheme  # the scheme signature() used
    dropped: dict[int, int] = {}
    for index, values in enumerate(signatures):
        minhash = sketch.MinHash(num_perm=NUM_PERM, hashvalues=values, scheme=scheme)
        matches = [int(key) for key in lsh.query(minhash)]
        if matches:
            dropped[index] = min(matches)
            continue
        lsh.insert(str(index), minhash)
    return dropped


def near_duplicates(texts: Sequence[str], threshold: float = DEFAULT_THRESHOLD) -> dict[int, int]:
    """Index of each text that nearly duplicates an earlier one -> that earlier index."""
    check_threshold(threshold)
    return duplicates_of([signature(t) for t in texts], threshold)
