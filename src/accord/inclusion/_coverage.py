"""Coverage gaps ("blind spots"): groups and intersections too small to evaluate.

A group is a blind spot when it has fewer rows (labelled rows, when labels are
given) than the audit's minimum group size. For each, the report says how many
more labelled examples it needs for a Wilson interval of the requested width
(see ``_samplesize``): a number a data team can act on. Groups of a reference
population that the data lacks entirely are blind spots too.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from accord.fairness import MISSING_LABEL
from accord.inclusion._cells import UNRECOGNISED, Cells
from accord.inclusion._models import BlindSpot, Coverage, InclusionSettings, Representation
from accord.inclusion._samplesize import sample_size


def coverage(
    cells: Cells, representation: Sequence[Representation], settings: InclusionSettings
) -> Coverage:
    """Every group and intersection below the minimum group size, smallest first.

    Examples
    --------
    >>> s = InclusionSettings(ci_width=0.2)
    >>> needed_note(s)
    'Wilson interval at most 0.2 wide at 95%, worst case (rate 0.5)'
    """
    labelled = cells.outcome is not None
    weights = (cells.n * cells.outcome.labelled if cells.outcome is not None else cells.n).astype(
        float
    )
    needed = sample_size(
        settings.ci_width, settings.ci_level, settings.planning_rate, settings.assurance
    )
    spots: list[tuple[int, int, BlindSpot]] = []
    checked = 0
    seen: set[tuple[tuple[str, str], ...]] = set()
    for names in cells.lattice(settings.max_order):
        grouping = cells.grouping(names)
        n = np.rint(grouping.sum(weights)).astype(np.int64)
        for key, count in zip(cells.keys(grouping), n.tolist(), strict=True):
            if any(v in (MISSING_LABEL, UNRECOGNISED) for v in key.values()):
                continue
            checked += 1
            seen.add(tuple(key.items()))
            if count < settings.min_group_size:
                spots.append((len(key), count, _spot(key, count, needed)))
    for rep in representation:
        for g in rep.groups:
            key = {rep.grouping: g.group}
            if g.n == 0 and tuple(key.items()) not in seen:
                seen.add(tuple(key.items()))
                checked += 1
                spots.append((1, 0, _spot(key, 0, needed)))
    spots.sort(key=lambda t: (t[0], t[1]))
    return Coverage(
        min_group_size=settings.min_group_size,
        counted="labelled rows" if labelled else "rows",
        needed=needed,
        method=needed_note(settings),
        groups_checked=checked,
        total=len(spots),
        blind_spots=[s for _, _, s in spots[: settings.max_blind_spots]],
    )


def needed_note(settings: InclusionSettings) -> str:
    """How the needed number of rows was worked out, in words."""
    head = f"Wilson interval at most {settings.ci_width:g} wide at {settings.ci_level * 100:g}%"
    if settings.planning_rate is None:
        return head + ", worst case (rate 0.5)"
    return (
        head + f", planned at rate {settings.planning_rate:g} with assurance "
        f"{settings.assurance:g}"
    )


def _spot(key: dict[str, str], n: int, needed: int) -> BlindSpot:
    return BlindSpot(key=key, n=n, needed=needed, additional=max(0, needed - n))
