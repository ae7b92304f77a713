"""Comparisons that fail with a message a student can act on (run in the grader's process)."""
import numpy as np


def as_array(x, what):
    """x as a float64 NumPy array; fails clearly if it is missing."""
    if x is None:
        raise AssertionError("%s is None: it was never set" % what)
    if hasattr(x, "detach"):
        x = x.detach().cpu().double().numpy()
    return np.asarray(x)


def assert_close(actual, expected, what, rtol=1e-6, atol=1e-8):
    """Assert `actual` has the shape of `expected` and matches it elementwise.

    Inputs:
    - actual: what the submission computed (array or number)
    - expected: the independent reference
    - what: names the call, the quantity and the shapes, e.g.
      "Conv2D.backward(dout of shape (2, 4, 7, 7)), stride 2, padding 1: dw"
    """
    a, e = as_array(actual, what), as_array(expected, "reference")
    if a.shape != e.shape:
        if a.size == e.size == 1:
            a = a.reshape(e.shape)
        else:
            raise AssertionError("%s: expected shape %s, got shape %s" % (what, e.shape, a.shape))
    if not np.issubdtype(a.dtype, np.number):
        raise AssertionError("%s: expected numbers, got an array of %s" % (what, a.dtype))
    if not np.all(np.isfinite(a)):
        raise AssertionError("%s: the result contains NaN or inf" % what)
    err = np.abs(a.astype(np.float64) - e.astype(np.float64))
    bound = atol + rtol * np.abs(e)
    if (err > bound).any():
        i = np.unravel_index(np.argmax(err - bound), err.shape)
        raise AssertionError("%s: wrong values (max abs error %.3g; at index %s got %.6g, "
                             "expected %.6g)" % (what, err.max(), tuple(int(j) for j in i),
                                                 a[i], e[i]))


def assert_unchanged(results, key, before, what):
    """A parameter must come back from a call exactly as it went in."""
    after = results.get(key)
    if after is None or np.shape(after) != np.shape(before) or not np.array_equal(after, before):
        raise AssertionError("%s changed the layer's %s; forward and backward must leave the "
                             "parameters alone (the optimizer updates them)" % (what, key.split("_")[0]))
