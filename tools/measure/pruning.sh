#!/usr/bin/env bash
# Issue 9 measurement: quickstart-length RL runs with trace pruning off and on (configs/pruning-{off,on}.json, same
# seed, same wall budget), then `rltrainer prune-sim` on the baseline's logged rollouts. Prints per arm: steps, sampled
# tokens/step, slot-steps/step, rollout wall seconds/step and in total, held-out greedy accuracy before and after.
#   MINUTES=8 SEED=0 bash tools/measure/pruning.sh         full run (two trainings of MINUTES each + evals; 8 is
#                                                          the quickstart's budget, configs/quickstart.json)
#   SMOKE=1 bash tools/measure/pruning.sh                  end-to-end check: one small step per arm, 50 eval problems
# Env: MINUTES (wall budget per arm), SEED, OUT (run folder root, default runs/measure-pruning), NICE (prefix command),
#      MODEL (default data/models/tiny-math-verbose, the configs' model).
set -euo pipefail
cd "$(dirname "$0")/../.."
SEED=${SEED:-0}
OUT=${OUT:-runs/measure-pruning}
MODEL=${MODEL:-data/models/tiny-math-verbose}
extra=()
if [[ "${SMOKE:-0}" == 1 ]]; then
  # One small step per arm, whatever the machine's load: the budget clock also runs during the first evaluation.
  MINUTES=${MINUTES:-30}
  extra+=(--Eval:Limit=50 --Training:MaxSteps=1 --Rollout:PromptsPerStep=8 --Algorithm:DynamicSampling:MaxGenerationBatches=2)
else
  MINUTES=${MINUTES:-8}
fi
dotnet build -c Release src/Trainer >/dev/null
rl() { ${NICE:-} dotnet src/Trainer/bin/Release/net10.0/rltrainer.dll "$@"; }

for arm in off on; do
  dir="$OUT/$arm"
  rm -rf "$dir"; mkdir -p "$dir"
  echo "== pruning $arm: $MINUTES min, seed $SEED -> $dir" >&2
  rl train --config "configs/pruning-$arm.json" --Training:OutputDir="$dir" --Training:MaxMinutes="$MINUTES" \
    --Training:Seed="$SEED" --Data:Seed="$SEED" --Model:Path="$MODEL" --Pruning:LogFile="$dir/rollouts.jsonl" --Checkpoint:Every=0 \
    "${extra[@]}" >"$dir.log" 2>&1 || { tail -20 "$dir.log"; exit 1; }
done

echo
echo "| arm | steps | sampled tokens/step | injected/step | slot-steps/step | rollout s/step | rollout s total | aborted groups | acc before | acc after |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for arm in off on; do
  jq -rs --arg arm "$arm" '
    (map(select(.type == "train"))) as $t | (map(select(.type == "eval"))) as $e | ($t | length) as $n |
    def avg(k): if $n == 0 then 0 else ($t | map(.[k]) | add) / $n end;
    "| \($arm) | \($n) | \(avg("rollout/sampled_tokens") | floor) | \(avg("rollout/injected_tokens") * 10 | floor / 10)" +
    " | \(avg("rollout/slot_steps") | floor) | \(avg("rollout/seconds") * 100 | floor / 100)" +
    " | \(($t | map(."rollout/seconds") | add // 0) | floor) | \($t | map(."pruning/aborted_groups") | add // 0)" +
    " | \($e | first | ."eval/accuracy" * 1000 | floor / 10)% | \($e | last | ."eval/accuracy" * 1000 | floor / 10)% |"
  ' "$OUT/$arm/metrics.jsonl"
done
echo
echo "Stop reasons (whole run):"
for arm in off on; do
  jq -rs --arg arm "$arm" 'map(select(.type == "train")) | (last // {}) | to_entries
    | map(select(.key | startswith("pruning/cum_stop/")) | "\(.key | ltrimstr("pruning/cum_stop/"))=\(.value)") | "  \($arm): " + join(" ")' \
    "$OUT/$arm/metrics.jsonl"
done
echo
echo "prune-sim on the unpruned arm's rollouts, with the pruned arm's rule settings:"
rl prune-sim --rollouts "$OUT/off/rollouts.jsonl" --tokenizer "$MODEL" --config configs/pruning-on.json \
  --rewards configs/rewards.pruning-on.json
