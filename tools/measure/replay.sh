#!/usr/bin/env bash
# Forgetting measurement of issue 8: math RL on data/arith (configs/replay-plain.json), the same with static replay of
# data/general (replay-static.json) and with RECAP weights (replay-recap.json), at the same step budget. Prints, per
# run: general-skill accuracy before/after, math accuracy before/after (greedy, held-out test splits), the change
# against the base model, and wall time; then RECAP's general loss as a share of plain RL's, and its math cost.
#
# Usage (repository root):   bash tools/measure/replay.sh
#   OUT=DIR      run folders (default runs/measure-replay)
#   SMOKE=1      a check that the pipeline works end to end: 2 steps of 4 prompts, 20 eval problems, W = 1
#   NICE="nice -n 15"   prefix of every dotnet command (default: none)
#   extra arguments are passed to every `rltrainer train` (e.g. --Training:MaxSteps=40)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-runs/measure-replay}
nice_cmd=${NICE:-}
$nice_cmd dotnet build -c Release src/Trainer -v q -nologo >/dev/null
rl() { $nice_cmd dotnet src/Trainer/bin/Release/net10.0/rltrainer.dll "$@"; }

args=(--Training:Overwrite=true)
if [[ "${SMOKE:-0}" == 1 ]]; then
  args+=(--Training:MaxSteps=2 --Rollout:PromptsPerStep=4 --Algorithm:DynamicSampling:MaxGenerationBatches=2
         --Eval:Limit=20 --Replay:Recap:Window=1)
fi
args+=("$@")

mkdir -p "$out"
for variant in plain static recap; do
  start=$(date +%s.%N)
  rl train --config "configs/replay-$variant.json" --Training:OutputDir="$out/$variant" "${args[@]}" \
    > "$out/$variant.log" 2>&1 || { echo "replay-$variant failed; see $out/$variant.log" >&2; tail -20 "$out/$variant.log" >&2; exit 1; }
  end=$(date +%s.%N)
  echo "$variant $(echo "$end - $start" | bc)" > "$out/$variant.wall"
  echo "replay-$variant done: $(grep -c '"type":"train"' "$out/$variant/metrics.jsonl") steps" >&2
done

# One row per run from its metrics.jsonl: first and last eval lines, last train line.
row() {
  local v=$1 wall
  wall=$(cut -d' ' -f2 "$out/$v.wall")
  jq -rs --arg v "$v" --arg wall "$wall" '
    (map(select(.type == "eval"))) as $e | (map(select(.type == "train")) | last) as $t |
    [$v, ($t.step), ($e[0]["eval/general/accuracy"]), ($e[-1]["eval/general/accuracy"]),
     ($e[0]["eval/held-out/accuracy"]), ($e[-1]["eval/held-out/accuracy"]), ($t.time_s), ($wall | tonumber),
     ($t["replay/lambda/general"] // null)] | @tsv' "$out/$v/metrics.jsonl"
}
{ row plain; row static; row recap; } > "$out/table.tsv"

awk -F'\t' '
  function pct(x) { return sprintf("%.1f", 100 * x) }
  BEGIN { printf "| run | steps | general before | general after | Δ general | math before | math after | Δ math | train s | wall s | final λ_general |\n";
          printf "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n" }
  { dg[$1] = $4 - $3; dm[$1] = $6 - $5; am[$1] = $6
    printf "| %s | %d | %s | %s | %+.1f | %s | %s | %+.1f | %.0f | %.0f | %s |\n", $1, $2, pct($3), pct($4), 100 * ($4 - $3),
           pct($5), pct($6), 100 * ($6 - $5), $7, $8, ($9 == "" ? "-" : sprintf("%.4f", $9)) }
  END {
    if (dg["plain"] < 0) printf "\nRECAP keeps %.0f%% of the general accuracy plain RL loses (its loss is %.2f of plain RL'"'"'s; target <= 0.33);", 100 * (1 - dg["recap"] / dg["plain"]), dg["recap"] / dg["plain"];
    else printf "\nplain RL did not lower general accuracy here (Δ %+.1f points): lengthen the run or raise the learning rate;", 100 * dg["plain"];
    printf " math accuracy after: RECAP %s vs plain %s (%+.1f points; target >= -2).\n", pct(am["recap"]), pct(am["plain"]), 100 * (am["recap"] - am["plain"]) }
' "$out/table.tsv"
