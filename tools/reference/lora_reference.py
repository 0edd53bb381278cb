#!/usr/bin/python3
"""Reference numbers for LoRA adapters in PEFT's layout (issue 21, point 5).

    /usr/bin/python3 tools/reference/lora_reference.py

Needs only Debian's python3-torch and python3-numpy (no peft, no transformers). On the committed tiny-qwen2 fixture
(tests/Rollout.Tests/Fixtures/models/tiny-qwen2) it writes a random rank-2 adapter on all seven projections with a
nonzero B, in PEFT's folder layout:

    tests/Rollout.Tests/Fixtures/lora/tiny-qwen2-r2/adapter_config.json
    tests/Rollout.Tests/Fixtures/lora/tiny-qwen2-r2/adapter_model.safetensors

and, for a fixed batch of two token rows (the second left-padded), the logits and the gradient of
L = sum of log p(token t+1 | ..t) over the real tokens with respect to every lora_A and lora_B:

    tests/Rollout.Tests/Fixtures/lora/tiny-qwen2-r2.expected.safetensors

The layout follows PEFT's published rules (peft/tuners/lora/layer.py, peft/utils/save_and_load.py): lora_A is
nn.Linear(in, r, bias=False), so its weight is (r, in); lora_B is nn.Linear(r, out, bias=False), weight (out, r);
scaling = lora_alpha / r; the delta lora_B(lora_A(dropout(x))) * scaling is added to the base layer's output;
saved keys are the module path under PeftModel (base_model.model.<HF name>) + .lora_A.weight / .lora_B.weight,
the adapter name removed. The forward is model_reference.py's, with its `linear` wrapped to add the delta.

Expected values are computed in float64 (stored as F32). Every run checks itself (asserts): fp32 vs fp64 for the
logits and gradients (the C# test tolerances must be at least 5x the fp32 error), LoRA forward vs the merged
weights W + scaling * B A, autograd gradients vs the chain rule through the merged weight (dL/dA = s Bᵀ G,
dL/dB = s G Aᵀ with G = dL/dW) and vs central finite differences, PEFT's kaiming_uniform_(a=sqrt(5)) init vs
U(-1/sqrt(in), 1/sqrt(in)), and that common mistakes (scaling alpha instead of alpha/r, rsLoRA scaling, k/v
adapters swapped, layers swapped, MLP adapters dropped, adapters off) move the logits by far more than the tolerance.
The printed summary is committed as tools/reference/lora_reference_output.txt.
"""

import contextlib
import json
import math
import os
import shutil
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import model_reference as ref  # noqa: E402
import safetensors_io as stio  # noqa: E402

REPO = os.path.dirname(os.path.dirname(HERE))
BASE = os.path.join(REPO, "tests", "Rollout.Tests", "Fixtures", "models", "tiny-qwen2")
LORA_ROOT = os.path.join(REPO, "tests", "Rollout.Tests", "Fixtures", "lora")
ADAPTER = os.path.join(LORA_ROOT, "tiny-qwen2-r2")
EXPECTED = os.path.join(LORA_ROOT, "tiny-qwen2-r2.expected.safetensors")

PEFT_PREFIX = "base_model.model."
TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
# PEFT stores target_modules from a Python set: any order. The C# reader must not depend on it.
TARGETS_AS_WRITTEN = ["v_proj", "down_proj", "q_proj", "up_proj", "o_proj", "gate_proj", "k_proj"]
RANK, ALPHA, DROPOUT = 2, 6.0, 0.05      # scaling 3: distinct from alpha (6) and rsLoRA's alpha/sqrt(r) (4.24)
ADAPTER_SEED, INPUT_SEED, INIT_SEED = 4242, 99, 1234
B_STD = 0.1                               # a trained-looking adapter: it moves the logits by several units
BATCH, LENGTH, LEFT_PAD = 2, 10, 3

LOGIT_TOLERANCE = 1e-4                    # what the C# test asserts (absolute, fp32 logits of std ~2)
GRAD_TOLERANCE = 1e-4                     # what the C# test asserts, relative to max(1, max |grad| of the tensor)
SENSITIVITY_FLOOR = 1e-2                  # each simulated mistake must move some logit by at least this much


def projections(cfg):
    """(HF module name, in_features, out_features) for every targetable projection, layer by layer."""
    hid, inter = cfg.hidden_size, cfg.intermediate_size
    q_out, kv_out = cfg.num_heads * cfg.head_dim, cfg.num_kv_heads * cfg.head_dim
    dims = {"q_proj": (hid, q_out), "k_proj": (hid, kv_out), "v_proj": (hid, kv_out), "o_proj": (q_out, hid),
            "gate_proj": (hid, inter), "up_proj": (hid, inter), "down_proj": (inter, hid)}
    result = []
    for layer in range(cfg.num_layers):
        for name in TARGETS:
            block = "self_attn" if name in ("q_proj", "k_proj", "v_proj", "o_proj") else "mlp"
            result.append((f"model.layers.{layer}.{block}.{name}",) + dims[name])
    return result


def peft_keys(module):
    return f"{PEFT_PREFIX}{module}.lora_A.weight", f"{PEFT_PREFIX}{module}.lora_B.weight"


def peft_init_a(rank, in_features, generator):
    """PEFT: kaiming_uniform_(A, a=sqrt(5)) = U(-bound, bound), bound = sqrt(3) * gain / sqrt(fan_in) = 1/sqrt(in)."""
    bound = 1.0 / math.sqrt(in_features)
    return torch.empty(rank, in_features).uniform_(-bound, bound, generator=generator)


def check_init_formula():
    """torch's own kaiming_uniform_(a=sqrt(5)) draws exactly what peft_init_a draws from the same RNG state."""
    for in_features in (64, 128):
        torch.manual_seed(7)
        theirs = torch.nn.init.kaiming_uniform_(torch.empty(RANK, in_features), a=math.sqrt(5))
        torch.manual_seed(7)
        ours = peft_init_a(RANK, in_features, torch.default_generator)
        assert torch.equal(theirs, ours), f"kaiming_uniform_ bound differs for fan_in {in_features}"


def make_adapter(cfg):
    """{module: (A (r, in), B (out, r))}: A as PEFT initialises it, B random (a trained adapter)."""
    generator = torch.Generator().manual_seed(ADAPTER_SEED)
    adapters = {}
    for module, in_features, out_features in projections(cfg):
        a = peft_init_a(RANK, in_features, generator)
        b = B_STD * torch.randn(out_features, RANK, generator=generator)
        adapters[module] = (a, b)
    return adapters


def init_stream(cfg):
    """What AddLora(seed=INIT_SEED) must draw: one generator, A of every projection in order, B zero."""
    generator = torch.Generator().manual_seed(INIT_SEED)
    return {module: peft_init_a(RANK, in_features, generator) for module, in_features, _ in projections(cfg)}


@contextlib.contextmanager
def lora_forward(adapters, scaling):
    """Makes model_reference's projections add scaling * (x Aᵀ) Bᵀ (eval mode: no dropout)."""
    plain = ref.linear

    def linear(x, weights, prefix, bias):
        y = plain(x, weights, prefix, bias)
        if prefix in adapters:
            a, b = adapters[prefix]
            y = y + torch.matmul(torch.matmul(x, a.t()), b.t()) * scaling
        return y

    ref.linear = linear
    try:
        yield
    finally:
        ref.linear = plain


def make_inputs(cfg):
    generator = torch.Generator().manual_seed(INPUT_SEED)
    ids = torch.randint(3, cfg.vocab_size, (BATCH, LENGTH), generator=generator)
    mask = torch.ones(BATCH, LENGTH, dtype=torch.long)
    mask[1, :LEFT_PAD] = 0
    return ids.masked_fill(mask == 0, 0), mask


def sequence_log_prob(logits, ids, mask):
    """L = sum over t of log softmax(logits[b, t])[ids[b, t+1]] where tokens t and t+1 are both real."""
    logp = torch.log_softmax(logits, dim=-1)[:, :-1]                       # (B, T-1, V)
    picked = logp.gather(-1, ids[:, 1:, None])[..., 0]                     # (B, T-1)
    valid = (mask[:, :-1] * mask[:, 1:]).bool()
    return picked[valid].sum()


def run(cfg, weights, adapters, ids, mask, scaling=ALPHA / RANK):
    positions = ref.generation_position_ids(mask)
    with lora_forward(adapters, scaling):
        return ref.forward(cfg, weights, ids, mask, positions, weights["model.norm.weight"].dtype)


def logits_and_grads(cfg, weights, adapters, ids, mask):
    leaves = {m: (a.clone().requires_grad_(True), b.clone().requires_grad_(True)) for m, (a, b) in adapters.items()}
    logits = run(cfg, weights, leaves, ids, mask)
    loss = sequence_log_prob(logits, ids, mask)
    loss.backward()
    grads = {}
    for module, (a, b) in leaves.items():
        key_a, key_b = peft_keys(module)
        grads[key_a], grads[key_b] = a.grad, b.grad
    return logits.detach(), loss.detach(), grads


def valid_max_diff(x, y, mask):
    keep = mask.bool()[:, :, None].expand_as(x)
    return float((x.double() - y.double()).abs()[keep].max())


def relative_grad_diff(g, h):
    """max over tensors of max |g - h| / max(1, max |h|): the measure the C# test uses."""
    return max(float((g[k].double() - h[k].double()).abs().max()) / max(1.0, float(h[k].double().abs().max()))
               for k in h)


def check_merged(cfg, w64, a64, ids, mask, logits64):
    """The LoRA forward equals the plain forward on W + scaling * B A."""
    merged = dict(w64)
    for module, (a, b) in a64.items():
        merged[module + ".weight"] = w64[module + ".weight"] + (ALPHA / RANK) * b @ a
    return valid_max_diff(run(cfg, merged, {}, ids, mask), logits64, mask)


def check_chain_rule(cfg, w64, a64, ids, mask, grads64):
    """dL/dA = s Bᵀ G and dL/dB = s G Aᵀ, G = dL/dW at the merged weights: an autograd-free route to the gradients."""
    s = ALPHA / RANK
    merged = dict(w64)
    leaves = {}
    for module, (a, b) in a64.items():
        leaves[module] = (w64[module + ".weight"] + s * b @ a).requires_grad_(True)
        merged[module + ".weight"] = leaves[module]
    sequence_log_prob(run(cfg, merged, {}, ids, mask), ids, mask).backward()
    worst = 0.0
    for module, (a, b) in a64.items():
        g = leaves[module].grad
        key_a, key_b = peft_keys(module)
        worst = max(worst, float((s * b.t() @ g - grads64[key_a]).abs().max()),
                    float((s * g @ a.t() - grads64[key_b]).abs().max()))
    return worst


def check_finite_differences(cfg, w64, a64, ids, mask, grads64):
    """Central differences (eps 1e-6, float64) on a few entries of A and B in both layers."""
    eps, worst = 1e-6, 0.0
    picks = [("model.layers.0.self_attn.q_proj", 0, (1, 5)), ("model.layers.0.mlp.down_proj", 1, (7, 0)),
             ("model.layers.1.self_attn.v_proj", 1, (3, 1)), ("model.layers.1.mlp.gate_proj", 0, (0, 40))]
    for module, which, index in picks:
        def loss_at(delta):
            moved = dict(a64)
            pair = [t.clone() for t in a64[module]]
            pair[which][index] += delta
            moved[module] = tuple(pair)
            return float(sequence_log_prob(run(cfg, w64, moved, ids, mask), ids, mask))
        numeric = (loss_at(eps) - loss_at(-eps)) / (2 * eps)
        analytic = float(grads64[peft_keys(module)[which]][index])
        worst = max(worst, abs(numeric - analytic) / max(1.0, abs(analytic)))
    return worst


def sensitivity(cfg, w64, a64, ids, mask, logits64):
    def diff(adapters=a64, scaling=ALPHA / RANK):
        return valid_max_diff(run(cfg, w64, adapters, ids, mask, scaling), logits64, mask)

    def swapped(pairs):
        moved = dict(a64)
        for x, y in pairs:
            moved[x], moved[y] = a64[y], a64[x]
        return moved

    layers = [(f"model.layers.0.{m.split('.', 3)[3]}", m) for m in a64 if m.startswith("model.layers.1.")]
    return {
        "scaling_alpha_not_alpha_over_r": diff(scaling=ALPHA),
        "scaling_rslora_alpha_over_sqrt_r": diff(scaling=ALPHA / math.sqrt(RANK)),
        "adapters_off": diff(adapters={}),
        "mlp_adapters_dropped": diff(adapters={m: p for m, p in a64.items() if ".self_attn." in m}),
        "k_and_v_adapters_swapped": diff(adapters=swapped([(f"model.layers.{i}.self_attn.k_proj",
                                                             f"model.layers.{i}.self_attn.v_proj") for i in (0, 1)])),
        "layer_0_and_1_adapters_swapped": diff(adapters=swapped(layers)),
    }


def adapter_config():
    """The adapter_config.json PEFT 0.13 writes for this LoraConfig (unused options at their defaults)."""
    return {
        "alpha_pattern": {}, "auto_mapping": None, "base_model_name_or_path": "tiny-qwen2", "bias": "none",
        "fan_in_fan_out": False, "inference_mode": True, "init_lora_weights": True, "layer_replication": None,
        "layers_pattern": None, "layers_to_transform": None, "loftq_config": {}, "lora_alpha": ALPHA,
        "lora_dropout": DROPOUT, "megatron_config": None, "megatron_core": "megatron.core",
        "modules_to_save": None, "peft_type": "LORA", "r": RANK, "rank_pattern": {}, "revision": None,
        "target_modules": TARGETS_AS_WRITTEN, "task_type": "CAUSAL_LM", "use_dora": False, "use_rslora": False,
    }


def write_adapter(cfg, adapters):
    if os.path.isdir(ADAPTER):
        shutil.rmtree(ADAPTER)
    os.makedirs(ADAPTER)
    with open(os.path.join(ADAPTER, "adapter_config.json"), "w", encoding="utf-8") as handle:
        json.dump(adapter_config(), handle, indent=2, sort_keys=True)
        handle.write("\n")
    tensors = {}
    shapes = ref.expected_tensor_shapes(cfg)
    for module, (a, b) in adapters.items():
        out_features, in_features = shapes[module + ".weight"]
        assert list(a.shape) == [RANK, in_features] and list(b.shape) == [out_features, RANK], module
        key_a, key_b = peft_keys(module)
        tensors[key_a], tensors[key_b] = a, b
    stio.write_torch(os.path.join(ADAPTER, "adapter_model.safetensors"), tensors, "F32")
    read_back = stio.load_torch(os.path.join(ADAPTER, "adapter_model.safetensors"))
    assert sorted(read_back) == sorted(tensors) and all(torch.equal(read_back[k], tensors[k]) for k in tensors)
    return read_back


def main():
    torch.set_num_threads(1)
    print(f"torch {torch.__version__}; base model {os.path.relpath(BASE, REPO)}")
    check_init_formula()
    cfg, w32 = ref.load_model(BASE, torch.float32)
    _, w64 = ref.load_model(BASE, torch.float64)
    stored = write_adapter(cfg, make_adapter(cfg))
    a32 = {m: (stored[peft_keys(m)[0]], stored[peft_keys(m)[1]]) for m, _, _ in projections(cfg)}
    a64 = {m: (a.double(), b.double()) for m, (a, b) in a32.items()}
    ids, mask = make_inputs(cfg)

    logits32, loss32, grads32 = logits_and_grads(cfg, w32, a32, ids, mask)
    logits64, loss64, grads64 = logits_and_grads(cfg, w64, a64, ids, mask)
    base64 = run(cfg, w64, {}, ids, mask)
    checks = {
        "max_abs_logit_diff_fp32_vs_fp64": valid_max_diff(logits32, logits64, mask),
        "max_rel_grad_diff_fp32_vs_fp64": relative_grad_diff(grads32, grads64),
        "max_abs_logit_diff_lora_vs_merged_fp64": check_merged(cfg, w64, a64, ids, mask, logits64),
        "max_abs_grad_diff_autograd_vs_chain_rule_fp64": check_chain_rule(cfg, w64, a64, ids, mask, grads64),
        "max_rel_grad_diff_autograd_vs_finite_differences_fp64": check_finite_differences(cfg, w64, a64, ids, mask,
                                                                                           grads64),
        "max_abs_logit_change_lora_vs_base": valid_max_diff(base64, logits64, mask),
    }
    assert checks["max_abs_logit_diff_fp32_vs_fp64"] < LOGIT_TOLERANCE / 5, checks
    assert checks["max_rel_grad_diff_fp32_vs_fp64"] < GRAD_TOLERANCE / 5, checks
    assert checks["max_abs_logit_diff_lora_vs_merged_fp64"] < 1e-10, checks
    assert checks["max_abs_grad_diff_autograd_vs_chain_rule_fp64"] < 1e-10, checks
    assert checks["max_rel_grad_diff_autograd_vs_finite_differences_fp64"] < 1e-6, checks
    mistakes = sensitivity(cfg, w64, a64, ids, mask, logits64)
    for label, value in mistakes.items():
        assert value > SENSITIVITY_FLOOR, f"mistake {label} changes logits by only {value}"
    smallest_grad = min(float(g.abs().max()) for g in grads64.values())
    assert smallest_grad > 100 * GRAD_TOLERANCE, f"some adapter tensor has gradients of only {smallest_grad}"

    expected = {"input_ids": ids, "attention_mask": mask, "logits": logits64.float(),
                "loss": loss64.float().reshape(1)}
    expected.update({f"grad:{k}": g.float() for k, g in grads64.items()})
    expected.update({f"init:{peft_keys(m)[0]}": a for m, a in init_stream(cfg).items()
                     if m in ("model.layers.0.self_attn.q_proj", "model.layers.1.mlp.down_proj")})
    records = [stio.torch_to_record(name, t, "I64" if t.dtype == torch.int64 else "F32")
               for name, t in sorted(expected.items())]
    stio.write_records(EXPECTED, records, {"format": "pt", "generated_by": "tools/reference/lora_reference.py",
                                           "torch_version": torch.__version__, "adapter": "tiny-qwen2-r2",
                                           "init_seed": str(INIT_SEED)})
    stio.read_file(EXPECTED)

    print(f"adapter r={RANK} alpha={ALPHA:g} (scaling {ALPHA / RANK:g}) on {', '.join(TARGETS)}; "
          f"{len(stored)} tensors, {sum(t.numel() for t in stored.values())} parameters")
    print(f"loss (sum of {int((mask[:, :-1] * mask[:, 1:]).sum())} next-token log-probs): {float(loss64):.6f}; "
          f"max |grad| per tensor from {smallest_grad:.3g} to {max(float(g.abs().max()) for g in grads64.values()):.3g}")
    for label, value in checks.items():
        print(f"  {label:56s} {value:.2e}")
    for label, value in mistakes.items():
        print(f"  mistake {label:48s} changes logits by up to {value:.3g}")
    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(LORA_ROOT) for f in fs)
    print(f"fixture tree {os.path.relpath(LORA_ROOT, REPO)}: {total / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
