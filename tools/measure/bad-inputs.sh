#!/usr/bin/env bash
# Issue 19.1 check: feeds the CLI one bad input at a time and prints, per case, the exit code and what reached stderr.
# Every case must end in exit 2 (usage, configuration, input files) or 1 (runtime), one "error:" message, no stack
# frame. The NaN/inf and full-disk cases need a failure injected mid-run: tests/Trainer.Tests cover those.
#   bash tools/measure/bad-inputs.sh            (repository root or anywhere; builds src/Trainer first)
set -uo pipefail
cd "$(dirname "$0")/../.."
dotnet build -c Release src/Trainer -v q -nologo >/dev/null || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rl() { dotnet src/Trainer/bin/Release/net10.0/rltrainer.dll "$@"; }
fixtures=tests/Trainer.Tests/Fixtures/parquet
frames=0
case_() {
  local name=$1; shift
  local err code
  err=$(rl "$@" 2>&1 >/dev/null); code=$?
  printf '%-34s exit %s  %s\n' "$name" "$code" "$(head -c 600 <<<"$err" | tr '\n' ' ')"
  if grep -q '^   at ' <<<"$err"; then frames=$((frames + 1)); fi
}

printf '{\n  "Rollout": { "GroupSize": 4 }\n  "Data": {}\n}\n' >"$tmp/invalid.json"
echo 'just text, not Parquet' >"$tmp/notes.parquet"
mkdir -p "$tmp/no-config" "$tmp/no-weights" "$tmp/small-vocab"
cp data/models/tiny-math/{config.json,tokenizer.json,tokenizer_config.json} "$tmp/no-weights/"
cp -r data/models/tiny-math/. "$tmp/small-vocab/"
sed -i 's/"vocab_size": *[0-9]*/"vocab_size": 100/' "$tmp/small-vocab/config.json"
echo '{ "components": [ { "name": "acc", "type": "math_acuracy" } ] }' >"$tmp/rewards.json"
train=(train --config configs/quickstart.json --Training:OutputDir="$tmp/run" --Training:MaxSteps=1)

case_ "invalid JSON"                  train --config "$tmp/invalid.json"
case_ "missing config file"           train --config "$tmp/nope.json"
case_ "unknown key"                   "${train[@]}" --Rollout:Temprature=0.5
case_ "unknown section"               "${train[@]}" --Rolout:GroupSize=4
case_ "wrong type"                    "${train[@]}" --Rollout:GroupSize=four
case_ "unknown enum value"            "${train[@]}" --Algorithm:Kind=Gpro
case_ "out-of-range value"            "${train[@]}" --Rollout:GroupSize=1
case_ "unknown train option"          "${train[@]}" --resum latest
case_ "unknown eval option"           eval --modle x --data y
case_ "missing data file (train)"     "${train[@]}" --Data:Files:0="$tmp/nope.parquet"
case_ "missing data file (eval)"      eval --model data/models/tiny-math --data "$tmp/nope.parquet"
case_ "not a Parquet file"            eval --model data/models/tiny-math --data "$tmp/notes.parquet"
case_ "missing column"                data preview --data "$fixtures/gsm8k.parquet" --shape verl
case_ "empty data set"                "${train[@]}" --Data:Files:0="$fixtures/empty.parquet"
case_ "model folder without config"   "${train[@]}" --Model:Path="$tmp/no-config"
case_ "model folder without weights"  eval --model "$tmp/no-weights" --data "$fixtures/gsm8k.parquet"
case_ "tokenizer does not fit"        eval --model "$tmp/small-vocab" --data "$fixtures/gsm8k.parquet"
case_ "unknown reward type"           "${train[@]}" --Rewards:File="$tmp/rewards.json"
# A port another process holds: the run fails before its first step (exit 1), with the host's own log silenced.
python3 -m http.server 19464 --bind 127.0.0.1 >/dev/null 2>&1 & holder=$!
sleep 1
case_ "telemetry port taken"          "${train[@]}" --Telemetry:PrometheusEndpoint=19464
kill "$holder"
echo "cases with stack frames: $frames"
