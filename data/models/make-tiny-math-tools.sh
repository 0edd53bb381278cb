#!/usr/bin/env bash
# Rebuilds data/models/tiny-math-tools (issue 22, point 4): tiny-math-stepwise after a short SFT on arithmetic where half
# the problems have operands too large to compute in the head and half of those targets call the calculator tool and
# read its answer back (the rest work them in the head, and are nearly always wrong), so RL with tools has a choice to
# reward. Seeded, CPU, 4 minutes of SFT on 2 cores when they are free, 15-20 under load, plus about 2 minutes of
# evaluation. `rltrainer sft` rewrites OUT_DIR: the model card (README.md) is kept aside and put back.
# Usage: bash data/models/make-tiny-math-tools.sh [OUT_DIR]   (default data/models/tiny-math-tools)
#        EVAL_DIR=DIR keeps the eval outputs of step 4 (default: a temporary folder, removed).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-data/models/tiny-math-tools}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
evals=${EVAL_DIR:-$work}
mkdir -p "$evals"
dotnet build -c Release src/Trainer >/dev/null
rl() { nice -n 15 dotnet src/Trainer/bin/Release/net10.0/rltrainer.dll "$@"; }

# 1. the held-out tool-share set (committed; regenerating gives byte-identical files): half the problems big-operand
#    (data source arith_big), targets worked in the head
rl data make-arith --out data/arith-tools --seed 3 --train 5000 --test 500 --tool-share 0.5
# 2. the SFT data: the same seed with more train rows (its test split and first 5,000 train rows are data/arith-tools'),
#    50% of the big-operand targets a calculator transcript (call, injected response with loss mask 0, continuation
#    "VALUE = A op B. \boxed{VALUE}": the value read back, then the step restated);
#    plus 3,000 rows of the general set (the first rows of data/general's train split) to keep that skill
rl data make-arith --out "$work/arith-tools-sft" --seed 3 --train 20000 --test 500 --tool-share 0.5 --tool-call-share 0.5
rl data make-general --out "$work/general" --seed 2 --train 3000 --test 300
# 3. a short SFT from tiny-math-stepwise (worked steps, no answer-only habit: the choice left to RL is tool or head)
card=$work/README.md
[[ -f "$out/README.md" ]] && cp "$out/README.md" "$card"
rl sft --model data/models/tiny-math-stepwise --data "$work/arith-tools-sft/train.parquet" "$work/general/train.parquet" --out "$out" \
  --steps 300 --batch-size 32 --lr 1e-3 --warmup-steps 10 --schedule cosine --seed 0
[[ -f "$card" ]] && cp "$card" "$out/README.md"
# 4. the figures of the model card, without tools (a completion that calls the calculator gets no response and ends
#    at its end of turn, so it has no answer): greedy and T = 0.7 samples on the tool-share set, greedy on the others
rl eval --model "$out" --data data/arith-tools/test.parquet --k 4 --temperature 0.7 --max-new-tokens 96 \
  --out "$evals/eval-arith-tools.json" --samples-out "$evals/samples-arith-tools.jsonl"
rl eval --model "$out" --data data/arith/test.parquet --max-new-tokens 96 --out "$evals/eval-arith.json" --samples-out "$evals/samples-arith.jsonl"
rl eval --model "$out" --data data/general/test.parquet --max-new-tokens 96 --out "$evals/eval-general.json"
for source in arith_big arith; do
  greedy=$(grep "\"data_source\":\"$source\"" "$evals/samples-arith-tools.jsonl" | grep -c '"greedy":"<tool_call>' || true)
  echo "arith-tools test, $source: $greedy greedy completions call the calculator"
done
echo "arith test: $(grep -c '"greedy":"<tool_call>' "$evals/samples-arith.jsonl" || true) greedy completions call the calculator"
# 5. the figures with the calculator runtime (configs/tools.quickstart.json's Tools section): the whole transcript,
#    tool turns included, within 192 new tokens
rl eval --model "$out" --data data/arith-tools/test.parquet --k 4 --temperature 0.7 --max-new-tokens 192 \
  --tools configs/tools.quickstart.json --out "$evals/eval-arith-tools-with-calculator.json"
