"""Rectified linear unit."""
import numpy as np


def hello_do_you_copy():
    """Prints a line, so the notebook can check that Python finds this file."""
    print("Roger that from relu.py!")


def _as_numeric_array(a, what):
    """a as a NumPy array (lists are fine), or a TypeError naming `what` if it is not numeric."""
    try:
        a = np.asarray(a)
    except ValueError as e:   # a ragged list
        raise TypeError("ReLU: %s must be a numeric array; could not convert it (%s)" % (what, e))
    if a.dtype.kind not in "biuf":
        raise TypeError("ReLU: %s must be a numeric array, got dtype %s" % (what, a.dtype))
    return a


class ReLU:
    """Element-wise max(0, x).

    Shape:
        - Input: any shape
        - Output: same shape as the input
    """

    def __init__(self):
        self.cache = None
        self.dx = None

    def forward(self, x):
        """Apply max(0, x) element-wise.

        Inputs:
        - x: input of any shape

        Returns:
        - out: output, of the same shape as x
        """
        x = _as_numeric_array(x, "the input x")
        out = None
        # BEGIN SOLUTION: implement the ReLU forward pass
        out = np.maximum(x, 0)
        # END SOLUTION
        self.cache = x
        return out

    def backward(self, dout):
        """Pass the upstream gradient through where the input was positive.

        Inputs:
        - dout: upstream gradient, of the same shape as x

        Sets self.dx, of the same shape as x; returns nothing. At x == 0 the
        gradient is taken to be 0 (the usual convention).
        """
        if self.cache is None:
            raise RuntimeError("ReLU.backward() was called before forward(): run forward(x) "
                               "on the same batch first")
        dx, x = None, self.cache
        dout = _as_numeric_array(dout, "dout")
        if dout.shape != x.shape:
            # np.where would broadcast e.g. a (1, D) dout silently over the whole batch.
            raise ValueError("ReLU.backward expects dout of shape %s (the shape of the input to "
                             "forward), got %s; pass the gradient of this layer's output"
                             % (x.shape, dout.shape))
        # BEGIN SOLUTION: implement the ReLU backward pass (compute dx from dout and x)
        dx = np.where(x > 0, dout, 0.0)
        # END SOLUTION
        self.dx = dx
