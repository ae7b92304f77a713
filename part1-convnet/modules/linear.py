"""Fully connected (affine) layer."""
import numpy as np


def hello_do_you_copy():
    """Prints a line, so the notebook can check that Python finds this file."""
    print("Roger that from linear.py!")


def _check_size(name, value):
    """Raise a clear error unless value is a positive int (NumPy's own would not name it)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError("Linear: %s must be a positive int (a number of values per sample), "
                         "got %r; e.g. Linear(in_dim=8192, out_dim=10)" % (name, value))


class Linear:
    """out = x @ weight + bias (i.e. Wx + b), where each sample of x is first flattened.

    Shape:
        - Input: (N, d_1, ..., d_k) with d_1 * ... * d_k = in_dim (e.g. (N, C, H, W))
        - Output: (N, out_dim)

    Attributes:
        weight: (in_dim, out_dim)  -- note: the transpose of torch.nn.Linear's
        bias: (out_dim,)
        dx, dw, db: gradients set by backward(); None before that.
    """

    def __init__(self, in_dim, out_dim):
        _check_size("in_dim", in_dim)
        _check_size("out_dim", out_dim)
        self.in_dim = in_dim
        self.out_dim = out_dim
        self.cache = None
        self._init_weights()

    def _init_weights(self):
        np.random.seed(1024)
        self.weight = 1e-3 * np.random.randn(self.in_dim, self.out_dim)
        # Seeding again leaves NumPy's global generator in the same state after every
        # Linear layer (the Solver's minibatch draws depend on it).
        np.random.seed(1024)
        self.bias = np.zeros(self.out_dim)
        self.dx = None
        self.dw = None
        self.db = None

    def forward(self, x):
        """Flatten each sample and apply the affine map.

        Inputs:
        - x: input of shape (N, d_1, ..., d_k), d_1 * ... * d_k = in_dim

        Returns:
        - out: output of shape (N, out_dim)
        """
        try:
            x = np.asarray(x)
        except ValueError as e:   # a ragged list
            raise TypeError("Linear.forward expects a numeric array, could not convert x (%s)" % e)
        if x.dtype.kind not in "biuf":
            raise TypeError("Linear.forward expects a numeric array, got dtype %s" % (x.dtype,))
        if x.ndim < 2:
            raise ValueError("Linear expects a batch of shape (N, d_1, ..., d_k), got shape %s; "
                             "for a single sample add the batch axis: x[None]" % (x.shape,))
        per_sample = int(np.prod(x.shape[1:]))
        if per_sample != self.in_dim:
            raise ValueError("Linear expects each sample to have in_dim = %d values in total, "
                             "got input shape %s (%d per sample); check in_dim against the "
                             "previous layer's output" % (self.in_dim, x.shape, per_sample))
        out = None
        # BEGIN SOLUTION: implement the forward pass of the linear layer
        #: Hint: flatten each sample first: x has shape (N, d_1, ..., d_k) and
        #: d_1 * ... * d_k = in_dim.
        out = x.reshape(x.shape[0], -1) @ self.weight + self.bias
        # END SOLUTION
        self.cache = x
        return out

    def backward(self, dout):
        """Gradients of the loss with respect to x, weight and bias.

        Inputs:
        - dout: upstream gradient, of shape (N, out_dim)

        Sets self.dx (the ORIGINAL shape of x), self.dw (in_dim, out_dim) and
        self.db (out_dim,); returns nothing.
        """
        if self.cache is None:
            raise RuntimeError("Linear.backward() was called before forward(): run forward(x) "
                               "on the same batch first")
        x = self.cache
        dout = np.asarray(dout)
        if dout.shape != (x.shape[0], self.out_dim):
            raise ValueError("Linear.backward expects dout of shape (N, out_dim) = %s, the shape "
                             "of forward's output, got %s; pass the gradient of this layer's "
                             "output" % ((x.shape[0], self.out_dim), dout.shape))
        # BEGIN SOLUTION: implement the backward pass: set self.dx, self.dw and self.db
        #: Hint: dout has shape (N, out_dim); self.dx must have the shape of x.
        x_flat = x.reshape(x.shape[0], -1)
        self.dx = (dout @ self.weight.T).reshape(x.shape)
        self.dw = x_flat.T @ dout
        self.db = dout.sum(axis=0)
        # END SOLUTION
