"""Textbook multiple-testing corrections, written out as the tests' independent reference.

Holm (1979) step-down and Benjamini-Hochberg (1995) step-up adjusted p-values, for the
fairness and policy tests to check accord's corrections against.
"""

from __future__ import annotations


def holm_reference(p: list[float]) -> list[float]:
    """Holm (1979): the i-th smallest p-value times (m - i), made monotone, capped at 1."""
    m = len(p)
    order = sorted(range(m), key=lambda i: p[i])
    out = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[i]))
        out[i] = running
    return out


def bh_reference(p: list[float]) -> list[float]:
    """Benjamini-Hochberg (1995): the i-th smallest p-value times m / i, made monotone from
    the largest down, capped at 1."""
    m = len(p)
    order = sorted(range(m), key=lambda i: p[i])
    out = [0.0] * m
    running = 1.0
    for rank in range(m - 1, -1, -1):
        i = order[rank]
        running = min(running, p[i] * m / (rank + 1))
        out[i] = min(1.0, running)
    return out
