"""Training throughput of the Solver's loop against a plain PyTorch baseline (images/s).

    PYTHONPATH=.. python bench.py         # TwoLayerNet, VanillaCNN, ResNet-32 at batch 128
    PYTHONPATH=.. python bench.py --threads 1 --runs 5 --json ../tools/bench/part2.json
                                          # (what `make bench` runs; PYTHONPATH: tools/bench)

Both sides train the same model with SGD on real CIFAR-10, batch 128, on the CPU:

- baseline: torchvision's CIFAR10 with PIL transforms (RandomCrop(32, padding=4),
  RandomHorizontalFlip, ToTensor, Normalize), a DataLoader with 2 worker processes,
  float32, the default memory layout, a plain loop (forward, loss, backward, step);
- Solver: one iteration of Solver._train_step's loop, i.e. a batch of the in-memory
  loader (train_utils.InMemoryLoader: uint8 images augmented by tensor operations),
  Solver._compute_loss_update_params under train_utils.autocast, the batch accuracy
  and loss.item(), with the Solver options of OURS below (bfloat16 autocast and
  channels_last for the convolutional networks).

Each run times `--steps` training steps after `--warmup` untimed ones; baseline and
Solver alternate run by run (so both see the same background load), and the table gives
the median over `--runs` runs of each and the speed-up (the console line also gives the
range of the runs' own speed-ups). The machine's load is recorded around each model
(tools/bench/loadwatch.py): figures measured while other processes ran are flagged and
tools/bench/readme.py will not put them in the README.

What the comparison gives each side: with `--threads 1` both train on one thread, but
the baseline's 2 DataLoader workers decode and augment its images in other processes,
i.e. on the second core of a 2-core machine, while the Solver makes its batches on its
own thread (about 1 ms of a step; see train_utils.InMemoryLoader). So on an idle machine
the baseline gets its data for free and the speed-up is the Solver's gain on the training
step itself, not on the data. On a busy machine the workers compete with everything else
for the cores.

`--clock cpu` times the CPU time of the training thread (time.thread_time) instead of
the wall clock. It does not count the time other processes held the core, so it is
steadier on a busy machine: use it to compare changes to the Solver there. It does not
count the baseline's workers either, nor the time the baseline waits for them: where
they cannot keep up (TwoLayerNet, whose step is short), the baseline looks as fast as
its training step alone, and the speed-up near 1. The published tables use the wall
clock on an idle machine.
"""
import argparse
import contextlib
import io
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F
import torchvision.transforms as T

os.environ.setdefault("TQDM_DISABLE", "1")
HERE = os.path.dirname(os.path.abspath(__file__))
try:  # tools/bench/loadwatch.py: `make bench` puts the repository root on PYTHONPATH
    from tools.bench import loadwatch
except ImportError:
    raise SystemExit("bench.py needs the repository root on PYTHONPATH: run `make bench`, "
                     "or `PYTHONPATH=.. python bench.py` from this folder")
import train_utils  # noqa: E402
from data import CIFAR10  # noqa: E402
from checkpoint_eval import build_model  # noqa: E402  (the models, built as the Solver builds them)
from solver import Solver  # noqa: E402

BATCH = 128
# the Solver options "ours" runs with: the fast ones for the convolutional networks
OURS = {"TwoLayerNet": dict(amp=False, channels_last=False),
        "VanillaCNN": dict(amp=True, channels_last=True),
        "ResNet-32": dict(amp=True, channels_last=True)}
DEFAULT_STEPS = {"TwoLayerNet": 40, "VanillaCNN": 20, "ResNet-32": 10}
CLOCKS = {"wall": time.perf_counter, "cpu": time.thread_time}


def time_steps(step, warmup, steps, clock=time.perf_counter):
    """Run `warmup` untimed steps, then `steps` timed ones; returns images per second
    (per second of `clock`)."""
    for _ in range(warmup):
        step()
    start = clock()
    for _ in range(steps):
        step()
    return steps * BATCH / (clock() - start)


def ours_step(model_name):
    """A function that runs one iteration of the Solver's training loop."""
    with contextlib.redirect_stdout(io.StringIO()):   # the Solver prints its model
        solver = Solver(path_prefix=HERE, test_root=os.path.join(HERE, "data"), model=model_name,
                        batch_size=BATCH, learning_rate=0.01, save_best=False, **OURS[model_name])
    solver.model.train()
    batches = iter(solver.train_loader)

    def step():
        nonlocal batches
        try:
            data, target = next(batches)
        except StopIteration:
            batches = iter(solver.train_loader)
            data, target = next(batches)
        data, target = data.to(solver.device), target.to(solver.device)
        with train_utils.autocast(solver):
            out, loss = solver._compute_loss_update_params(data, target)
        solver._check_accuracy(out, target)
        loss.item()

    return step


def baseline_step(model_name):
    """A function that runs one step of the plain PIL + DataLoader loop, and a closer."""
    torch.manual_seed(0)
    transform = T.Compose([T.RandomCrop(32, padding=4), T.RandomHorizontalFlip(),
                           T.ToTensor(), T.Normalize(train_utils.MEAN, train_utils.STD)])
    dataset = CIFAR10(os.path.join(HERE, "data"), train=True, transform=transform)
    loader = torch.utils.data.DataLoader(dataset, batch_size=BATCH, shuffle=True, num_workers=2,
                                         drop_last=True, persistent_workers=True)
    model = build_model(model_name)
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
    batches = iter(loader)

    def step():
        nonlocal batches
        try:
            x, y = next(batches)
        except StopIteration:
            batches = iter(loader)
            x, y = next(batches)
        loss = F.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    def close():
        nonlocal batches
        batches = None  # stops the worker processes

    return step, close


def bench_model(model_name, runs, warmup, steps, clock=time.perf_counter):
    """Images/s of the baseline and of the Solver, one figure per run each (two lists).
    The runs alternate (baseline, Solver, baseline, ...) so that both see the same
    background load."""
    base_step, close = baseline_step(model_name)
    step = ours_step(model_name)
    base, ours = [], []
    for _ in range(runs):
        base.append(time_steps(base_step, warmup, steps, clock))
        ours.append(time_steps(step, warmup, steps, clock))
    close()
    return base, ours


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--models", nargs="+", default=list(OURS), choices=list(OURS))
    p.add_argument("--runs", type=int, default=3, help="timed runs per measurement (median reported)")
    p.add_argument("--steps", type=int, default=None, help="timed steps per run (default: per model)")
    p.add_argument("--warmup", type=int, default=3, help="untimed steps before each run")
    p.add_argument("--threads", type=int, default=None, help="torch threads (default: torch's choice)")
    p.add_argument("--clock", choices=sorted(CLOCKS), default="wall",
                   help="wall: elapsed time (default, the published tables); cpu: the training "
                        "thread's CPU time, steadier on a busy machine")
    p.add_argument("--json", metavar="FILE", help="also write the table and the load records to FILE")
    p.add_argument("--settle", type=float, default=240, metavar="S",
                   help="before each model, wait up to S seconds for the load average to fall "
                        "to %.1f (default 240; 0: do not wait)" % loadwatch.THRESHOLD)
    args = p.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    head = ("batch %d, torch %s, %d thread(s), %d CPU cores, median of %d alternating runs"
            % (BATCH, torch.__version__, torch.get_num_threads(), os.cpu_count(), args.runs))
    if args.clock != "wall":
        head += " (%s clock)" % args.clock
    print(head, flush=True)
    rows, speedups, loads = [], [], []
    for name in args.models:
        steps = args.steps or DEFAULT_STEPS[name]
        with loadwatch.Watch(name, settle_s=args.settle) as watch:
            base_runs, ours_runs = bench_model(name, args.runs, args.warmup, steps, CLOCKS[args.clock])
        base, ours = statistics.median(base_runs), statistics.median(ours_runs)
        per_run = [o / b for b, o in zip(base_runs, ours_runs)]
        opts = ", ".join(k for k, v in OURS[name].items() if v) or "float32"
        rows.append([name, "%.0f" % base, "%.0f" % ours, "%.2f×" % (ours / base), opts])
        speedups.append(ours / base)
        loads.append(dict(watch.record, name=name))
        print("  %s: baseline %.0f img/s, Solver %.0f img/s, %.2fx (%s); runs' speed-ups %.2f-%.2fx"
              % (name, base, ours, ours / base, opts, min(per_run), max(per_run)), flush=True)
    columns = ["model", "baseline (img/s)", "Solver (img/s)", "speed-up", "Solver options"]
    print()
    print("| " + " | ".join(columns) + " |")
    print("|---|---:|---:|---:|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print("\nsmallest speed-up: %.2fx (target >= 2)" % min(speedups))
    if args.json:
        loadwatch.write_json(args.json, {
            "part": "part2", "command": loadwatch.command_line(), "machine": loadwatch.machine(),
            "torch": torch.__version__, "threads": torch.get_num_threads(), "runs": args.runs,
            "clock": args.clock,
            "batch": BATCH, "threshold": loadwatch.THRESHOLD,
            "tables": [{"name": "solver", "caption": head, "columns": columns,
                        "align": ["l", "r", "r", "r", "l"], "rows": rows, "loads": loads}],
            "summary": {"min_speedup": min(speedups)}})
        print("wrote %s" % args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
