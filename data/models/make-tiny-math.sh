#!/usr/bin/env bash
# Rebuilds the bundled models from the generated data with the project's own commands (seeded, CPU, ~30 min on
# 2 cores): data/models/tiny-math-stepwise (stage 1: SFT from scratch on worked solutions) and data/models/tiny-math
# (stage 2: a short SFT from stage 1 on a mix where 70% of the arithmetic targets give only the boxed answer).
# Usage: bash data/models/make-tiny-math.sh [OUT_DIR] [STEPWISE_DIR]
#        (defaults data/models/tiny-math and data/models/tiny-math-stepwise)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-data/models/tiny-math}
stepwise=${2:-data/models/tiny-math-stepwise}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build -c Release src/Trainer >/dev/null
rl() { dotnet src/Trainer/bin/Release/net10.0/rltrainer.dll "$@"; }

# 1. the data (already committed; regenerating gives byte-identical files)
rl data make-arith --out data/arith --seed 1 --train 20000 --test 500
rl data make-general --out data/general --seed 2 --train 10000 --test 300
# 2. a 512-id byte-level BPE tokenizer learned from the training prompts and targets
rl train-tokenizer --data data/arith/train.parquet data/general/train.parquet --vocab-size 512 --out "$work/tokenizer"
# 3. a random Qwen2-architecture model (configs/models/tiny-math.json: 4 layers, hidden 192, GQA 6/2, tied embeddings)
rl init-model --config configs/models/tiny-math.json --tokenizer "$work/tokenizer" --out "$work/init" --seed 0
# 4. stage 1, tiny-math-stepwise: SFT on both skills' worked solutions, loss on completion tokens only
rl sft --model "$work/init" --data data/arith/train.parquet data/general/train.parquet --out "$stepwise" \
  --steps 2000 --batch-size 32 --lr 2e-3 --warmup-steps 100 --schedule cosine --seed 0
# 5. stage 2, tiny-math: the same arithmetic prompts with 70% of the targets answer-only ("\boxed{1988}"), as most
#    answers in web text come without their working, plus the general set unchanged; a short SFT from stage 1
rl data make-arith --out "$work/arith-answer-only" --seed 1 --train 20000 --test 500 --answer-only-share 0.7
rl sft --model "$stepwise" --data "$work/arith-answer-only/train.parquet" data/general/train.parquet --out "$out" \
  --steps 300 --batch-size 32 --lr 5e-4 --warmup-steps 20 --schedule cosine --seed 0
# 6. the figures of the model cards
for model in "$stepwise" "$out"; do
  rl eval --model "$model" --data data/arith/test.parquet --k 8 --temperature 0.7 --max-new-tokens 96 --out "$work/eval-arith.json"
  rl eval --model "$model" --data data/general/test.parquet --k 8 --temperature 0.7 --max-new-tokens 96 --out "$work/eval-general.json"
done
