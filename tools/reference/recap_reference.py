#!/usr/bin/python3
"""Expected values for tests/Trainer.Tests/Replay/RecapWeightingTests.cs.

Computes RECAP objective weights (docs/algorithms.md, section "RECAP weights") for worked example 3 (the same
histories as tools/reference/reweighting_examples.py, example 3), from the formulas only: window means and the
unbiased standard deviation are done in exact rational arithmetic (fractions), then one square root and the softmax
in floating point. Standard library only.

Run: /usr/bin/python3 tools/reference/recap_reference.py
"""

from fractions import Fraction
import math

W, T, EPS = 10, 5.0, 1e-8

# Worked example 3: 2W per-step tracked values, oldest first.
HISTORY = [
    ("format", "reward", "0.95 0.97 0.96 0.98 0.97 0.98 0.99 0.98 0.99 0.98 0.99 0.98 0.99 0.99 0.98 0.99 0.99 0.98 0.99 0.99"),
    ("accuracy", "reward", "0.40 0.35 0.48 0.42 0.38 0.50 0.44 0.41 0.52 0.45 0.47 0.55 0.43 0.58 0.50 0.46 0.60 0.52 0.49 0.57"),
    ("sft", "loss", "1.20 1.19 1.19 1.18 1.18 1.17 1.17 1.16 1.16 1.15 1.15 1.14 1.14 1.14 1.13 1.13 1.12 1.12 1.12 1.11"),
]


def signals(values, kind, w):
    """(mu, mu_old, sigma, c, i) of one objective's last 2W values, c > 1 meaning 'improving' for both kinds."""
    xs = [Fraction(v) for v in values[-2 * w:]]
    old, cur = xs[:w], xs[w:]
    mu, mu_old = sum(cur) / w, sum(old) / w
    mean_all = sum(xs) / len(xs)
    var = sum((x - mean_all) ** 2 for x in xs) / (len(xs) - 1)
    sigma = math.sqrt(var)
    c = (mu_old / mu) if kind == "loss" else (mu / mu_old)
    i = sigma / (float(mu + mu_old) + EPS)
    return float(mu), float(mu_old), sigma, float(c), i


def weights(scores, t):
    k = len(scores)
    top = max(scores)  # shift for a stable softmax; it cancels in the ratio
    e = [math.exp((s - top) / t) for s in scores]
    z = sum(e)
    return [k * v / z for v in e]


def main():
    rows = [(name, kind, signals(text.split(), kind, W)) for name, kind, text in HISTORY]
    for alpha in (None, 0.5):
        label = "s = c + i" if alpha is None else f"s = {alpha} c + {1 - alpha} i"
        print(f"# W={W} T={T} {label}")
        scores = []
        for name, kind, (mu, mu_old, sigma, c, i) in rows:
            s = c + i if alpha is None else alpha * c + (1 - alpha) * i
            scores.append(s)
            print(f"{name:9s} mu={mu!r} mu_old={mu_old!r} sigma={sigma!r} c={c!r} i={i!r} s={s!r}")
        lam = weights(scores, T)
        print("lambda", " ".join(repr(x) for x in lam), "sum", repr(sum(lam)))


if __name__ == "__main__":
    main()
