#!/usr/bin/env bash
# Issue 6 measurement: the quickstart (configs/quickstart.json) with the default objective (ESS) and with GRPO
# (--Algorithm:Kind=Grpo, TRL's defaults otherwise), same seed, same wall budget, one after the other. Prints per
# arm: steps, held-out greedy accuracy at step 0, at each evaluation and at the end, mean completion tokens of the
# greedy eval at the end, and wall seconds.
#
# Usage (repository root):   bash tools/measure/quickstart.sh
#   MINUTES=8    training wall budget per arm (the quickstart's own)
#   ARMS="ess grpo"
#   OUT=DIR      run folders (default runs/measure-quickstart)
#   SMOKE=1      a check that the pipeline works end to end: 2 steps of 4 prompts, 50 eval problems
#   NICE="nice -n 15"   prefix of every dotnet command (default: none)
#   extra arguments are passed to every `rltrainer train`
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-runs/measure-quickstart}
arms=${ARMS:-ess grpo}
nice_cmd=${NICE:-}
$nice_cmd dotnet build -c Release src/Trainer -v q -nologo >/dev/null
rl() { $nice_cmd dotnet src/Trainer/bin/Release/net10.0/rltrainer.dll "$@"; }

args=(--Training:Overwrite=true --Training:MaxMinutes="${MINUTES:-8}")
if [[ "${SMOKE:-0}" == 1 ]]; then
  args+=(--Training:MaxSteps=2 --Rollout:PromptsPerStep=4 --Algorithm:DynamicSampling:MaxGenerationBatches=2 --Eval:Limit=50)
fi
args+=("$@")

mkdir -p "$out"
for arm in $arms; do
  kind=$([[ $arm == grpo ]] && echo Grpo || echo Ess)
  start=$(date +%s.%N)
  rl train --config configs/quickstart.json --Algorithm:Kind="$kind" --Training:OutputDir="$out/$arm" "${args[@]}" \
    > "$out/$arm.log" 2>&1 || { echo "$arm failed; see $out/$arm.log" >&2; tail -20 "$out/$arm.log" >&2; exit 1; }
  echo "$(echo "$(date +%s.%N) - $start" | bc)" > "$out/$arm.wall"
done

echo "| objective | steps | greedy accuracy: start → evaluations → end | end − start | greedy tokens at end | wall s |"
echo "|---|---:|---|---:|---:|---:|"
for arm in $arms; do
  jq -rs --arg arm "$arm" --arg wall "$(cat "$out/$arm.wall")" '
    (map(select(.type == "train")) | length) as $n | map(select(.type == "eval")) as $e |
    def pct: . * 1000 | round / 10;
    "| \($arm) | \($n) | \($e | map(."eval/accuracy" | pct | tostring) | join(" → ")) | " +
    "\(($e | last | ."eval/accuracy") - ($e | first | ."eval/accuracy") | pct) | " +
    "\($e | last | ."eval/completion_tokens_mean" * 10 | round / 10) | \($wall | tonumber | round) |"
  ' "$out/$arm/metrics.jsonl"
done
