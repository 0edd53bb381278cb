#!/usr/bin/env bash
# Issue 22 measurement (multi-turn rollouts with tools), through the project's own commands, on the tools quickstart
# (configs/tools.quickstart.json: data/models/tiny-math-tools, data/arith-tools, the built-in calculator):
#   1. RL with tools: `train --config configs/tools.quickstart.json`, pinned to core 0;
#   2. the control, side by side on core 1: the same run with --Tools:Enabled=false (same model, data, reward mix and
#      wall budget; a call gets no response, so it earns no answer).
# Both for MINUTES of wall time (the quickstart's 8 by default). Then the base model and the last checkpoint of each
# run are evaluated on data/arith-tools/test.parquet (500 problems: 250 arith_big, whose operands are too large for
# the model's head, and 250 arith), greedy, with the calculator runtime and without it. The table
# ($OUT/seed-S/tools.tsv, one row per model x runtime) has accuracy overall and per source, the share of greedy
# completions that call the tool and the calls per completion; the runs' own metrics.jsonl keep the evaluations
# during training (eval/arith_big/accuracy, eval/arith_big/tools/...).
#
#   bash tools/measure/tools.sh                     # 8 minutes each, seed 0
#   MINUTES=1 bash tools/measure/tools.sh           # a short check
# Env: OUT (default runs/tools-measure), MINUTES (8), SEEDS ("0"), EXTRA (more train options for both runs).
# The figures in docs/measurements.md were taken with `nice -n -10` (root) so that other work on the machine yields.
# Needs a Release build (done here), taskset and jq.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-runs/tools-measure}
mkdir -p "$out"
dotnet build -c Release src/Trainer -v q -nologo >/dev/null
DLL=src/Trainer/bin/Release/net10.0/rltrainer.dll
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1   # one pinned core each
test=data/arith-tools/test.parquet
base=data/models/tiny-math-tools

# $1 = eval --out JSON, $2 = runtime label: one row per model.
rows() {
  jq -r --arg runtime "$2" '.[] | [(.model | sub(".*/runs?/"; "") ), $runtime,
      (.overall.greedy_pass1 * 1000 | round / 10), (.by_source.arith_big.greedy_pass1 * 1000 | round / 10),
      (.by_source.arith.greedy_pass1 * 1000 | round / 10),
      (if .overall.completions_with_calls == null then "-" else (.by_source.arith_big.completions_with_calls * 1000 | round / 10) end),
      (if .overall.tool_calls_per_completion == null then "-" else (.by_source.arith_big.tool_calls_per_completion * 100 | round / 100) end),
      (if .overall.completions_with_calls == null then "-" else (.by_source.arith.completions_with_calls * 1000 | round / 10) end)]
    | @tsv' "$1"
}

for seed in ${SEEDS:-0}; do
  dir="$out/seed-$seed"
  mkdir -p "$dir"
  common=(--config configs/tools.quickstart.json --Training:Overwrite=true --Training:MaxMinutes="${MINUTES:-8}"
          --Training:Seed="$seed" --Data:Seed="$seed" ${EXTRA:-})
  taskset -c 0 dotnet "$DLL" train "${common[@]}" --Training:OutputDir="$dir/with-tools" \
    --Pruning:LogFile="$dir/with-tools/rollouts.jsonl" > "$dir/with-tools.log" 2>&1 & a=$!
  taskset -c 1 dotnet "$DLL" train "${common[@]}" --Training:OutputDir="$dir/without-tools" --Tools:Enabled=false \
    --Pruning:LogFile="$dir/without-tools/rollouts.jsonl" > "$dir/without-tools.log" 2>&1 & b=$!
  wait $a; wait $b
  models=("$base")
  for run in with-tools without-tools; do models+=("$(ls -d "$dir/$run"/checkpoints/step-* | tail -1)"); done
  taskset -c 0 dotnet "$DLL" eval --model "${models[@]}" --data "$test" --max-new-tokens 192 --batch-size 250 \
    --tools configs/tools.quickstart.json --out "$dir/eval-with-tools.json" > "$dir/eval-with-tools.log" 2>&1 & a=$!
  taskset -c 1 dotnet "$DLL" eval --model "${models[@]}" --data "$test" --max-new-tokens 192 --batch-size 250 \
    --out "$dir/eval-without-tools.json" > "$dir/eval-without-tools.log" 2>&1 & b=$!
  wait $a; wait $b
  {
    printf 'model\truntime\taccuracy\tarith_big_accuracy\tarith_accuracy\tarith_big_calling_pct\tarith_big_calls_per_completion\tarith_calling_pct\n'
    rows "$dir/eval-with-tools.json" calculator
    rows "$dir/eval-without-tools.json" none
  } > "$dir/tools.tsv"
  for run in with-tools without-tools; do
    jq -s -r --arg run "$run" '[.[] | select(.type == "train")] as $s | [.[] | select(.type == "eval")] as $e
      | "\($run): \($s | length) steps, \($s[-1].time_s / 60 * 10 | round / 10) min, held-out \($e[0]["eval/accuracy"]) -> \($e[-1]["eval/accuracy"]), arith_big \($e[0]["eval/arith_big/accuracy"]) -> \($e[-1]["eval/arith_big/accuracy"])"' \
      "$dir/$run/metrics.jsonl"
  done | tee "$dir/runs.txt"
  column -t -s $'\t' "$dir/tools.tsv"
done
