"""2-D max pooling layer."""
import numpy as np


class MaxPooling:
    """Max pooling over kernel_size x kernel_size windows taken every `stride` pixels.

    Windows may overlap (stride < kernel_size). Each channel is pooled on its own.

    Shape:
        - Input: (N, C, H, W)
        - Output: (N, C, H', W') with H' = (H - kernel_size) // stride + 1 and W' likewise.
    """

    def __init__(self, kernel_size, stride):
        self.kernel_size = kernel_size
        self.stride = stride
        self.cache = None
        self.dx = None

    def forward(self, x):
        """Take the maximum of every window.

        Inputs:
        - x: input of shape (N, C, H, W)

        Returns:
        - out: output of shape (N, C, H', W')

        Stores in self.cache whatever backward() needs.
        """
        x = np.asarray(x)
        if x.ndim != 4:
            raise ValueError("MaxPooling expects a 4-D input (N, C, H, W), got shape %s"
                             % (x.shape,))
        if x.shape[2] < self.kernel_size or x.shape[3] < self.kernel_size:
            raise ValueError("MaxPooling input %s is smaller than its %dx%d window"
                             % (x.shape, self.kernel_size, self.kernel_size))
        # BEGIN SOLUTION: compute the pooled output and fill self.cache
        k, s = self.kernel_size, self.stride
        N, C, H, W = x.shape
        Ho, Wo = (H - k) // s + 1, (W - k) // s + 1
        # x[:, :, i::s, j::s] (cropped to H' x W') holds the element at offset (i, j) of every
        # window, so the window maxima are the element-wise maximum of k*k such slices.
        out = x[:, :, 0:s * Ho:s, 0:s * Wo:s].copy()
        for i in range(k):
            for j in range(k):
                np.maximum(out, x[:, :, i:i + s * Ho:s, j:j + s * Wo:s], out=out)
        self.cache = (x, out)
        # END SOLUTION
        return out

    def backward(self, dout):
        """Route each upstream gradient to the position that won its window.

        Inputs:
        - dout: upstream gradient, of shape (N, C, H', W')

        Sets self.dx, of shape (N, C, H, W); returns nothing. Where windows overlap,
        an input that won several windows receives the sum of their gradients.
        """
        if self.cache is None:
            raise RuntimeError("MaxPooling.backward() was called before forward(): run "
                               "forward(x) on the same batch first")
        # BEGIN SOLUTION: compute self.dx from dout and self.cache
        x, out = self.cache
        k, s = self.kernel_size, self.stride
        Ho, Wo = out.shape[2:]
        dx = np.zeros(x.shape)
        # Visit the window offsets in row-major order; the first offset whose value equals
        # the window's maximum wins it (ties go to the first maximum), all windows at once.
        unrouted = np.ones(out.shape, dtype=bool)
        for i in range(k):
            for j in range(k):
                view = (slice(None), slice(None), slice(i, i + s * Ho, s), slice(j, j + s * Wo, s))
                wins = (x[view] == out) & unrouted
                unrouted &= ~wins
                dx[view] += np.where(wins, dout, 0.0)   # += : overlapping windows add up
        self.dx = dx
        # END SOLUTION
