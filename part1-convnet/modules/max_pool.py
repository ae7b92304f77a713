"""2-D max pooling layer."""
import numpy as np


def hello_do_you_copy():
    """Prints a line, so the notebook can check that Python finds this file."""
    print("Roger that from max_pool.py!")


def _check_int(name, value):
    """Raise a clear error unless value is a positive int (a stride of 0 would divide by zero)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError("MaxPooling: %s must be an int >= 1, got %r; pass e.g. %s=2"
                         % (name, value, name))


class MaxPooling:
    """Max pooling of the input: the maximum of kernel_size x kernel_size windows taken
    every `stride` pixels, each channel on its own. Windows may overlap (stride < kernel_size).

    Shape:
        - Input: (N, C, H, W)
        - Output: (N, C, H', W') with H' = (H - kernel_size) // stride + 1 and W' likewise.
    """

    def __init__(self, kernel_size, stride):
        _check_int("kernel_size", kernel_size)
        _check_int("stride", stride)
        self.kernel_size = kernel_size
        self.stride = stride
        self.cache = None
        self.dx = None

    def _check_dout(self, dout, x_shape):
        """dout as an array; a ValueError unless it has the shape of forward's output."""
        dout = np.asarray(dout)
        N, C, H, W = x_shape
        k, s = self.kernel_size, self.stride
        expected = (N, C, (H - k) // s + 1, (W - k) // s + 1)
        if dout.shape != expected:
            raise ValueError("MaxPooling.backward expects dout of shape (N, C, H', W') = %s, the "
                             "shape of forward's output, got %s; pass the gradient of this "
                             "layer's output" % (expected, dout.shape))
        return dout

    def forward(self, x):
        """Take the maximum of every window.

        Inputs:
        - x: input of shape (N, C, H, W)

        Returns:
        - out: output of shape (N, C, H', W')

        The code after the TODO stores (x, H_out, W_out) in self.cache, so name the
        output's height and width H_out and W_out.
        """
        try:
            x = np.asarray(x)
        except ValueError as e:   # a ragged list
            raise TypeError("MaxPooling expects a numeric array (N, C, H, W), could not convert "
                            "the input (%s)" % e)
        if x.dtype.kind not in "biuf":
            raise TypeError("MaxPooling expects a numeric array (N, C, H, W), got dtype %s"
                            % (x.dtype,))
        if x.ndim != 4:
            raise ValueError("MaxPooling expects a 4-D input (N, C, H, W), got shape %s; add a "
                             "batch axis with x[None] for a single image" % (x.shape,))
        if x.shape[2] < self.kernel_size or x.shape[3] < self.kernel_size:
            raise ValueError("MaxPooling input %s is smaller than its %dx%d window"
                             % (x.shape, self.kernel_size, self.kernel_size))
        out = None
        # BEGIN SOLUTION: implement the forward pass of max pooling
        #: Hint: loops are allowed. Define H_out and W_out, the output's height and width:
        #: the code below stores them in self.cache.
        k, s = self.kernel_size, self.stride
        N, C, H, W = x.shape
        H_out, W_out = (H - k) // s + 1, (W - k) // s + 1
        # Work on a batch-last copy, xb[c, h, w, n]: the N images' pixels at one (c, h, w)
        # sit side by side, so every step below runs over long stretches of memory instead
        # of a few strided pixels of an image row. (Conv2D's output is already stored this
        # way: then this is no copy.)
        xb = np.ascontiguousarray(x.transpose(1, 2, 3, 0))
        # xb[:, i::s, j::s] (cropped to H' x W') holds the element at offset (i, j) of
        # every window, so the window maxima are the element-wise maximum of k*k slices.
        out = xb[:, 0:s * H_out:s, 0:s * W_out:s].copy()   # offset (0, 0)
        for i in range(k):
            for j in range(k):
                if i or j:
                    np.maximum(out, xb[:, i:i + s * H_out:s, j:j + s * W_out:s], out=out)
        self._xb, self._out = xb, out   # backward compares the elements with the maxima
        out = out.transpose(3, 0, 1, 2)  # (C, H', W', N) seen as (N, C, H', W'): a view
        # END SOLUTION
        self.cache = (x, H_out, W_out)
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
        x, H_out, W_out = self.cache
        dout = self._check_dout(dout, x.shape)
        # BEGIN SOLUTION: implement the backward pass of max pooling: set self.dx
        #: Hint: loops are allowed; np.unravel_index may help you find the position of
        #: each window's maximum.
        k, s = self.kernel_size, self.stride
        xb, out = self._xb, self._out     # batch-last, from forward
        d = np.ascontiguousarray(dout.transpose(1, 2, 3, 0))   # dout batch-last too
        dxb = np.zeros(xb.shape)
        # Each window's gradient goes to the first of its elements (row-major order) that
        # equals its maximum. Visit the k*k offsets in that order, all windows at once;
        # `free` marks the windows whose winner has not been found yet.
        free = np.ones(out.shape, dtype=bool)
        for i in range(k):
            for j in range(k):
                window = (slice(None), slice(i, i + s * H_out, s), slice(j, j + s * W_out, s))
                wins = (xb[window] == out) & free
                free ^= wins
                if k <= s:   # windows do not overlap: each input is in one window at most
                    np.multiply(d, wins, out=dxb[window])
                else:        # overlapping windows: an input's gradients from each add up
                    dxb[window] += d * wins
        self.dx = dxb.transpose(3, 0, 1, 2)   # back to (N, C, H, W), as a view
        # END SOLUTION
