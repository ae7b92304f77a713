"""Softmax followed by the cross-entropy loss, as one numerically stable layer."""
import numpy as np


class SoftmaxCrossEntropy:
    """Softmax of class scores and the mean cross-entropy against integer labels.

    Shape:
        - Input: scores x of shape (N, K), labels y of shape (N,) with values in [0, K)
        - Output: probabilities (N, K) and a scalar loss
    """

    def __init__(self):
        self.cache = None
        self.dx = None

    def forward(self, x, y):
        """Compute the class probabilities and the loss averaged over the batch.

        Inputs:
        - x: class scores, of shape (N, K)
        - y: labels, of shape (N,), each in [0, K)

        Returns a tuple of:
        - probs: softmax probabilities, of shape (N, K); each row sums to 1
        - loss: scalar, -mean_n log probs[n, y[n]]

        Stores in self.cache whatever backward() needs.
        """
        # BEGIN SOLUTION: compute the probabilities and the mean loss, and fill self.cache
        # Subtracting each row's maximum changes nothing mathematically but keeps exp() finite.
        shifted = x - x.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        probs = np.exp(log_probs)
        N = x.shape[0]
        loss = -log_probs[np.arange(N), y].mean()
        self.cache = (probs, y)
        # END SOLUTION
        return probs, loss

    def backward(self):
        """Gradient of the mean loss with respect to the scores.

        Sets self.dx, of shape (N, K); returns nothing.
        """
        if self.cache is None:
            raise RuntimeError("SoftmaxCrossEntropy.backward() was called before forward(): "
                               "run forward(x, y) first")
        # BEGIN SOLUTION: compute self.dx from self.cache
        probs, y = self.cache
        N = probs.shape[0]
        dx = probs.copy()
        dx[np.arange(N), y] -= 1.0          # d loss_n / d x_n = probs_n - onehot(y_n)
        self.dx = dx / N                    # the loss is a mean over the batch
        # END SOLUTION
