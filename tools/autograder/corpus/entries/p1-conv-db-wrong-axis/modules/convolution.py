"""Bug: db sums dout over the filter axis instead of the batch axis (shape (N,), not (F,))."""
import numpy as np


class Conv2D:
    def forward(self, x):
        out = None
        N, C, H, W = x.shape
        k, s, p = self.kernel_size, self.stride, self.padding
        H_out = (H + 2 * p - k) // s + 1
        W_out = (W + 2 * p - k) // s + 1
        x_pad = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)), mode="constant")
        out = np.zeros((N, self.out_channels, H_out, W_out))
        for n in range(N):
            for f in range(self.out_channels):
                for i in range(H_out):
                    for j in range(W_out):
                        window = x_pad[n, :, i * s:i * s + k, j * s:j * s + k]
                        out[n, f, i, j] = np.sum(window * self.weight[f]) + self.bias[f]
        self.cache = x
        return out

    def backward(self, dout):
        x = self.cache
        N, C, H, W = x.shape
        k, s, p = self.kernel_size, self.stride, self.padding
        _, F, H_out, W_out = dout.shape
        x_pad = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)), mode="constant")
        dx_pad = np.zeros_like(x_pad)
        self.dw = np.zeros_like(self.weight)
        self.db = np.sum(dout, axis=(1, 2, 3))
        for n in range(N):
            for f in range(F):
                for i in range(H_out):
                    for j in range(W_out):
                        window = x_pad[n, :, i * s:i * s + k, j * s:j * s + k]
                        self.dw[f] += window * dout[n, f, i, j]
                        dx_pad[n, :, i * s:i * s + k, j * s:j * s + k] += self.weight[f] * dout[n, f, i, j]
        if p > 0:
            self.dx = dx_pad[:, :, p:-p, p:-p]
        else:
            self.dx = dx_pad
