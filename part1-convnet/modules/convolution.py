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
        K = C * k * k   # weights per filter
        # The zero-padded batch, stored batch-last: xp[c, h, w, n]. Only the memory order
        # changes, not the arithmetic: the N images' pixels at one (c, h, w) sit side by
        # side, so the copies below move long runs of memory instead of short image rows.
        xp = np.zeros((C, H + 2 * p, W + 2 * p, N))
        xp[:, p:p + H, p:p + W, :] = x.transpose(1, 2, 3, 0)
        # im2col through a strided view (no copy): win[c, i, j, oh, ow, n] is the pixel at
        # offset (i, j) of the window of output position (oh, ow) in image n.
        sC, sH, sW, sN = xp.strides
        win = np.lib.stride_tricks.as_strided(
            xp, shape=(C, k, k, H_out, W_out, N),
            strides=(sC, sH, sW, s * sH, s * sW, sN), writeable=False)
        # The convolution is one matrix product, out = [weights | bias] @ [cols; ones]: cols
        # has one row per filter weight (ordered like weight.reshape(F, K)) and one column
        # per output position of every image; the row of ones adds the bias ("bias trick").
        # All of cols at once would be K times the size of the input (30 MB for 50 CIFAR
        # images and 5x5 kernels) and would travel through main memory twice. So we build
        # it one band of output rows at a time, about 1 MB, and multiply it while it is
        # still in the CPU cache (with the bias trick: a quarter less time for 50 images).
        rows = min(H_out, max(1, 2 ** 20 // (8 * K * W_out * N)))   # output rows per band
        cols = np.empty((K + 1, rows * W_out * N))
        cols[K] = 1
        weight_bias = np.column_stack([self.weight.reshape(F, K), self.bias])   # (F, K + 1)
        out = np.empty((F, H_out, W_out, N))   # batch-last, like xp
        for r in range(0, H_out, rows):
            band = win[:, :, :, r:r + rows]    # the last band may have fewer rows
            c = cols[:, :band.shape[3] * W_out * N]
            c[:K].reshape(band.shape)[...] = band   # the im2col copy
            np.matmul(weight_bias, c, out=out[:, r:r + rows].reshape(F, -1))
        # (F, H', W', N) seen as (N, F, H', W'): a transposed view, no copy.
        out = out.transpose(3, 0, 1, 2)
        self._win, self._rows = win, rows   # backward builds the same bands again
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
        K = C * k * k
        win, rows = self._win, self._rows   # forward's strided view of the padded batch
        # dout in the columns' order, batch-last: d[f, oh, (ow, n)].
        d = dout.transpose(1, 2, 3, 0).reshape(F, H_out, W_out * N)
        # Forward computed out = [weights | bias] @ [cols; ones] band by band, so
        # [dW | db] = d @ [cols; ones]^T sums over the bands, and the gradient of each band's
        # columns is dcols = weights^T @ d. The columns are rebuilt band by band, as in
        # forward: cheaper than keeping all of them.
        dwb = np.zeros((K + 1, F))   # [dW | db], transposed
        dxp = np.zeros((C, H + 2 * p, W + 2 * p, N))
        cols = np.empty((K + 1, rows * W_out * N))
        cols[K] = 1
        weight_t = self.weight.reshape(F, K).T
        for r in range(0, H_out, rows):
            band = win[:, :, :, r:r + rows]
            nr = band.shape[3]   # output rows in this band
            c = cols[:, :nr * W_out * N]
            c[:K].reshape(band.shape)[...] = band
            d_band = d[:, r:r + nr].reshape(F, -1)
            # (cols @ d^T is the transpose of d @ cols^T: OpenBLAS runs this order faster.)
            dwb += c @ d_band.T
            dcols = (weight_t @ d_band).reshape(C, k, k, nr, W_out, N)
            # col2im: forward copied padded pixel (c, oh * s + i, ow * s + j) into the
            # column row (c, i, j) of output position (oh, ow), so the gradient of that
            # column entry goes back there: for every kernel offset (i, j), a strided slice
            # of dxp receives dcols[:, i, j]. Overlapping windows add up.
            for i in range(k):
                for j in range(k):
                    dxp[:, r * s + i:(r + nr) * s + i:s, j:j + s * W_out:s] += dcols[:, i, j]
        self.dw = dwb[:K].T.reshape(self.weight.shape)
        self.db = dwb[K].copy()
        # Drop the padding; back to (N, C, H, W) as a transposed view.
        self.dx = dxp[:, p:p + H, p:p + W].transpose(3, 0, 1, 2)
        # END SOLUTION
