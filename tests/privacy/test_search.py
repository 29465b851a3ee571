"""The optimal search: ARX's optima on Adult, and equal to an exhaustive search on small
lattices (property test)."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import accord.privacy as ap
from accord.engine import privacy_pass
from accord.privacy import Hierarchy, build_classes
from accord.privacy._search import (
    Closeness,
    Criteria,
    Diversity,
    Lattice,
    exhaustive_search,
    optimal_search,
)

QIS = ["age", "sex", "race", "marital_status", "native_country", "education", "workclass"]

# ARX 3.9.2 (Flash, loss-optimal), same hierarchies, 5% suppression limit, 48,842 rows
# (privacy-anchors Table B4; datasets README).
ARX = [
    ("k5", Criteria(k=5), (3, 0, 0, 0, 1, 2, 1), 4.26, 621, 0.1547),
    ("k10", Criteria(k=10), (3, 0, 0, 0, 1, 3, 1), 4.84, 307, 0.2332),
    (
        "k5_l3",
        Criteria(k=5, diversity=(Diversity("occupation", 3),)),
        (3, 0, 0, 0, 1, 1, 2),
        4.09,
        581,
        0.2311,
    ),
    (
        "k5_t0.3",
        Criteria(k=5, closeness=(Closeness("occupation", 0.3),)),
        (4, 0, 0, 0, 2, 3, 2),
        3.12,
        35,
        0.5848,
    ),
]


@pytest.fixture(scope="module")
def adult_table(adult: pl.DataFrame) -> ap.ClassTable:
    import narwhals as nw

    return ap.classes_from_pass(privacy_pass(nw.from_native(adult.lazy()), QIS, ["occupation"]))


@pytest.mark.parametrize(
    ("name", "criteria", "levels", "suppressed", "classes", "loss"), ARX, ids=[a[0] for a in ARX]
)
def test_same_optimum_as_arx_on_adult(
    adult_table: ap.ClassTable,
    adult_hierarchies: dict[str, Hierarchy],
    name: str,
    criteria: Criteria,
    levels: tuple[int, ...],
    suppressed: float,
    classes: int,
    loss: float,
) -> None:
    lattice = Lattice(adult_table, adult_hierarchies, criteria, 0.05)
    result = optimal_search(lattice, "loss")
    best = result.best
    assert best is not None
    assert best.levels == levels
    assert best.loss == pytest.approx(loss, abs=5e-5)  # ARX's value, to its 4 digits
    assert round(100 * best.suppressed / adult_table.n_rows, 2) == suppressed
    assert best.classes == classes
    assert result.evaluated < result.lattice_size


def test_adult_k5_is_the_exhaustive_optimum(
    adult_table: ap.ClassTable, adult_hierarchies: dict[str, Hierarchy]
) -> None:
    lattice = Lattice(adult_table, adult_hierarchies, Criteria(k=5), 0.05)
    for utility in ("discernibility", "entropy"):
        fast = optimal_search(lattice, utility)  # type: ignore[arg-type]
        slow = exhaustive_search(lattice, utility)  # type: ignore[arg-type]
        assert fast.best is not None and slow.best is not None
        assert fast.best.levels == slow.best.levels


def _tree(draw: st.DrawFn, name: str, n_values: int) -> Hierarchy:
    """A random hierarchy over values 0..n-1: each level merges random adjacent groups."""
    rows = [[str(v)] for v in range(n_values)]
    groups = list(range(n_values))
    for level in range(draw(st.integers(0, 2))):
        n_groups = len(set(groups))
        if n_groups <= 1:
            break
        cuts = sorted(draw(st.sets(st.integers(1, n_groups - 1), max_size=n_groups - 1)))
        mapping = {g: sum(g >= c for c in cuts) for g in sorted(set(groups))}
        groups = [mapping[g] for g in groups]
        for row, g in zip(rows, groups, strict=True):
            row.append(f"L{level + 1}-{g}")
    return Hierarchy.from_rows(name, rows)


@st.composite
def problems(draw: st.DrawFn) -> tuple[ap.ClassTable, dict[str, Hierarchy], Criteria, float]:
    n_qis = draw(st.integers(1, 3))
    sizes = [draw(st.integers(2, 5)) for _ in range(n_qis)]
    n_cells = draw(st.integers(1, 30))
    codes = {
        f"q{i}": np.array(
            draw(st.lists(st.integers(0, s - 1), min_size=n_cells, max_size=n_cells))
        )
        for i, s in enumerate(sizes)
    }
    sens = np.array(draw(st.lists(st.integers(0, 3), min_size=n_cells, max_size=n_cells)))
    counts = np.array(draw(st.lists(st.integers(1, 6), min_size=n_cells, max_size=n_cells)))
    levels = {f"q{i}": tuple(range(s)) for i, s in enumerate(sizes)}
    table = build_classes(codes, levels, counts, {"s": sens}, {"s": ("a", "b", "c", "d")})
    hier = {f"q{i}": _tree(draw, f"q{i}", s) for i, s in enumerate(sizes)}
    crit = Criteria(
        k=draw(st.integers(1, 6)),
        diversity=tuple(
            draw(
                st.lists(
                    st.builds(
                        Diversity,
                        st.just("s"),
                        st.sampled_from([2, 3]),
                        st.sampled_from(["distinct", "entropy", "recursive"]),
                        st.sampled_from([1.0, 2.0, 3.0]),
                    ),
                    max_size=1,
                )
            )
        ),
        closeness=tuple(
            draw(
                st.lists(
                    st.builds(Closeness, st.just("s"), st.sampled_from([0.2, 0.4])), max_size=1
                )
            )
        ),
        average_risk=draw(st.sampled_from([None, None, 0.3])),
    )
    return table, hier, crit, draw(st.sampled_from([0.0, 0.05, 0.2, 0.5]))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=problems(), utility=st.sampled_from(["loss", "discernibility", "entropy"]))
def test_optimal_search_equals_exhaustive_search(problem, utility) -> None:  # type: ignore[no-untyped-def]
    table, hier, crit, limit = problem
    lattice = Lattice(table, hier, crit, limit)
    fast = optimal_search(lattice, utility)
    slow = exhaustive_search(lattice, utility)
    if slow.best is None:
        assert fast.best is None
        return
    assert fast.best is not None
    assert fast.best.levels == slow.best.levels
    assert fast.best.utility(utility) == pytest.approx(slow.best.utility(utility), rel=1e-12)
    # Whatever it returns satisfies the models within the suppression limit.
    assert fast.best.anonymous and fast.best.suppressed <= limit * table.n_rows + 1e-9
