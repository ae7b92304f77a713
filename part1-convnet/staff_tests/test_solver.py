"""Solver.train: minibatches with replacement, iterations, learning-rate decay, accuracy records."""
import contextlib
import io
import unittest

import numpy as np

from cs7643.solver import Solver


class RecordingModel:
    """Predicts class (sum of the sample's features) % K and records every batch it sees."""

    modules = []

    def __init__(self, K=3):
        self.K = K
        self.batches = []

    def forward(self, x, y):
        self.batches.append(x[:, 0].astype(int).copy())
        pred = x.reshape(len(x), -1).sum(axis=1).astype(int) % self.K
        return np.eye(self.K)[pred], float(len(self.batches))

    def backward(self):
        pass


class CountingOptimizer:
    def __init__(self, learning_rate=1.0):
        self.learning_rate = learning_rate
        self.steps = 0

    def update(self, model):
        self.steps += 1


def dataset(N, K=3):
    X = np.arange(N, dtype=np.float64).reshape(N, 1)   # feature = sample index
    y = np.arange(N) % K                                # the model is right on every sample
    y[::5] = (y[::5] + 1) % K                           # ... except every fifth one
    return X, y


class TestSolver(unittest.TestCase):
    def test_minibatches_drawn_with_replacement(self):
        X, y = dataset(40)
        model, opt = RecordingModel(), CountingOptimizer()
        np.random.seed(123)
        Solver().train(X, y, model, num_epochs=3, batch_size=8, optimizer=opt)
        replay = np.random.RandomState(123)
        train_batches = [b for b in model.batches if len(b) == 8]
        self.assertEqual(len(train_batches), 3 * (40 // 8))
        for b in train_batches:
            np.testing.assert_array_equal(b, replay.choice(40, 8))

    def test_iterations_decay_and_accuracy(self):
        X, y = dataset(50)
        model, opt = RecordingModel(), CountingOptimizer(learning_rate=0.1)
        loss_history, acc_history = Solver().train(
            X, y, model, learning_rate_decay=0.5, num_epochs=4, batch_size=10, optimizer=opt)
        self.assertEqual(opt.steps, 4 * 5)
        self.assertEqual(len(loss_history), 20)
        self.assertAlmostEqual(opt.learning_rate, 0.1 * 0.5 ** 4)
        # first iteration + every epoch end, each on all 50 samples; 4 of every 5 are right
        self.assertEqual(len(acc_history), 1 + 4)
        self.assertTrue(all(a == 0.8 for a in acc_history))
        self.assertEqual(sum(len(b) == 50 for b in model.batches), 5)

    def test_acc_frequency(self):
        X, y = dataset(30)
        _, acc_history = Solver().train(X, y, RecordingModel(), num_epochs=2, batch_size=10,
                                        acc_frequency=2, optimizer=CountingOptimizer())
        # 6 iterations: it 0, 2, 4 (acc_frequency) and ends of epochs at it 2, 5 -> 0, 2, 4, 5
        self.assertEqual(len(acc_history), 4)

    def test_full_batch_mode(self):
        X, y = dataset(20)
        model, opt = RecordingModel(), CountingOptimizer(learning_rate=1.0)
        _, acc_history = Solver().train(X, y, model, sample_batches=False, num_epochs=3,
                                        learning_rate_decay=0.5, optimizer=opt)
        self.assertEqual(opt.steps, 3)
        self.assertTrue(all(len(b) == 20 for b in model.batches))
        # As in the course's Solver, iteration 0 is checked but never ends an epoch: with one
        # iteration per epoch the rate decays after iterations 1 and 2 only.
        self.assertEqual(len(acc_history), 3)
        self.assertAlmostEqual(opt.learning_rate, 0.25)

    def test_verbose_line_format(self):
        X, y = dataset(20)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            Solver().train(X, y, RecordingModel(), num_epochs=1, batch_size=10,
                           learning_rate_decay=0.5, verbose=True,
                           optimizer=CountingOptimizer(learning_rate=0.1))
        # RecordingModel's cost is the number of forward calls so far; accuracy 0.8 (dataset).
        self.assertEqual(out.getvalue().splitlines(), [
            "Finished epoch 0 / 1: cost 1.000000, train: 0.800000, lr 1.000000e-01",
            "Finished epoch 1 / 1: cost 3.000000, train: 0.800000, lr 5.000000e-02"])

    def test_batch_larger_than_data(self):
        X, y = dataset(5)
        with self.assertRaisesRegex(ValueError, r"batch_size \(10\) is larger than the number "
                                                r"of training samples \(5\)"):
            Solver().train(X, y, RecordingModel(), batch_size=10, optimizer=CountingOptimizer())

    def test_step_cache(self):
        self.assertEqual(Solver().step_cache, {})

    def test_accuracy_on_a_1000_subset_of_large_sets(self):
        X, y = dataset(2500)
        model = RecordingModel()
        Solver().train(X, y, model, num_epochs=1, batch_size=500, optimizer=CountingOptimizer())
        self.assertEqual([len(b) for b in model.batches], [500, 1000] + [500] * 4 + [1000])

    def test_silent_unless_verbose(self):
        X, y = dataset(20)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            Solver().train(X, y, RecordingModel(), num_epochs=2, batch_size=10,
                           optimizer=CountingOptimizer())
        self.assertEqual(out.getvalue(), "")
        with contextlib.redirect_stdout(out):
            Solver().train(X, y, RecordingModel(), num_epochs=2, batch_size=10, verbose=True,
                           optimizer=CountingOptimizer())
        self.assertIn("Finished epoch 2 / 2", out.getvalue())

    def test_missing_optimizer(self):
        X, y = dataset(20)
        with self.assertRaisesRegex(ValueError, r"needs an optimizer.*SGD\(model\)"):
            Solver().train(X, y, RecordingModel())


if __name__ == "__main__":
    unittest.main()
