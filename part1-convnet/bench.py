"""Speed of Part 1's NumPy layers against PyTorch's own float64 CPU kernels.

    PYTHONPATH=.. python bench.py [--threads 1] [--repeat 20] [--json FILE]   (from part1-convnet;
                                                                  `make bench`)

Three tables, each with the machine's load recorded around it (tools/bench/loadwatch.py):

1. Conv2D: for each shape, the median time of our forward+backward and of
   torch.nn.functional.conv2d's forward+backward (float64, same inputs, same process),
   and their ratio (ours / torch: below 1 means ours is faster). The two are timed
   alternately, run after run, so that both see the same machine. Below the table: the
   single-thread float64 matrix-product (dgemm) rate of NumPy's BLAS, and how close the
   N=50 shape comes to the time its three matrix products need at that rate.
2. MaxPooling against F.max_pool2d, the same way.
3. The notebook's whole 50-image overfit experiment (best of 3 wall times).

Both libraries are limited to the same number of threads (default 1): on a small or
shared machine, multi-threaded BLAS timings swing by 10x from run to run. `--clock cpu`
times this thread's CPU time instead of the wall clock (steadier on a busy machine, for
development; the published tables use the wall clock on an idle machine).
"""
import argparse
import os
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--threads", type=int, default=1, help="threads for BLAS and torch (default 1)")
    p.add_argument("--repeat", type=int, default=20, help="timed runs per case (median reported)")
    p.add_argument("--data", default=os.path.join(HERE, "data/cifar10/cifar-10-batches-py"),
                   help="CIFAR-10 folder")
    p.add_argument("--json", metavar="FILE", help="also write the tables and load records to FILE")
    p.add_argument("--settle", type=float, default=240, metavar="S",
                   help="before each table, wait up to S seconds for the load average to fall "
                        "to 0.5 (default 240; 0: do not wait)")
    p.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                   help="wall: time.perf_counter (default); cpu: time.thread_time")
    p.add_argument("--skip", nargs="*", default=[], choices=("conv", "pool", "experiment"),
                   help="tables to leave out")
    return p.parse_args()


ARGS = parse_args()
# Must happen before NumPy and torch load their thread pools.
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(ARGS.threads)

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

try:  # tools/bench/loadwatch.py: `make bench` puts the repository root on PYTHONPATH
    from tools.bench import loadwatch
except ImportError:
    raise SystemExit("bench.py needs the repository root on PYTHONPATH: run `make bench`, "
                     "or `PYTHONPATH=.. python bench.py` from this folder")
from cs7643.solver import Solver  # noqa: E402
from modules import Conv2D, ConvNet, MaxPooling  # noqa: E402
from optimizer import SGD  # noqa: E402

torch.set_num_threads(ARGS.threads)
clock = time.perf_counter if ARGS.clock == "wall" else time.thread_time

# (N, C_in, C_out, kernel, stride, padding, H = W)
CONV_CASES = [(10, 3, 32, 5, 1, 2, 32), (50, 3, 32, 5, 1, 2, 32),
              (100, 3, 25, 3, 2, 1, 31), (32, 16, 32, 3, 1, 1, 16)]
FLOP_CASE = 1   # the N=50 shape: the one compared with the dgemm rate
# (N, C, kernel, stride, H = W): the outputs of the conv cases above, plus overlapping windows
POOL_CASES = [(10, 32, 2, 2, 32), (50, 32, 2, 2, 32), (100, 25, 3, 2, 16), (32, 32, 2, 2, 16)]


def median_times(fn_a, fn_b, repeat):
    """Median run time of two functions, timed alternately so both see the same machine load."""
    fn_a()  # warm-up: first-call allocations, thread start-up
    fn_b()
    times_a, times_b = [], []
    for _ in range(repeat):
        for fn, times in ((fn_a, times_a), (fn_b, times_b)):
            t0 = clock()
            fn()
            times.append(clock() - t0)
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


def dgemm_rate(n=1024, repeat=7):
    """NumPy's float64 matrix-product rate in GFLOP/s (n x n times n x n, best of `repeat`)."""
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal((n, n)), rng.standard_normal((n, n))
    a @ b
    times = []
    for _ in range(repeat):
        t0 = clock()
        a @ b
        times.append(clock() - t0)
    return 2 * n ** 3 / min(times) / 1e9


def conv_flops(N, C, Fo, k, s, p, H):
    """Floating-point operations of the three matrix products of a forward+backward:
    output, weight gradient and column gradient, each 2 * F * C*k*k * N*H'*W'."""
    Ho = (H + 2 * p - k) // s + 1
    return 3 * 2 * Fo * C * k * k * N * Ho * Ho


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


def print_table(columns, rows):
    print("| " + " | ".join(columns) + " |")
    print("|---|---|" + "---:|" * (len(columns) - 2))
    for row in rows:
        print("| " + " | ".join(row) + " |")


def main():
    rng = np.random.default_rng(0)
    head = ("numpy %s, torch %s, %d thread(s), %s-clock median of %d alternating runs"
            % (np.__version__, torch.__version__, ARGS.threads, ARGS.clock, ARGS.repeat))
    print("Part 1 benchmark, %s\n" % head, flush=True)
    columns = ["layer", "shape", "NumPy fwd+bwd (ms)", "torch fwd+bwd (ms)", "ratio"]
    tables, summary = [], {}

    if "conv" not in ARGS.skip:
        rows, ratios = [], []
        with loadwatch.Watch("Conv2D", settle_s=ARGS.settle) as watch:
            rate = dgemm_rate()
            for case in CONV_CASES:
                N, C, Fo, k, s, p, H = case
                t_np, t_torch = bench_conv(*case, rng, ARGS.repeat)
                ratios.append(t_np / t_torch)
                rows.append(["Conv2D", "N=%d, %d→%d, k%d, s%d, p%d, %dx%d" % (case + (H,)),
                             "%.2f" % (1e3 * t_np), "%.2f" % (1e3 * t_torch),
                             "%.2f" % (t_np / t_torch)])
                if case == CONV_CASES[FLOP_CASE]:
                    flop_ms = 1e3 * conv_flops(*case) / (rate * 1e9)
                    flop_line = ("N=%d shape: its three matrix products are %.3f GFLOP, %.1f ms "
                                 "at the dgemm rate; forward+backward takes %.1f ms, %.1f times "
                                 "that (torch: %.1f times)"
                                 % (N, conv_flops(*case) / 1e9, flop_ms, 1e3 * t_np,
                                    1e3 * t_np / flop_ms, 1e3 * t_torch / flop_ms))
        print_table(columns, rows)
        median = float(np.median(ratios))
        notes = ["median Conv2D ratio: %.2f (target <= 1.0)" % median,
                 "single-thread dgemm rate (NumPy, 1024x1024 product, best of 7): %.1f GFLOP/s" % rate,
                 flop_line]
        print("\n".join(notes) + "\n", flush=True)
        tables.append({"name": "conv", "columns": columns, "rows": rows, "notes": notes,
                       "loads": [dict(watch.record, name="Conv2D")]})
        summary.update(conv_median=median, dgemm_gflops=rate)

    if "pool" not in ARGS.skip:
        rows, ratios = [], []
        with loadwatch.Watch("MaxPooling", settle_s=ARGS.settle) as watch:
            for case in POOL_CASES:
                t_np, t_torch = bench_pool(*case, rng, ARGS.repeat)
                ratios.append(t_np / t_torch)
                rows.append(["MaxPooling", "N=%d, C=%d, k%d, s%d, %dx%d" % (case + (case[-1],)),
                             "%.2f" % (1e3 * t_np), "%.2f" % (1e3 * t_torch),
                             "%.2f" % (t_np / t_torch)])
        print_table(columns, rows)
        median = float(np.median(ratios))
        notes = ["median MaxPooling ratio: %.2f (target <= 1.0)" % median]
        print("\n".join(notes) + "\n", flush=True)
        tables.append({"name": "pool", "columns": columns, "rows": rows, "notes": notes,
                       "loads": [dict(watch.record, name="MaxPooling")]})
        summary.update(pool_median=median)

    if "experiment" not in ARGS.skip:
        from data import get_CIFAR10_data
        X_train, y_train = get_CIFAR10_data(ARGS.data)[:2]
        X, y = X_train[:50], y_train[:50]
        del X_train
        with loadwatch.Watch("experiment", settle_s=ARGS.settle) as watch:
            runs = [overfit_experiment(X, y) for _ in range(3)]
        best = min(t for t, _ in runs)
        notes = ["50-image overfit experiment (10 epochs, batch 10): %.2f s (best of 3 wall "
                 "times; target <= 3 s), final training accuracy %.2f" % (best, runs[0][1])]
        print("\n".join(notes), flush=True)
        tables.append({"name": "experiment", "notes": notes,
                       "loads": [dict(watch.record, name="experiment")]})
        summary.update(experiment_s=best, experiment_acc=float(runs[0][1]))

    if ARGS.json:
        loadwatch.write_json(ARGS.json, {
            "part": "part1", "command": loadwatch.command_line(), "machine": loadwatch.machine(),
            "caption": head, "numpy": np.__version__, "torch": torch.__version__,
            "threads": ARGS.threads, "repeat": ARGS.repeat, "clock": ARGS.clock,
            "threshold": loadwatch.THRESHOLD, "tables": tables, "summary": summary})
        print("wrote %s" % ARGS.json)


if __name__ == "__main__":
    main()
