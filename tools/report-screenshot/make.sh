#!/usr/bin/env bash
# Remakes docs/report-quickstart.png: the quickstart run (evals every 40 steps), its report, and a screenshot taken by
# headless Chromium (Debian: apt-get install -y chromium). About 10 minutes on 2 cores.
# Usage: bash tools/report-screenshot/make.sh [RUN_DIR]   (default /tmp/qs-report; it is replaced)
set -euo pipefail
cd "$(dirname "$0")/../.."
run=${1:-/tmp/qs-report}
rm -rf "$run"
dotnet build -c Release src/Trainer >/dev/null
rl() { dotnet src/Trainer/bin/Release/net10.0/rltrainer.dll "$@"; }
rl train --config configs/quickstart.json --Training:OutputDir="$run"
rl report --run "$run"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,2400 \
  --screenshot="$PWD/docs/report-quickstart.png" "file://$run/report.html"
