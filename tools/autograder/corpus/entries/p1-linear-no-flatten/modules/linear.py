"""Bug: forward multiplies x by the weight without flattening each sample first."""
import numpy as np


class Linear:
    def forward(self, x):
        out = None
        out = x @ self.weight + self.bias
        self.cache = x
        return out

    def backward(self, dout):
        x = self.cache
        self.dx = dout @ self.weight.T
        self.dw = x.T @ dout
        self.db = dout.sum(axis=0)
