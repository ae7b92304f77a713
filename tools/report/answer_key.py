"""The theory answer key, computed rather than typed.

    python -m tools.report key      # print it

Q1  A convolution is linear in its input, so y = A x. We build A by asking, for
    every output pixel and every kernel tap, which input pixel that tap lands on
    once the zero padding is taken away. Taps that land on padding contribute
    nothing, so they leave no entry in A.
Q2  A ReLU network is linear wherever no pre-activation is exactly zero: fix
    which units are on (the "activation pattern") and the network collapses to
    W x + b. We read the pattern at x0, multiply the active parts of the layers
    together for W, and take b = h(x0) - W x0.
Q3  A short explanation, in words.

The tests (tools/tests/test_report.py) check Q1 against torch's conv2d and
Part 1's Conv2D on random inputs, and Q2 against torch autograd in float64.
"""
import numpy as np

# ---------------------------------------------------------------- Q1


def conv_taps(in_size=3, kernel=3, stride=4, pad=2):
    """Which kernel tap multiplies which input pixel, for a one-channel square conv.

    Inputs:
    - in_size: side of the (unpadded) square input, H = W
    - kernel: side of the square kernel, k
    - stride, pad: the convolution's stride and zero padding

    Returns:
    - taps: integer array of shape (out_size**2, in_size**2, 2); taps[r, c] is the
      (row, col) of the kernel entry that multiplies input pixel c for output pixel r,
      or (-1, -1) where A[r, c] = 0. Both x and y are flattened in row-major order.
      A pixel is hit by at most one tap per output, so one entry per (r, c) suffices.
    - out_size: H' = (H + 2p - k) // s + 1
    """
    out_size = (in_size + 2 * pad - kernel) // stride + 1
    if out_size < 1:
        raise ValueError("kernel %d does not fit an input of %d with padding %d; "
                         "expected in_size + 2*pad >= kernel" % (kernel, in_size, pad))
    taps = np.full((out_size * out_size, in_size * in_size, 2), -1, dtype=int)
    for i in range(out_size):
        for j in range(out_size):
            for a in range(kernel):
                for b in range(kernel):
                    # the tap (a, b) sits on padded pixel (i*s + a, j*s + b);
                    # shift by the padding to get the input pixel it reads
                    row, col = i * stride + a - pad, j * stride + b - pad
                    if 0 <= row < in_size and 0 <= col < in_size:
                        taps[i * out_size + j, row * in_size + col] = (a, b)
    return taps, out_size


def conv_matrix(weight, stride=4, pad=2, in_size=3):
    """The numeric matrix A with A @ x.flatten() == conv(x, weight).flatten().

    Inputs:
    - weight: kernel of shape (k, k)
    - stride, pad, in_size: as in conv_taps

    Returns:
    - A: array of shape (H'*W', H*W)
    """
    weight = np.asarray(weight)
    if weight.ndim != 2 or weight.shape[0] != weight.shape[1]:
        raise ValueError("expected a square (k, k) kernel, got shape %s" % (weight.shape,))
    taps, _ = conv_taps(in_size, weight.shape[0], stride, pad)
    A = np.zeros(taps.shape[:2], dtype=weight.dtype)
    hit = taps[..., 0] >= 0
    A[hit] = weight[taps[hit][:, 0], taps[hit][:, 1]]
    return A


def conv_matrix_symbols(in_size=3, kernel=3, stride=4, pad=2):
    """A written with the handout's names: a list of rows of strings 'w(a,b)' or '0'."""
    taps, _ = conv_taps(in_size, kernel, stride, pad)
    return [["w(%d,%d)" % tuple(t) if t[0] >= 0 else "0" for t in row] for row in taps]


# ---------------------------------------------------------------- Q2

# The handout's network, eq. (3)-(9): h(x) = W3 relu(W2 relu(W1 x + b1) + b2) + b3
Q2_NET = {
    "W1": np.array([[1.5], [0.5]]), "b1": np.array([0.0, 1.0]),
    "W2": np.array([[1.0, 2.0], [2.0, 1.0]]), "b2": np.array([0.0, 1.0]),
    "W3": np.array([[1.0, 1.0]]), "b3": np.array([-1.0]),
}
Q2_POINTS = (2.0, -1.0, 1.0)


def relu_net_local_linear(x0, net=Q2_NET):
    """The affine piece W x + b of the Q2 ReLU network that contains x0.

    Inputs:
    - x0: a scalar input
    - net: dict of W1, b1, W2, b2, W3, b3 (defaults to the handout's values)

    Returns a dict with
    - W, b: floats, the slope dh/dx at x0 and the intercept, with W x0 + b = h(x0)
    - h: h(x0)
    - z1, z2: the pre-activations of the two hidden layers (to show the work)
    - on1, on2: boolean masks of the active units

    Raises ValueError if a pre-activation is exactly zero: there h has a kink
    and no single slope exists.
    """
    x = np.array([float(x0)])
    z1 = net["W1"] @ x + net["b1"]
    a1 = np.maximum(z1, 0)
    z2 = net["W2"] @ a1 + net["b2"]
    a2 = np.maximum(z2, 0)
    h = (net["W3"] @ a2 + net["b3"]).item()
    if np.any(z1 == 0) or np.any(z2 == 0):
        raise ValueError("x0 = %g sits on a kink of h (a pre-activation is 0); "
                         "pick a point off the kink" % x0)
    on1, on2 = z1 > 0, z2 > 0
    # an inactive unit passes nothing on: drop its row (zero it) in that layer
    W = (net["W3"] @ (on2[:, None] * net["W2"]) @ (on1[:, None] * net["W1"])).item()
    return {"x0": float(x0), "W": W, "b": h - W * float(x0), "h": h,
            "z1": z1, "z2": z2, "on1": on1, "on2": on2}


# ---------------------------------------------------------------- Q3

Q3_ANSWER = (
    "A unit is only dead if its pre-activation is negative for every input it sees; "
    "a zero gradient on some inputs is not enough. In practice that rarely happens:",
    "• Fresh initialisation (zero or small biases, weights of both signs, He scaling) puts "
    "a unit's pre-activation above zero for roughly half of the inputs, so each unit "
    "gets gradient from a good share of every mini-batch.",
    "• The inputs of a hidden unit keep moving as the layers below it learn, and SGD's "
    "mini-batch noise moves them too, so a unit that is off today can be pushed back "
    "on later.",
    "• Normalisation (batch norm) re-centres pre-activations every step, which keeps "
    "about half of them positive whatever the weights did.",
    "• Networks are over-parameterised: losing a few units costs little capacity, and "
    "the others carry the signal. Mass death comes from too large a learning rate or a "
    "bad bias shift, which are fixed by tuning (or Leaky ReLU / ELU if it persists).",
    "• Meanwhile the active side has slope exactly 1, so ReLU does not saturate like "
    "sigmoid or tanh: the gradient that does flow is not shrunk layer after layer.",
)


# ---------------------------------------------------------------- text for the slides


def q1a_text():
    taps, out = conv_taps()
    rows, cols = taps.shape[:2]
    return ("A is %d × %d.\n"
            "Output: H' = (3 + 2·2 − 3) // 4 + 1 = %d, so y has %d × %d = %d entries (rows of A); "
            "x has 3 × 3 = %d entries (columns of A, no padding)." % (rows, cols, out, out, out, rows, cols))


def q1b_text():
    taps, out = conv_taps()
    lines = []
    for r, row in enumerate(conv_matrix_symbols()):
        i, j = divmod(r, out)
        nz = [(c, s) for c, s in enumerate(row) if s != "0"]
        reads = ", ".join("%s·x(%d,%d)" % (s, *divmod(c, 3)) for c, s in nz)
        lines.append("y(%d,%d) = %s" % (i, j, reads))
    return ("Every stride-4 window covers mostly padding: each output reads a single input "
            "corner, through the opposite kernel corner.\n" + "\n".join(lines))


def q2_text(x0):
    r = relu_net_local_linear(x0)
    fmt = lambda v: "[" + ", ".join("%g" % t for t in v) + "]"  # noqa: E731
    net = Q2_NET
    # the two halves of W = (W3 D2 W2) (D1 W1), to show the work
    left = (net["W3"] @ (r["on2"][:, None] * net["W2"])).ravel()
    right = (r["on1"][:, None] * net["W1"]).ravel()
    return ("x0 = %g:  W = %g,  b = %g\n"
            "Layer 1: z1 = W1·x0 + b1 = %s, active units %s (D1 = diag of these)\n"
            "Layer 2: z2 = W2·relu(z1) + b2 = %s, active units %s (D2)\n"
            "h(x0) = W3·relu(z2) + b3 = %g\n"
            "W = (W3·D2·W2)·(D1·W1) = %s · %s = %g\n"
            "b = h(x0) − W·x0 = %g − (%g)·(%g) = %g"
            % (r["x0"], r["W"], r["b"], fmt(r["z1"]), fmt(r["on1"].astype(int)),
               fmt(r["z2"]), fmt(r["on2"].astype(int)), r["h"], fmt(left), fmt(right), r["W"],
               r["h"], r["W"], r["x0"], r["b"]))


def key_text():
    """The whole theory key as plain text (what `python -m tools.report key` prints)."""
    lines = ["Q1 (a)", q1a_text(), "", "Q1 (b) A ="]
    lines += ["  [" + "  ".join("%-6s" % s for s in row) + "]" for row in conv_matrix_symbols()]
    lines.append(q1b_text())
    for x0 in Q2_POINTS:
        lines += ["", "Q2", q2_text(x0)]
    lines += ["", "Q3"] + list(Q3_ANSWER)
    return "\n".join(lines) + "\n"
