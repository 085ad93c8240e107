"""Exact integer apportionment: split a whole number in proportion to weights (largest remainder)."""

from __future__ import annotations

import numpy as np


def apportion(total: int, weights: np.ndarray, caps: np.ndarray | None = None) -> np.ndarray:
    """Split an integer total in proportion to weights, exactly (largest remainder).

    Parameters
    ----------
    total : int
        Non-negative integer to split.
    weights : array of float
        Non-negative weights, at least one positive.
    caps : array of int, optional
        Upper bound of each share.  Shares whose proportional quota exceeds
        their cap get the cap; the rest is split among the others again.

    Returns
    -------
    numpy.ndarray of int64
        Shares summing to ``total``; ties in the remainders go to the
        earlier position.

    Raises
    ------
    ValueError
        If weights are negative or all zero, or the caps cannot hold ``total``.
    """
    weights = np.asarray(weights, dtype="float64")
    if total < 0 or (weights < 0).any() or not weights.sum() > 0:
        raise ValueError(f"apportion needs total >= 0 and non-negative weights with a positive sum; "
                         f"got total={total}, weight sum={weights.sum()}")
    caps = np.full(weights.shape, total, dtype="int64") if caps is None else np.asarray(caps, dtype="int64")
    if caps[weights > 0].sum() < total:
        raise ValueError(f"apportion cannot place {total} within caps summing to {caps[weights > 0].sum()}")
    shares = np.zeros(weights.shape, dtype="int64")
    free = weights > 0
    remaining = total
    while True:
        quotas = np.zeros(weights.shape)
        quotas[free] = remaining * weights[free] / weights[free].sum()
        over = free & (quotas >= caps)
        if not over.any():
            break
        shares[over] = caps[over]
        remaining -= int(caps[over].sum())
        free &= ~over
    shares[free] = np.floor(quotas[free]).astype("int64")
    left = remaining - int(shares[free].sum())
    remainders = np.where(free, quotas - np.floor(quotas), -1.0)
    order = np.argsort(-remainders, kind="stable")
    shares[order[:left]] += 1
    return shares
