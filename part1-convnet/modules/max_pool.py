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
        sN, sC, sH, sW = x.strides
        # View of every window, (N, C, H', W', k, k), then one copy to flatten each window.
        win = np.lib.stride_tricks.as_strided(
            x, shape=(N, C, Ho, Wo, k, k), strides=(sN, sC, s * sH, s * sW, sH, sW),
            writeable=False).reshape(N, C, Ho, Wo, k * k)
        arg = win.argmax(axis=-1)                     # argmax keeps the FIRST maximum on ties
        out = np.take_along_axis(win, arg[..., None], axis=-1)[..., 0]
        self.cache = (x.shape, arg)
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
        x_shape, arg = self.cache
        k, s = self.kernel_size, self.stride
        Ho, Wo = arg.shape[2:]
        dx = np.zeros(x_shape, dtype=np.result_type(dout, np.float64))
        # One step per kernel offset (i, j): every window whose winner sits at that offset
        # sends its gradient to the matching strided slice of dx, all windows at once.
        for i in range(k):
            for j in range(k):
                won = arg == i * k + j
                if won.any():
                    dx[:, :, i:i + s * Ho:s, j:j + s * Wo:s] += np.where(won, dout, 0.0)
        self.dx = dx
        # END SOLUTION
