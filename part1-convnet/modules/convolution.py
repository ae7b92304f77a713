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
        # One matrix product for the whole batch: (F, C*k*k) @ (C*k*k, N*H'*W').
        out = self.weight.reshape(F, -1) @ cols
        # Back to (N, F, H', W'): adding the bias while copying saves a pass over the output.
        out = np.add(out.reshape(F, N, Ho, Wo).transpose(1, 0, 2, 3),
                     self.bias[None, :, None, None], out=np.empty((N, F, Ho, Wo)))
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
        F = dout.shape[1]
        # Same (F, N*H'*W') layout as the forward product, so each gradient is ONE matmul.
        dout = dout.transpose(1, 0, 2, 3).reshape(F, -1)
        self.db = dout.sum(axis=1)
        self.dw = (dout @ cols.T).reshape(self.weight.shape)
        # Each column of cols was read from one window of x, so its gradient W^T dout is
        # added back onto that window (overlapping windows add up).
        dcols = self.weight.reshape(F, -1).T @ dout
        self.dx = _col2im(dcols, x.shape, self.kernel_size, self.stride, self.padding)
        # END SOLUTION


# BEGIN SOLUTION: write any helper functions you need here | stub: pass
def _out_size(H, W, k, stride, padding):
    return (H + 2 * padding - k) // stride + 1, (W + 2 * padding - k) // stride + 1


def _im2col(x, k, stride, padding):
    """Lay every receptive field of x out as a column: returns (cols, (H', W')).

    cols has shape (C*k*k, N*H'*W'); the column of image n at output position (i, j) holds
    the C*k*k input values that this output looks at, ordered like weight.reshape(F, -1).
    """
    N, C, H, W = x.shape
    p = padding
    Ho, Wo = _out_size(H, W, k, stride, p)
    # Work on a (C, N, H+2p, W+2p) layout: channel-major, like the rows of cols.
    if p > 0:
        xp = np.zeros((C, N, H + 2 * p, W + 2 * p))
        xp[:, :, p:p + H, p:p + W] = x.transpose(1, 0, 2, 3)
    else:
        xp = x.transpose(1, 0, 2, 3)          # a view: the gather below reads x directly
    sC, sN, sH, sW = xp.strides
    # A view of every window without copying: win[c, i, j, n, oh, ow] =
    # xp[c, n, oh * stride + i, ow * stride + j]. The reshape below copies it once.
    win = np.lib.stride_tricks.as_strided(
        xp, shape=(C, k, k, N, Ho, Wo),
        strides=(sC, sH, sW, sN, stride * sH, stride * sW), writeable=False)
    return win.reshape(C * k * k, N * Ho * Wo), (Ho, Wo)


def _col2im(dcols, x_shape, k, stride, padding):
    """The adjoint of _im2col: add each column back onto the window it came from.

    The loop runs over the k*k kernel offsets only; each step adds one strided slice
    for all images, channels and output positions at once.
    """
    N, C, H, W = x_shape
    p = padding
    Ho, Wo = _out_size(H, W, k, stride, p)
    dcols = dcols.reshape(C, k, k, N, Ho, Wo)
    dxp = np.zeros((C, N, H + 2 * p, W + 2 * p))
    for i in range(k):
        for j in range(k):
            dxp[:, :, i:i + stride * Ho:stride, j:j + stride * Wo:stride] += dcols[:, i, j]
    return np.ascontiguousarray(dxp[:, :, p:p + H, p:p + W].transpose(1, 0, 2, 3))
# END SOLUTION
