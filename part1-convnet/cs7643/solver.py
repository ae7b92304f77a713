"""The training loop of Part 1: minibatch SGD with a per-epoch learning-rate decay."""
import numpy as np


class Solver(object):
    """Trains a model (e.g. a ConvNet) with a given optimizer.

    Example:
        loss_history, train_acc_history = Solver().train(
            X_train, y_train, model, batch_size=10, num_epochs=10, optimizer=SGD(model))
    """

    def __init__(self):
        self.step_cache = {}   # kept for compatibility with the course's Solver; unused

    def train(self, X, y, model, learning_rate_decay=0.95, sample_batches=True, num_epochs=30,
              batch_size=100, acc_frequency=None, verbose=False, optimizer=None):
        """Train `model` on (X, y) and record its loss and training accuracy.

        Inputs:
        - X: training images, of shape (N, C, H, W)
        - y: training labels, of shape (N,)
        - model: has forward(x, y) -> (probs, loss) and backward()
        - learning_rate_decay: optimizer.learning_rate is multiplied by this after every epoch
        - sample_batches: if True, each iteration draws batch_size samples WITH replacement
          (np.random.choice(N, batch_size), from NumPy's global generator); if False, every
          iteration uses all of X
        - num_epochs: number of epochs; an epoch is N // batch_size iterations
          (one iteration when sample_batches is False)
        - batch_size: samples per minibatch
        - acc_frequency: if given, also record the training accuracy every acc_frequency
          iterations
        - verbose: print one progress line per accuracy check (nothing is printed otherwise)
        - optimizer: the optimizer that updates the model, e.g. SGD(model)

        Returns a tuple of:
        - loss_history: the loss of every iteration
        - train_acc_history: the training accuracy after the first iteration and after every
          epoch (and every acc_frequency iterations), measured on all of X, or on 1000
          samples drawn with replacement when X has more than 1000
        """
        if optimizer is None:
            raise ValueError("Solver.train needs an optimizer, e.g. "
                             "Solver().train(X, y, model, optimizer=SGD(model))")
        N = X.shape[0]
        if sample_batches and N < batch_size:
            raise ValueError("batch_size (%d) is larger than the number of training samples "
                             "(%d), so an epoch would have no iterations; use a smaller "
                             "batch_size" % (batch_size, N))
        iterations_per_epoch = N // batch_size if sample_batches else 1
        num_iters = num_epochs * iterations_per_epoch
        epoch = 0
        loss_history = []
        train_acc_history = []
        for it in range(num_iters):
            if sample_batches:
                batch_mask = np.random.choice(N, batch_size)
                X_batch, y_batch = X[batch_mask], y[batch_mask]
            else:
                X_batch, y_batch = X, y

            _, cost = model.forward(X_batch, y_batch)
            model.backward()
            optimizer.update(model)
            loss_history.append(cost)

            first_it = it == 0
            epoch_end = (it + 1) % iterations_per_epoch == 0
            acc_check = acc_frequency is not None and it % acc_frequency == 0
            if first_it or epoch_end or acc_check:
                # The very first iteration is checked but does not count as a finished epoch,
                # even when an epoch is a single iteration.
                if it > 0 and epoch_end:
                    optimizer.learning_rate *= learning_rate_decay
                    epoch += 1
                train_acc = self._accuracy(X, y, model)
                train_acc_history.append(train_acc)
                if verbose:
                    print("Finished epoch %d / %d: cost %f, train: %f, lr %e"
                          % (epoch, num_epochs, cost, train_acc, optimizer.learning_rate))
        return loss_history, train_acc_history

    @staticmethod
    def _accuracy(X, y, model):
        """Accuracy of `model` on X (on 1000 samples drawn with replacement when X is larger)."""
        N = X.shape[0]
        if N > 1000:
            subset = np.random.choice(N, 1000)
            X, y = X[subset], y[subset]
        probs, _ = model.forward(X, y)
        return np.mean(np.argmax(probs, axis=1) == y)
