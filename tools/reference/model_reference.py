#!/usr/bin/python3
"""Plain-PyTorch reference forward for Hugging Face qwen2 / qwen3 / llama causal LMs.

Written from the formulas in transformers' modeling_{qwen2,qwen3,llama}.py and modeling_rope_utils.py (eager
attention path), without transformers itself. It computes in a chosen float dtype (float32 reproduces what an
HF model loaded with torch_dtype=float32 produces; float64 is used to check that the fp32 numbers are not
sensitive to accumulation order). A second, deliberately naive per-token implementation in Python floats
(`naive_logits`) cross-checks the tensor implementation.
"""

import json
import math
import os

import torch

import safetensors_io

SUPPORTED_MODEL_TYPES = ("qwen2", "qwen3", "llama")


class ModelConfig:
    """The fields of an HF config.json that the forward needs, with the per-model_type defaults HF applies."""

    def __init__(self, raw, source="config.json"):
        def need(field):
            if field not in raw:
                raise ValueError(f"{source}: missing field {field}")
            return raw[field]

        self.model_type = need("model_type")
        if self.model_type not in SUPPORTED_MODEL_TYPES:
            raise ValueError(f"{source}: model_type {self.model_type!r} is not one of {SUPPORTED_MODEL_TYPES}")
        self.vocab_size = need("vocab_size")
        self.hidden_size = need("hidden_size")
        self.intermediate_size = need("intermediate_size")
        self.num_layers = need("num_hidden_layers")
        self.num_heads = need("num_attention_heads")
        self.num_kv_heads = raw.get("num_key_value_heads") or self.num_heads
        if self.num_heads % self.num_kv_heads != 0:
            raise ValueError(f"{source}: num_attention_heads {self.num_heads} is not a multiple of "
                             f"num_key_value_heads {self.num_kv_heads}")
        # HF: getattr(config, "head_dim", None) or hidden_size // num_attention_heads
        self.head_dim = raw.get("head_dim") or self.hidden_size // self.num_heads
        self.rms_norm_eps = need("rms_norm_eps")
        self.rope_theta = float(raw.get("rope_theta", 10000.0))
        self.rope_scaling = raw.get("rope_scaling")
        self.tie_word_embeddings = bool(raw.get("tie_word_embeddings", False))
        act = raw.get("hidden_act", "silu")
        if act != "silu":
            raise ValueError(f"{source}: hidden_act {act!r} is not supported (only silu)")
        if raw.get("use_sliding_window"):
            raise ValueError(f"{source}: use_sliding_window=true is not supported by this reference")

        if self.model_type == "qwen2":
            # Qwen2Attention hard-codes bias=True on q/k/v and bias=False on o_proj; no MLP bias.
            self.qkv_bias, self.o_bias, self.mlp_bias, self.qk_norm = True, False, False, False
        elif self.model_type == "qwen3":
            bias = bool(raw.get("attention_bias", False))
            self.qkv_bias, self.o_bias, self.mlp_bias, self.qk_norm = bias, bias, False, True
        else:
            bias = bool(raw.get("attention_bias", False))
            self.qkv_bias, self.o_bias = bias, bias
            self.mlp_bias = bool(raw.get("mlp_bias", False))
            self.qk_norm = False
            if raw.get("pretraining_tp", 1) != 1:
                raise ValueError(f"{source}: pretraining_tp != 1 is not supported")

    @classmethod
    def load(cls, folder):
        path = os.path.join(folder, "config.json")
        with open(path, "r", encoding="utf-8") as handle:
            return cls(json.load(handle), path)


# ----------------------------------------------------------------------------------------------------------
# RoPE
# ----------------------------------------------------------------------------------------------------------

def default_inv_freq(theta, dim, dtype=torch.float32):
    """inv_freq[i] = 1 / theta^(2i/dim), i = 0 .. dim/2-1 (HF computes the exponent in fp32)."""
    exponent = torch.arange(0, dim, 2, dtype=torch.int64).to(dtype) / dim
    return 1.0 / (theta ** exponent)


def llama3_regimes(inv_freq, scaling):
    """Per-frequency regime of llama3 scaling: 'kept' (high freq), 'scaled' (low freq) or 'smoothed' (between)."""
    old_context = scaling["original_max_position_embeddings"]
    low_wavelen = old_context / scaling["low_freq_factor"]
    high_wavelen = old_context / scaling["high_freq_factor"]
    regimes = []
    for value in inv_freq.tolist():
        wavelen = 2 * math.pi / value
        if wavelen < high_wavelen:
            regimes.append("kept")
        elif wavelen > low_wavelen:
            regimes.append("scaled")
        else:
            regimes.append("smoothed")
    return regimes


def llama3_inv_freq(theta, dim, scaling, dtype=torch.float32):
    """Llama 3.1 frequency rescaling, same arithmetic and boundaries as HF's _compute_llama3_parameters."""
    inv_freq = default_inv_freq(theta, dim, dtype)
    factor = scaling["factor"]
    low_factor = scaling["low_freq_factor"]
    high_factor = scaling["high_freq_factor"]
    old_context = scaling["original_max_position_embeddings"]
    low_wavelen = old_context / low_factor
    high_wavelen = old_context / high_factor

    wavelen = 2 * math.pi / inv_freq
    result = torch.where(wavelen > low_wavelen, inv_freq / factor, inv_freq)
    smooth = (old_context / wavelen - low_factor) / (high_factor - low_factor)
    smoothed = (1 - smooth) * result / factor + smooth * result
    # Both boundaries belong to the smoothed band: wavelen == high_wavelen or == low_wavelen is "medium".
    medium = (wavelen >= high_wavelen) & (wavelen <= low_wavelen)
    return torch.where(medium, smoothed, result)


def rope_inv_freq(cfg, dtype=torch.float32):
    scaling = cfg.rope_scaling
    rope_type = None if scaling is None else scaling.get("rope_type", scaling.get("type"))
    if rope_type in (None, "default"):
        return default_inv_freq(cfg.rope_theta, cfg.head_dim, dtype)
    if rope_type == "llama3":
        return llama3_inv_freq(cfg.rope_theta, cfg.head_dim, scaling, dtype)
    raise ValueError(f"rope_scaling.rope_type {rope_type!r} is not supported by this reference")


def rope_cos_sin(inv_freq, position_ids):
    """cos/sin of shape [B, T, head_dim]: angles = position * inv_freq, duplicated as [freqs, freqs]."""
    freqs = position_ids.to(inv_freq.dtype)[:, :, None] * inv_freq[None, None, :]
    emb = torch.cat((freqs, freqs), dim=-1)
    return emb.cos(), emb.sin()


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def apply_rope(x, cos, sin):
    """x: [B, heads, T, head_dim]; cos/sin: [B, T, head_dim]."""
    return x * cos[:, None] + rotate_half(x) * sin[:, None]


def apply_rope_interleaved(x, cos, sin):
    """GPT-J style pairs (2i, 2i+1): NOT what these models use; only for the fixture sensitivity checks."""
    half = x.shape[-1] // 2
    c, s = cos[:, None, :, :half], sin[:, None, :, :half]
    even, odd = x[..., 0::2], x[..., 1::2]
    return torch.stack((even * c - odd * s, odd * c + even * s), dim=-1).flatten(-2)


# ----------------------------------------------------------------------------------------------------------
# Forward
# ----------------------------------------------------------------------------------------------------------

def rms_norm(x, weight, eps):
    """HF RMSNorm: normalise in fp32 (or wider), then multiply by the weight."""
    work = x.to(torch.float32) if x.dtype != torch.float64 else x
    variance = work.pow(2).mean(-1, keepdim=True)
    return weight * (work * torch.rsqrt(variance + eps)).to(x.dtype)


def linear(x, weights, prefix, bias):
    y = torch.matmul(x, weights[prefix + ".weight"].t())
    if bias:
        y = y + weights[prefix + ".bias"]
    return y


def additive_mask(attention_mask, dtype):
    """[B, 1, T, T]: 0 where query t may see key s (s <= t and key not padded), dtype's lowest value elsewhere.

    This is HF's eager mask. A padded query row is fully masked, so its softmax is uniform over all keys: its
    output is meaningless but finite, and valid positions never read it.
    """
    batch, length = attention_mask.shape
    lowest = torch.finfo(dtype).min
    future = torch.triu(torch.ones(length, length, dtype=torch.bool), diagonal=1)
    blocked = future[None, :, :] | (attention_mask[:, None, :] == 0)
    mask = torch.zeros(batch, 1, length, length, dtype=dtype)
    return mask.masked_fill(blocked[:, None], lowest)


def attention(cfg, weights, layer, x, cos, sin, mask, variants=frozenset()):
    batch, length, _ = x.shape
    prefix = f"model.layers.{layer}.self_attn"
    q = linear(x, weights, prefix + ".q_proj", cfg.qkv_bias).view(batch, length, cfg.num_heads, cfg.head_dim)
    k = linear(x, weights, prefix + ".k_proj", cfg.qkv_bias).view(batch, length, cfg.num_kv_heads, cfg.head_dim)
    v = linear(x, weights, prefix + ".v_proj", cfg.qkv_bias).view(batch, length, cfg.num_kv_heads, cfg.head_dim)
    norm_q_k = cfg.qk_norm and "no_qk_norm" not in variants
    if norm_q_k and "qk_norm_after_rope" not in variants:
        # Qwen3: RMSNorm over head_dim of each head, before RoPE.
        q = rms_norm(q, weights[prefix + ".q_norm.weight"], cfg.rms_norm_eps)
        k = rms_norm(k, weights[prefix + ".k_norm.weight"], cfg.rms_norm_eps)
    q, k, v = q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)
    rope = apply_rope_interleaved if "rope_interleaved" in variants else apply_rope
    q, k = rope(q, cos, sin), rope(k, cos, sin)
    if norm_q_k and "qk_norm_after_rope" in variants:
        q = rms_norm(q, weights[prefix + ".q_norm.weight"], cfg.rms_norm_eps)
        k = rms_norm(k, weights[prefix + ".k_norm.weight"], cfg.rms_norm_eps)

    groups = cfg.num_heads // cfg.num_kv_heads
    if "gqa_tile" in variants:
        k, v = k.repeat(1, groups, 1, 1), v.repeat(1, groups, 1, 1)
    else:
        # Query head h uses kv head h // groups (repeat_kv expands each kv head `groups` times in a row).
        k = k.repeat_interleave(groups, dim=1)
        v = v.repeat_interleave(groups, dim=1)
    scores = torch.matmul(q, k.transpose(2, 3)) * (cfg.head_dim ** -0.5) + mask
    probs = torch.softmax(scores, dim=-1)
    out = torch.matmul(probs, v).transpose(1, 2).reshape(batch, length, cfg.num_heads * cfg.head_dim)
    return linear(out, weights, prefix + ".o_proj", cfg.o_bias)


def mlp(cfg, weights, layer, x):
    prefix = f"model.layers.{layer}.mlp"
    gate = linear(x, weights, prefix + ".gate_proj", cfg.mlp_bias)
    up = linear(x, weights, prefix + ".up_proj", cfg.mlp_bias)
    return linear(torch.nn.functional.silu(gate) * up, weights, prefix + ".down_proj", cfg.mlp_bias)


def forward(cfg, weights, input_ids, attention_mask, position_ids, dtype=torch.float32, return_hidden=False,
            inv_freq=None, variants=frozenset()):
    """Logits [B, T, V] in `dtype`. `weights` must already be in `dtype` (see cast_weights).

    With return_hidden, also returns [embeddings, output of layer 0, ..., output of last layer] (pre final norm).
    `inv_freq` and `variants` exist only so the fixture script can prove the fixtures detect common porting
    mistakes ("gqa_tile", "rope_interleaved", "no_qk_norm", "qk_norm_after_rope"); leave them at their defaults.
    """
    if inv_freq is None:
        inv_freq = rope_inv_freq(cfg, dtype)
    cos, sin = rope_cos_sin(inv_freq, position_ids)
    mask = additive_mask(attention_mask, dtype)
    h = weights["model.embed_tokens.weight"][input_ids]
    hidden = [h]
    for layer in range(cfg.num_layers):
        norm_prefix = f"model.layers.{layer}"
        h = h + attention(cfg, weights, layer, rms_norm(h, weights[norm_prefix + ".input_layernorm.weight"],
                                                        cfg.rms_norm_eps), cos, sin, mask, variants)
        h = h + mlp(cfg, weights, layer, rms_norm(h, weights[norm_prefix + ".post_attention_layernorm.weight"],
                                                  cfg.rms_norm_eps))
        hidden.append(h)
    h = rms_norm(h, weights["model.norm.weight"], cfg.rms_norm_eps)
    head = weights["model.embed_tokens.weight"] if cfg.tie_word_embeddings else weights["lm_head.weight"]
    logits = torch.matmul(h, head.t())
    return (logits, hidden) if return_hidden else logits


def generation_position_ids(attention_mask):
    """What HF generate() passes: cumsum(mask) - 1, with padded positions set to 1."""
    positions = attention_mask.long().cumsum(-1) - 1
    return positions.masked_fill(attention_mask == 0, 1)


# ----------------------------------------------------------------------------------------------------------
# Weights
# ----------------------------------------------------------------------------------------------------------

def expected_tensor_shapes(cfg):
    """HF tensor names and shapes ([out, in] for linear weights) that a checkpoint of this config must hold."""
    hid, inter, hd = cfg.hidden_size, cfg.intermediate_size, cfg.head_dim
    q_out, kv_out = cfg.num_heads * hd, cfg.num_kv_heads * hd
    shapes = {"model.embed_tokens.weight": [cfg.vocab_size, hid], "model.norm.weight": [hid]}
    if not cfg.tie_word_embeddings:
        shapes["lm_head.weight"] = [cfg.vocab_size, hid]
    for layer in range(cfg.num_layers):
        p = f"model.layers.{layer}"
        shapes[p + ".input_layernorm.weight"] = [hid]
        shapes[p + ".post_attention_layernorm.weight"] = [hid]
        for name, out in (("q_proj", q_out), ("k_proj", kv_out), ("v_proj", kv_out)):
            shapes[f"{p}.self_attn.{name}.weight"] = [out, hid]
            if cfg.qkv_bias:
                shapes[f"{p}.self_attn.{name}.bias"] = [out]
        shapes[p + ".self_attn.o_proj.weight"] = [hid, q_out]
        if cfg.o_bias:
            shapes[p + ".self_attn.o_proj.bias"] = [hid]
        if cfg.qk_norm:
            shapes[p + ".self_attn.q_norm.weight"] = [hd]
            shapes[p + ".self_attn.k_norm.weight"] = [hd]
        for name, shape in (("gate_proj", [inter, hid]), ("up_proj", [inter, hid]), ("down_proj", [hid, inter])):
            shapes[f"{p}.mlp.{name}.weight"] = shape
            if cfg.mlp_bias:
                shapes[f"{p}.mlp.{name}.bias"] = [shape[0]]
    return shapes


def check_weights(cfg, weights, source):
    expected = expected_tensor_shapes(cfg)
    missing = sorted(set(expected) - set(weights))
    extra = sorted(set(weights) - set(expected))
    if missing or extra:
        raise ValueError(f"{source}: missing tensors {missing}, unexpected tensors {extra}")
    for name, shape in expected.items():
        if list(weights[name].shape) != shape:
            raise ValueError(f"{source}: tensor {name} has shape {list(weights[name].shape)}, expected {shape}")


def cast_weights(weights, dtype):
    return {name: tensor.to(dtype) for name, tensor in weights.items()}


def load_model(folder, dtype=torch.float32):
    """Read config.json and the (single or sharded) safetensors through the strict reader; upcast to dtype."""
    cfg = ModelConfig.load(folder)
    stored = safetensors_io.load_torch(folder)
    check_weights(cfg, stored, folder)
    return cfg, cast_weights(stored, dtype)


# ----------------------------------------------------------------------------------------------------------
# Naive cross-check: one unpadded sequence, Python floats (double precision), explicit loops
# ----------------------------------------------------------------------------------------------------------

def naive_logits(cfg, weights, token_ids):
    """Logits (list of T lists of V floats) for one sequence at positions 0..T-1, no tensor algebra at all."""
    w = {name: tensor.double().tolist() for name, tensor in weights.items()}

    def matvec(prefix, x, bias):
        rows = w[prefix + ".weight"]
        out = [sum(a * b for a, b in zip(row, x)) for row in rows]
        return [o + b for o, b in zip(out, w[prefix + ".bias"])] if bias else out

    def norm(x, weight):
        scale = 1.0 / math.sqrt(sum(v * v for v in x) / len(x) + cfg.rms_norm_eps)
        return [v * scale * g for v, g in zip(x, weight)]

    inv = [float(v) for v in rope_inv_freq(cfg, torch.float64).tolist()]
    half = cfg.head_dim // 2

    def rope(vec, pos):
        # Pair (i, i + half) rotates by angle pos * inv[i].
        out = list(vec)
        for i in range(half):
            c, s = math.cos(pos * inv[i]), math.sin(pos * inv[i])
            out[i] = vec[i] * c - vec[i + half] * s
            out[i + half] = vec[i + half] * c + vec[i] * s
        return out

    def heads(vec, count):
        return [vec[h * cfg.head_dim:(h + 1) * cfg.head_dim] for h in range(count)]

    states = [list(w["model.embed_tokens.weight"][t]) for t in token_ids]
    groups = cfg.num_heads // cfg.num_kv_heads
    for layer in range(cfg.num_layers):
        p = f"model.layers.{layer}"
        normed = [norm(x, w[p + ".input_layernorm.weight"]) for x in states]
        qs, ks, vs = [], [], []
        for pos, x in enumerate(normed):
            q = heads(matvec(p + ".self_attn.q_proj", x, cfg.qkv_bias), cfg.num_heads)
            k = heads(matvec(p + ".self_attn.k_proj", x, cfg.qkv_bias), cfg.num_kv_heads)
            v = heads(matvec(p + ".self_attn.v_proj", x, cfg.qkv_bias), cfg.num_kv_heads)
            if cfg.qk_norm:
                q = [norm(h, w[p + ".self_attn.q_norm.weight"]) for h in q]
                k = [norm(h, w[p + ".self_attn.k_norm.weight"]) for h in k]
            qs.append([rope(h, pos) for h in q])
            ks.append([rope(h, pos) for h in k])
            vs.append(v)
        new_states = []
        for t, x in enumerate(states):
            concat = []
            for h in range(cfg.num_heads):
                kv = h // groups
                scores = [sum(a * b for a, b in zip(qs[t][h], ks[s][kv])) / math.sqrt(cfg.head_dim)
                          for s in range(t + 1)]
                top = max(scores)
                exps = [math.exp(sc - top) for sc in scores]
                total = sum(exps)
                concat.extend(sum(exps[s] / total * vs[s][kv][d] for s in range(t + 1))
                              for d in range(cfg.head_dim))
            attn = matvec(p + ".self_attn.o_proj", concat, cfg.o_bias)
            h1 = [a + b for a, b in zip(x, attn)]
            m = norm(h1, w[p + ".post_attention_layernorm.weight"])
            gate = matvec(p + ".mlp.gate_proj", m, cfg.mlp_bias)
            up = matvec(p + ".mlp.up_proj", m, cfg.mlp_bias)
            act = [g / (1.0 + math.exp(-g)) * u for g, u in zip(gate, up)]
            down = matvec(p + ".mlp.down_proj", act, cfg.mlp_bias)
            new_states.append([a + b for a, b in zip(h1, down)])
        states = new_states
    head = w["model.embed_tokens.weight"] if cfg.tie_word_embeddings else w["lm_head.weight"]
    result = []
    for x in states:
        n = norm(x, w["model.norm.weight"])
        result.append([sum(a * b for a, b in zip(row, n)) for row in head])
    return result
