"""Variant: np.where in the forward; backward copies dout and zeroes it where x <= 0."""
import numpy as np


class ReLU:
    def forward(self, x):
        out = None
        out = np.where(x > 0, x, 0.0)
        self.cache = x
        return out

    def backward(self, dout):
        dx, x = None, self.cache
        dx = np.array(dout, copy=True)
        dx[x <= 0] = 0
        self.dx = dx
