"""Bug: backward multiplies dout by the ReLU's output max(0, x) instead of by the mask x > 0."""
import numpy as np


class ReLU:
    def forward(self, x):
        out = None
        out = np.maximum(0, x)
        self.cache = x
        return out

    def backward(self, dout):
        dx, x = None, self.cache
        dx = dout * np.maximum(0, x)
        self.dx = dx
