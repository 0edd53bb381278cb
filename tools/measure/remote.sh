#!/usr/bin/env bash
# Rollout throughput through two local `rltrainer serve` engines vs the built-in sampler, and the engine-vs-trainer
# log-prob gap, on data/models/tiny-math-stepwise with configs/remote-measure.json (same prompts, same batch, same seed).
#   tools/measure/remote.sh                # STEPS=10 steps each (the full measurement)
#   SMOKE=1 tools/measure/remote.sh        # 2 steps each, to check the script end to end
# Env: STEPS, DIALECT (Vllm | Sglang, default Vllm), OUT (default runs/measure-remote), PORT1/PORT2 (18601/18602).
# Needs a Release build (dotnet build src/Trainer -c Release), curl and jq.
set -euo pipefail
cd "$(dirname "$0")/../.."
DLL=src/Trainer/bin/Release/net10.0/rltrainer.dll
STEPS=${STEPS:-10}; [ "${SMOKE:-0}" = 1 ] && STEPS=2
DIALECT=${DIALECT:-Vllm}
OUT=${OUT:-runs/measure-remote}
P1=${PORT1:-18601}; P2=${PORT2:-18602}
MODEL=data/models/tiny-math-stepwise
rm -rf "$OUT"; mkdir -p "$OUT"

dotnet "$DLL" serve --model "$MODEL" --port "$P1" > "$OUT/serve-$P1.log" 2>&1 & S1=$!
dotnet "$DLL" serve --model "$MODEL" --port "$P2" > "$OUT/serve-$P2.log" 2>&1 & S2=$!
trap 'kill $S1 $S2 2>/dev/null || true' EXIT
for p in "$P1" "$P2"; do
  for _ in $(seq 1 900); do curl -sf "http://127.0.0.1:$p/health" > /dev/null && break; sleep 0.2; done
  curl -sf "http://127.0.0.1:$p/health" > /dev/null || { echo "serve on port $p did not come up" >&2; exit 1; }
done

dotnet "$DLL" train --config configs/remote-measure.json --Training:OutputDir="$OUT/local" --Training:MaxSteps="$STEPS"
dotnet "$DLL" train --config configs/remote-measure.json --Training:OutputDir="$OUT/remote" --Training:MaxSteps="$STEPS" \
  --RolloutEngine:Kind=Remote --RolloutEngine:Dialect="$DIALECT" \
  --RolloutEngine:Urls:0="http://127.0.0.1:$P1" --RolloutEngine:Urls:1="http://127.0.0.1:$P2"

summary() { # $1 = metrics.jsonl: sampled tokens / rollout seconds over all steps, plus the remote/ keys when present
  jq -s -r --arg name "$2" '[.[] | select(.type == "train")] as $s
    | ($s | map(.["rollout/tokens"]) | add) as $tok | ($s | map(.["rollout/seconds"]) | add) as $sec
    | [$name, ($s | length), $tok, ($sec * 100 | round / 100), ($tok / $sec * 10 | round / 10),
       (if $s[0]["remote/logprob_gap_mean"] == null then "-" else ($s | map(.["remote/logprob_gap_mean"]) | add / length) end),
       (if $s[0]["remote/logprob_gap_max"] == null then "-" else ($s | map(.["remote/logprob_gap_max"]) | max) end),
       (if $s[0]["remote/sync_seconds"] == null then "-" else (($s | map(.["remote/sync_seconds"]) | add / length) * 1000 | round / 1000) end),
       (if $s[0]["remote/stale_rollouts"] == null then "-" else ($s | map(.["remote/stale_rollouts"]) | add) end)]
    | @tsv' "$1"
}
{
  printf 'rollouts\tsteps\ttokens\trollout_s\ttokens_per_s\tgap_mean\tgap_max\tsync_s_per_step\tstale\n'
  summary "$OUT/local/metrics.jsonl" "local (built-in sampler)"
  summary "$OUT/remote/metrics.jsonl" "remote ($DIALECT, 2x serve)"
} | column -t -s $'\t'
