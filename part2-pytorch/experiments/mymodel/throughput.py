"""Training and test throughput of MyModel on this machine (a benchmark: it prints figures).

Times one optimiser step (forward, loss, backward, SGD) on a random batch, as the
Solver runs it with `amp` and `channels_last`, and the eval-mode forward (which
includes the test-time augmentation (6 views)). Reports the median of several steps
in wall-clock time, and in CPU time divided by the thread count: on a shared
machine the second figure estimates what an otherwise idle machine would do.

    cd part2-pytorch && python -m experiments.mymodel.throughput [--threads 2] [--batch 512]

`--weight-grad` also times each 3x3 convolution's weight gradient both ways, PyTorch's
(oneDNN) and the 9 matrix products of models/my_model.py's weight_grad_by_matmul, which
MyModel uses for 128+ input channels (MYMODEL.md, "A faster training step").
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
    p.add_argument("--weight-grad", action="store_true",
                   help="also time each 3x3 conv's weight gradient: PyTorch's and the 9 matrix products")
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

    if args.weight_grad:
        weight_grads(model, args)


def weight_grads(model, args):
    """Median ms of each Conv3x3's weight gradient (bfloat16, channels_last), both ways."""
    from models.my_model import Conv3x3, weight_grad_by_matmul
    sizes = []  # each conv's input size, from a forward pass
    hooks = [m.register_forward_pre_hook(lambda m, inp: sizes.append((m, inp[0].shape)))
             for m in model.modules() if isinstance(m, Conv3x3)]
    model.eval()
    with torch.no_grad():
        model.features(model.whiten(torch.zeros(1, 3, 32, 32)))
    for h in hooks:
        h.remove()
    print("\n3x3 conv weight gradient, batch %d (ms)   PyTorch  9 products" % args.batch)
    for m, shape in sizes:
        x = torch.randn(args.batch, *shape[1:]).to(torch.bfloat16).contiguous(memory_format=torch.channels_last)
        w = m.weight.detach().to(torch.bfloat16)
        grad = torch.randn(args.batch, m.out_channels, *shape[2:]).to(torch.bfloat16).contiguous(
            memory_format=torch.channels_last)

        def pytorch():
            torch.ops.aten.convolution_backward(grad, x, w, None, [1, 1], [1, 1], [1, 1], False, [0, 0], 1,
                                                [False, True, False])

        def matmuls():
            weight_grad_by_matmul(x, grad)

        ms = [1000 * timed(fn, args.repeats)[0] for fn in (pytorch, matmuls)]
        print("  %3d -> %3d, %2dx%-2d%s %22.1f %10.1f" % (m.in_channels, m.out_channels, shape[2], shape[3],
                                                        " (used)" if m.in_channels >= 128 else "       ", *ms))


if __name__ == "__main__":
    main()
