"""Variant: im2col with an explicit loop over output positions, one matrix product per pass."""
import numpy as np


class Conv2D:
    def forward(self, x):
        out = None
        N, C, H, W = x.shape
        k, s, p = self.kernel_size, self.stride, self.padding
        H_out = 1 + (H + 2 * p - k) // s
        W_out = 1 + (W + 2 * p - k) // s
        x_pad = np.pad(x, [(0, 0), (0, 0), (p, p), (p, p)], 'constant', constant_values=0)
        cols = np.zeros((N, H_out, W_out, C * k * k))
        for i in range(H_out):
            for j in range(W_out):
                cols[:, i, j, :] = x_pad[:, :, i * s:i * s + k, j * s:j * s + k].reshape(N, -1)
        w_mat = self.weight.reshape(self.out_channels, -1)
        out = (cols @ w_mat.T + self.bias).transpose(0, 3, 1, 2)
        self.cache = x
        return out

    def backward(self, dout):
        x = self.cache
        N, C, H, W = x.shape
        k, s, p = self.kernel_size, self.stride, self.padding
        F_, H_out, W_out = dout.shape[1:]
        x_pad = np.pad(x, [(0, 0), (0, 0), (p, p), (p, p)], 'constant', constant_values=0)
        cols = np.zeros((N, H_out, W_out, C * k * k))
        for i in range(H_out):
            for j in range(W_out):
                cols[:, i, j, :] = x_pad[:, :, i * s:i * s + k, j * s:j * s + k].reshape(N, -1)
        d = dout.transpose(0, 2, 3, 1).reshape(-1, F_)          # (N * H_out * W_out, F)
        self.db = d.sum(axis=0)
        self.dw = (d.T @ cols.reshape(-1, C * k * k)).reshape(self.weight.shape)
        dcols = (d @ self.weight.reshape(F_, -1)).reshape(N, H_out, W_out, C, k, k)
        dx_pad = np.zeros(x_pad.shape)
        for i in range(H_out):
            for j in range(W_out):
                dx_pad[:, :, i * s:i * s + k, j * s:j * s + k] += dcols[:, i, j]
        self.dx = dx_pad[:, :, p:p + H, p:p + W]
