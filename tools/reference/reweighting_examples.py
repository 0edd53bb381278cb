#!/usr/bin/python3
"""Worked examples for reward reweighting (docs/algorithms.md, section "Reference scripts").

Pure Python (standard library only), computed from the formulas alone:
  1a hypervolume meta-reward over three validation points     -> tests/Rewards.Tests/Weighting/HypervolumeWeightingTests.cs
  1b GRPO advantages invariant to a batch-wide reward factor;
     RLOO advantages scale with it                             -> tests/Trainer.Tests/Objectives/LeaveOneOutAdvantageTests.cs
  2  gradient-based weights (one mirror-descent step)          -> tests/Rewards.Tests/Weighting/GradientWeightingTests.cs
  3  RECAP weights (see also recap_reference.py, exact)        -> tests/Trainer.Tests/Replay/RecapWeightingTests.cs
  4  TMN-Reweight against GRPO advantages                      -> tests/Trainer.Tests/Objectives/TmnAdvantageTests.cs
Values are printed to three or four decimals; the tests hold more digits, from a double-precision evaluation of
the same formulas.

Run: /usr/bin/python3 tools/reference/reweighting_examples.py > tools/reference/reweighting_examples_output.txt
"""
import math, statistics as st

def hdr(s): print("\n=== " + s)

# ---------------------------------------------------------------- 1a. hypervolume meta-reward
def hv(points, ref):
    """Dominated hypervolume for MAXIMIZATION. Only the part of each point's box
    that dominates `ref` counts (points are clipped to ref first)."""
    pts = [tuple(max(p[d], ref[d]) for d in range(len(ref))) for p in points]
    pts = [p for p in pts if all(p[d] > ref[d] for d in range(len(ref)))]
    if not pts: return 0.0
    if len(ref) == 1: return max(p[0] for p in pts) - ref[0]
    pts.sort(key=lambda p: p[0])
    total, x0 = 0.0, ref[0]
    while pts:
        p0 = pts[0]
        w = p0[0] - x0
        if w > 0:
            total += w * hv([p[1:] for p in pts], ref[1:])
            x0 = p0[0]
        pts = [p for p in pts if p[0] > p0[0]]
    return total

def to_max(p, maximize): return tuple(x if m else -x for x, m in zip(p, maximize))

def r_pareto(buffer, cur, maximize, a=0.5, b=1.5):
    ref = to_max(buffer[0], maximize)
    prev = [to_max(p, maximize) for p in buffer[1:]]
    c = to_max(cur, maximize)
    d = max(hv(prev + [c], ref) - hv(prev, ref), 0.0)
    return a + b * math.tanh(d), d

hdr("1a. Hypervolume-guided meta reward (tracked components: acc up, length(tokens) down, format up)")
maximize = [True, False, True]
buffer = [(0.80, 1200.0, 0.50)]          # buffer[0] = reference = initial-model validation means
for step, cur in enumerate([(0.82, 1150.0, 0.55), (0.81, 1100.0, 0.60), (0.80, 1160.0, 0.52)], 1):
    rp, d = r_pareto(buffer, cur, maximize)
    print(f"step {step}: val point {cur}  dHV={d:.4f}  r_pareto={rp:.4f}  (used to scale rewards at step {step+1})")
    if d > 0: buffer.append(cur)
print("final buffer:", buffer)

hdr("1b. GRPO std-normalised advantages are invariant to a batch-wide reward multiplier")
def grpo_adv(rs, eps=1e-6):
    m = sum(rs)/len(rs); s = st.stdev(rs)
    return [(r-m)/(s+eps) for r in rs]
rs = [0.667, 0.333, 1.0, 0.0]
print("adv(r)      =", [round(x,4) for x in grpo_adv(rs)])
print("adv(0.5*r)  =", [round(x,4) for x in grpo_adv([0.5*r for r in rs])])
print("adv(2.0*r)  =", [round(x,4) for x in grpo_adv([2.0*r for r in rs])])
def rloo_adv(rs):
    n=len(rs); return [r - (sum(rs)-r)/(n-1) for r in rs]
print("RLOO adv(r)     =", [round(x,4) for x in rloo_adv(rs)])
print("RLOO adv(0.5*r) =", [round(x,4) for x in rloo_adv([0.5*r for r in rs])])

# ---------------------------------------------------------------- 2. gradient-based weights
hdr("2. Gradient-based weight optimisation (mirror-descent / multiplicative-weights step)")
g = {  # per-objective policy-loss gradients restricted to target layers, after grad-norm clip (<=1)
  "accuracy": [0.30, 0.50, -0.20, 0.10],
  "concise":  [-0.10, 0.20, 0.40, -0.30],
  "format":   [0.25, 0.40, -0.10, 0.05],
}
names = list(g)
dot = lambda a, b: sum(x*y for x, y in zip(a, b))
gsum = [sum(g[k][j] for k in names) for j in range(4)]
I = {k: dot(g[k], gsum) for k in names}          # I_k = <g_k, sum_j g_j> = row-sum of Gram matrix
lr, mu = 1e-6, 1e-5
w = {k: 1/3 for k in names}
logits = {k: math.log(w[k]) + lr*I[k]/mu for k in names}
Z = sum(math.exp(v) for v in logits.values())
w_new = {k: math.exp(logits[k])/Z for k in names}
for k in names:
    print(f"{k:9s} I_k={I[k]:+.4f}  step=lr*I/mu={lr*I[k]/mu:+.4f}  w: {w[k]:.4f} -> {w_new[k]:.4f}")
# combined reward for one response with per-objective scores
scores = {"accuracy": 1.0, "concise": 0.0, "format": 1.0}
print("combined reward for (acc=1,concise=0,format=1):", round(sum(w_new[k]*scores[k] for k in names), 4))

# ---------------------------------------------------------------- 3. RECAP
hdr("3. RECAP weights (W=10, T=5)")
W, T = 10, 5.0
hist = {  # 2W most recent per-step values; oldest first
  # format reward: saturated
  "format_reward": [0.95,0.97,0.96,0.98,0.97,0.98,0.99,0.98,0.99,0.98, 0.99,0.98,0.99,0.99,0.98,0.99,0.99,0.98,0.99,0.99],
  # accuracy reward: noisy, improving
  "acc_reward":    [0.40,0.35,0.48,0.42,0.38,0.50,0.44,0.41,0.52,0.45, 0.47,0.55,0.43,0.58,0.50,0.46,0.60,0.52,0.49,0.57],
  # SFT next-token NLL on replay data: slowly decreasing loss
  "sft_nll":       [1.20,1.19,1.19,1.18,1.18,1.17,1.17,1.16,1.16,1.15, 1.15,1.14,1.14,1.14,1.13,1.13,1.12,1.12,1.12,1.11],
}
kind = {"format_reward": "reward", "acc_reward": "reward", "sft_nll": "loss"}
def recap(hist, kind, W, T, alpha=None, ratio_mode="progress"):
    s = {}
    for k, h in hist.items():
        cur, old = h[-W:], h[-2*W:-W]
        mu, mu_old = sum(cur)/W, sum(old)/W
        sigma = st.stdev(h[-2*W:])                  # unbiased std over the whole 2W window (paper's Alg. 2)
        if ratio_mode == "progress":                 # c > 1 <=> improving, for both losses and rewards
            c = (mu_old/mu) if kind[k] == "loss" else (mu/mu_old)
        else:                                        # literal Alg. 2: c = mu_old/mu on whatever is tracked
            c = mu_old/mu
        i = sigma/(mu + mu_old)
        s[k] = (c + i) if alpha is None else (alpha*c + (1-alpha)*i)
        print(f"  {k:13s} mu={mu:.4f} mu_old={mu_old:.4f} sigma={sigma:.4f} c={c:.4f} i={i:.4f} s={s[k]:.4f}")
    K = len(s); Z = sum(math.exp(v/T) for v in s.values())
    lam = {k: K*math.exp(v/T)/Z for k, v in s.items()}
    print("  lambda:", {k: round(v, 4) for k, v in lam.items()}, " mean =", round(sum(lam.values())/K, 4))
    return lam
print("(a) s = c + i, 'progress' orientation (recommended)")
lam = recap(hist, kind, W, T)
print("(b) s = 0.5c + 0.5i (appendix alpha=0.5)")
recap(hist, kind, W, T, alpha=0.5)
print("(c) literal Alg.2 c = mu_old/mu applied to raw rewards (shows orientation pitfall)")
recap(hist, kind, W, T, ratio_mode="literal")
# weighted loss for one step
L = {"format_reward": None, "acc_reward": None, "sft_nll": 1.11}
print("  e.g. total = (1/K) * sum_k lambda_k * L_k ; SFT contributes", round(lam["sft_nll"]*1.11/3, 4), "for L_sft=1.11")

# ---------------------------------------------------------------- 4. TMN-Reweight
hdr("4. TMN-Reweight vs GRPO (G=4)")
batch = {  # prompt uid -> (task, rewards)
  "A1": ("accuracy", [1, 0, 0, 0]),
  "A2": ("accuracy", [1, 1, 1, 0]),
  "B1": ("f1",       [0.30, 0.35, 0.40, 0.45]),
  "B2": ("f1",       [0.60, 0.62, 0.58, 0.60]),
}
eps, alpha, gamma = 1e-6, 0.8, 1.0
mean = {u: sum(r)/len(r) for u, (t, r) in batch.items()}
var  = {u: (st.variance(r) if len(r) > 1 else 1.0) for u, (t, r) in batch.items()}   # unbiased
tasks = sorted({t for t, _ in batch.values()})
scale = {m: math.sqrt(sum(var[u] for u,(t,_) in batch.items() if t==m) /
                      sum(1 for u,(t,_) in batch.items() if t==m)) for m in tasks}
task_mean = {m: sum(mean[u] for u,(t,_) in batch.items() if t==m) /
                sum(1 for u,(t,_) in batch.items() if t==m) for m in tasks}
print("task scale s_m = sqrt(mean_u Var_u):", {m: round(v,4) for m,v in scale.items()})
print("task mean of prompt means:", {m: round(v,4) for m,v in task_mean.items()})
for u, (t, r) in batch.items():
    grpo = [(x-mean[u])/(math.sqrt(var[u])+eps) for x in r]
    tmn  = [(x-mean[u])/(scale[t]+eps) for x in r]
    sm   = alpha*mean[u] + (1-alpha)*task_mean[t]
    p    = sum(1 for x in r if x > sm)/len(r)
    wpos, wneg = math.exp(gamma*(0.5-p)), math.exp(gamma*(p-0.5))
    tmnw = [a*(wpos if x > mean[u] else wneg) for a, x in zip(tmn, r)]
    print(f"{u} task={t:8s} r={r}")
    print(f"    GRPO      : {[round(x,3) for x in grpo]}")
    print(f"    TMN       : {[round(x,3) for x in tmn]}")
    print(f"    smoothed mean={sm:.4f} pass_rate={p:.2f} w_pos={wpos:.4f} w_neg={wneg:.4f}")
    print(f"    TMN+reweight: {[round(x,3) for x in tmnw]}")
