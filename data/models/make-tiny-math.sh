#!/usr/bin/env bash
# Rebuilds data/models/tiny-math from the generated data with the project's own commands (seeded, CPU, ~25 min on
# 2 cores). Usage: bash data/models/make-tiny-math.sh [OUT_DIR]   (default data/models/tiny-math)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-data/models/tiny-math}
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
# 4. SFT on both skills' worked solutions, loss on completion tokens only
rl sft --model "$work/init" --data data/arith/train.parquet data/general/train.parquet --out "$out" \
  --steps 2000 --batch-size 32 --lr 2e-3 --warmup-steps 100 --schedule cosine --seed 0
# 5. the figures of the model card
rl eval --model "$out" --data data/arith/test.parquet --k 8 --max-new-tokens 96 --out "$work/eval-arith.json"
rl eval --model "$out" --data data/general/test.parquet --k 8 --max-new-tokens 96 --out "$work/eval-general.json"
