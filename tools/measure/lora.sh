#!/usr/bin/env bash
# Issue 21 measurement, through the project's own commands:
#   1. memory: `bench memory` of one update step on a model of the Qwen2.5-0.5B shape (vocab_size 151936), full
#      fine-tuning against LoRA r = 16 on every linear projection and on the attention projections, same micro-batch
#      and checkpointing: peak RSS (VmHWM), trainable parameters, AdamW state;
#   2. learning: the quickstart task (configs/quickstart.json: tiny-math, 8 minutes) with full fine-tuning and with LoRA
#      r = 16, alpha 32, all-linear, learning rate 10x the full one (the usual LoRA rule), the two runs side by side,
#      each pinned to one core (taskset -c 0 / -c 1), so they share the wall budget and the machine alike.
# Each figure is a JSON file or a run folder in $OUT.
#
#   MODEL=runs/scale/qwen2.5-0.5b bash tools/measure/lora.sh
# Env: MODEL (a Hugging Face folder of the 0.5B shape, made by `rltrainer init-model`; needed by "memory"), OUT (default
#      runs/lora), ONLY ("memory learning"), MICRO (default 4), PROMPT (128), COMPLETION (128), MINUTES (8), LORA_LR (3e-4).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-runs/lora}
only=${ONLY:-memory learning}
mkdir -p "$out"
dotnet build -c Release src/Trainer -v q -nologo >/dev/null
rl() { dotnet src/Trainer/bin/Release/net10.0/rltrainer.dll "$@"; }

if [[ " $only " == *" memory "* ]]; then
  # full; r = 16 on every linear projection; r = 16 on the attention projections (Model:Lora's default targets)
  for variant in "full 0 all-linear" "r16-all-linear 16 all-linear" "r16-attention 16 q_proj k_proj v_proj o_proj"; do
    read -r name rank targets <<< "$variant"
    rl bench memory --model "${MODEL:?set MODEL to a 0.5B-shape model folder}" --micro-batch "${MICRO:-4}" \
      --prompt-len "${PROMPT:-128}" --completion-len "${COMPLETION:-128}" --gradient-checkpointing \
      --lora-rank "$rank" --lora-targets $targets --json > "$out/memory-$name.json"
  done
fi

if [[ " $only " == *" learning "* ]]; then
  common=(train --config configs/quickstart.json --Training:MaxMinutes="${MINUTES:-8}" --Training:Overwrite=true)
  taskset -c 0 dotnet src/Trainer/bin/Release/net10.0/rltrainer.dll "${common[@]}" --Training:OutputDir="$out/full" \
    > "$out/full.log" 2>&1 &
  taskset -c 1 dotnet src/Trainer/bin/Release/net10.0/rltrainer.dll "${common[@]}" --Training:OutputDir="$out/lora" \
    --Model:Lora:Enabled=true --Model:Lora:Rank=16 --Model:Lora:Alpha=32 --Model:Lora:TargetModules:0=all-linear \
    --Optimizer:LearningRate="${LORA_LR:-3e-4}" > "$out/lora.log" 2>&1 &
  wait
  for run in full lora; do
    python3 - "$out/$run/metrics.jsonl" "$run" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
evals = [l for l in lines if l["type"] == "eval"]
train = [l for l in lines if l["type"] == "train"]
print(json.dumps({"run": sys.argv[2], "steps": len(train),
                  "eval_accuracy_start": evals[0]["eval/accuracy"], "eval_accuracy_end": evals[-1]["eval/accuracy"],
                  "eval_accuracy_by_step": {str(e["step"]): e["eval/accuracy"] for e in evals},
                  "update_seconds_mean": sum(l["update/seconds"] for l in train) / max(1, len(train)),
                  "rss_mib_max": max(l["rss_mib"] for l in train)}))
PY
  done | tee "$out/learning.jsonl"
fi
