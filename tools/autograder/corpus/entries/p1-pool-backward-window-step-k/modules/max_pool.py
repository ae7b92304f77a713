"""Bug: backward places window (i, j) at (i * kernel_size, j * kernel_size), right only when stride == kernel_size."""
import numpy as np


class MaxPooling:
    def forward(self, x):
        out = None
        N, C, H, W = x.shape
        k, s = self.kernel_size, self.stride
        H_out = (H - k) // s + 1
        W_out = (W - k) // s + 1
        out = np.zeros((N, C, H_out, W_out))
        for n in range(N):
            for c in range(C):
                for i in range(H_out):
                    for j in range(W_out):
                        out[n, c, i, j] = np.max(x[n, c, i * s:i * s + k, j * s:j * s + k])
        self.cache = (x, H_out, W_out)
        return out

    def backward(self, dout):
        x, H_out, W_out = self.cache
        N, C, H, W = x.shape
        k, s = self.kernel_size, self.stride
        dx = np.zeros_like(x)
        for n in range(N):
            for c in range(C):
                for i in range(H_out):
                    for j in range(W_out):
                        window = x[n, c, i * k:i * k + k, j * k:j * k + k]
                        a, b = np.unravel_index(np.argmax(window), window.shape)
                        dx[n, c, i * k + a, j * k + b] += dout[n, c, i, j]
        self.dx = dx
