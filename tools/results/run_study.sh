#!/usr/bin/env bash
# Run (or continue) every experiment of the long-tailed study, one after another.
#
#   tools/results/run_study.sh [config stem ...]     # default: all, in the order below
#
# Each run resumes from part2-pytorch/runs/<config>/last.pth, so the script can be
# stopped at any time (a session ending, Ctrl-C) and started again: finished runs are
# skipped in seconds, an unfinished one continues from its last completed epoch.
# One run at a time: on a 2-core CPU two runs side by side are slower than in turn.
# last.pth is ignored by git; to carry an unfinished run to another machine or session,
# commit it explicitly: git add -f part2-pytorch/runs/<config>/last.pth
# Then `make results` rebuilds the tables and plots.
set -euo pipefail
cd "$(dirname "$0")/../../part2-pytorch"
PY=${PY:-../.venv/bin/python}
export TQDM_DISABLE=${TQDM_DISABLE:-1} PYTHONUNBUFFERED=1
runs=("$@")
if [ ${#runs[@]} -eq 0 ]; then
  runs=(config_resnet32 config_resnet32_focal
        config_resnet32_lt_ce config_resnet32_lt_cbfocal
        config_resnet32_lt_sweep_b0 config_resnet32_lt_sweep_b0.9 config_resnet32_lt_sweep_b0.99
        config_resnet32_lt_sweep_b0.999 config_resnet32_lt_sweep_b0.9999
        config_resnet32_lt_sweep_g0.5 config_resnet32_lt_sweep_g2)
fi
for name in "${runs[@]}"; do
  echo "== $name ($(date -u +%H:%M:%S))"
  "$PY" -m solver --config "configs/$name.yaml" --resume
done
echo "== study done ($(date -u +%H:%M:%S)); now: make results"
