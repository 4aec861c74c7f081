"""Judge agreement statistics against values worked out by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clinisim.errors import InputError
from clinisim.judges import agreement, balanced_f1, cohens_kappa, spearman_rho


def test_kappa_by_hand() -> None:
    # Observed 3/4; judge says yes 1/2, human 1/4 -> expected .5*.25 + .5*.75 = .5.
    assert cohens_kappa([True, True, False, False], [True, False, False, False]) == pytest.approx(
        0.5
    )
    assert cohens_kappa([True, False], [True, False]) == pytest.approx(1.0)
    assert cohens_kappa([True, True], [True, True]) is None


def test_balanced_f1_by_hand() -> None:
    # "met": P 1/2, R 1 -> F1 2/3. "not met": P 1, R 2/3 -> F1 4/5. Mean 11/15.
    assert balanced_f1([True, True, False, False], [True, False, False, False]) == pytest.approx(
        11 / 15
    )


def test_spearman_by_hand() -> None:
    # d = 0, -1, 1, 0 -> 1 - 6 * 2 / (4 * 15) = 0.8.
    assert spearman_rho([1, 2, 3, 4], [1, 3, 2, 4]) == pytest.approx(0.8)
    assert spearman_rho([1, 2, 2, 3], [1, 2, 2, 3]) == pytest.approx(1.0)
    assert spearman_rho([1, 1], [2, 3]) is None


def test_labels_file(tmp_path: Path) -> None:
    rows = [
        {"item": "a", "kind": "binary", "judge": True, "human": True, "session": "s1"},
        {"item": "b", "kind": "binary", "judge": 1, "human": 0},
        {"item": "c", "kind": "binary", "judge": False, "human": False},
        {"item": "d", "kind": "binary", "judge": False, "human": False},
        {"item": "e", "kind": "scale", "judge": 1, "human": 1},
        {"item": "f", "kind": "scale", "judge": 2, "human": 3},
        {"item": "g", "kind": "scale", "judge": 3, "human": 2},
        {"item": "h", "kind": "scale", "judge": 4, "human": 4},
    ]
    path = tmp_path / "labels.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    report = agreement(path)
    assert (report.binary_items, report.scale_items) == (4, 4)
    assert report.kappa == pytest.approx(0.5)
    assert report.spearman == pytest.approx(0.8)
    path.write_text(
        '{"kind": "binary", "judge": true, "human": true}\n{"kind": "ordinal", "judge": 1, "human": 2}\n'
    )
    with pytest.raises(InputError, match="line 2: kind must be"):
        agreement(path)
