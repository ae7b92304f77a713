"""Bug: every maximum of a window gets the whole upstream gradient (ties counted twice)."""
import numpy as np


class MaxPooling:
    def forward(self, x):
        out = None
        N, C, H, W = x.shape
        k, s = self.kernel_size, self.stride
        H_out = (H - k) // s + 1
        W_out = (W - k) // s + 1
        out = np.empty((N, C, H_out, W_out))
        for i in range(H_out):
            for j in range(W_out):
                out[:, :, i, j] = x[:, :, i * s:i * s + k, j * s:j * s + k].max(axis=(2, 3))
        self.cache = (x, H_out, W_out)
        return out

    def backward(self, dout):
        x, H_out, W_out = self.cache
        k, s = self.kernel_size, self.stride
        self.dx = np.zeros_like(x)
        for i in range(H_out):
            for j in range(W_out):
                window = x[:, :, i * s:i * s + k, j * s:j * s + k]
                mask = window == window.max(axis=(2, 3), keepdims=True)
                self.dx[:, :, i * s:i * s + k, j * s:j * s + k] += mask * dout[:, :, i, j][:, :, None, None]
