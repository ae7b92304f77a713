"""Training throughput of the Solver's loop against a plain PyTorch baseline (images/s).

    python bench.py                       # TwoLayerNet, VanillaCNN, ResNet-32 at batch 128
    python bench.py --models ResNet-32 --runs 5 --steps 8 --threads 1

Both sides train the same model with SGD on real CIFAR-10, batch 128, on the CPU:

- baseline: torchvision's CIFAR10 with PIL transforms (RandomCrop(32, padding=4),
  RandomHorizontalFlip, ToTensor, Normalize), a DataLoader with 2 worker processes,
  float32, the default memory layout;
- ours: Solver._train_batch, i.e. the in-memory uint8 training set augmented per
  batch by tensor operations, with the options the configs use for that model
  (`amp` bfloat16 autocast and `channels_last` for the convolutional networks).

Each run times `--steps` training steps after `--warmup` untimed ones; baseline and
ours alternate run by run, and the table gives the median over `--runs` runs of each
and the speed-up. This is a benchmark, not a
test: the figures depend on the machine and on whatever else runs on it.
"""
import argparse
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F
import torchvision.transforms as T

os.environ.setdefault("TQDM_DISABLE", "1")
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from data import CIFAR10  # noqa: E402
from solver import MEAN, MODELS, STD, Solver  # noqa: E402

BATCH = 128
# what "ours" runs with: the fast options for the convolutional networks
OURS = {"TwoLayerNet": dict(amp=False, channels_last=False),
        "VanillaCNN": dict(amp=True, channels_last=True),
        "ResNet-32": dict(amp=True, channels_last=True)}


def time_steps(step, warmup, steps):
    """Run `warmup` untimed steps, then `steps` timed ones; returns images per second."""
    for _ in range(warmup):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return steps * BATCH / (time.perf_counter() - start)


def ours_step(model_name):
    """A function that runs one training step of the Solver's loop."""
    solver = Solver(path_prefix=HERE, model=model_name, batch_size=BATCH, learning_rate=0.01,
                    save_best=False, **OURS[model_name])
    solver.model.train()
    order = torch.randperm(len(solver.train_y))
    position = [0]

    def step():
        i = position[0] % (len(order) // BATCH)
        position[0] += 1
        solver._train_batch(order[i * BATCH:(i + 1) * BATCH])

    return step


def baseline_step(model_name):
    """A function that runs one training step of the plain PIL + DataLoader baseline, and a closer."""
    torch.manual_seed(0)
    transform = T.Compose([T.RandomCrop(32, padding=4), T.RandomHorizontalFlip(),
                           T.ToTensor(), T.Normalize(MEAN, STD)])
    dataset = CIFAR10(os.path.join(HERE, "data"), train=True, transform=transform)
    loader = torch.utils.data.DataLoader(dataset, batch_size=BATCH, shuffle=True, num_workers=2,
                                         drop_last=True, persistent_workers=True)
    model = MODELS[model_name]()
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


def bench_model(model_name, runs, warmup, steps):
    """Median images/s of the baseline and of ours. The runs alternate (baseline, ours,
    baseline, ...) so that both see the same background load of a shared machine."""
    base_step, close = baseline_step(model_name)
    step = ours_step(model_name)
    base, ours = [], []
    for _ in range(runs):
        base.append(time_steps(base_step, warmup, steps))
        ours.append(time_steps(step, warmup, steps))
    close()
    return statistics.median(base), statistics.median(ours)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--models", nargs="+", default=list(OURS), choices=list(OURS))
    p.add_argument("--runs", type=int, default=3, help="timed runs per measurement (median reported)")
    p.add_argument("--steps", type=int, default=None, help="timed steps per run (default: per model)")
    p.add_argument("--warmup", type=int, default=3, help="untimed steps before each run")
    p.add_argument("--threads", type=int, default=None, help="torch threads (default: torch's choice)")
    args = p.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    default_steps = {"TwoLayerNet": 40, "VanillaCNN": 20, "ResNet-32": 5}
    print("batch %d, torch %s, %d threads, %d CPU cores, median of %d runs"
          % (BATCH, torch.__version__, torch.get_num_threads(), os.cpu_count(), args.runs))
    rows = []
    for name in args.models:
        steps = args.steps or default_steps[name]
        base, ours = bench_model(name, args.runs, args.warmup, steps)
        opts = ", ".join(k for k, v in OURS[name].items() if v) or "float32"
        rows.append((name, base, ours, opts))
        print("  %s: baseline %.0f img/s, ours %.0f img/s (%s)" % (name, base, ours, opts), flush=True)
    print()
    print("| model | baseline (img/s) | Solver (img/s) | speed-up | Solver options |")
    print("|---|---:|---:|---:|---|")
    for name, base, ours, opts in rows:
        print("| %s | %.0f | %.0f | %.2fx | %s |" % (name, base, ours, ours / base, opts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
