"""Variant: the forward and backward as products with the boolean mask x > 0."""
import numpy as np


class ReLU:
    def forward(self, x):
        out = None
        out = x * (x > 0)
        self.cache = x
        return out

    def backward(self, dout):
        dx, x = None, self.cache
        dx = dout * (x > 0)
        self.dx = dx
