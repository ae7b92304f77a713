"""The training loop of Part 1: minibatch SGD with a per-epoch learning-rate decay."""
import numpy as np


class Solver:
    """Trains a model (e.g. a ConvNet) with a given optimizer; keeps no state between calls."""

    def train(self, X, y, model, learning_rate_decay=0.95, sample_batches=True, num_epochs=30,
              batch_size=100, acc_frequency=None, verbose=False, optimizer=None):
        """Train `model` on (X, y).

        Inputs:
        - X: training images, of shape (N, C, H, W)
        - y: training labels, of shape (N,)
        - model: has forward(x, y) -> (probs, loss) and backward()
        - learning_rate_decay: optimizer.learning_rate is multiplied by this after every epoch
        - sample_batches: if True, each iteration draws batch_size samples WITH replacement
          (np.random.choice(N, batch_size)); if False, every iteration uses all of X
        - num_epochs: number of epochs; an epoch is N // batch_size iterations
          (one iteration when sample_batches is False)
        - batch_size: samples per minibatch
        - acc_frequency: if given, also record the training accuracy every acc_frequency
          iterations
        - verbose: print progress (nothing is printed otherwise)
        - optimizer: the optimizer that updates the model, e.g. SGD(model)

        Returns a tuple of:
        - loss_history: the loss of every iteration
        - train_acc_history: the training accuracy after the first iteration and after every
          epoch (and every acc_frequency iterations), measured on at most 1000 samples
        """
        if optimizer is None:
            raise ValueError("Solver.train needs an optimizer, e.g. "
                             "Solver().train(X, y, model, optimizer=SGD(model))")
        N = X.shape[0]
        iterations_per_epoch = max(N // batch_size, 1) if sample_batches else 1
        num_iters = num_epochs * iterations_per_epoch
        loss_history, train_acc_history = [], []
        epoch = 0
        for it in range(num_iters):
            if sample_batches:
                batch = np.random.choice(N, batch_size)
                X_batch, y_batch = X[batch], y[batch]
            else:
                X_batch, y_batch = X, y

            _, loss = model.forward(X_batch, y_batch)
            model.backward()
            optimizer.update(model)
            loss_history.append(loss)

            epoch_end = (it + 1) % iterations_per_epoch == 0
            if epoch_end:
                epoch += 1
                optimizer.learning_rate *= learning_rate_decay

            acc_check = acc_frequency is not None and it % acc_frequency == 0
            if it == 0 or epoch_end or acc_check:
                train_acc = self._accuracy(X, y, model)
                train_acc_history.append(train_acc)
                if verbose:
                    print("Finished epoch %d / %d: loss %f, train acc %f, lr %e"
                          % (epoch, num_epochs, loss, train_acc, optimizer.learning_rate))
        return loss_history, train_acc_history

    @staticmethod
    def _accuracy(X, y, model):
        """Accuracy of `model` on X (a random 1000-sample subset when X is larger)."""
        N = X.shape[0]
        if N > 1000:
            subset = np.random.choice(N, 1000)
            X, y = X[subset], y[subset]
        probs, _ = model.forward(X, y)
        return float(np.mean(np.argmax(probs, axis=1) == y))
