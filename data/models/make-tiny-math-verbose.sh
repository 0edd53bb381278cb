#!/usr/bin/env bash
# Rebuilds data/models/tiny-math-verbose: tiny-math-stepwise fine-tuned on arithmetic targets with redundant re-checks, so that
# its completions contain the redundancy trace pruning acts on (issue 9, point 6). Seeded, CPU, a few minutes on 2 cores.
# Usage: bash data/models/make-tiny-math-verbose.sh [OUT_DIR]   (default data/models/tiny-math-verbose)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-data/models/tiny-math-verbose}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build -c Release src/Trainer >/dev/null
rl() { nice -n 15 dotnet src/Trainer/bin/Release/net10.0/rltrainer.dll "$@"; }

# 1. the bundled arithmetic problems (same seed, same prompts as data/arith), 80% of targets with 1-3 re-checks
rl data make-arith --out "$work/arith-verbose" --seed 1 --train 20000 --test 500 --recheck-rate 0.8
# 2. a short SFT from tiny-math-stepwise on them, with the general skill set mixed in so that skill is kept
rl sft --model data/models/tiny-math-stepwise --data "$work/arith-verbose/train.parquet" data/general/train.parquet --out "$out" \
  --steps 120 --batch-size 32 --lr 1e-3 --warmup-steps 10 --schedule cosine --seed 0
# 3. the figures of the model card
rl eval --model "$out" --data data/arith/test.parquet --max-new-tokens 160 --out "$work/eval-arith.json"
cat "$work/eval-arith.json"
