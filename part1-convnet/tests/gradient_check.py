"""Numerical gradient checks (helpers for your own debugging; no test imports this file).

The first two functions are the same as in tests/utils.py. The others check functions
whose inputs and outputs are "blobs" (objects with `vals` and `diffs` arrays, as in
layer-by-layer frameworks), whole networks, and a few random entries of a large gradient.
"""
from random import randrange

import numpy as np


def eval_numerical_gradient(f, x, verbose=True, h=0.00001):
    """Numerical gradient of a scalar function f at x, by centred differences.

    x is changed entry by entry and restored; prints each index and its gradient when
    verbose. Returns an array shaped like x.
    """
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        ix = it.multi_index
        old = x[ix]
        x[ix] = old + h
        fxph = f(x)
        x[ix] = old - h
        fxmh = f(x)
        x[ix] = old
        grad[ix] = (fxph - fxmh) / (2 * h)
        if verbose:
            print(ix, grad[ix])
        it.iternext()
    return grad


def eval_numerical_gradient_array(f, x, df, h=1e-5):
    """Numerical gradient of sum(f(x) * df) with respect to x, for an array-valued f."""
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        ix = it.multi_index
        old = x[ix]
        x[ix] = old + h
        pos = f(x).copy()
        x[ix] = old - h
        neg = f(x).copy()
        x[ix] = old
        grad[ix] = np.sum((pos - neg) * df) / (2 * h)
        it.iternext()
    return grad


def eval_numerical_gradient_blobs(f, inputs, output, h=1e-5):
    """Numerical gradients for a function that works on blobs.

    Inputs:
    - f: called as f(*inputs); it writes its result into output.vals
    - inputs: blobs (objects with .vals and .diffs arrays) to differentiate against
    - output: the output blob; output.diffs holds the upstream gradient
    - h: step size

    Returns a list with one gradient array per input blob, shaped like its vals.
    """
    grads = []
    for blob in inputs:
        grad = np.zeros_like(blob.diffs)
        it = np.nditer(blob.vals, flags=["multi_index"], op_flags=["readwrite"])
        while not it.finished:
            ix = it.multi_index
            old = blob.vals[ix]
            blob.vals[ix] = old + h
            f(*inputs)
            pos = np.copy(output.vals)
            blob.vals[ix] = old - h
            f(*inputs)
            neg = np.copy(output.vals)
            blob.vals[ix] = old
            grad[ix] = np.sum((pos - neg) * output.diffs) / (2.0 * h)
            it.iternext()
        grads.append(grad)
    return grads


def eval_numerical_gradient_net(net, inputs, output, h=1e-5):
    """eval_numerical_gradient_blobs for a network object: net.forward() fills `output`."""
    return eval_numerical_gradient_blobs(lambda *args: net.forward(), inputs, output, h=h)


def grad_check_sparse(f, x, analytic_grad, num_checks):
    """Compare analytic_grad with numerical gradients of the scalar f at num_checks random
    entries of x (step 1e-5), printing one line per entry; returns the relative errors."""
    h = 1e-5
    errors = []
    for _ in range(num_checks):
        ix = tuple(randrange(m) for m in x.shape)
        old = x[ix]
        x[ix] = old + h
        fxph = f(x)
        x[ix] = old - h
        fxmh = f(x)
        x[ix] = old
        grad_numerical = (fxph - fxmh) / (2 * h)
        grad_analytic = analytic_grad[ix]
        denom = max(abs(grad_numerical) + abs(grad_analytic), 1e-12)
        rel = abs(grad_numerical - grad_analytic) / denom
        print("numerical: %f analytic: %f, relative error: %e" % (grad_numerical, grad_analytic, rel))
        errors.append(rel)
    return errors
