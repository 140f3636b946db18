#!/usr/bin/env bash
# Before/after benchmark of two checkouts in one run: each benchmark runs on BASE, then NEW,
# then BASE and NEW again, so the two BASE runs give the run-to-run noise. Raw output (the
# benchmarks' own JSON) goes to OUT/<bench>-<base|new>-<round>.json; progress to stderr.
#   bash bench/compare-trees.sh /path/to/base /path/to/new /tmp/bench-out
# Each checkout needs its node_modules. The nn bench moved from packages/learn to packages/nn
# in issue 11; the script finds it in either place. Peers (MNE, Brian2, PyTorch) are not run
# where the benchmark can skip them: the comparison is Cajal against Cajal.
set -uo pipefail
base=$1 new=$2 out=$3
mkdir -p "$out"
nnBench() { if [ -f "$1/packages/nn/bench/nn.ts" ]; then echo packages/nn/bench/nn.ts; else echo packages/learn/bench/nn.ts; fi; }
run() { # name tree label round command...
  local name=$1 tree=$2 label=$3 round=$4; shift 4
  echo "[$(date -u +%H:%M:%S)] $name $label $round" >&2
  (cd "$tree" && "$@") > "$out/$name-$label-$round.json" 2> "$out/$name-$label-$round.err"
}
for round in 1 2; do
  for side in base new; do
    tree=$base; [ "$side" = new ] && tree=$new
    run formats "$tree" "$side" "$round" npx tsx packages/formats/bench/edf-bench.ts --rounds 3 --gigabytes 0.5
    run signal "$tree" "$side" "$round" npx tsx packages/signal/bench/pipeline-bench.ts --rounds 1
    run sim-coba "$tree" "$side" "$round" npx tsx packages/sim/bench/coba.bench.ts --sizes 16000,64000 --backends wasm,js --repeats 3 --no-brian
    run sim-kernels "$tree" "$side" "$round" sh -c 'cd packages/sim && npx tsx bench/kernels.bench.ts 16000 double'
    run nn "$tree" "$side" "$round" npx tsx "$(nnBench "$tree")" --peers '' --only mlp,cnn,lstm,mlp_med,lstm_med
    run server-page "$tree" "$side" "$round" env BENCH_SECONDS=10 npx tsx apps/server/bench/signal-page.ts
  done
done
echo "[$(date -u +%H:%M:%S)] done" >&2
