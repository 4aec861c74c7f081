"""pass^k against hand-worked binomial ratios."""

from __future__ import annotations

import pytest

from clinisim.report import pass_hat_k

T, F = True, False


def test_one_group_is_the_ratio_of_binomials() -> None:
    # 3 of 4 succeed: C(3,2)/C(4,2) = 3/6.
    assert pass_hat_k([[T, T, F, T]], 2) == pytest.approx(0.5)
    # C(3,3)/C(4,3) = 1/4.
    assert pass_hat_k([[T, T, F, T]], 3) == pytest.approx(0.25)


def test_mean_over_groups() -> None:
    # C(2,2)/C(3,2) = 1/3 and C(3,2)/C(3,2) = 1.
    assert pass_hat_k([[T, T, F], [T, T, T]], 2) == pytest.approx((1 / 3 + 1) / 2)


def test_pass_1_is_the_mean_of_per_group_accuracy() -> None:
    assert pass_hat_k([[T, F], [T, T, T, F]], 1) == pytest.approx((1 / 2 + 3 / 4) / 2)


def test_fewer_successes_than_k_gives_zero() -> None:
    assert pass_hat_k([[T, F, F]], 2) == 0.0


def test_groups_smaller_than_k_are_left_out() -> None:
    # Only the second group has 3 trials: C(2,3) = 0 would be wrong to average in.
    assert pass_hat_k([[T, T], [T, T, F]], 3) == 0.0
    assert pass_hat_k([[T], [T, T, T]], 2) == 1.0


def test_no_group_large_enough_is_none() -> None:
    assert pass_hat_k([[T], [F]], 2) is None
    assert pass_hat_k([], 1) is None


def test_k_below_one_is_rejected() -> None:
    with pytest.raises(ValueError):
        pass_hat_k([[T]], 0)
