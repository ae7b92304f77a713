"""Run (or continue) every experiment of the long-tailed study, one after another.

    python -m tools.study.run_study [config stem ...]   (from the repository root)    # or: make study [JOBS=2]; default: runs.ORDER

Each run is `python -m solver --config experiments/configs/<stem>.yaml --resume`, from
part2-pytorch/, printing the Solver's progress lines. It resumes from
part2-pytorch/runs/<stem>/last.pth, so the study can be stopped at any time (a session
ending, Ctrl-C) and started again: finished runs are skipped (their metrics.csv reaches
the config's epochs), an unfinished one continues from its last completed epoch.

JOBS=2 runs two queues side by side, each run on one thread (the runs alternate between
the queues). On the 2-core machine that is a little faster in total than one run at a
time on two threads (ResNet-32 on the long-tailed set: about 40 s per epoch for each of
two 1-thread runs, against 21.7 s for one 2-thread run), because ResNet-32's thin layers
keep two threads of one process only partly busy. A failed run stops its queue; the
script then exits with its status once the other queue is done.

Never start a run that is already running: both would write the same files. last.pth is
ignored by git; to carry an unfinished run to another machine or session, commit it
explicitly: git add -f part2-pytorch/runs/<stem>/last.pth. Then `make results` rebuilds
the tables and plots.

Environment: JOBS (queues, default 1); PY (the Python that trains, default this one);
PART2_DIR (the part2-pytorch folder, for the tests).
"""
import os
import subprocess
import sys
import threading
import time

from tools.study import runs


def last_epoch(part2, name):
    """The last epoch in runs/<name>/metrics.csv, or 0 if there is none."""
    try:
        with open(os.path.join(part2, "runs", name, "metrics.csv")) as f:
            lines = f.read().split()
    except OSError:
        return 0
    return int(lines[-1].split(",")[0]) if len(lines) > 1 else 0


def finished(part2, name):
    """The run's metrics reach its config's epochs (a finished run's last.pth need not be kept,
    so this is checked first). Raises config.SolverError for a bad config."""
    settings = runs.settings(name, part2)
    return settings is not None and last_epoch(part2, name) >= settings["epochs"]


def run_queue(names, part2, python, env, say):
    """Train `names` in turn; returns 0, or the exit status of the first run that failed."""
    for name in names:
        try:
            if finished(part2, name):
                say("== %s: finished, skipped" % name)
                continue
        except runs.config.SolverError as e:
            say("== %s: error: %s" % (name, e))
            return 1
        say("== %s (%s)" % (name, time.strftime("%H:%M:%S", time.gmtime())))
        status = subprocess.call([python, "-m", "solver", "--config", os.path.join(runs.CONFIGS, name + ".yaml"),
                                  "--resume"], cwd=part2, env=env)
        if status != 0:
            return status if status > 0 else 128 - status  # -N: stopped by signal N, as a shell says it
    return 0


def main(argv=None):
    names = list(sys.argv[1:] if argv is None else argv) or runs.ORDER
    part2 = os.environ.get("PART2_DIR") or runs.PART2
    python = os.environ.get("PY") or sys.executable
    jobs = os.environ.get("JOBS") or "1"
    if not jobs.isdigit() or int(jobs) < 1:
        sys.exit("JOBS must be a whole number >= 1 (the queues side by side), got %r" % jobs)
    jobs = int(jobs)
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    if jobs > 1:  # each run on one thread
        env.update(OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    lock = threading.Lock()

    def say(line):
        with lock:
            print(line, flush=True)

    statuses = [0] * jobs

    def queue(i):
        statuses[i] = run_queue(names[i::jobs], part2, python, env, say)

    threads = [threading.Thread(target=queue, args=(i,)) for i in range(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    failed = next((s for s in statuses if s != 0), 0)
    if failed == 0:
        say("== study done (%s); now: make results" % time.strftime("%H:%M:%S", time.gmtime()))
    return failed


if __name__ == "__main__":
    sys.exit(main())
