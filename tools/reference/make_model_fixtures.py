#!/usr/bin/python3
"""Regenerate the tiny model fixtures under tests/Rollout.Tests/Fixtures/models/.

    /usr/bin/python3 tools/reference/make_model_fixtures.py

Needs only Debian's python3-torch and python3-numpy (no transformers, no safetensors package). Seeded and
deterministic: it writes three random tiny checkpoints (qwen2 F32, qwen3 F16 with tied embeddings, llama BF16
sharded with llama3 RoPE scaling), reads each back through the strict safetensors reader, runs the reference
forward (model_reference.py) on the ROUNDED stored weights upcast to fp32, and writes expected.json. Every run
also checks itself (asserts): writer/reader roundtrip, F16/BF16 rounding, index coverage, fp32 vs fp64 and vs a
naive loop implementation, softmax normalisation, greedy margins, and that common porting mistakes change the
logits by far more than the 1e-4 test tolerance.
"""

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
OUT_ROOT = os.path.join(REPO, "tests", "Rollout.Tests", "Fixtures", "models")

TOLERANCE = 1e-4          # what the C# test asserts on fp32 logits
SENSITIVITY_FLOOR = 1e-2  # each simulated porting mistake must move some logit by at least this much (100x)
BATCH, LENGTH = 3, 10
LEFT_PAD, RIGHT_PAD = 3, 2
PAD_TOKEN_ID = 0
GREEDY_STEPS = 8
TEMPERATURE = 0.7

MODELS = [
    {
        "name": "tiny-qwen2", "seed": 1001, "stored_dtype": "F32", "torch_dtype": "float32", "shards": None,
        "config": {
            "architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2",
            "vocab_size": 128, "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2,
            "num_attention_heads": 4, "num_key_value_heads": 2, "max_position_embeddings": 4096,
            "rms_norm_eps": 1e-6, "rope_theta": 1000000.0, "rope_scaling": None, "tie_word_embeddings": False,
            "hidden_act": "silu", "bos_token_id": 1, "eos_token_id": 2, "attention_dropout": 0.0,
            "initializer_range": 0.02, "use_cache": True, "use_sliding_window": False, "sliding_window": 4096,
            "max_window_layers": 2,
        },
    },
    {
        "name": "tiny-qwen3", "seed": 2002, "stored_dtype": "F16", "torch_dtype": "float16", "shards": None,
        "config": {
            "architectures": ["Qwen3ForCausalLM"], "model_type": "qwen3",
            "vocab_size": 96, "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2,
            "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 32, "max_position_embeddings": 4096,
            "rms_norm_eps": 1e-6, "rope_theta": 10000.0, "rope_scaling": None, "tie_word_embeddings": True,
            "attention_bias": False, "hidden_act": "silu", "bos_token_id": 1, "eos_token_id": 2,
            "attention_dropout": 0.0, "initializer_range": 0.02, "use_cache": True, "use_sliding_window": False,
            "sliding_window": None, "max_window_layers": 2,
        },
    },
    {
        "name": "tiny-llama", "seed": 3003, "stored_dtype": "BF16", "torch_dtype": "bfloat16", "shards": 2,
        "config": {
            "architectures": ["LlamaForCausalLM"], "model_type": "llama",
            "vocab_size": 112, "hidden_size": 64, "intermediate_size": 160, "num_hidden_layers": 2,
            "num_attention_heads": 4, "num_key_value_heads": 1, "head_dim": 16, "max_position_embeddings": 16384,
            "rms_norm_eps": 1e-5, "rope_theta": 500000.0,
            # head_dim 16 gives 8 frequencies; with original context 2048 the wavelengths 6.3, 32.5, 168.6 stay
            # below 2048/4 (kept), 873 falls in [512, 2048] (smoothed) and 4.5e3 .. 6.3e5 exceed 2048 (scaled).
            "rope_scaling": {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                             "original_max_position_embeddings": 2048},
            "tie_word_embeddings": False, "attention_bias": False, "mlp_bias": False, "hidden_act": "silu",
            # Llama 3.x instruct configs list several EOS ids; keep that shape so loaders handle it.
            "bos_token_id": 1, "eos_token_id": [2, 3], "attention_dropout": 0.0, "initializer_range": 0.02,
            "pretraining_tp": 1, "use_cache": True,
        },
    },
]

# HF's own snapshot for llama3 scaling (tests/utils/test_modeling_rope_utils.py, test_llama3_rope_numerically):
# theta 10000, dim 128, factor 10, original context 2048, low/high freq factors 1/4; printed to 5 digits.
HF_LLAMA3_SNAPSHOT = [
    1.0000e+00, 8.6596e-01, 7.4989e-01, 6.4938e-01, 5.6234e-01, 4.8697e-01, 4.2170e-01, 3.6517e-01,
    3.1623e-01, 2.7384e-01, 2.3714e-01, 2.0535e-01, 1.7783e-01, 1.5399e-01, 1.3335e-01, 1.1548e-01,
    1.0000e-01, 8.6596e-02, 7.4989e-02, 6.4938e-02, 5.6234e-02, 4.8697e-02, 4.2170e-02, 3.6517e-02,
    3.1623e-02, 2.7384e-02, 2.3714e-02, 2.0535e-02, 1.7783e-02, 1.5399e-02, 1.3335e-02, 1.0730e-02,
    7.7785e-03, 5.6009e-03, 3.9991e-03, 2.8248e-03, 1.9675e-03, 1.3449e-03, 8.9549e-04, 5.7363e-04,
    3.4539e-04, 2.7384e-04, 2.3714e-04, 2.0535e-04, 1.7783e-04, 1.5399e-04, 1.3335e-04, 1.1548e-04,
    1.0000e-04, 8.6596e-05, 7.4989e-05, 6.4938e-05, 5.6234e-05, 4.8697e-05, 4.2170e-05, 3.6517e-05,
    3.1623e-05, 2.7384e-05, 2.3714e-05, 2.0535e-05, 1.7783e-05, 1.5399e-05, 1.3335e-05, 1.1548e-05,
]


# ----------------------------------------------------------------------------------------------------------
# Weights and inputs
# ----------------------------------------------------------------------------------------------------------

def init_std(name):
    """Scales chosen so logits are O(1), attention is far from uniform and every bias/norm weight matters."""
    if name.endswith("norm.weight"):
        return None                      # 1 + 0.1 * randn
    if name.endswith(".bias"):
        return 0.1
    if name in ("model.embed_tokens.weight", "lm_head.weight"):
        return 0.25
    if ".q_proj." in name or ".k_proj." in name:
        return 0.2
    return 0.15


def make_weights(cfg, seed):
    generator = torch.Generator().manual_seed(seed)
    weights = {}
    for name, shape in sorted(ref.expected_tensor_shapes(cfg).items()):
        noise = torch.randn(shape, generator=generator, dtype=torch.float32)
        std = init_std(name)
        weights[name] = 1.0 + 0.1 * noise if std is None else std * noise
    return weights


def make_inputs(cfg, seed):
    generator = torch.Generator().manual_seed(seed + 7)
    ids = torch.randint(3, cfg.vocab_size, (BATCH, LENGTH), generator=generator)
    mask = torch.ones(BATCH, LENGTH, dtype=torch.long)
    mask[1, :LEFT_PAD] = 0
    mask[2, LENGTH - RIGHT_PAD:] = 0
    ids = ids.masked_fill(mask == 0, PAD_TOKEN_ID)
    return ids, mask


# ----------------------------------------------------------------------------------------------------------
# Writing the checkpoint, and checking what was written
# ----------------------------------------------------------------------------------------------------------

def shard_plan(names):
    """Two shards that split layer 1 down the middle (attention in shard 1, the rest in shard 2)."""
    first = [n for n in names if n == "model.embed_tokens.weight" or n.startswith("model.layers.0.")
             or n.startswith("model.layers.1.self_attn.")]
    second = [n for n in names if n not in first]
    return [first, second]


def write_checkpoint(spec, cfg_dict, weights, folder):
    if os.path.isdir(folder):
        shutil.rmtree(folder)
    os.makedirs(folder)
    config = dict(cfg_dict, torch_dtype=spec["torch_dtype"])
    with open(os.path.join(folder, "config.json"), "w", encoding="utf-8") as handle:
        json.dump(config, handle, indent=2, sort_keys=True)
        handle.write("\n")

    written = {}
    if spec["shards"] is None:
        for rec in stio.write_torch(os.path.join(folder, "model.safetensors"), weights, spec["stored_dtype"]):
            written[rec.name] = rec
        return written

    plan = shard_plan(sorted(weights))
    assert len(plan) == spec["shards"]
    weight_map = {}
    for number, names in enumerate(plan, start=1):
        file_name = f"model-{number:05d}-of-{len(plan):05d}.safetensors"
        records = stio.write_torch(os.path.join(folder, file_name), {n: weights[n] for n in names},
                                   spec["stored_dtype"])
        for rec in records:
            written[rec.name] = rec
            weight_map[rec.name] = file_name
    index = {"metadata": {"total_size": sum(len(rec.data) for rec in written.values())},
             "weight_map": dict(sorted(weight_map.items()))}
    with open(os.path.join(folder, "model.safetensors.index.json"), "w", encoding="utf-8") as handle:
        json.dump(index, handle, indent=2)
        handle.write("\n")
    return written


def check_roundtrip(spec, folder, weights, written):
    """The strict reader must return exactly the written bytes, and they must be the rounded originals."""
    read_back = stio.read_checkpoint(folder)
    assert sorted(read_back) == sorted(weights), "reader returned a different tensor set"
    assert not stio.compare_records(read_back, written, "read", "written")
    stored = stio.load_torch(folder)
    target = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}[spec["stored_dtype"]]
    # Rounding bound: half an ulp, relative 2^-11 for F16 (10 mantissa bits) and 2^-8 for BF16 (7 bits), plus
    # half the subnormal spacing (F16: 2^-25) for values below the smallest normal number.
    bound = {"F32": 0.0, "F16": 2.0 ** -11, "BF16": 2.0 ** -8}[spec["stored_dtype"]]
    floor = {"F32": 0.0, "F16": 2.0 ** -25, "BF16": 2.0 ** -134}[spec["stored_dtype"]]
    worst = 0.0
    for name, original in weights.items():
        loaded = stored[name]
        assert loaded.dtype == target, f"{name}: loaded as {loaded.dtype}"
        assert torch.equal(loaded.float(), original.to(target).float()), f"{name}: not round-to-nearest-even"
        err = (loaded.double() - original.double()).abs()
        assert bool((err <= bound * original.double().abs() + floor).all()), f"{name}: rounding error too big"
        worst = max(worst, float((err / original.double().abs().clamp_min(1e-30)).max()))
    if spec["shards"]:
        with open(os.path.join(folder, "model.safetensors.index.json"), encoding="utf-8") as handle:
            index = json.load(handle)
        listed = list(index["weight_map"])
        assert sorted(listed) == sorted(weights) and len(listed) == len(set(listed)), "index must cover once"
        shard_names = []
        for shard in sorted(set(index["weight_map"].values())):
            shard_names += list(stio.read_file(os.path.join(folder, shard))[1])
        assert sorted(shard_names) == sorted(weights), "every tensor must sit in exactly one shard"
        assert index["metadata"]["total_size"] == sum(len(r.data) for r in written.values())
    return worst


# ----------------------------------------------------------------------------------------------------------
# Expected values
# ----------------------------------------------------------------------------------------------------------

def sig(value, digits=9):
    """float32 -> shortest decimal with `digits` significant digits (9 round-trips any float32 exactly)."""
    return float(f"{float(value):.{digits}g}")


def next_token_logprobs(logits, ids, mask, temperature=1.0):
    """[B][T-1]: log p(ids[t+1] | ..t) where both t and t+1 are real tokens, else None (fp64 on fp32 logits)."""
    logp = torch.log_softmax(logits.double() / temperature, dim=-1)
    rows = []
    for b in range(ids.shape[0]):
        row = []
        for t in range(ids.shape[1] - 1):
            if mask[b, t] and mask[b, t + 1]:
                row.append(sig(logp[b, t, ids[b, t + 1]]))
            else:
                row.append(None)
        rows.append(row)
    return rows


def greedy(cfg, weights, prompt, dtype):
    """Argmax continuation with a full recompute per step; also the smallest top-1/top-2 logit gap seen."""
    ids = list(prompt)
    margin = math.inf
    for _ in range(GREEDY_STEPS):
        tokens = torch.tensor([ids])
        mask = torch.ones_like(tokens)
        logits = ref.forward(cfg, weights, tokens, mask, ref.generation_position_ids(mask), dtype)[0, -1]
        top = torch.topk(logits.double(), 2).values
        margin = min(margin, float(top[0] - top[1]))
        ids.append(int(torch.argmax(logits)))
    return ids, margin


def valid_max_diff(a, b, mask):
    keep = mask.bool()[:, :, None].expand_as(a)
    return float((a.double() - b.double()).abs()[keep].max())


def sensitivity(cfg, w32, ids, mask, positions, expected):
    """Max logit change (valid positions) for simulated porting mistakes; each must exceed SENSITIVITY_FLOOR."""
    def run(c=cfg, w=w32, pos=positions, **kwargs):
        return valid_max_diff(ref.forward(c, w, ids, mask, pos, **kwargs), expected, mask)

    def with_cfg(**changes):
        clone = ref.ModelConfig.__new__(ref.ModelConfig)
        clone.__dict__.update(cfg.__dict__)
        clone.__dict__.update(changes)
        return clone

    # Not listed: positions 0..T-1 for a left-padded row instead of cumsum(mask)-1. That shifts every real token
    # by the same offset, and RoPE scores depend only on position differences, so the logits agree to rounding.
    results = {
        "rope_interleaved_pairs": run(variants={"rope_interleaved"}),
        "rope_theta_wrong": run(c=with_cfg(rope_theta=10000.0 if cfg.rope_theta != 10000.0 else 1000000.0)),
        "rms_norm_weight_ignored": run(w={n: (torch.ones_like(t) if n.endswith("layernorm.weight") else t)
                                          for n, t in w32.items()}),
    }
    if 1 < cfg.num_kv_heads < cfg.num_heads:  # with one kv head every mapping is the same
        results["gqa_kv_heads_tiled_not_repeated"] = run(variants={"gqa_tile"})
    if cfg.qkv_bias:
        results["qkv_bias_dropped"] = run(c=with_cfg(qkv_bias=False))
    if cfg.qk_norm:
        results["qk_norm_skipped"] = run(variants={"no_qk_norm"})
        results["qk_norm_after_rope"] = run(variants={"qk_norm_after_rope"})
    if not cfg.tie_word_embeddings:
        results["lm_head_tied_by_mistake"] = run(c=with_cfg(tie_word_embeddings=True))
    if cfg.rope_scaling is not None:
        base = ref.default_inv_freq(cfg.rope_theta, cfg.head_dim)
        correct = ref.rope_inv_freq(cfg)
        regimes = ref.llama3_regimes(base, cfg.rope_scaling)
        smoothed = torch.tensor([r == "smoothed" for r in regimes])
        factor = cfg.rope_scaling["factor"]
        results["llama3_scaling_ignored"] = run(inv_freq=base)
        results["llama3_smoothed_band_kept"] = run(inv_freq=torch.where(smoothed, base, correct))
        results["llama3_smoothed_band_scaled"] = run(inv_freq=torch.where(smoothed, base / factor, correct))
        results["llama3_all_scaled_by_factor"] = run(inv_freq=base / factor)
    return results


def build_expected(spec, cfg, folder):
    cfg32, w32 = ref.load_model(folder, torch.float32)
    _, w64 = ref.load_model(folder, torch.float64)
    ids, mask = make_inputs(cfg32, spec["seed"])
    positions = ref.generation_position_ids(mask)

    logits, hidden = ref.forward(cfg32, w32, ids, mask, positions, torch.float32, return_hidden=True)
    logits64 = ref.forward(cfg32, w64, ids, mask, positions, torch.float64)
    fp64_diff = valid_max_diff(logits, logits64, mask)
    assert fp64_diff < TOLERANCE / 5, f"fp32 vs fp64 differ by {fp64_diff}: fixture too ill-conditioned"

    # Naive loop implementation, fed each row's real tokens only (positions 0..n-1): padding must not matter.
    naive_diff = 0.0
    for b in range(BATCH):
        real = [int(t) for t, m in zip(ids[b], mask[b]) if m]
        naive = torch.tensor(ref.naive_logits(cfg32, w64, real), dtype=torch.float64)
        naive_diff = max(naive_diff, float((naive - logits64[b][mask[b].bool()]).abs().max()))
    assert naive_diff < 1e-9, f"naive and tensor implementations differ by {naive_diff}"

    probs = torch.softmax(logits.double(), dim=-1)
    assert float((probs.sum(-1) - 1).abs().max()) < 1e-12, "softmax rows must sum to 1"
    assert bool(torch.isfinite(logits).all()), "logits must be finite everywhere, padded rows included"

    greedy_ids, margin = greedy(cfg32, w32, ids[0].tolist(), torch.float32)
    greedy64, _ = greedy(cfg32, w64, ids[0].tolist(), torch.float64)
    assert greedy_ids == greedy64, "greedy path depends on precision"
    assert margin > 10 * TOLERANCE, f"greedy top-2 margin {margin} too small to be a stable test"
    eos = spec["config"]["eos_token_id"]
    eos = set(eos if isinstance(eos, list) else [eos])
    assert not eos & set(greedy_ids[LENGTH:]), "greedy path hits EOS: a stop-at-EOS generator would differ"

    checks = sensitivity(cfg32, w32, ids, mask, positions, logits)
    for label, diff in checks.items():
        assert diff > SENSITIVITY_FLOOR, f"{spec['name']}: mistake '{label}' changes logits by only {diff}"

    valid = mask.bool()
    logits_json = [[[sig(v) for v in logits[b, t].tolist()] if valid[b, t] else None for t in range(LENGTH)]
                   for b in range(BATCH)]
    inv_freq = ref.rope_inv_freq(cfg32)
    expected = {
        "model": spec["name"],
        "model_type": cfg32.model_type,
        "stored_dtype": spec["stored_dtype"],
        "compute_dtype": "float32",
        "generated_by": "tools/reference/make_model_fixtures.py",
        "torch_version": torch.__version__,
        "tolerance": TOLERANCE,
        "pad_token_id": PAD_TOKEN_ID,
        "input_ids": ids.tolist(),
        "attention_mask": mask.tolist(),
        "position_ids": positions.tolist(),
        "logits": logits_json,
        "next_token_logprobs": next_token_logprobs(logits, ids, mask),
        f"next_token_logprobs_temp{TEMPERATURE}": next_token_logprobs(logits, ids, mask, TEMPERATURE),
        "greedy_continuation": {
            "prompt_ids": ids[0].tolist(),
            "new_token_ids": greedy_ids[LENGTH:],
            "full_ids": greedy_ids,
            "min_top2_logit_margin": sig(margin, 6),
        },
        "hidden_states_row0": [[[sig(v) for v in h[0, t].tolist()] for t in range(LENGTH)] for h in hidden],
        "rope_inv_freq": [sig(v) for v in inv_freq.tolist()],
        "self_checks": {
            "max_abs_logit_diff_fp32_vs_fp64": sig(fp64_diff, 3),
            "max_abs_logit_diff_fp64_vs_naive_loops": sig(naive_diff, 3),
            "logit_std": sig(float(logits.double()[valid].std()), 4),
            "max_abs_logit_change_for_simulated_mistakes": {k: sig(v, 4) for k, v in checks.items()},
        },
    }
    if cfg32.rope_scaling is not None:
        expected["rope_llama3_regimes"] = ref.llama3_regimes(ref.default_inv_freq(cfg32.rope_theta, cfg32.head_dim),
                                                             cfg32.rope_scaling)
    return expected


# ----------------------------------------------------------------------------------------------------------
# Output formatting
# ----------------------------------------------------------------------------------------------------------

def compact_json(value, indent=0):
    """JSON with innermost lists of scalars on one line (small diffs, readable files)."""
    pad = " " * indent
    if isinstance(value, dict):
        items = [f'{pad}  {json.dumps(k)}: {compact_json(v, indent + 2).lstrip()}' for k, v in value.items()]
        return pad + "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list) and any(isinstance(v, (list, dict)) for v in value):
        items = [compact_json(v, indent + 2) for v in value]
        return pad + "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return pad + json.dumps(value, allow_nan=False)


def cross_check_llama3_snapshot():
    """Our llama3 formula must reproduce HF's published numbers (5 significant digits)."""
    ours = ref.llama3_inv_freq(10000.0, 128, {"factor": 10.0, "low_freq_factor": 1, "high_freq_factor": 4,
                                             "original_max_position_embeddings": 2048})
    snapshot = torch.tensor(HF_LLAMA3_SNAPSHOT)
    worst = float(((ours - snapshot).abs() / snapshot).max())
    assert worst < 1e-4, f"llama3 inv_freq disagrees with HF's snapshot (rel {worst})"
    return worst


def cross_check_rms_norm():
    """Hand-computed: x = [1, 2, 3, 4], eps = 0 -> mean square 7.5, out = x / sqrt(7.5) * weight."""
    out = ref.rms_norm(torch.tensor([1.0, 2.0, 3.0, 4.0]), torch.tensor([1.0, 0.5, 2.0, -1.0]), 0.0)
    hand = [1 / math.sqrt(7.5), 0.5 * 2 / math.sqrt(7.5), 2 * 3 / math.sqrt(7.5), -4 / math.sqrt(7.5)]
    assert max(abs(a - b) for a, b in zip(out.tolist(), hand)) < 1e-6


def main():
    torch.set_num_threads(1)  # identical summation order from run to run
    print(f"torch {torch.__version__}; safetensors validator self-test: {stio.selftest()} broken images rejected")
    print(f"llama3 inv_freq vs HF snapshot: max relative diff {cross_check_llama3_snapshot():.2e}")
    cross_check_rms_norm()
    os.makedirs(OUT_ROOT, exist_ok=True)
    for spec in MODELS:
        folder = os.path.join(OUT_ROOT, spec["name"])
        cfg = ref.ModelConfig(spec["config"], spec["name"])
        weights = make_weights(cfg, spec["seed"])
        written = write_checkpoint(spec, spec["config"], weights, folder)
        worst_rounding = check_roundtrip(spec, folder, weights, written)
        expected = build_expected(spec, cfg, folder)
        with open(os.path.join(folder, "expected.json"), "w", encoding="utf-8") as handle:
            handle.write(compact_json(expected) + "\n")

        checks = expected["self_checks"]
        print(f"\n{spec['name']}: {len(weights)} tensors stored as {spec['stored_dtype']} "
              f"(max relative rounding {worst_rounding:.2e}); logit std {checks['logit_std']}")
        print(f"  fp32 vs fp64 {checks['max_abs_logit_diff_fp32_vs_fp64']:.2e}, "
              f"fp64 vs naive loops {checks['max_abs_logit_diff_fp64_vs_naive_loops']:.2e}, "
              f"greedy {expected['greedy_continuation']['new_token_ids']} "
              f"(min top-2 margin {expected['greedy_continuation']['min_top2_logit_margin']})")
        for label, diff in checks["max_abs_logit_change_for_simulated_mistakes"].items():
            print(f"  mistake {label:40s} changes logits by up to {diff:.3g}")
        if "rope_llama3_regimes" in expected:
            base = ref.default_inv_freq(cfg.rope_theta, cfg.head_dim)
            for i, (regime, value, scaled) in enumerate(zip(expected["rope_llama3_regimes"], base.tolist(),
                                                           expected["rope_inv_freq"])):
                print(f"  rope pair {i} (dims {i} and {i + cfg.head_dim // 2}): wavelength "
                      f"{2 * math.pi / value:10.1f} -> {regime:8s} inv_freq {value:.6g} -> {scaled:.6g}")
    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(OUT_ROOT) for f in fs)
    print(f"\nfixture tree {OUT_ROOT}: {total / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
