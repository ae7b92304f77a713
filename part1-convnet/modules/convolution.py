"""2-D convolution layer (cross-correlation, as in every deep learning library)."""
import numpy as np


class Conv2D:
    """A convolution layer with `out_channels` filters of size kernel_size x kernel_size.

    Shape:
        - Input: (N, C, H, W) with C = in_channels
        - Output: (N, F, H', W') with F = out_channels,
          H' = (H + 2 * padding - kernel_size) // stride + 1 and W' likewise.

    Attributes:
        weight: (F, C, kernel_size, kernel_size)
        bias: (F,)
        dx, dw, db: gradients set by backward(); None before that.
    """

    def __init__(self, in_channels, out_channels, kernel_size=3, stride=1, padding=0):
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = kernel_size
        self.stride = stride
        self.padding = padding
        self.cache = None
        self._init_weights()

    def _init_weights(self):
        np.random.seed(1024)
        self.weight = 1e-3 * np.random.randn(self.out_channels, self.in_channels,
                                             self.kernel_size, self.kernel_size)
        self.bias = np.zeros(self.out_channels)
        self.dx = None
        self.dw = None
        self.db = None

    def _check_input(self, x):
        """Raise a ValueError that says what was expected if x cannot be convolved."""
        x = np.asarray(x)
        if x.ndim != 4:
            raise ValueError("Conv2D expects a 4-D input (N, C, H, W), got shape %s; "
                             "add a batch axis with x[None] for a single image" % (x.shape,))
        if x.shape[1] != self.in_channels:
            raise ValueError("Conv2D expects %d input channels (axis 1 of (N, C, H, W)), got "
                             "shape %s" % (self.in_channels, x.shape))
        k, p = self.kernel_size, self.padding
        if x.shape[2] + 2 * p < k or x.shape[3] + 2 * p < k:
            raise ValueError("Conv2D input %s is smaller than the %dx%d kernel even after "
                             "padding %d" % (x.shape, k, k, p))

    def forward(self, x):
        """Convolve every image of the batch with every filter and add the bias.

        Inputs:
        - x: input images, of shape (N, C, H, W)

        Returns:
        - out: output of shape (N, F, H', W')

        Stores in self.cache whatever backward() needs (the unpadded x included).
        """
        self._check_input(x)
        # BEGIN SOLUTION: compute the convolution output and fill self.cache
        N = x.shape[0]
        F = self.out_channels
        cols, (Ho, Wo) = _im2col(x, self.kernel_size, self.stride, self.padding)
        # (F, C*k*k) @ (N, C*k*k, H'*W') -> (N, F, H'*W'): one BLAS product per image,
        # and the result is already in (N, F, ...) order.
        out = np.matmul(self.weight.reshape(F, -1), cols)
        out += self.bias[:, None]
        out = out.reshape(N, F, Ho, Wo)
        self.cache = (x, cols)
        # END SOLUTION
        return out

    def backward(self, dout):
        """Gradients of the loss with respect to x, weight and bias.

        Inputs:
        - dout: upstream gradient, of shape (N, F, H', W')

        Sets self.dx (N, C, H, W), self.dw (F, C, k, k) and self.db (F,); returns nothing.
        """
        if self.cache is None:
            raise RuntimeError("Conv2D.backward() was called before forward(): run forward(x) "
                               "on the same batch first")
        # BEGIN SOLUTION: compute self.dx, self.dw and self.db from dout and self.cache
        x, cols = self.cache
        N, F = dout.shape[:2]
        dout = dout.reshape(N, F, -1)                                   # (N, F, P), P = H'*W'
        self.db = dout.sum(axis=(0, 2))
        # dW[f, q] = sum over images n and positions p of dout[n, f, p] * cols[n, q, p]
        self.dw = np.matmul(dout, cols.transpose(0, 2, 1)).sum(axis=0).reshape(self.weight.shape)
        self.dx = _conv_input_grad(dout, self.weight, x.shape, self.stride, self.padding)
        # END SOLUTION


# BEGIN SOLUTION: write any helper functions you need here | stub: pass
def _out_size(H, W, k, stride, padding):
    return (H + 2 * padding - k) // stride + 1, (W + 2 * padding - k) // stride + 1


def _im2col(x, k, stride, padding):
    """Lay every receptive field of x out as a column: returns (cols, (H', W')).

    cols has shape (N, C*k*k, H'*W'); column p of image n holds the C*k*k input values
    that output position p looks at, ordered like weight.reshape(F, -1).
    """
    N, C, H, W = x.shape
    p = padding
    Ho, Wo = _out_size(H, W, k, stride, p)
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p))) if p > 0 else x
    sN, sC, sH, sW = xp.strides
    # A view of every window without copying: win[n, c, i, j, oh, ow] =
    # xp[n, c, oh * stride + i, ow * stride + j]. The reshape below copies it once.
    win = np.lib.stride_tricks.as_strided(
        xp, shape=(N, C, k, k, Ho, Wo),
        strides=(sN, sC, sH, sW, stride * sH, stride * sW), writeable=False)
    return win.reshape(N, C * k * k, Ho * Wo), (Ho, Wo)


def _conv_input_grad(dout, weight, x_shape, stride, padding):
    """dL/dx for dout of shape (N, F, P): scatter W^T dout back onto the input windows.

    Input pixel (c, h, w) was read by output (oh, ow) through kernel offset (i, j) when
    h = oh * stride + i - padding (and likewise w), so for every offset the slice
    dx[:, :, i::stride, j::stride] (in padded coordinates) receives W[:, :, i, j]^T dout.
    Overlapping windows add up. The loop runs over the k*k kernel offsets only.
    """
    N, C, H, W = x_shape
    F, _, k, _ = weight.shape
    p = padding
    Ho, Wo = _out_size(H, W, k, stride, p)
    dxp = np.zeros((N, C, H + 2 * p, W + 2 * p))

    def window_slice(i, j):
        return (slice(None), slice(None), slice(i, i + stride * Ho, stride),
                slice(j, j + stride * Wo, stride))

    # Both branches compute the same sum; which is faster depends on F / C (the crossover
    # near F = 4 C was measured with bench.py-style timings, single-threaded OpenBLAS).
    if F > 4 * C:
        # Few input channels (e.g. RGB): one product gives the gradient of every column of
        # cols at once, (C*k*k, F) @ (N, F, P); reading dout k*k times would cost more.
        dcols = np.matmul(weight.reshape(F, -1).T, dout).reshape(N, C, k, k, Ho, Wo)
        for i in range(k):
            for j in range(k):
                dxp[window_slice(i, j)] += dcols[:, :, i, j]
    else:
        # Many input channels: a (C, F) @ (N, F, P) product per offset avoids building the
        # large (N, C*k*k, P) column-gradient matrix.
        for i in range(k):
            for j in range(k):
                grad = np.matmul(weight[:, :, i, j].T, dout)
                dxp[window_slice(i, j)] += grad.reshape(N, C, Ho, Wo)
    return np.ascontiguousarray(dxp[:, :, p:p + H, p:p + W]) if p > 0 else dxp
# END SOLUTION
