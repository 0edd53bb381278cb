#!/usr/bin/python3
"""Reference for one whole policy update (PolicyUpdate.Run): the fixture under
tests/Trainer.Tests/Fixtures/policy-update/, read by tests/Trainer.Tests/Training/PolicyUpdateCompositionTests.cs.

    /usr/bin/python3 tools/reference/policy_update_reference.py

Needs Debian's python3-torch and python3-numpy. Written from the formulas in docs/algorithms.md, not from the C#:

  model      a 1-layer qwen2 with tied embeddings (model_reference.py), each sample run ALONE, unpadded
  log-probs  l_ij = log_softmax(logits / T)[completion token j of sample i]
  advantage  A_i = (r_i - mean_g) / (std_g + 1e-4), Bessel std per group of G
  loss       L = (1/N) sum_i s_i sum_j m_ij rho_ij * -min(w_ij A_i, clamp(w_ij, 1 - eps, 1 + eps) A_i)
             w_ij = exp(l_ij - b_ij) with b the behaviour log-probs (old = behaviour, since mu > 1), m the trained
             mask (truncated completions and LossMask = false are out), N = sum of m over the whole batch,
             s_i the per-sample scale of the pass (a replay extension's (lambda_k / K) * N / N_k), rho_ij >= 0 the
             importance weight (scaling the advantage by rho scales the loss by rho)
  step       g = grad L (whole batch at once: with the step's N as normaliser the micro-batch losses are plain
             parts of one sum, so any split into micro-batches, in any order, accumulates the same g), clip to
             MaxGradNorm (coef min(1, c / (|g| + 1e-6)), torch's clip_grad_norm_), then AdamW (decoupled decay
             p <- p (1 - lr wd), bias-corrected moments), lr from the linear schedule lr0 (1 - k / K_total) at
             optimizer step k = step * mu + pass
  mu = 2     the second pass recomputes l with the weights after the first optimizer step

The update runs in float64 (the expected values) and in float32 (to size the tolerance). The script asserts that
float32 stays far inside the tolerance, that no ratio sits near a clip boundary in either pass (so rounding cannot
flip a token in or out of the clip), that both passes clip some tokens and one pass clips the gradient, that its
AdamW matches torch.optim.AdamW, and that each simulated composition mistake moves the parameters by far more than
the tolerance. Seeded and deterministic.
"""

import json
import math
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import make_model_fixtures as fixtures  # noqa: E402  (weight init, checkpoint writer, JSON formatting)
import model_reference as ref  # noqa: E402

REPO = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(REPO, "tests", "Trainer.Tests", "Fixtures", "policy-update")

TOLERANCE = 1e-6          # max |parameter - expected| the C# test allows (fp32 run vs this fp64 reference)
GRAD_NORM_RTOL = 1e-4     # relative tolerance on the reported gradient norm
SENSITIVITY_FLOOR = 100 * TOLERANCE
CLIP_MARGIN = 1e-3        # every trained ratio stays this far from 1 - eps and 1 + eps, in both passes

CONFIG = {
    "architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2",
    "vocab_size": 32, "hidden_size": 8, "intermediate_size": 16, "num_hidden_layers": 1,
    "num_attention_heads": 2, "num_key_value_heads": 1, "max_position_embeddings": 256,
    "rms_norm_eps": 1e-6, "rope_theta": 10000.0, "rope_scaling": None, "tie_word_embeddings": True,
    "hidden_act": "silu", "bos_token_id": 1, "eos_token_id": 2, "attention_dropout": 0.0,
    "use_sliding_window": False,
}
SEED = 4004

# The C# options the test sets; everything else is at its default.
OPTIONS = {
    "temperature": 0.7,            # Rollout:Temperature
    "group_size": 3,
    "advantage_epsilon": 1e-4,     # Advantage:Epsilon (default)
    "clip_epsilon": 0.2,           # Algorithm:Grpo:Epsilon (default; EpsilonHigh unset = same), LossType Dapo
    "num_iterations": 2,           # Training:NumIterations (mu)
    "micro_batch_size": 2,         # Training:MicroBatchSize: three micro-batches of two
    "mask_truncated_completions": True,
    "seed": 0,                     # Training:Seed (the micro-batch shuffle)
    "step": 1,                     # PolicyUpdate.Run(batch, step, total_training_steps)
    "total_training_steps": 3,
    "learning_rate": 0.02,
    "beta1": 0.9,
    "beta2": 0.999,
    # Adam epsilon of the order of the gradient entries: with eps << |g| the first Adam step is lr * sign(g) and
    # a wrong loss scale would hardly show; here the update depends on the gradient's size too.
    "adam_epsilon": 1e-2,
    "weight_decay": 0.1,
    "max_grad_norm": None,         # set in main(): between the two passes' norms, so exactly one pass is clipped
    "schedule": "linear",
}

# Two groups of three: group 0 is the main objective, group 1 a replayed one. Behaviour log-probs are the initial
# policy's plus DELTA (ratio at pass 0 = exp(-delta)): |delta| > 0.22 with the matching sign of A is clipped.
SAMPLES = [
    {"group": 0, "data_source": "main", "prompt": [5, 9, 14], "completion": [7, 21, 3, 11], "reward": 1.0,
     "delta": [-0.35, 0.1, -0.05, 0.4]},
    {"group": 0, "data_source": "main", "prompt": [5, 9, 14], "completion": [18, 26, 25], "reward": 0.0,
     "delta": [0.3, -0.1, 0.05], "is_weights": [1.25, 0.0, 0.8]},
    {"group": 0, "data_source": "main", "prompt": [5, 9, 14], "completion": [7, 30, 12, 6, 19], "reward": 0.25,
     "delta": [0.1, -0.2, 0.0, 0.1, 0.2], "truncated": True},
    {"group": 1, "data_source": "replay", "prompt": [4, 22], "completion": [10, 13], "reward": 0.0,
     "delta": [-0.4, 0.25]},
    {"group": 1, "data_source": "replay", "prompt": [4, 22], "completion": [27, 8, 16, 29, 17], "reward": 1.0,
     "delta": [-0.4, 0.15, 0.5, -0.5, 0.0], "loss_mask": [True, True, False, False, True],
     "is_weights": [0.5, 1.5, 1.0, 1.0, 2.0]},
    {"group": 1, "data_source": "replay", "prompt": [4, 22], "completion": [10, 24, 15], "reward": 0.75,
     "delta": [0.05, -0.25, 0.2]},
]
# Objective weights lambda per pass (main, replay); an extension may change them between passes.
LAMBDA = [[1.2, 0.8], [0.9, 1.1]]

MISTAKES = ("scales_ignored", "is_weights_ignored", "normalised_per_micro_batch", "one_pass_only",
            "old_is_current_policy")


# ----------------------------------------------------------------------------------------------------------
# The pieces, each from its formula
# ----------------------------------------------------------------------------------------------------------

def trained_mask(sample):
    """1 where completion token j enters the loss: not a masked truncated completion, and LossMask[j] true."""
    n = len(sample["completion"])
    if OPTIONS["mask_truncated_completions"] and sample.get("truncated", False):
        return [0.0] * n
    return [1.0 if keep else 0.0 for keep in sample.get("loss_mask", [True] * n)]


def group_advantages(rewards, group_size, eps):
    out = []
    for start in range(0, len(rewards), group_size):
        group = rewards[start:start + group_size]
        mean = sum(group) / len(group)
        std = math.sqrt(sum((r - mean) ** 2 for r in group) / (len(group) - 1))
        out += [(r - mean) / (std + eps) for r in group]
    return out


def replay_scales(samples, lambdas):
    """(lambda_k / K) * N / N_k per sample, k its objective (group order here), N the batch's trained tokens."""
    names = sorted({s["data_source"] for s in samples}, key=lambda n: n != "main")
    tokens = {n: sum(sum(trained_mask(s)) for s in samples if s["data_source"] == n) for n in names}
    total = sum(tokens.values())
    return [lambdas[names.index(s["data_source"])] / len(names) * total / tokens[s["data_source"]] for s in samples]


def completion_logprobs(cfg, weights, sample, temperature, dtype):
    """(n,) log pi(completion token j | prompt, tokens < j) at temperature T; the sequence alone, no padding."""
    ids = torch.tensor([sample["prompt"] + sample["completion"]])
    mask = torch.ones_like(ids)
    logits = ref.forward(cfg, weights, ids, mask, ref.generation_position_ids(mask), dtype)[0]   # (L, V)
    logp = torch.log_softmax(logits / temperature, dim=-1)
    p = len(sample["prompt"])
    positions = torch.arange(p - 1, p - 1 + len(sample["completion"]))                          # predict token j
    return logp[positions, torch.tensor(sample["completion"])]


def surrogate(ratio, advantage, eps):
    """Per-token -min(w A, clamp(w, 1 - eps, 1 + eps) A)."""
    return -torch.minimum(ratio * advantage, ratio.clamp(1 - eps, 1 + eps) * advantage)


def pass_loss(cfg, weights, case, scales, dtype, mistake):
    """The pass's loss over the whole batch, and each trained ratio (for the clip-boundary check)."""
    samples, eps = case["samples"], OPTIONS["clip_epsilon"]
    masks = [torch.tensor(trained_mask(s), dtype=dtype) for s in samples]
    step_tokens = sum(float(m.sum()) for m in masks)
    per_sample, ratios = [], []
    for i, s in enumerate(samples):
        logp = completion_logprobs(cfg, weights, s, OPTIONS["temperature"], dtype)
        old = logp.detach() if mistake == "old_is_current_policy" else torch.tensor(s["behaviour"], dtype=dtype)
        rho = torch.tensor(s.get("is_weights_f32") or [1.0] * len(logp), dtype=dtype)
        if mistake == "is_weights_ignored":
            rho = torch.ones_like(rho)
        scale = 1.0 if mistake == "scales_ignored" else scales[i]
        ratio = torch.exp(logp - old)
        per_sample.append(scale * (masks[i] * rho * surrogate(ratio, case["advantages"][i], eps)).sum())
        ratios += [float(r) for r, m in zip(ratio, masks[i]) if m > 0]
    if mistake != "normalised_per_micro_batch":
        return sum(per_sample) / step_tokens, ratios
    # The mistake: each micro-batch divided by its own tokens (batch order here; the C# shuffles, any order shows it).
    micro, loss = OPTIONS["micro_batch_size"], 0
    for start in range(0, len(samples), micro):
        tokens = sum(float(m.sum()) for m in masks[start:start + micro])
        loss = loss + sum(per_sample[start:start + micro]) / max(tokens, 1.0)
    return loss, ratios


def lr_at(optimizer_step, total_optimizer_steps):
    """transformers' linear schedule without warm-up: lr0 * (T - k) / T."""
    return OPTIONS["learning_rate"] * max(0.0, (total_optimizer_steps - optimizer_step) / total_optimizer_steps)


def clip_gradients(grads, max_norm):
    """Global L2 norm before clipping; gradients scaled by min(1, c / (norm + 1e-6)) when c > 0."""
    norm = math.sqrt(sum(float((g * g).sum()) for g in grads.values()))
    if max_norm and max_norm > 0:
        coef = min(1.0, max_norm / (norm + 1e-6))
        grads = {n: g * coef for n, g in grads.items()}
    return grads, norm


def adamw(params, grads, state, lr, o):
    """One AdamW step (Loshchilov & Hutter): decay p by lr*wd, then p -= lr * m_hat / (sqrt(v_hat) + eps)."""
    state["t"] = state.get("t", 0) + 1
    t, b1, b2 = state["t"], o["beta1"], o["beta2"]
    out = {}
    for name, p in params.items():
        g = grads[name]
        m = b1 * state.get(("m", name), torch.zeros_like(p)) + (1 - b1) * g
        v = b2 * state.get(("v", name), torch.zeros_like(p)) + (1 - b2) * g * g
        state[("m", name)], state[("v", name)] = m, v
        m_hat, v_hat = m / (1 - b1 ** t), v / (1 - b2 ** t)
        out[name] = p * (1 - lr * o["weight_decay"]) - lr * m_hat / (v_hat.sqrt() + o["adam_epsilon"])
    return out


def run_update(cfg, weights0, case, dtype, mistake=None):
    """The update of the case: returns the final parameters and, per pass, (lr, grad norm, ratios)."""
    mu = 1 if mistake == "one_pass_only" else OPTIONS["num_iterations"]
    total = OPTIONS["total_training_steps"] * OPTIONS["num_iterations"]
    params = {n: w.to(dtype) for n, w in weights0.items()}
    state, passes = {}, []
    for k in range(mu):
        leaves = {n: p.clone().requires_grad_(True) for n, p in params.items()}
        loss, ratios = pass_loss(cfg, leaves, case, case["scales"][k], dtype, mistake)
        grads = dict(zip(leaves, torch.autograd.grad(loss, list(leaves.values()))))
        grads, norm = clip_gradients(grads, OPTIONS["max_grad_norm"])
        lr = lr_at(OPTIONS["step"] * OPTIONS["num_iterations"] + k, total)
        params = adamw(params, grads, state, lr, OPTIONS)
        passes.append({"lr": lr, "grad_norm": norm, "ratios": ratios})
    return params, passes


# ----------------------------------------------------------------------------------------------------------
# Self-checks
# ----------------------------------------------------------------------------------------------------------

def check_adamw_against_torch():
    """Our AdamW against torch.optim.AdamW on random data, two steps with different rates (fp64)."""
    gen = torch.Generator().manual_seed(7)
    p0 = torch.randn(5, 3, generator=gen, dtype=torch.float64)
    grads = [torch.randn(5, 3, generator=gen, dtype=torch.float64) * 1e-3 for _ in range(2)]
    theirs = p0.clone().requires_grad_(True)
    opt = torch.optim.AdamW([theirs], lr=0.02, betas=(OPTIONS["beta1"], OPTIONS["beta2"]),
                            eps=OPTIONS["adam_epsilon"], weight_decay=OPTIONS["weight_decay"])
    ours, state = {"p": p0.clone()}, {}
    for lr, g in zip((0.02, 0.01), grads):
        opt.param_groups[0]["lr"] = lr
        theirs.grad = g.clone()
        opt.step()
        ours = adamw(ours, {"p": g}, state, lr, OPTIONS)
    diff = float((ours["p"] - theirs.detach()).abs().max())
    assert diff < 1e-15, f"AdamW differs from torch.optim.AdamW by {diff}"
    return diff


def max_param_diff(a, b):
    return max(float((a[n].double() - b[n].double()).abs().max()) for n in a)


# ----------------------------------------------------------------------------------------------------------
# Building the case
# ----------------------------------------------------------------------------------------------------------

def build_case(cfg, weights64):
    """Behaviour log-probs (initial policy + delta, rounded to fp32 as the C# stores them), advantages, scales."""
    samples = []
    for s in SAMPLES:
        with torch.no_grad():
            logp = completion_logprobs(cfg, weights64, s, OPTIONS["temperature"], torch.float64)
        behaviour = (logp + torch.tensor(s["delta"], dtype=torch.float64)).float()
        sample = dict(s, behaviour=[float(v) for v in behaviour.double()])
        if "is_weights" in s:
            sample["is_weights_f32"] = [float(v) for v in torch.tensor(s["is_weights"], dtype=torch.float32).double()]
        samples.append(sample)
    rewards = [s["reward"] for s in samples]
    return {
        "samples": samples,
        "advantages": group_advantages(rewards, OPTIONS["group_size"], OPTIONS["advantage_epsilon"]),
        # Rounded as the fixture stores them, so that this script and the C# test train with the same numbers.
        "scales": [[fixtures.sig(v) for v in replay_scales(samples, lam)] for lam in LAMBDA],
    }


def clip_statistics(case, passes):
    """Per pass: trained tokens in the clipped region (zero gradient), and the closest ratio to a boundary."""
    eps, out = OPTIONS["clip_epsilon"], []
    for p in passes:
        signs = [a for s, a in zip(case["samples"], case["advantages"]) for m in trained_mask(s) if m > 0]
        clipped = sum(1 for w, a in zip(p["ratios"], signs) if (a > 0 and w > 1 + eps) or (a < 0 and w < 1 - eps))
        margin = min(min(abs(w - (1 - eps)), abs(w - (1 + eps))) for w in p["ratios"])
        out.append((clipped, margin))
    return out


def fixture_json(case, expected, passes, checks):
    sig = fixtures.sig
    samples = []
    for s in case["samples"]:
        row = {"group": s["group"], "data_source": s["data_source"], "prompt_ids": s["prompt"],
               "completion_ids": s["completion"], "behaviour_logprobs": [sig(v) for v in s["behaviour"]],
               "reward": s["reward"], "truncated": s.get("truncated", False)}
        if "loss_mask" in s:
            row["loss_mask"] = s["loss_mask"]
        if "is_weights" in s:
            row["is_weights"] = [sig(v) for v in s["is_weights_f32"]]
        samples.append(row)
    o = OPTIONS
    return {
        "generated_by": "tools/reference/policy_update_reference.py",
        "torch_version": torch.__version__,
        "tolerance": TOLERANCE,
        "grad_norm_rtol": GRAD_NORM_RTOL,
        "options": dict(o),
        "samples": samples,
        "sample_scales_per_pass": case["scales"],
        "expected": {
            "advantages": [sig(v) for v in case["advantages"]],
            "trained_tokens_all_passes": int(sum(sum(trained_mask(s)) for s in case["samples"])) * o["num_iterations"],
            "lr_per_pass": [sig(p["lr"]) for p in passes],
            "grad_norm_per_pass": [sig(p["grad_norm"]) for p in passes],
            "parameters": {n: [sig(v) for v in t.flatten().tolist()] for n, t in sorted(expected.items())},
        },
        "self_checks": checks,
    }


def main():
    torch.set_num_threads(1)  # identical summation order from run to run
    cfg = ref.ModelConfig(CONFIG, "policy-update")
    weights = fixtures.make_weights(cfg, SEED)
    spec = {"shards": None, "stored_dtype": "F32", "torch_dtype": "float32"}
    written = fixtures.write_checkpoint(spec, CONFIG, weights, OUT)
    fixtures.check_roundtrip(spec, OUT, weights, written)
    _, w64 = ref.load_model(OUT, torch.float64)
    _, w32 = ref.load_model(OUT, torch.float32)
    adam_diff = check_adamw_against_torch()

    case = build_case(cfg, w64)
    # Clip threshold halfway (geometrically) between the unclipped norms of the two passes: one clipped, one not.
    OPTIONS["max_grad_norm"] = 0.0
    _, free = run_update(cfg, w64, case, torch.float64)
    low, high = sorted(p["grad_norm"] for p in free)
    assert high > 1.5 * low, f"pass gradient norms {low} and {high} too close to clip exactly one"
    OPTIONS["max_grad_norm"] = fixtures.sig(math.sqrt(low * high), 3)

    expected, passes = run_update(cfg, w64, case, torch.float64)
    clipped_passes = [p["grad_norm"] > OPTIONS["max_grad_norm"] for p in passes]
    assert clipped_passes.count(True) == 1, f"norms {[p['grad_norm'] for p in passes]}: one pass must be clipped"
    result32, passes32 = run_update(cfg, w32, case, torch.float32)
    fp32_diff = max_param_diff(result32, expected)
    assert fp32_diff < TOLERANCE / 5, f"fp32 vs fp64 differ by {fp32_diff}: tolerance {TOLERANCE} too tight"
    norm_rel = max(abs(a["grad_norm"] - b["grad_norm"]) / b["grad_norm"] for a, b in zip(passes32, passes))
    assert norm_rel < GRAD_NORM_RTOL / 10, f"fp32 gradient norm off by {norm_rel} (relative)"

    stats = clip_statistics(case, passes)
    for k, (clipped, margin) in enumerate(stats):
        assert clipped >= 2, f"pass {k}: only {clipped} tokens clipped"
        assert margin > CLIP_MARGIN, f"pass {k}: a ratio is {margin} from a clip boundary"
    moved = max_param_diff(expected, {n: w.double() for n, w in w64.items()})

    mistakes = {}
    for mistake in MISTAKES:
        wrong, _ = run_update(cfg, w64, case, torch.float64, mistake)
        mistakes[mistake] = max_param_diff(wrong, expected)
        assert mistakes[mistake] > SENSITIVITY_FLOOR, f"mistake {mistake} moves parameters by only {mistakes[mistake]}"

    checks = {
        "adamw_vs_torch_optim_max_abs_diff": fixtures.sig(adam_diff, 3),
        "max_abs_param_diff_fp32_vs_fp64": fixtures.sig(fp32_diff, 3),
        "max_rel_grad_norm_diff_fp32_vs_fp64": fixtures.sig(norm_rel, 3),
        "max_abs_param_change_by_the_update": fixtures.sig(moved, 4),
        "clipped_tokens_per_pass": [c for c, _ in stats],
        "min_ratio_distance_to_clip_boundary_per_pass": [fixtures.sig(m, 4) for _, m in stats],
        "max_abs_param_change_for_simulated_mistakes": {k: fixtures.sig(v, 4) for k, v in mistakes.items()},
    }
    with open(os.path.join(OUT, "case.json"), "w", encoding="utf-8") as handle:
        handle.write(fixtures.compact_json(fixture_json(case, expected, passes, checks)) + "\n")

    print(f"torch {torch.__version__}; AdamW vs torch.optim.AdamW {adam_diff:.1e}")
    print(f"advantages {[round(a, 6) for a in case['advantages']]}")
    for k, p in enumerate(passes):
        print(f"pass {k}: lr {p['lr']:.6g}, grad norm {p['grad_norm']:.6g} (clip {OPTIONS['max_grad_norm']}), "
              f"{stats[k][0]} tokens clipped, closest ratio {stats[k][1]:.3g} from a boundary, "
              f"scales {[round(s, 6) for s in case['scales'][k]]}")
    print(f"largest parameter change {moved:.4g}; fp32 vs fp64 {fp32_diff:.2e} (tolerance {TOLERANCE})")
    for mistake, diff in mistakes.items():
        print(f"  mistake {mistake:28s} moves a parameter by up to {diff:.3g}")
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f"fixture {OUT}: {total / 1024:.1f} KiB")


if __name__ == "__main__":
    main()
