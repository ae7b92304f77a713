"""Numeric gradients by central differences, the independent reference for every backward()."""
import numpy as np


def numeric_gradient(f, x, dout, h=1e-6):
    """Gradient of sum(f(x) * dout) with respect to x, one entry at a time.

    Inputs:
    - f: function of x returning an array (x is changed in place and restored)
    - x: float64 array
    - dout: upstream gradient, same shape as f(x)
    - h: step size

    Returns an array shaped like x.
    """
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = x[i]
        x[i] = old + h
        plus = np.sum(f(x) * dout)
        x[i] = old - h
        minus = np.sum(f(x) * dout)
        x[i] = old
        grad[i] = (plus - minus) / (2 * h)
    return grad


def rel_error(a, b):
    """Largest relative error between two arrays (0 for identical arrays)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b)))
