"""Population uniqueness: how many people in the population are unique on the
quasi-identifiers, estimated from the sample's class sizes (pure numpy + scipy.special).

Models, as in ARX: Pitman (Hoshino, 2001), Zayatz (1991) and the slide negative
binomial (SNB, Chen and Keller-McNulty, 1998), and Dankar et al.'s (2012) rule for
choosing among them. Every estimate states whether its solver succeeded: a failed
estimate is reported as failed, never as 0 (ARX maps failures to 0).
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

Model = Literal["pitman", "zayatz", "snb", "dankar"]

#: Populations by region, as in ARX's population model (ARXPopulationModel.Region).
REGIONS: dict[str, int] = {
    "africa": 1_100_000_000,
    "australia": 23_130_900,
    "europe": 740_000_000,
    "north-america": 565_265_000,
    "south-america": 385_742_554,
    "european-union": 507_420_000,
    "brazil": 202_656_788,
    "canada": 34_834_841,
    "china": 1_366_040_000,
    "france": 65_820_916,
    "germany": 80_767_000,
    "india": 1_210_569_573,
    "uk": 63_705_000,
    "usa": 317_238_626,
}


class UniquenessEstimate(BaseModel):
    """One model's estimate of the population uniques."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    model: Model
    status: Literal["ok", "failed"]
    uniques: float | None = Field(
        default=None,
        description="Estimated number of population uniques; None when the estimate failed.",
    )
    fraction: float | None = Field(default=None, description="uniques / population size.")
    reason: str | None = Field(default=None, description="Why the estimate failed.")
    chosen: Model | None = Field(
        default=None, description="For Dankar's rule: the model it chose."
    )
    parameters: dict[str, float] = Field(default_factory=dict)


class PopulationUniqueness(BaseModel):
    """Population-uniqueness estimates from one sample."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    population_size: float
    sample_size: int
    sampling_fraction: float
    sample_uniques: int = Field(description="Classes of size 1 in the sample.")
    sample_uniqueness: float = Field(description="Share of sample records unique in the sample.")
    estimates: list[UniquenessEstimate]

    def estimate(self, model: Model) -> UniquenessEstimate:
        """The estimate of one model."""
        return next(e for e in self.estimates if e.model == model)


def size_histogram(sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Class sizes present and the number of classes of each size.

    Examples
    --------
    >>> [a.tolist() for a in size_histogram(np.array([1, 1, 3]))]
    [[1, 3], [2, 1]]
    """
    values, counts = np.unique(np.asarray(sizes, dtype=np.int64), return_counts=True)
    return values, counts.astype(np.int64)


def population_uniqueness(sizes: np.ndarray, population_size: float) -> PopulationUniqueness:
    """Estimate the population uniques with the Pitman, Zayatz and SNB models and Dankar's rule.

    Parameters
    ----------
    sizes
        Records in every equivalence class of the sample.
    population_size
        Size of the population the sample was drawn from (at least the sample size).

    Examples
    --------
    >>> sizes = np.array([1] * 50 + [2] * 20 + [5] * 10)
    >>> r = population_uniqueness(sizes, 10_000)
    >>> r.estimate("zayatz").status, r.estimate("dankar").chosen
    ('ok', 'pitman')
    """
    keys, counts = size_histogram(sizes)
    n = int((keys * counts).sum())
    N = float(population_size)
    pi = n / N
    c1 = int(counts[keys == 1].sum())
    if c1 == 0:
        zero = [
            UniquenessEstimate(model=m, status="ok", uniques=0.0, fraction=0.0)
            for m in ("pitman", "zayatz", "snb")
        ]
        dankar = UniquenessEstimate(
            model="dankar", status="ok", uniques=0.0, fraction=0.0, chosen=None
        )
        return PopulationUniqueness(
            population_size=N,
            sample_size=n,
            sampling_fraction=pi,
            sample_uniques=0,
            sample_uniqueness=0.0,
            estimates=[*zero, dankar],
        )
    pitman = _pitman(keys, counts, n, N)
    zayatz = _zayatz(keys, counts, n, N)
    snb = _snb(keys, counts, n, N)
    return PopulationUniqueness(
        population_size=N,
        sample_size=n,
        sampling_fraction=pi,
        sample_uniques=c1,
        sample_uniqueness=c1 / n,
        estimates=[pitman, zayatz, snb, dankar_rule(pitman, zayatz, snb, pi)],
    )


def dankar_rule(
    pitman: UniquenessEstimate,
    zayatz: UniquenessEstimate,
    snb: UniquenessEstimate,
    sampling_fraction: float,
) -> UniquenessEstimate:
    """Dankar et al.'s choice, as ARX implements it: Pitman for sampling fractions up to 10%
    (Zayatz when Pitman fails); above, the smaller of Zayatz and SNB (Zayatz when SNB fails).
    """
    if sampling_fraction <= 0.1:
        pick = pitman if pitman.status == "ok" else zayatz
    elif snb.status == "ok" and zayatz.status == "ok":
        pick = zayatz if (zayatz.uniques or 0.0) < (snb.uniques or 0.0) else snb
    else:
        pick = zayatz
    return UniquenessEstimate(
        model="dankar",
        status=pick.status,
        uniques=pick.uniques,
        fraction=pick.fraction,
        reason=pick.reason,
        chosen=pick.model,
    )


def _failed(model: Model, reason: str, **params: float) -> UniquenessEstimate:
    return UniquenessEstimate(
        model=model,
        status="failed",
        reason=reason,
        parameters={k: float(v) for k, v in params.items() if math.isfinite(v)},
    )


def _ok(model: Model, uniques: float, N: float, **params: float) -> UniquenessEstimate:
    if not math.isfinite(uniques) or uniques < 0 or uniques > N:
        return _failed(
            model, f"the estimate {uniques:.6g} is outside [0, population size]", **params
        )
    return UniquenessEstimate(
        model=model,
        status="ok",
        uniques=uniques,
        fraction=uniques / N,
        parameters={k: float(v) for k, v in params.items()},
    )


# -- Pitman ------------------------------------------------------------------------------


def pitman_equations(
    theta: float, alpha: float, keys: np.ndarray, counts: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """The maximum-likelihood equations of the Pitman sampling formula and their Jacobian.

    Returns ``(g, J)`` with ``g = 0`` at the estimate (Hoshino, 2001, eq. 9).
    """
    from scipy.special import digamma, polygamma

    u = int(counts.sum())
    i = np.arange(1, u, dtype=np.float64)
    den = theta + i * alpha
    big = keys > 1
    k, c = keys[big].astype(np.float64), counts[big].astype(np.float64)
    o1 = float((1.0 / den).sum())
    o3 = float((i / den).sum())
    o2 = float(digamma(theta + n) - digamma(theta + 1.0))
    o4 = float((c * (digamma(k - alpha) - digamma(1.0 - alpha))).sum())
    d1 = float((1.0 / den**2).sum())
    d5 = float((i / den**2).sum())
    d3 = float((i * i / den**2).sum())
    d2 = float(polygamma(1, theta + 1.0) - polygamma(1, theta + n))
    d4 = float((c * (polygamma(1, 1.0 - alpha) - polygamma(1, k - alpha))).sum())
    g = np.array([o1 - o2, o3 - o4])
    jac = np.array([[d2 - d1, -d5], [-d5, -d3 - d4]])
    return g, jac


def _pitman(keys: np.ndarray, counts: np.ndarray, n: int, N: float) -> UniquenessEstimate:
    c1 = float(counts[keys == 1].sum())
    c2 = float(counts[keys == 2].sum()) or 1.0  # as ARX: overestimate when there are none
    u = float(counts.sum())
    # Starting point: the moment estimates ARX starts from.
    c = c1 * (c1 - 1.0) / c2
    denom = 2.0 * c1 * u + c1 * c - n * c
    t = (n * u * c - c1 * (n - 1.0) * (2.0 * u + c)) / denom if denom != 0 else 1.0
    a = (t * (c1 - n) + (n - 1.0) * c1) / (n * u)
    if not (math.isfinite(t) and math.isfinite(a) and 0.0 < a < 1.0 and t > -a):
        t, a = 1.0, 0.5
    x = np.array([t, a])
    for _ in range(200):
        g, jac = pitman_equations(float(x[0]), float(x[1]), keys, counts, n)
        try:
            step = np.linalg.solve(jac, g)
        except np.linalg.LinAlgError:
            return _failed(
                "pitman", "singular Jacobian in the Newton-Raphson solve", theta=x[0], alpha=x[1]
            )
        new = x - step
        # Damp the step so that the parameters stay in their domain (0 < alpha < 1, theta > -alpha).
        shrink = 1.0
        while not (0.0 < new[1] < 1.0 and new[0] > -new[1]) and shrink > 1e-8:
            shrink /= 2.0
            new = x - shrink * step
        if shrink <= 1e-8:
            return _failed(
                "pitman", "the solver left the parameter domain", theta=x[0], alpha=x[1]
            )
        done = np.all(np.abs(new - x) <= 1e-10 * (1.0 + np.abs(x)))
        x = new
        if done:
            break
    else:
        return _failed(
            "pitman", "Newton-Raphson did not converge in 200 iterations", theta=x[0], alpha=x[1]
        )
    theta, alpha = float(x[0]), float(x[1])
    g, _ = pitman_equations(theta, alpha, keys, counts, n)
    if not np.all(np.isfinite(g)) or np.max(np.abs(g)) > 1e-6 * max(1.0, u):
        return _failed(
            "pitman", "the likelihood equations are not solved", theta=theta, alpha=alpha
        )
    uniques = math.exp(math.lgamma(theta + 1.0) - math.lgamma(theta + alpha) + alpha * math.log(N))
    return _ok("pitman", uniques, N, theta=theta, alpha=alpha)


# -- Zayatz ------------------------------------------------------------------------------


def _log_hypergeom_one(N: float, K: np.ndarray, n: int) -> np.ndarray:
    """Log P(X = 1) for X ~ Hypergeometric(population N, K successes, n draws)."""
    from scipy.special import gammaln

    def log_comb(a: np.ndarray | float, b: np.ndarray | float) -> np.ndarray:
        return np.asarray(
            gammaln(np.add(a, 1.0)) - gammaln(np.add(b, 1.0)) - gammaln(np.subtract(a, b) + 1.0)
        )

    K = K.astype(np.float64)
    with np.errstate(invalid="ignore"):
        out = np.log(K) + log_comb(N - K, n - 1.0) - log_comb(N, float(n))
    return np.where((K >= 1) & (n - 1 <= N - K), out, -np.inf)


def _zayatz(keys: np.ndarray, counts: np.ndarray, n: int, N: float) -> UniquenessEstimate:
    u = float(counts.sum())
    c1 = float(counts[keys == 1].sum())
    weights = counts / u * np.exp(_log_hypergeom_one(N, keys, n))
    total = float(weights.sum())
    if total <= 0.0 or not math.isfinite(total):
        return _failed("zayatz", "the hypergeometric probabilities vanish")
    p_unique = float(c1 / u * math.exp(_log_hypergeom_one(N, np.array([1]), n)[0])) / total
    return _ok("zayatz", c1 * p_unique / (n / N), N, conditional_uniqueness=p_unique)


# -- SNB ---------------------------------------------------------------------------------


def shlosser_classes(keys: np.ndarray, counts: np.ndarray, pi: float) -> float:
    """Shlosser's estimate of the number of non-empty classes in the population
    (the variant of Haas and Stokes, 1998, that the SNB model uses).
    """
    i = keys.astype(np.float64)
    c = counts.astype(np.float64)
    u = c.sum()
    c1 = c[keys == 1].sum()
    q = 1.0 - pi
    num1 = (i * pi * pi * (1.0 - pi * pi) ** (i - 1.0) * c).sum()
    den1 = (((1.0 + pi) ** i - 1.0) * q**i * c).sum()
    num2 = (q**i * c).sum()
    den2 = (i * pi * q ** (i - 1.0) * c).sum()
    if den1 <= 0 or den2 <= 0:
        return float(u)
    return float(u + c1 * (num1 / den1) * (num2 / den2) ** 2)


def snb_equations(
    alpha: float, beta: float, k: float, pi: float, c1: float, c2: float
) -> np.ndarray:
    """Expected minus observed classes of sizes 1 and 2 under the SNB model.

    With ``d = (1 - pi)(1 - beta)``: ``E[c1] = k pi (beta/(1-d))^alpha (1 + alpha d/(1-d))``
    and ``E[c2] = k alpha beta^alpha pi^2 (1-beta)/2 (1-d)^-(alpha+2) (2 - (1-alpha) d)``.
    """
    d = (1.0 - pi) * (1.0 - beta)
    e1 = k * pi * (beta / (1.0 - d)) ** alpha * (alpha * d / (1.0 - d) + 1.0)
    e2 = (
        k
        * alpha
        * beta**alpha
        * pi
        * pi
        * (1.0 - beta)
        / 2.0
        * (1.0 - d) ** (-(alpha + 2.0))
        * (2.0 - (1.0 - alpha) * d)
    )
    return np.array([e1 - c1, e2 - c2])


def _snb(keys: np.ndarray, counts: np.ndarray, n: int, N: float) -> UniquenessEstimate:
    from scipy.optimize import root

    pi = n / N
    c1 = float(counts[keys == 1].sum())
    c2 = float(counts[keys == 2].sum())
    if c2 == 0:
        return _failed("snb", "no class of size 2 in the sample: the model has no solution")
    k = shlosser_classes(keys, counts, pi)
    best: tuple[float, float] | None = None
    # The equations have no closed form; try starting points across the domain.
    for a0 in (0.5, 1.0, 0.1, 2.0, 5.0):
        for b0 in (0.5, 0.1, 0.9, 0.01, 0.99):
            with np.errstate(all="ignore"):
                sol = root(
                    lambda x: snb_equations(x[0], x[1], k, pi, c1, c2) / np.array([c1, c2]),
                    np.array([a0, b0]),
                    method="hybr",
                )
            a, b = float(sol.x[0]), float(sol.x[1])
            if sol.success and a > 0 and 0 < b < 1:
                res = snb_equations(a, b, k, pi, c1, c2) / np.array([c1, c2])
                if np.all(np.isfinite(res)) and np.max(np.abs(res)) < 1e-8:
                    best = (a, b)
                    break
        if best is not None:
            break
    if best is None:
        return _failed(
            "snb", "no solution of the SNB equations with alpha > 0 and 0 < beta < 1", classes=k
        )
    a, b = best
    return _ok("snb", k * b**a, N, alpha=a, beta=b, classes=k)
