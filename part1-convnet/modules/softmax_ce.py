"""Softmax followed by the cross-entropy loss, as one numerically stable layer (given)."""
import numpy as np


def hello_do_you_copy():
    """Prints a line, so the notebook can check that Python finds this file."""
    print("Roger that from softmax_ce.py!")


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
