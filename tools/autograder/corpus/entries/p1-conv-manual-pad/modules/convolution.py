"""Variant: padding by hand (a zero array with x copied into its middle), loops over positions only."""
import numpy as np


class Conv2D:
    def forward(self, x):
        out = None
        N, C, H, W = x.shape
        k, s, p = self.kernel_size, self.stride, self.padding
        padded = np.zeros((N, C, H + 2 * p, W + 2 * p))
        padded[:, :, p:p + H, p:p + W] = x
        H_out = (H + 2 * p - k) // s + 1
        W_out = (W + 2 * p - k) // s + 1
        out = np.zeros((N, self.out_channels, H_out, W_out))
        w_flat = self.weight.reshape(self.out_channels, -1)
        for i in range(H_out):
            for j in range(W_out):
                patch = padded[:, :, i * s:i * s + k, j * s:j * s + k].reshape(N, -1)
                out[:, :, i, j] = patch @ w_flat.T + self.bias
        self.cache = x
        return out

    def backward(self, dout):
        x = self.cache
        N, C, H, W = x.shape
        k, s, p = self.kernel_size, self.stride, self.padding
        H_out, W_out = dout.shape[2], dout.shape[3]
        padded = np.zeros((N, C, H + 2 * p, W + 2 * p))
        padded[:, :, p:p + H, p:p + W] = x
        dpadded = np.zeros_like(padded)
        w_flat = self.weight.reshape(self.out_channels, -1)
        dw_flat = np.zeros_like(w_flat)
        for i in range(H_out):
            for j in range(W_out):
                patch = padded[:, :, i * s:i * s + k, j * s:j * s + k].reshape(N, -1)
                g = dout[:, :, i, j]                                   # (N, F)
                dw_flat += g.T @ patch
                dpadded[:, :, i * s:i * s + k, j * s:j * s + k] += (g @ w_flat).reshape(N, C, k, k)
        self.dw = dw_flat.reshape(self.weight.shape)
        self.db = dout.sum(axis=(0, 2, 3))
        self.dx = dpadded[:, :, p:p + H, p:p + W]
