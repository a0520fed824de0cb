#!/usr/bin/env python3
"""Golden values for the rate intervals of judge-core, computed independently with SciPy.

Rerun from the repository root:
    python3 judge-core/src/test/python/rate_golden.py > judge-core/src/test/resources/golden/rates.csv

Columns: kind, baselineErrors, baselineRequests, canaryErrors, canaryRequests, confidence, lower, upper
  kind = newcombe     : Newcombe (1998) hybrid score interval for p_canary - p_baseline (method 10),
                        from Wilson score intervals (scipy.stats.norm for the critical value).
  kind = ratio        : exact conditional interval for p_canary / p_baseline: Clopper-Pearson limits
                        for pi = share of errors from the canary (scipy.stats.beta.ppf), mapped through
                        R = pi / (1 - pi) * N_b / N_c.
  kind = errorshare   : Lindon & Malek (2022) Dirichlet-mixture confidence sequence (k = 100) for the
                        log rate ratio, with alpha = 1 - confidence, roots by scipy.optimize.brentq;
                        the canary's traffic share is N_c / (N_b + N_c).
Infinite limits are written as inf / -inf.
"""
import math
import sys

import numpy as np
from scipy.optimize import brentq
from scipy.special import betaln
from scipy.stats import beta, norm

CASES = [
    # baseline errors, requests, canary errors, requests
    (20, 10000, 35, 10000), (0, 500, 3, 500), (3, 29900, 1, 605), (100, 50000, 150, 50000),
    (0, 1000, 0, 1000), (5, 1000, 0, 1000), (570, 57000, 60, 3000), (6840, 684000, 720, 36000),
    (1, 100, 1, 100), (40, 200, 30, 150), (999, 1000, 1, 10), (12, 1_000_000, 30, 50_000),
    (7, 7000, 14, 3500), (250, 5000, 400, 5000), (0, 20000, 8, 20000), (3, 300000, 0, 3000),
]
LEVELS = [0.90, 0.95, 0.99]


def wilson(e, n, z):
    p = e / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def newcombe(eb, nb, ec, nc, conf):
    z = norm.ppf(1 - (1 - conf) / 2)
    p1, p2 = ec / nc, eb / nb
    l1, u1 = wilson(ec, nc, z)
    l2, u2 = wilson(eb, nb, z)
    d = p1 - p2
    return d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)


def ratio(eb, nb, ec, nc, conf):
    a = 1 - conf
    total = eb + ec
    lo = 0.0 if ec == 0 else beta.ppf(a / 2, ec, total - ec + 1)
    hi = 1.0 if ec == total else beta.ppf(1 - a / 2, ec + 1, total - ec)
    scale = nb / nc
    to_r = lambda pi: math.inf if pi >= 1 else pi / (1 - pi) * scale
    return to_r(lo), to_r(hi)


def error_share(eb, nb, ec, nc, conf, k=100.0):
    a = 1 - conf
    rc = nc / (nb + nc)
    a0 = (k * (1 - rc), k * rc)
    c = math.log(a) + betaln(a0[0] + eb, a0[1] + ec) - betaln(*a0)
    if eb == 0 and ec == 0:
        return -math.inf, math.inf
    f = lambda l: -eb * np.logaddexp(0, l) + ec * (l - np.logaddexp(0, l)) - c
    if eb > 0 and ec > 0:
        mode = math.log(ec / eb)
    else:
        mode = 1.0 if eb == 0 else -1.0
        while f(mode) < 0:
            mode *= 2
    off = math.log(rc / (1 - rc))
    lo = -math.inf if ec == 0 else brentq(f, mode - 1e4, mode, xtol=1e-14, rtol=1e-14) - off
    hi = math.inf if eb == 0 else brentq(f, mode, mode + 1e4, xtol=1e-14, rtol=1e-14) - off
    return lo, hi


def main(out):
    out.write("kind,baselineErrors,baselineRequests,canaryErrors,canaryRequests,confidence,lower,upper\n")
    for (eb, nb, ec, nc) in CASES:
        for conf in LEVELS:
            for kind, fn in (("newcombe", newcombe), ("ratio", ratio), ("errorshare", error_share)):
                lo, hi = fn(eb, nb, ec, nc, conf)
                out.write(f"{kind},{eb},{nb},{ec},{nc},{conf},{float(lo)!r},{float(hi)!r}\n")


if __name__ == "__main__":
    main(sys.stdout)
