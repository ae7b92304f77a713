"""Rectified linear unit."""
import numpy as np


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

        Stores in self.cache whatever backward() needs.
        """
        # BEGIN SOLUTION: compute the ReLU output and fill self.cache
        out = np.maximum(x, 0)
        self.cache = x
        # END SOLUTION
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
        # BEGIN SOLUTION: compute self.dx from dout and self.cache
        self.dx = np.where(self.cache > 0, dout, 0.0)
        # END SOLUTION
