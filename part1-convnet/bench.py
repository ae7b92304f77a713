"""Speed of Part 1's NumPy layers against PyTorch's own float64 CPU kernels.

    python bench.py [--threads 1] [--repeat 20]        (from part1-convnet; `make bench`)

Prints a Markdown table: for each shape, the median time of NumPy Conv2D forward+backward
and of torch.nn.functional.conv2d forward+backward (float64, same inputs, same process),
and their ratio (NumPy / torch, below 1 means NumPy is faster; the two are timed
alternately so that both see the same machine load); the same for MaxPooling
against F.max_pool2d; then the wall time of the notebook's whole 50-image overfit
experiment on real CIFAR-10.

Both libraries are limited to the same number of threads (default 1): on a small or shared
machine, multi-threaded BLAS timings swing by 10x from run to run, which would make the
comparison meaningless. `--threads 2` compares them with two threads each.
"""
import argparse
import os
import sys
import time


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--threads", type=int, default=1, help="threads for BLAS and torch (default 1)")
    p.add_argument("--repeat", type=int, default=20, help="timed runs per case (median reported)")
    p.add_argument("--data", default="data/cifar10/cifar-10-batches-py", help="CIFAR-10 folder")
    return p.parse_args()


ARGS = parse_args()
# Must happen before NumPy and torch load their thread pools.
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(ARGS.threads)

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from modules import Conv2D, ConvNet, MaxPooling  # noqa: E402
from optimizer import SGD  # noqa: E402
from cs7643.solver import Solver  # noqa: E402

torch.set_num_threads(ARGS.threads)

# (N, C_in, C_out, kernel, stride, padding, H = W)
CONV_CASES = [(10, 3, 32, 5, 1, 2, 32), (50, 3, 32, 5, 1, 2, 32),
              (100, 3, 25, 3, 2, 1, 31), (32, 16, 32, 3, 1, 1, 16)]
# (N, C, kernel, stride, H = W): the outputs of the conv cases above, plus overlapping windows
POOL_CASES = [(10, 32, 2, 2, 32), (50, 32, 2, 2, 32), (100, 25, 3, 2, 16), (32, 32, 2, 2, 16)]


def median_times(fn_a, fn_b, repeat):
    """Median run time of two functions, timed alternately so both see the same machine load."""
    fn_a()  # warm-up: first-call allocations, thread start-up
    fn_b()
    times_a, times_b = [], []
    for _ in range(repeat):
        for fn, times in ((fn_a, times_a), (fn_b, times_b)):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
    return float(np.median(times_a)), float(np.median(times_b))


def bench_conv(N, C, Fo, k, s, p, H, rng, repeat):
    x = rng.standard_normal((N, C, H, H))
    conv = Conv2D(C, Fo, kernel_size=k, stride=s, padding=p)
    dout = rng.standard_normal(conv.forward(x).shape)

    def numpy_step():
        conv.forward(x)
        conv.backward(dout)

    xt = torch.tensor(x, requires_grad=True)
    wt = torch.tensor(conv.weight, requires_grad=True)
    bt = torch.tensor(conv.bias, requires_grad=True)
    dt = torch.tensor(dout)

    def torch_step():
        xt.grad = wt.grad = bt.grad = None
        F.conv2d(xt, wt, bt, stride=s, padding=p).backward(dt)

    numpy_step()
    torch_step()
    assert np.allclose(conv.dx, xt.grad.numpy()) and np.allclose(conv.dw, wt.grad.numpy())
    return median_times(numpy_step, torch_step, repeat)


def bench_pool(N, C, k, s, H, rng, repeat):
    x = rng.standard_normal((N, C, H, H))
    pool = MaxPooling(kernel_size=k, stride=s)
    dout = rng.standard_normal(pool.forward(x).shape)

    def numpy_step():
        pool.forward(x)
        pool.backward(dout)

    xt = torch.tensor(x, requires_grad=True)
    dt = torch.tensor(dout)

    def torch_step():
        xt.grad = None
        F.max_pool2d(xt, k, s).backward(dt)

    numpy_step()
    torch_step()
    assert np.allclose(pool.dx, xt.grad.numpy())
    return median_times(numpy_step, torch_step, repeat)


def overfit_experiment(X, y):
    """The notebook's experiment, exactly; returns (seconds, final training accuracy)."""
    t0 = time.perf_counter()
    model = ConvNet([dict(type="Conv2D", in_channels=3, out_channels=32, kernel_size=5,
                          stride=1, padding=2),
                     dict(type="ReLU"),
                     dict(type="MaxPooling", kernel_size=2, stride=2),
                     dict(type="Linear", in_dim=8192, out_dim=10)],
                    dict(type="SoftmaxCrossEntropy"))
    optimizer = SGD(model, learning_rate=1e-4, reg=1e-3, momentum=0.9)
    _, acc = Solver().train(X, y, model, batch_size=10, num_epochs=10, optimizer=optimizer)
    return time.perf_counter() - t0, acc[-1]


def main():
    rng = np.random.default_rng(0)
    print("Part 1 benchmark, %s, numpy %s, torch %s, %d thread(s), median of %d runs\n"
          % (time.strftime("%Y-%m-%d"), np.__version__, torch.__version__, ARGS.threads,
             ARGS.repeat))
    print("| layer | shape | NumPy fwd+bwd (ms) | torch fwd+bwd (ms) | ratio |")
    print("|---|---|---:|---:|---:|")
    ratios = []
    for (N, C, Fo, k, s, p, H) in CONV_CASES:
        t_np, t_torch = bench_conv(N, C, Fo, k, s, p, H, rng, ARGS.repeat)
        ratios.append(t_np / t_torch)
        print("| Conv2D | N=%d, %d→%d, k%d, s%d, p%d, %dx%d | %.2f | %.2f | %.2f |"
              % (N, C, Fo, k, s, p, H, H, 1e3 * t_np, 1e3 * t_torch, t_np / t_torch))
        sys.stdout.flush()
    for (N, C, k, s, H) in POOL_CASES:
        t_np, t_torch = bench_pool(N, C, k, s, H, rng, ARGS.repeat)
        print("| MaxPooling | N=%d, C=%d, k%d, s%d, %dx%d | %.2f | %.2f | %.2f |"
              % (N, C, k, s, H, H, 1e3 * t_np, 1e3 * t_torch, t_np / t_torch))
        sys.stdout.flush()
    print("\nmedian Conv2D ratio: %.2f (target <= 1.0)" % float(np.median(ratios)))

    from data import get_CIFAR10_data
    X_train, y_train = get_CIFAR10_data(ARGS.data)[:2]
    X, y = X_train[:50], y_train[:50]
    del X_train
    runs = [overfit_experiment(X, y) for _ in range(3)]
    best = min(t for t, _ in runs)
    print("50-image overfit experiment (10 epochs, batch 10): %.2f s (best of 3; target <= 3 s), "
          "final training accuracy %.2f" % (best, runs[0][1]))


if __name__ == "__main__":
    main()
