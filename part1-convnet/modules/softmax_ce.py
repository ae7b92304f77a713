"""Softmax followed by the cross-entropy loss, as one numerically stable layer (given)."""
import numpy as np


def hello_do_you_copy():
    """Prints a line, so the notebook can check that Python finds this file."""
    print("Roger that from softmax_ce.py!")


def _check_scores_and_labels(x, y):
    """Return x and y as arrays, or raise an error that says what was expected.

    Without these checks a label of -1 would silently pick the last class (NumPy's
    negative indexing), labels of shape (N, 1) would broadcast into a wrong loss, and
    other mistakes would end in IndexErrors that name neither the layer nor the fix.
    Each check is O(N) and costs microseconds, next to the O(N*K) softmax.
    """
    x = np.asarray(x)
    y = np.asarray(y)
    if x.ndim != 2 or x.shape[0] == 0 or x.shape[1] == 0:
        raise ValueError("SoftmaxCrossEntropy.forward expects scores x of shape (N, K), one row "
                         "of K class scores per sample, got shape %s; for a single sample use "
                         "x[None]" % (x.shape,))
    if x.dtype.kind not in "biuf":
        raise TypeError("SoftmaxCrossEntropy.forward expects numeric scores x, got dtype %s"
                        % (x.dtype,))
    N, K = x.shape
    if y.ndim != 1:
        hint = ("y looks one-hot: pass y.argmax(axis=1)" if y.ndim == 2 and y.shape == x.shape
                else "flatten it with y.reshape(-1)")
        raise ValueError("SoftmaxCrossEntropy.forward expects labels y of shape (N,) = (%d,), "
                         "got shape %s; %s" % (N, y.shape, hint))
    if y.shape[0] != N:
        raise ValueError("SoftmaxCrossEntropy.forward got scores for %d samples but %d labels; "
                         "x and y must describe the same batch" % (N, y.shape[0]))
    if y.dtype.kind not in "iu":
        raise TypeError("SoftmaxCrossEntropy.forward expects integer class labels y, got dtype "
                        "%s; convert them with y.astype(int)" % (y.dtype,))
    lo, hi = y.min(), y.max()
    if lo < 0 or hi >= K:
        bad = lo if lo < 0 else hi
        raise ValueError("SoftmaxCrossEntropy.forward expects labels in [0, %d) for %d classes, "
                         "got %d; labels are class indices 0..%d, one per column of x"
                         % (K, K, bad, K - 1))
    return x, y


class SoftmaxCrossEntropy:
    """Softmax of class scores and the mean cross-entropy against integer labels.

    Shape:
        - Input: scores x of shape (N, K), labels y of shape (N,) with values in [0, K)
        - Output: probabilities (N, K) and a scalar loss
    """

    def __init__(self):
        self.dx = None
        self.cache = None

    def forward(self, x, y):
        """Compute the class probabilities and the loss averaged over the batch.

        Inputs:
        - x: class scores, of shape (N, K)
        - y: labels, of shape (N,), each in [0, K)

        Returns a tuple of:
        - probs: softmax probabilities, of shape (N, K); each row sums to 1
        - loss: scalar, -mean_n log probs[n, y[n]]
        """
        x, y = _check_scores_and_labels(x, y)
        # Subtracting each row's maximum changes nothing mathematically but keeps exp() finite.
        shifted = x - np.max(x, axis=1, keepdims=True)
        exps = np.exp(shifted)
        probs = exps / np.sum(exps, axis=1, keepdims=True)
        N, _ = x.shape
        # log(probs) computed from the shifted scores: no log(0) even for a tiny probability.
        log_probs = shifted - np.log(np.sum(exps, axis=1, keepdims=True))
        loss = -np.sum(log_probs[np.arange(N), y]) / N
        self.cache = (probs, y, N)
        return probs, loss

    def backward(self):
        """Gradient of the mean loss with respect to the scores.

        Sets self.dx, of shape (N, K); returns nothing.
        """
        if self.cache is None:
            raise RuntimeError("SoftmaxCrossEntropy.backward() was called before forward(): "
                               "run forward(x, y) first")
        probs, y, N = self.cache
        dx = probs.copy()
        dx[np.arange(N), y] -= 1          # d loss_n / d x_n = probs_n - onehot(y_n)
        dx /= N                           # the loss is a mean over the batch
        self.dx = dx
