#!/usr/bin/env bash
# Run (or continue) every experiment of the long-tailed study, one after another.
# The configs are the staff's, in part2-pytorch/experiments/configs/ (never shipped).
#
#   tools/results/run_study.sh [config stem ...]     # default: all, in the order below
#
# Each run prints the Solver's progress lines and resumes from
# part2-pytorch/runs/<config>/last.pth, so the script can be stopped at any time (a
# session ending, Ctrl-C) and started again: finished runs are skipped (their metrics.csv
# reaches the configured epochs), an unfinished one continues from its last completed epoch.
# JOBS=2 runs two queues side by side, each run on one thread (the configs alternate
# between the queues). On the 2-core machine that is a little faster in total than one
# run at a time on two threads (ResNet-32 on the long-tailed set: about 40 s per epoch
# for each of two 1-thread runs, against 21.7 s for one 2-thread run), because
# ResNet-32's thin layers keep two threads of one process only partly busy.
# Never start a run that is already running: both would write the same files.
# last.pth is ignored by git; to carry an unfinished run to another machine or session,
# commit it explicitly: git add -f part2-pytorch/runs/<config>/last.pth
# Then `make results` rebuilds the tables and plots.
set -euo pipefail
cd "${PART2_DIR:-$(dirname "$0")/../../part2-pytorch}"  # PART2_DIR: for the tests
PY=${PY:-../.venv/bin/python}
export PYTHONUNBUFFERED=1
runs=("$@")
if [ ${#runs[@]} -eq 0 ]; then
  runs=(config_resnet32_ce config_resnet32_focal
        config_resnet32_lt_ce config_resnet32_lt_cbfocal
        config_resnet32_lt_sweep_b0 config_resnet32_lt_sweep_b0.9 config_resnet32_lt_sweep_b0.99
        config_resnet32_lt_sweep_b0.999 config_resnet32_lt_sweep_b0.9999
        config_resnet32_lt_sweep_g0.5 config_resnet32_lt_sweep_g2
        config_resnet32_lt_sweep_sigmoid_b0.9999)
fi
# The last epoch in runs/<name>/metrics.csv equals the config's `epochs:`: the run is done
# (a finished run's last.pth need not be kept, so this is checked first).
finished() {
  local csv="runs/$1/metrics.csv" want
  want=$(awk '$1 == "epochs:" {print $2; exit}' "experiments/configs/$1.yaml" 2>/dev/null)
  [ -n "$want" ] && [ -f "$csv" ] && [ "$(tail -n 1 "$csv" | cut -d, -f1)" = "$want" ]
}
# A loss_type: SigmoidFocal config (the paper's sigmoid variant, staff-only) has its own runner.
module() {
  if grep -q '^ *loss_type: *SigmoidFocal' "experiments/configs/$1.yaml" 2>/dev/null; then echo experiments.sigmoid_focal
  else echo solver; fi
}
run_queue() {
  for name in "$@"; do
    if finished "$name"; then echo "== $name: finished, skipped"; continue; fi
    echo "== $name ($(date -u +%H:%M:%S))"
    "$PY" -m "$(module "$name")" --config "experiments/configs/$name.yaml" --resume || return
  done
}
if [ "${JOBS:-1}" = 2 ]; then
  export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
  even=(); odd=()
  for i in "${!runs[@]}"; do
    if (( i % 2 == 0 )); then even+=("${runs[$i]}"); else odd+=("${runs[$i]}"); fi
  done
  run_queue "${even[@]}" & first=$!
  status=0
  if [ ${#odd[@]} -gt 0 ]; then run_queue "${odd[@]}" || status=$?; fi
  wait "$first" || status=$?
  [ "$status" -eq 0 ] || exit "$status"
else
  run_queue "${runs[@]}"
fi
echo "== study done ($(date -u +%H:%M:%S)); now: make results"
