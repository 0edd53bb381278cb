#!/usr/bin/env bash
# Issue 20 measurement (asynchronous rollouts, Training:MaxStaleness k), through the project's own commands, on the
# quickstart task (configs/quickstart.json: tiny-math, data/arith):
#   1. throughput: the trainer pinned to core 0 and one `rltrainer serve` engine pinned to core 1 (they stand for a
#      training GPU and an inference GPU), k = 0, 1, 2, each for MINUTES of wall time, evaluation off; the runs are
#      interleaved over REPEATS rounds so that the machine's noise falls on every k alike. Steps and trained tokens per
#      minute, staleness, the learner's and the producer's waits, per run. Each k runs once per BEHAVIOURS entry
#      (RolloutEngine:BehaviourLogProbs: Trainer recomputes the behaviour log-probs and corrects by SequenceMask;
#      Engine takes the served ones, Correction None).
#   2. learning: ESS (no clip) against GRPO at each of EPSILONS (0.2, TRL's default, and the two candidates of a tuned
#      one, 0.1 and 0.3) at k = 0, 1, 2, 4,
#      the built-in sampler, each run pinned to one core, two runs side by side, LEARN_MINUTES of wall time each;
#      held-out greedy accuracy at the start and the end (data/arith/test.parquet, 500 problems).
# Every run is a folder in $OUT; the tables are $OUT/throughput.tsv and $OUT/learning.tsv.
#
#   bash tools/measure/async.sh                 # both parts
#   ONLY=throughput MINUTES=1 REPEATS=1 bash tools/measure/async.sh   # a short check of part 1
# Env: OUT (default runs/async), ONLY ("throughput learning"), MINUTES (3), REPEATS (2), KS ("0 1 2"), BEHAVIOURS ("Trainer"),
#      LEARN_MINUTES (5), LEARN_KS ("0 1 2 4"), EPSILONS ("0.2 0.1 0.3"), SEEDS ("0"), PORT (18611),
#      LEARN_EXTRA (more train options for every learning run, e.g. "--Optimizer:LearningRate=3e-4").
# The figures in docs/measurements.md were taken with `nice -n -10` (root) so that other work on the machine yields.
# Needs a Release build (done here), taskset and jq.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-runs/async}
only=${ONLY:-throughput learning}
mkdir -p "$out"
dotnet build -c Release src/Trainer -v q -nologo >/dev/null
DLL=src/Trainer/bin/Release/net10.0/rltrainer.dll
# One intra-op thread each: a process pinned to one core gains nothing from a second thread and loses to contention.
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1

# $1 = run folder: k, steps, minutes of training (the last train line's time), steps/min, trained tokens/min, mean
# staleness, learner and producer wait per step (s), dropped samples.
throughput_row() {
  jq -s -r --arg name "$(basename "$1")" '[.[] | select(.type == "train")] as $s
    | ($s[-1].time_s / 60) as $min
    | [$name, ($s | length), ($min * 100 | round / 100), (($s | length) / $min * 10 | round / 10),
       (($s | map(.["update/tokens"]) | add) / $min | round),
       (($s | map(.["step/seconds"]) | add / length) * 100 | round / 100),
       (($s | map(.["rollout/seconds"]) | add / length) * 100 | round / 100),
       (($s | map(.["update/seconds"]) | add / length) * 100 | round / 100),
       (if $s[0]["staleness/mean"] == null then 0 else (($s | map(.["staleness/mean"]) | add / length) * 100 | round / 100) end),
       (if $s[0]["async/learner_wait_seconds"] == null then "-" else (($s | map(.["async/learner_wait_seconds"]) | add / length) * 100 | round / 100) end),
       (if $s[0]["async/producer_wait_seconds"] == null then "-" else (($s | map(.["async/producer_wait_seconds"]) | add / length) * 100 | round / 100) end),
       (if $s[0]["staleness/dropped_samples"] == null then 0 else ($s | map(.["staleness/dropped_samples"]) | add) end)]
    | @tsv' "$1/metrics.jsonl"
}

if [[ " $only " == *" throughput "* ]]; then
  port=${PORT:-18611}
  taskset -c 1 dotnet "$DLL" serve --model data/models/tiny-math --port "$port" > "$out/serve.log" 2>&1 & serve=$!
  trap 'kill $serve 2>/dev/null || true' EXIT
  for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/health" > /dev/null && break; sleep 0.2; done
  curl -sf "http://127.0.0.1:$port/health" > /dev/null || { echo "serve on port $port did not come up" >&2; exit 1; }
  for round in $(seq 1 "${REPEATS:-2}"); do
    for behaviour in ${BEHAVIOURS:-Trainer}; do
      correction=SequenceMask; [ "$behaviour" = Engine ] && correction=None
      tag=""; [ "$behaviour" = Trainer ] || tag="-$(echo "$behaviour" | tr '[:upper:]' '[:lower:]')"
      for k in ${KS:-0 1 2}; do
        name="remote-k$k$tag-r$round"
        taskset -c 0 dotnet "$DLL" train --config configs/quickstart.json --Training:OutputDir="$out/$name" \
          --Training:Overwrite=true --Training:MaxMinutes="${MINUTES:-3}" --Training:MaxStaleness="$k" --Eval:Enabled=false \
          --Checkpoint:Every=0 --RolloutEngine:Kind=Remote --RolloutEngine:Dialect=Vllm --RolloutEngine:Urls:0="http://127.0.0.1:$port" \
          --RolloutEngine:BehaviourLogProbs="$behaviour" --RolloutEngine:Correction="$correction" > "$out/$name.log" 2>&1
      done
    done
  done
  kill $serve; trap - EXIT
  {
    printf 'run\tsteps\tminutes\tsteps_per_min\ttrained_tokens_per_min\tstep_s\trollout_s\tupdate_s\tstaleness_mean\tlearner_wait_s\tproducer_wait_s\tdropped\n'
    for d in "$out"/remote-k*-r*/; do throughput_row "${d%/}"; done
  } > "$out/throughput.tsv"
  column -t -s $'\t' "$out/throughput.tsv"
fi

# $1 = run folder: held-out greedy accuracy at step 0 and at the last evaluation, steps trained, mean staleness, and
# the objective's mean ESS (ESS) or clipped-token fraction (GRPO).
learning_row() {
  jq -s -r --arg name "$(basename "$1")" '[.[] | select(.type == "eval")] as $e | [.[] | select(.type == "train")] as $s
    | [$name, $e[0]["eval/accuracy"], $e[-1]["eval/accuracy"], ($s | length),
       (if $s[0]["staleness/mean"] == null then 0 else (($s | map(.["staleness/mean"]) | add / length) * 100 | round / 100) end),
       (if $s[0]["objective/ess"] != null then "ess " + (($s | map(.["objective/ess"]) | add / length) * 1000 | round / 1000 | tostring)
        else "clipped " + (($s | map(.["objective/clip_ratio/region_mean"]) | add / length) * 1000 | round / 1000 | tostring) end)]
    | @tsv' "$1/metrics.jsonl"
}

if [[ " $only " == *" learning "* ]]; then
  # name and the objective's options; ESS has no clip to set
  variants=("ess --Algorithm:Kind=Ess")
  for eps in ${EPSILONS:-0.2 0.1 0.3}; do variants+=("grpo-eps$eps --Algorithm:Kind=Grpo --Algorithm:Grpo:Epsilon=$eps"); done
  jobs_=()
  for seed in ${SEEDS:-0}; do
    for k in ${LEARN_KS:-0 1 2 4}; do
      for v in "${variants[@]}"; do
        read -r name args <<< "$v"
        jobs_+=("$name-k$k-s$seed --Training:MaxStaleness=$k --Training:Seed=$seed $args")
      done
    done
  done
  core=0
  for job in "${jobs_[@]}"; do
    read -r name args <<< "$job"
    # shellcheck disable=SC2086 # $args is a list of options
    taskset -c $core dotnet "$DLL" train --config configs/quickstart.json --Training:OutputDir="$out/$name" --Training:Overwrite=true \
      --Training:MaxMinutes="${LEARN_MINUTES:-5}" --Eval:Every=0 --Checkpoint:Every=0 $args ${LEARN_EXTRA:-} > "$out/$name.log" 2>&1 &
    if [ $core = 1 ]; then wait; core=0; else core=1; fi
  done
  wait
  {
    printf 'run\tacc_start\tacc_end\tsteps\tstaleness_mean\tobjective\n'
    for job in "${jobs_[@]}"; do read -r name _ <<< "$job"; learning_row "$out/$name"; done
  } > "$out/learning.tsv"
  column -t -s $'\t' "$out/learning.tsv"
fi
