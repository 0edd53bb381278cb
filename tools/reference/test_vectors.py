#!/usr/bin/python3
"""Reference values for the objective tests (docs/algorithms.md, section "Reference scripts").

Pure Python (standard library only, no torch), written from the formulas alone, independently of TorchSharp:
  1 group advantages (TRL / verl / FeynRL epsilons, no-std, population std)   -> GroupAdvantageTests
  2 clipped surrogate loss and d loss / d log pi, dual clip, CISPO, GSPO        -> ClippedSurrogateTests,
                                                                                  ClippedSurrogateObjectiveTests
  3 normalised ESS (reference formula with its +1e-8, and the log-space form)  -> EffectiveSampleSizeTests
  4, 4b P3O ("Trust the Batch") toy micro-batches: loss and gradient            -> EssAdaptiveObjectiveTests
  5 loss aggregations (grpo, bnpo/dapo, dr_grpo, verl modes)                    -> LossAggregatorTests
  6 k3 KL estimator                                                             -> KlEstimatorTests
  7 train/inference importance-sampling correction modes (ImportanceCorrectionTests uses its own hand values)
  8 DAPO overlong penalty                                                       -> OverlongPenaltyRewardTests
  9 ESS when one fp32 ratio overflows                                           -> EffectiveSampleSizeTests
(test classes in tests/Trainer.Tests/Objectives and tests/Rewards.Tests/Functions).

Run: /usr/bin/python3 tools/reference/test_vectors.py > tools/reference/test_vectors_output.txt
"""
import math

def mean(x): return sum(x)/len(x)
def std_unbiased(x):
    m = mean(x); n = len(x)
    return math.sqrt(sum((v-m)**2 for v in x)/(n-1)) if n > 1 else float('nan')
def std_pop(x):
    m = mean(x); return math.sqrt(sum((v-m)**2 for v in x)/len(x))

print("=== 1. Group advantages ===")
for R in ([1,0,0,1],[1,1,1,1],[1,0,0,0],[0.5,0.2,0.9,0.4]):
    m = mean(R); su = std_unbiased(R); sp = std_pop(R)
    trl   = [(r-m)/(su+1e-4) for r in R]          # TRL scale_rewards="group"
    trl_n = [(r-m) for r in R]                     # TRL scale_rewards="none" / verl norm_adv_by_std_in_grpo=False
    verl  = [(r-m)/(su+1e-6) for r in R]           # verl compute_grpo_outcome_advantage
    feyn  = [(r-m)/(su+1e-8) for r in R]           # FeynRL normalize_rewards (zscore)
    pop   = [(r-m)/(sp+1e-8) for r in R]           # population-std variant (NOT used by TRL/verl/FeynRL)
    print(f"R={R} mean={m:.6f} std_unbiased={su:.9f} std_pop={sp:.9f}")
    for name, a in (("TRL group (eps=1e-4)",trl),("no-std (Dr.GRPO)",trl_n),("verl (eps=1e-6)",verl),("FeynRL (eps=1e-8)",feyn),("pop-std",pop)):
        print(f"   {name:22s}: " + ", ".join(f"{v:+.9f}" for v in a))

print("\n=== 2. Clipped surrogate per-token loss  l = -min(r*A, clip(r,1-el,1+eh)*A) ===")
def ppo(r,A,el,eh):
    c = min(max(r,1-el),1+eh)
    u, k = r*A, c*A
    loss = -min(u,k)
    # d loss / d log pi  (r = exp(logpi - logpi_old)):
    #   the unclipped branch r*A is selected (u <= k)  -> -A*r ; otherwise the clipped branch is constant -> 0
    grad = -A*r if u <= k else 0.0
    return loss, grad, (c != r)
cases = [(1.0,1.0),(1.5,1.0),(1.5,-1.0),(0.5,1.0),(0.5,-1.0),(1.25,1.0),(1.25,-0.5),(0.7,2.0)]
for el,eh in ((0.2,0.2),(0.2,0.28)):
    print(f" eps_low={el} eps_high={eh}")
    for r,A in cases:
        l,g,cl = ppo(r,A,el,eh)
        print(f"   r={r:<5} A={A:<5} loss={l:+.6f}  dloss/dlogpi={g:+.6f}  r_outside_band={cl}")

print("\n  dual-clip (verl vanilla, clip_ratio_c=3, eps=0.2): for A<0 loss = min(-A*c, max(-A*r, -A*clip(r)))")
def dual(r,A,el=0.2,eh=0.2,c=3.0):
    l1 = max(-A*r, -A*min(max(r,1-el),1+eh))
    return min(-A*c, l1) if A < 0 else l1
for r,A in ((5.0,-1.0),(2.0,-1.0),(5.0,1.0),(0.5,-1.0)):
    print(f"   r={r} A={A} loss={dual(r,A):+.6f}")

print("\n  CISPO token loss = -sg(clip(r, 1-el, 1+eh)) * A * logpi  -> dloss/dlogpi = -clip(r)*A")
for r,A in ((1.5,1.0),(0.5,-1.0),(1.1,1.0)):
    print(f"   verl-style clip [0.8,1.2]: r={r} A={A} weight={min(max(r,0.8),1.2):.4f} grad={-min(max(r,0.8),1.2)*A:+.4f}")
    print(f"   TRL-style  clamp(max=eps_high=5.0): r={r} A={A} weight={min(r,5.0):.4f}")

print("\n  GSPO sequence ratio s=exp(mean_t log r_t): token log-ratios [0.1,-0.2,0.4] ->",
      f"s={math.exp((0.1-0.2+0.4)/3):.9f}")

print("\n=== 3. ESS (normalized) = (sum w)^2 / (n * sum w^2) ===")
def ess(w):
    n=len(w); s=sum(w); s2=sum(v*v for v in w)
    return (s*s)/(s2+1e-8)/n      # exactly FeynRL calculate_ess (incl. 1e-8)
def lse(xs):
    m=max(xs); return m+math.log(sum(math.exp(x-m) for x in xs))
def ess_log(logw):
    n=len(logw); return math.exp(2*lse(logw) - lse([2*l for l in logw]) - math.log(n))
for w in ([1,1,1,1],[4,0.1,0.1,0.1],[1.1,0.9,1.0,1.0],[2,2,2,2],[1,0,0,0]):
    e = ess(w)
    el = ess_log([math.log(v) for v in w]) if min(w)>0 else float('nan')
    rho = [min(v,e) for v in w]
    print(f"   w={w}: ESS={e:.9f} (log-space {el:.9f}); rho=min(w,ESS)={[round(x,9) for x in rho]}; KL weight 1-ESS={1-e:.9f}")

print("\n=== 4. P3O toy micro-batch (one sequence of 4 valid tokens) ===")
logp     = [-0.5, -1.0, -2.0, -0.1]
logp_old = [-0.6, -1.0, -3.0, -0.1]
A        = [ 1.0,  1.0,  1.0,  1.0]
lr  = [a-b for a,b in zip(logp,logp_old)]
w   = [math.exp(x) for x in lr]
e   = ess(w)
rho = [min(v,e) for v in w]
pi_sum = -sum(r*a*l for r,a,l in zip(rho,A,logp))
def k3(lp, lq):  # FeynRL compute_kl_distance: log(p/q) + q/p - 1, exponent clamped to [-10,10]
    return (lp-lq) + math.exp(min(max(lq-lp,-10.0),10.0)) - 1
kl = [k3(a,b) for a,b in zip(logp,logp_old)]
kl_sum = sum(kl)
N = len(logp)
total = (pi_sum + (1-e)*kl_sum)/N
grads = [(-r*a + (1-e)*(1-math.exp(min(max(b-l,-10),10))))/N for r,a,l,b in zip(rho,A,logp,logp_old)]
print(f"   ratios={[round(x,9) for x in w]}")
print(f"   ESS={e:.9f} rho={[round(x,9) for x in rho]}")
print(f"   pi_sum={pi_sum:.9f}  kl_tokens={[round(x,9) for x in kl]}  kl_sum={kl_sum:.9f}")
print(f"   loss (normalize_loss, N={N}) = (pi_sum + (1-ESS)*kl_sum)/N = {total:.9f}")
print(f"   dL/dlogpi_t = [-rho_t*A_t + (1-ESS)*(1 - pi_old/pi)]/N = {[round(g,9) for g in grads]}")

print("\n=== 5. Loss aggregation example: per-token loss rows [1,2,3] and [4], L_max=4, B=2 ===")
rows=[[1,2,3],[4]]; L=4; B=2
tok = sum(sum(r) for r in rows); ntok=sum(len(r) for r in rows)
print(f"   grpo / seq-mean-token-mean : {mean([mean(r) for r in rows])}")
print(f"   bnpo / dapo / token-mean   : {tok/ntok}")
print(f"   dr_grpo (sum/(B*L))         : {tok/(B*L)}")
print(f"   verl seq-mean-token-sum     : {mean([sum(r) for r in rows])}")
print(f"   verl seq-mean-token-sum-norm (sum/L, no /B): {tok/L}")

print("\n=== 6. k3 KL estimator (TRL/verl low_var_kl): exp(q-p) - (q-p) - 1 ===")
for p,q in ((-1.0,-1.5),(-1.0,-1.0),(-2.0,-0.5)):
    print(f"   logpi={p} logref={q}: k3={math.exp(q-p)-(q-p)-1:.9f}")

print("\n=== 7. TRL vLLM IS correction: ratio = exp(old_logp(train) - sampling_logp(vLLM)) ===")
d = [0.05,-0.1,2.0]
tok = [math.exp(x) for x in d]
print(f"   token ratios={[round(x,6) for x in tok]}")
print(f"   token_truncate (C_max=3): {[round(min(x,3.0),6) for x in tok]}")
print(f"   token_mask     (C_max=3): {[round(x if x<=3.0 else 0.0,6) for x in tok]}")
s = math.exp(sum(d))
print(f"   sequence ratio exp(sum)={s:.6f}; sequence_truncate -> {min(s,3.0):.6f}; sequence_mask -> {s if s<=3 else 0.0}")

print("\n=== 8. DAPO overlong penalty (L_max=20, L_buf=4, c=1) ===")
def overlong(n,Lmax=20,Lbuf=4,c=1.0):
    ex = n-(Lmax-Lbuf)
    return 0.0 if ex<=0 else -c*min(ex/Lbuf,1.0)
print("   ", [(n,overlong(n)) for n in (10,16,17,18,20)])

print("\n=== 4b. P3O toy with concentrated ratios w=[4,0.1,0.1,0.1], A=[+1,-1,+1,-1] ===")
logp_old = [-2.0, -1.0, -1.0, -1.0]
logp     = [lo + math.log(v) for lo, v in zip(logp_old, [4.0, 0.1, 0.1, 0.1])]
A        = [1.0, -1.0, 1.0, -1.0]
w   = [math.exp(a-b) for a,b in zip(logp,logp_old)]
e   = ess(w)
rho = [min(v,e) for v in w]
pi_sum = -sum(r*a*l for r,a,l in zip(rho,A,logp))
kl = [k3(a,b) for a,b in zip(logp,logp_old)]
N = 4
total = (pi_sum + (1-e)*sum(kl))/N
grads = [(-r*a + (1-e)*(1-math.exp(min(max(b-l,-10),10))))/N for r,a,l,b in zip(rho,A,logp,logp_old)]
print(f"   logp={[round(x,9) for x in logp]}")
print(f"   ESS={e:.9f} rho={[round(x,9) for x in rho]} kl={[round(x,9) for x in kl]}")
print(f"   pi_sum={pi_sum:.9f} kl_sum={sum(kl):.9f} loss={total:.9f}")
print(f"   dL/dlogpi={[round(g,9) for g in grads]}")
# finite-difference check holding the stop-gradient quantities (rho, ESS) fixed
def f(lp):
    return (-sum(r*a*l for r,a,l in zip(rho,A,lp)) + (1-e)*sum(k3(a,b) for a,b in zip(lp,logp_old)))/N
h=1e-6
fd=[(f([x+(h if j==i else 0) for j,x in enumerate(logp)]) - f([x-(h if j==i else 0) for j,x in enumerate(logp)]))/(2*h) for i in range(4)]
print(f"   finite-diff check     ={[round(g,9) for g in fd]}")

print("\n=== 9. ESS overflow case: log-ratios [ln4, ln.1, ln.1, ln.1, 100] ===")
d=[math.log(4),math.log(.1),math.log(.1),math.log(.1),100.0]
FP32_MAX=3.4028234663852886e38
w32=[math.exp(x) if math.exp(x) <= FP32_MAX else float('inf') for x in d]   # what fp32 exp would produce
S1=sum(w32); S2=sum(v*v for v in w32)
ref = 1.0 if (not math.isfinite(S1) or not math.isfinite(S2)) else (S1*S1)/(S2+1e-8)/len(d)
m=max(d); u=[math.exp(x-m) for x in d]
shifted=(sum(u)**2)/(len(u)*sum(v*v for v in u))
print(f"   reference (fp32 exp -> inf -> fallback) ESS = {ref}")
print(f"   max-shifted / log-space ESS              = {shifted:.9f}  (-> 1/N = 0.2)")
