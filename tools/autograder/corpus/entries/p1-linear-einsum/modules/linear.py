"""Variant: np.einsum for the products; x flattened with np.prod of its trailing shape."""
import numpy as np


class Linear:
    def forward(self, x):
        out = None
        x2 = x.reshape(x.shape[0], int(np.prod(x.shape[1:])))
        out = np.einsum('nd,dk->nk', x2, self.weight) + self.bias[np.newaxis, :]
        self.cache = x
        return out

    def backward(self, dout):
        x = self.cache
        x2 = x.reshape(x.shape[0], int(np.prod(x.shape[1:])))
        self.dw = np.einsum('nd,nk->dk', x2, dout)
        self.db = np.einsum('nk->k', dout)
        self.dx = np.einsum('nk,dk->nd', dout, self.weight).reshape(*x.shape)
