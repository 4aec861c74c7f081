"""Realism metrics against values worked out by hand."""

from __future__ import annotations

import pytest

from clinisim.judges import hdd, mattr, realism_scores, tokenize, yules_k


def test_tokenize_keeps_contractions() -> None:
    assert tokenize("I don't know, Doctor!") == ["i", "don't", "know", "doctor"]


def test_mattr_by_hand() -> None:
    # Shorter than the window: plain TTR, 2 types over 4 tokens.
    assert mattr(["a", "b", "a", "b"]) == 0.5
    # Window 2 over a a b b: windows (a a)=1, (a b)=2, (b b)=1 types -> mean 4/3, / 2.
    assert mattr(["a", "a", "b", "b"], window=2) == pytest.approx(2 / 3)
    assert mattr(["a", "b", "a", "c"], window=2) == pytest.approx(1.0)


def test_yules_k_by_hand() -> None:
    # a a b c: sum f^2 = 4 + 1 + 1 = 6, N = 4 -> 10^4 * (6 - 4) / 16 = 1250.
    assert yules_k(["a", "a", "b", "c"]) == pytest.approx(1250.0)
    assert yules_k(["a", "b", "c", "d"]) == 0.0


def test_hdd_by_hand() -> None:
    # a a b c with a sample of 2: C(4,2) = 6.
    # a (f=2): 1 - C(2,2)/6 = 5/6; b, c (f=1): 1 - C(3,2)/6 = 1/2 each.
    # Expected types 5/6 + 1 = 11/6, divided by the sample of 2 -> 11/12.
    assert hdd(["a", "a", "b", "c"], sample=2) == pytest.approx(11 / 12)
    assert hdd(["x"] * 50) == pytest.approx(1 / 42)


def test_z_scores_against_a_reference_corpus() -> None:
    reference = [
        "well it started on monday and it has been getting worse ever since then",
        "i have had a cough and some fever and i feel tired most of the day",
        "my back hurts when i bend down and sometimes it goes down my leg",
        "no i do not smoke but i drink a little wine at the weekend with friends",
    ] * 3
    repetitive = ["pain pain pain pain pain pain pain pain pain pain"]
    varied = realism_scores(["my chest hurts and i feel sick"], reference)
    dull = realism_scores(repetitive, reference)
    assert dull.z is not None and varied.z is not None
    assert dull.z["mattr"] < varied.z["mattr"]
    assert dull.yules_k > varied.yules_k
    assert realism_scores(["hello there"]).z is None
