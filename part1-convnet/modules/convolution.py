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
        # The zero-padded batch xp[n, c, h, w], with rows of R = W + p values instead of
        # W + 2 * p: the p zeros that start a row are its left padding and also the right
        # padding of the row above. One more zero row at the bottom takes the overrun of
        # the last windows (see below). R only grows in corner cases: an output row must
        # fit in a stored row, and the overrun (k - 2 values) in the spare row.
        R = max(W + p, W_out, k - 1)
        xp = np.zeros((N, C, H + 2 * p + 1, R))
        xp[:, :, p:p + H, p:p + W] = x
        # im2col through a strided view (no copy): win[n, c, i, j, oh, ow] is the pixel at
        # offset (i, j) of the window of output position (oh, ow) in image n. With stride
        # 1, ow runs over all R columns of a stored row, not only the W_out real ones: the
        # extra "wide" windows wrap into the next row, and forward drops their outputs
        # (about 6% more arithmetic for bench.py's shapes). In exchange, (oh, ow) becomes a
        # single index t = oh * R + ow with step 1, so each row of cols below is one
        # contiguous run of xp (a fast copy), and backward can send each row of column
        # gradients back to dx as a whole (see col2im there).
        Wq = R if s == 1 else W_out   # output columns computed per output row
        sN, sC, sH, sW = xp.strides
        win = np.lib.stride_tricks.as_strided(
            xp, shape=(N, C, k, k, H_out, Wq),
            strides=(sN, sC, sH, sW, s * sH, s * sW), writeable=False)
        # The convolution is one matrix product per image, out[n] = [weights | bias] @
        # [cols[n]; ones]: cols[n] has one row per filter weight (ordered like
        # weight.reshape(F, K)) and one column per output position; the row of ones adds
        # the bias ("bias trick"). Each product writes its image's (F, H_out, Wq) output
        # in place, so no transpose is needed. The columns of the whole batch would be K
        # times the size of the input (30 MB for 50 CIFAR images and 5x5 kernels) and
        # would travel through main memory twice. So we build them for a band of a few
        # images at a time, about 0.5 MB, and multiply them while they are still in the
        # CPU cache.
        nb = max(1, min(N, 2 ** 19 // (8 * (K + 1) * H_out * Wq)))   # images per band
        cols = np.empty((nb, K + 1, H_out * Wq))
        cols[:, K] = 1
        weight_bias = np.column_stack([self.weight.reshape(F, K), self.bias])   # (F, K + 1)
        out = np.empty((N, F, H_out, Wq))
        for n in range(0, N, nb):
            c = cols[:min(nb, N - n)]   # the last band may hold fewer images
            c[:, :K].reshape(win[n:n + nb].shape)[...] = win[n:n + nb]   # the im2col copy
            np.matmul(weight_bias, c, out=out[n:n + nb].reshape(len(c), F, -1))
        self._xp, self._win, self._nb = xp, win, nb   # backward builds the same bands again
        out = out[:, :, :, :W_out]   # drop the wide windows' outputs (a view, no copy)
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
        xp, win, nb = self._xp, self._win, self._nb   # forward's padded batch and its view
        R = xp.shape[3]     # row stride of the padded batch
        Wq = win.shape[5]   # R with stride 1 (wide windows), else W_out
        T = H_out * Wq      # columns per image
        # Forward computed out[n] = [weights | bias] @ [cols[n]; ones] band by band, so
        # [dW | db] is the sum over images of dout[n] @ [cols[n]; ones]^T, and the gradient
        # of each image's columns is dcols[n] = weights^T @ dout[n]. The columns are
        # rebuilt band by band, as in forward: cheaper than keeping all of them.
        dwb = np.zeros((K + 1, F))   # [dW | db], transposed
        dxp = np.zeros_like(xp)
        cols = np.empty((nb, K + 1, T))
        cols[:, K] = 1
        weight_t = self.weight.reshape(F, K).T
        # dout in the columns' layout, zero in the wide windows' columns: forward dropped
        # their outputs, so their gradient is zero (their columns hold real pixels, so
        # anything else would leak into dW and dx).
        d = np.zeros((nb, F, H_out, Wq))
        if s == 1:
            # For col2im (below): a buffer for the column gradients of a band, each row
            # (n, c, i, j) followed by G zeros (and G zeros before the first row), and
            # two more views. moved[n, c, i, j, u] = dcols[n, (c, i, j), u - i * R - j]:
            # its step over j is 1 value short of a row and its step over i is R values
            # short of k rows, so it shows each row moved right by i * R + j, with zeros
            # around it. dx_flat[n, c] is dxp[n, c] flattened (its first L values: all
            # that receive gradient).
            G = (k - 1) * (R + 1)   # the largest move
            L = T + G               # row step in the buffer
            e = 8                   # bytes per float64
            buf = np.zeros(G + nb * K * L)[G:]
            dcols = np.lib.stride_tricks.as_strided(buf, (nb, K, T), (K * L * e, L * e, e))
            moved = np.lib.stride_tricks.as_strided(
                buf, (nb, C, k, k, L), (K * L * e, k * k * L * e, (k * L - R) * e, (L - 1) * e, e))
            dx_flat = np.lib.stride_tricks.as_strided(dxp, (N, C, L), dxp.strides[:2] + (e,))
        else:
            dx_win = np.lib.stride_tricks.as_strided(dxp, win.shape, win.strides)
        for n in range(0, N, nb):
            m = min(nb, N - n)   # images in this band
            c = cols[:m]
            c[:, :K].reshape(win[n:n + m].shape)[...] = win[n:n + m]
            d[:m, :, :, :W_out] = dout[n:n + m]
            d_band = d[:m].reshape(m, F, T)
            dwb += np.matmul(c, d_band.transpose(0, 2, 1)).sum(axis=0)
            # col2im: forward copied padded pixel (oh * s + i, ow * s + j) of channel c
            # into column row (c, i, j) of output position (oh, ow), so the gradient of
            # that column entry goes back there. Overlapping windows add up.
            if s == 1:
                # With the wide rows, that pixel is t + i * R + j of the flattened
                # channel, for column t: each row (c, i, j) of dcols goes back whole,
                # moved by i * R + j. The view `moved` shows every row already moved, so
                # one sum over (i, j) writes the band's dxp: no k * k strided additions.
                np.matmul(weight_t, d_band, out=dcols[:m])
                moved[:m].sum(axis=(2, 3), out=dx_flat[n:n + m])
            else:
                # Stride > 1: one strided slice of dxp per kernel offset (i, j).
                dcols_s = (weight_t @ d_band).reshape(m, C, k, k, H_out, Wq)
                for i in range(k):
                    for j in range(k):
                        dx_win[n:n + m, :, i, j] += dcols_s[:, :, i, j]
        self.dw = dwb[:K].T.reshape(self.weight.shape)
        self.db = dwb[K].copy()
        self.dx = dxp[:, :, p:p + H, p:p + W]   # drop the padding (a view)
        # END SOLUTION
