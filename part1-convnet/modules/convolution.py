"""2-D convolution layer (cross-correlation, as in every deep learning library)."""
import numpy as np


def hello_do_you_copy():
    """Prints a line, so the notebook can check that Python finds this file."""
    print("Roger that from convolution.py!")


def _check_int(name, value, smallest):
    """Raise a clear error unless value is an int >= smallest (NumPy's own would not name it)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < smallest:
        raise ValueError("Conv2D: %s must be an int >= %d, got %r; pass e.g. %s=%d"
                         % (name, smallest, value, name, smallest))


class Conv2D:
    """A convolution layer with `out_channels` filters; each filter spans all input channels
    and kernel_size x kernel_size pixels.

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
        for name, value, smallest in (("in_channels", in_channels, 1),
                                      ("out_channels", out_channels, 1),
                                      ("kernel_size", kernel_size, 1), ("stride", stride, 1),
                                      ("padding", padding, 0)):
            _check_int(name, value, smallest)
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
        """x as an array; raise an error that says what was expected if it cannot be convolved."""
        try:
            x = np.asarray(x)
        except ValueError as e:   # a ragged list
            raise TypeError("Conv2D expects a numeric array (N, C, H, W), could not convert the "
                            "input (%s)" % e)
        if x.dtype.kind not in "biuf":
            raise TypeError("Conv2D expects a numeric array (N, C, H, W), got dtype %s"
                            % (x.dtype,))
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
        return x

    def _check_dout(self, dout, x_shape):
        """dout as an array; a ValueError unless it has the shape of forward's output."""
        dout = np.asarray(dout)
        N, _, H, W = x_shape
        k, s, p = self.kernel_size, self.stride, self.padding
        expected = (N, self.out_channels, (H + 2 * p - k) // s + 1, (W + 2 * p - k) // s + 1)
        if dout.shape != expected:
            raise ValueError("Conv2D.backward expects dout of shape (N, F, H', W') = %s, the "
                             "shape of forward's output, got %s; pass the gradient of this "
                             "layer's output" % (expected, dout.shape))
        return dout

    def forward(self, x):
        """Convolve every image of the batch with every filter and add the bias.

        Inputs:
        - x: input images, of shape (N, C, H, W)

        Returns:
        - out: output of shape (N, F, H', W')
        """
        x = self._check_input(x)
        out = None
        # BEGIN SOLUTION: implement the forward pass of the convolution layer
        #: Hint: np.pad can add the zero padding. Loops are allowed; vectorised code is
        #: not required.
        N, C, H, W = x.shape
        F, k, s, p = self.out_channels, self.kernel_size, self.stride, self.padding
        H_out, W_out = (H + 2 * p - k) // s + 1, (W + 2 * p - k) // s + 1
        xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p))) if p > 0 else x
        # im2col through a strided view (no copy): win[n, c, i, j, oh, ow] is the input
        # pixel at offset (i, j) of output position (oh, ow)'s window. The reshape copies
        # it once into cols, shape (N, C*k*k, H'*W'), ordered like weight.reshape(F, -1).
        sN, sC, sH, sW = xp.strides
        win = np.lib.stride_tricks.as_strided(
            xp, shape=(N, C, k, k, H_out, W_out),
            strides=(sN, sC, sH, sW, s * sH, s * sW), writeable=False)
        cols = win.reshape(N, C * k * k, H_out * W_out)
        # (F, C*k*k) @ (N, C*k*k, P) -> (N, F, P): one BLAS product per image, already in
        # (N, F, ...) order.
        out = np.matmul(self.weight.reshape(F, -1), cols)
        out += self.bias[:, None]
        out = out.reshape(N, F, H_out, W_out)
        # END SOLUTION
        self.cache = x
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
        x = self.cache
        dout = self._check_dout(dout, x.shape)
        # BEGIN SOLUTION: implement the backward pass: set self.dx, self.dw and self.db
        #: Hint: loops are allowed. The padding is part of the forward pass, so take it
        #: into account when computing dx.
        N, C, H, W = x.shape
        F, k, s, p = self.out_channels, self.kernel_size, self.stride, self.padding
        H_out, W_out = dout.shape[2:]
        d = dout.reshape(N, F, -1)                                      # (N, F, P), P = H'*W'
        self.db = d.sum(axis=(0, 2))

        # dW[f, q] = sum over images n and positions p of d[n, f, p] * cols[n, q, p], with
        # cols the same im2col matrix as in forward (rebuilt from the cached x).
        xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p))) if p > 0 else x
        sN, sC, sH, sW = xp.strides
        win = np.lib.stride_tricks.as_strided(
            xp, shape=(N, C, k, k, H_out, W_out),
            strides=(sN, sC, sH, sW, s * sH, s * sW), writeable=False)
        cols = win.reshape(N, C * k * k, H_out * W_out)
        self.dw = np.matmul(d, cols.transpose(0, 2, 1)).sum(axis=0).reshape(self.weight.shape)

        # dx: input pixel (c, h, w) was read by output (oh, ow) through kernel offset (i, j)
        # when h = oh * s + i - p (and likewise w), so for every offset the strided slice
        # dxp[:, :, i::s, j::s] of the padded gradient receives W[:, :, i, j]^T d.
        # Overlapping windows add up; the loops run over the k*k kernel offsets only.
        dxp = np.zeros(xp.shape)

        def window(i, j):
            return (slice(None), slice(None), slice(i, i + s * H_out, s),
                    slice(j, j + s * W_out, s))

        # Both branches compute the same sum; which is faster depends on F / C (the
        # crossover near F = 4 C was measured with bench.py, single-threaded OpenBLAS).
        if F > 4 * C:
            # Few input channels (e.g. RGB): one product gives the gradient of every column
            # at once, (C*k*k, F) @ (N, F, P).
            dcols = np.matmul(self.weight.reshape(F, -1).T, d).reshape(N, C, k, k, H_out, W_out)
            for i in range(k):
                for j in range(k):
                    dxp[window(i, j)] += dcols[:, :, i, j]
        else:
            # Many input channels: a (C, F) @ (N, F, P) product per offset avoids building
            # the large (N, C*k*k, P) column-gradient matrix.
            for i in range(k):
                for j in range(k):
                    grad = np.matmul(self.weight[:, :, i, j].T, d)
                    dxp[window(i, j)] += grad.reshape(N, C, H_out, W_out)
        self.dx = np.ascontiguousarray(dxp[:, :, p:p + H, p:p + W])
        # END SOLUTION
