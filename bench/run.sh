#!/usr/bin/env bash
# Runs every benchmark (release build) and the same models in Mesa 3, NumPy, Numba and SimPy, then prints a table of
# ratios. Needs `pip install mesa simpy numpy numba pandas`. Takes about 6 minutes on 2 cores, plus the dark forest's
# (at its file's density, 10^5 to 10^6 civilizations: about 75 s; in its fixed region: about 65 s to 4x10^5, and
# about 6 minutes more at 10^6, where the detections grow with the square of the civilizations). The Numba peer's
# statistics are checked against `agora run` first (bench/python/check_numba.py); its JIT compilation is timed apart.
#   bench/run.sh            # everything
#   QUICK=1 bench/run.sh    # smaller sizes, about a minute, plus 2.5 for the dark forest (no fixed region at 10^6)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${BENCH_OUT:-bench/results.txt}
: > "$out"
swift build -c release --product AgoraBench >/dev/null
swift build -c release --product agora >/dev/null
bench=.build/release/AgoraBench
py="python3 bench/python/peers.py"
quick=${QUICK:-0}
big=$([ "$quick" = 1 ] && echo 100000 || echo 1000000)
huge=$([ "$quick" = 1 ] && echo 1000000 || echo 10000000)
runs=$([ "$quick" = 1 ] && echo 10 || echo 100)
log() { echo "$*" | tee -a "$out"; }

echo "== machine: $(lscpu | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2}'), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB" | tee -a "$out"
log "$($bench ultimatum "$big" 50 - 1 3)"
log "$($bench ultimatum "$big" 50 - 2 3)"
log "$($bench ultimatum "$huge" 1 0 1)"
log "$($bench floor $([ "$quick" = 1 ] && echo 2000000 || echo 20000000))"
log "$($py ultimatum-mesa 10000 20)"
log "$($py ultimatum-numpy "$big" 10)"
python3 bench/python/check_numba.py --agents 100000 --rounds "$([ "$quick" = 1 ] && echo 20 || echo 50)" | tee -a "$out"
log "$($py ultimatum-numba "$big" 50 3)"
log "$($py ultimatum-numba-parallel "$big" 50 2 3)"
log "$($bench hold 100000 10000000)"
log "$($bench mm1 1000000)"
log "$($py mm1-simpy 1000000)"
log "$($bench schelling small "$runs")"
log "$($py schelling-mesa small "$runs")"
log "$($bench schelling large "$runs")"
log "$($py schelling-mesa large $([ "$quick" = 1 ] && echo 3 || echo 30))"
# The dark forest of its scenario file, one process a size (so that the peak memory is the size's): in its fixed
# region (denser as it grows: the detections, and the time, grow with the square of the civilizations), and at its
# density (the region's side grows with the square root of the civilizations, as an agent-based model is scaled:
# detections and bytes per civilization stay constant).
for n in 100000 200000 400000 $([ "$quick" = 1 ] || echo 1000000); do log "$($bench dark_forest "$n" fixed)"; done
for n in 100000 200000 400000 1000000; do log "$($bench dark_forest "$n" density)"; done
for jobs in 1 2; do
  dir=$(mktemp -d)
  start=$(date +%s.%N)
  .build/release/agora sweep Scenarios/ultimatum.yaml --grid game.stake=10,100 --seeds 1000 \
    --set population.size=100 --set game.rounds=10 --jobs "$jobs" --out "$dir" --quiet
  end=$(date +%s.%N)
  log "bench=sweep runs=2000 points=2 jobs=$jobs seconds=$(echo "$end - $start" | bc) runs_per_s=$(echo "2000 / ($end - $start)" | bc -l | cut -c1-7)"
  rm -rf "$dir"
  # 2000 design points of one run each: every run's scenario is decoded once (on the jobs' threads).
  dir=$(mktemp -d)
  start=$(date +%s.%N)
  .build/release/agora sweep Scenarios/ultimatum.yaml --range population.segments.0.decoding.temperature=0.01:1 \
    --design random --samples 2000 --set population.size=100 --set game.rounds=10 --jobs "$jobs" --out "$dir" --quiet
  end=$(date +%s.%N)
  log "bench=sweep runs=2000 points=2000 jobs=$jobs seconds=$(echo "$end - $start" | bc) runs_per_s=$(echo "2000 / ($end - $start)" | bc -l | cut -c1-7)"
  rm -rf "$dir"
done
# The CSV tools: `agora plot` of a 10^6-row series, and `agora metrics` / `analyze` of an agents-like file of
# 28 million rows (0.8 GB; 10x fewer with QUICK=1) against pandas reading and grouping the same file.
csvdir=$(mktemp -d)
seq 1 1000000 | awk 'BEGIN{print "step,value"} {printf "%d,%.6f\n", $1, sin($1/1000.0)}' > "$csvdir/series.csv"
timed() { /usr/bin/time -f "%e %M" -o "$csvdir/time" "$@" > /dev/null; read -r secs kb < "$csvdir/time"; }
timed .build/release/agora plot "$csvdir/series.csv" --x step --y value --out "$csvdir/series.svg" --no-png
log "bench=plot rows=1000000 seconds=$secs peak_kb=$kb"
rows=$([ "$quick" = 1 ] && echo 2800000 || echo 28000000)
seq 1 "$rows" | awk 'BEGIN{print "run_index,agent_id,segment,payoff,interactions"} {printf "%d,%d,s%d,%.6f,%d\n", $1%8, $1, $1%3, ($1*7919)%100000/7.0, $1%50}' > "$csvdir/agents.csv"
bytes=$(stat -c %s "$csvdir/agents.csv")
timed .build/release/agora metrics "$csvdir/agents.csv" --column payoff --by segment
log "bench=csv_metrics rows=$rows bytes=$bytes seconds=$secs peak_kb=$kb"
timed .build/release/agora analyze "$csvdir/agents.csv" --by segment --metrics payoff,interactions
log "bench=csv_analyze rows=$rows bytes=$bytes seconds=$secs peak_kb=$kb"
timed python3 -c "import pandas, sys; d = pandas.read_csv(sys.argv[1]); print(d.groupby('segment')[['payoff', 'interactions']].agg(['count', 'mean', 'std']))" "$csvdir/agents.csv"
log "bench=csv_pandas rows=$rows bytes=$bytes seconds=$secs peak_kb=$kb"
rm -rf "$csvdir"
echo
python3 bench/python/table.py "$out"
