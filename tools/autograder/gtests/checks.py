"""Comparisons that fail with a message a student can act on."""
import numpy as np


def as_array(x, what):
    """x as a NumPy array (a torch tensor is detached); fails clearly if x is None."""
    if x is None:
        raise AssertionError("%s is None: it was never set" % what)
    if hasattr(x, "detach"):
        x = x.detach().cpu().numpy()
    return np.asarray(x)


def assert_close(actual, expected, what, rtol=1e-6, atol=1e-8):
    """Assert `actual` has the shape of `expected` and matches it elementwise.

    Inputs:
    - actual: what the submission computed (array, tensor or number)
    - expected: the independent reference
    - what: names the quantity and the case, e.g. "Conv2D.forward, stride 2, padding 1"
    """
    a, e = as_array(actual, what), as_array(expected, "reference")
    if a.shape != e.shape:
        raise AssertionError("%s: expected shape %s, got %s" % (what, e.shape, a.shape))
    if not np.all(np.isfinite(a)):
        raise AssertionError("%s: the result contains NaN or inf" % what)
    err = np.abs(a.astype(np.float64) - e.astype(np.float64))
    bound = atol + rtol * np.abs(e)
    if np.any(err > bound):
        i = np.unravel_index(np.argmax(err - bound), err.shape)
        raise AssertionError("%s: wrong values (max abs error %.3g; at index %s got %.6g, "
                             "expected %.6g)" % (what, err.max(), tuple(int(j) for j in i),
                                                 a[i], e[i]))
