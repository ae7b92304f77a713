"""Training and test throughput of MyModel on this machine (a benchmark: it prints figures).

Times one optimiser step (forward, loss, backward, SGD) on a random batch, as the
Solver runs it with `amp` and `channels_last`, and the eval-mode forward (which
includes the test-time augmentation (6 views)). Reports the median of several steps
in wall-clock time, and in CPU time divided by the thread count: on a shared
machine the second figure estimates what an otherwise idle machine would do.

    cd part2-pytorch && python -m experiments.mymodel.throughput [--threads 2] [--batch 512]
"""
import argparse
import resource
import statistics
import time

import torch
import torch.nn.functional as F

import train_utils
from models import MyModel  # the part's folder is on sys.path: started with -m from it


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed(fn, repeats):
    """Median wall and CPU seconds of fn() over `repeats` calls, after 2 warm-up calls."""
    for _ in range(2):
        fn()
    walls, cpus = [], []
    for _ in range(repeats):
        w, c = time.perf_counter(), cpu_seconds()
        fn()
        walls.append(time.perf_counter() - w)
        cpus.append(cpu_seconds() - c)
    return statistics.median(walls), statistics.median(cpus)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batch", type=int, default=512)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--glibc-default", action="store_true",
                   help="leave glibc's malloc as it is (by default: train_utils.reuse_freed_memory, "
                        "as `python -m solver` does)")
    args = p.parse_args()
    if not args.glibc_default:
        train_utils.reuse_freed_memory()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    model = MyModel().to(memory_format=torch.channels_last)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, nesterov=True, weight_decay=5e-4)
    x = torch.randn(args.batch, 3, 32, 32).contiguous(memory_format=torch.channels_last)
    y = torch.randint(0, 10, (args.batch,))

    def train_step():
        model.train()
        with torch.autocast("cpu", dtype=torch.bfloat16):
            loss = F.cross_entropy(model(x), y, label_smoothing=0.2)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    def test_forward():
        model.eval()
        with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16):
            model(x)

    print("MyModel, batch %d, %d threads, bfloat16 autocast + channels_last, %s" % (
        args.batch, args.threads, "glibc's default malloc" if args.glibc_default else "freed memory kept"))
    print("%-22s %14s %22s" % ("", "wall img/s", "CPU-time est. img/s"))
    for name, fn in (("train step", train_step), ("test forward (6-view TTA)", test_forward)):
        wall, cpu = timed(fn, args.repeats)
        print("%-22s %14.0f %22.0f" % (name, args.batch / wall, args.batch * args.threads / max(cpu, 1e-9)))


if __name__ == "__main__":
    main()
