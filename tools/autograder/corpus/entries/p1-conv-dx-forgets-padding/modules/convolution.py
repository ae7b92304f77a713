"""Bug: dx is accumulated into an unpadded array at padded coordinates (forgets the padding)."""
import numpy as np


class Conv2D:
    def forward(self, x):
        out = None
        N, C, H, W = x.shape
        k, s, p = self.kernel_size, self.stride, self.padding
        H_out = (H + 2 * p - k) // s + 1
        W_out = (W + 2 * p - k) // s + 1
        x_pad = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
        out = np.zeros((N, self.out_channels, H_out, W_out))
        for i in range(H_out):
            for j in range(W_out):
                window = x_pad[:, :, i * s:i * s + k, j * s:j * s + k]   # (N, C, k, k)
                out[:, :, i, j] = np.tensordot(window, self.weight, axes=([1, 2, 3], [1, 2, 3]))
        out += self.bias[None, :, None, None]
        self.cache = x
        return out

    def backward(self, dout):
        x = self.cache
        N, C, H, W = x.shape
        k, s, p = self.kernel_size, self.stride, self.padding
        H_out, W_out = dout.shape[2], dout.shape[3]
        x_pad = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
        self.dx = np.zeros_like(x)
        self.dw = np.zeros_like(self.weight)
        self.db = dout.sum(axis=(0, 2, 3))
        for i in range(H_out):
            for j in range(W_out):
                window = x_pad[:, :, i * s:i * s + k, j * s:j * s + k]
                self.dw += np.tensordot(dout[:, :, i, j], window, axes=([0], [0]))
                h = slice(i * s, i * s + k)
                w = slice(j * s, j * s + k)
                grad = np.tensordot(dout[:, :, i, j], self.weight, axes=([1], [0]))  # (N, C, k, k)
                self.dx[:, :, h, w] += grad[:, :, :self.dx[:, :, h, w].shape[2], :self.dx[:, :, h, w].shape[3]]
