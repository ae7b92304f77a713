"""experiments/sigmoid_focal.py: the CB sigmoid focal loss against torchvision's focal loss
(float64), its behaviour at extreme scores and under bf16, and the Solver that a config
naming it (loss_type: SigmoidFocal, loss_module: experiments.sigmoid_focal) builds."""
import contextlib
import io
import math
import os
import unittest
from unittest import mock

import torch
from torchvision.ops import sigmoid_focal_loss

from staff_tests.synthetic import PART2, solver_kwargs, temp_prefix
from experiments.sigmoid_focal import SigmoidFocalLoss
from config import SolverError, load_config
from losses import reweight
from solver import Solver
import solver as solver_module
import train_utils

SIGMOID = dict(loss_type="SigmoidFocal", loss_module="experiments.sigmoid_focal")


def reference(x, y, weight, gamma):
    """torchvision's per-element binary focal loss (no alpha), summed over classes,
    times the true class's weight, averaged over the batch."""
    onehot = torch.nn.functional.one_hot(y, x.shape[1]).to(x.dtype)
    per_sample = sigmoid_focal_loss(x, onehot, alpha=-1, gamma=gamma, reduction="none").sum(1)
    return (weight[y] * per_sample).mean()


class TestSigmoidFocalLoss(unittest.TestCase):
    def setUp(self):
        g = torch.Generator().manual_seed(0)
        self.x = torch.randn(64, 10, generator=g, dtype=torch.float64) * 3
        self.y = torch.randint(0, 10, (64,), generator=g)
        self.w = reweight([5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50], beta=0.9999).double()

    def test_matches_torchvision_loss_and_gradient(self):
        for gamma in [0.0, 0.5, 1.0, 2.0]:
            with self.subTest(gamma=gamma):
                x1 = self.x.clone().requires_grad_()
                x2 = self.x.clone().requires_grad_()
                ours = SigmoidFocalLoss(self.w, gamma=gamma).double()(x1, self.y)
                ref = reference(x2, self.y, self.w, gamma)
                torch.testing.assert_close(ours, ref, rtol=1e-12, atol=1e-12)
                ours.backward()
                ref.backward()
                torch.testing.assert_close(x1.grad, x2.grad, rtol=1e-10, atol=1e-12)

    def test_one_sample_closed_form(self):
        # scores (2, 0), true class 0, weight 3, gamma 1:
        # true class: q = s(2), term (1 - s(2)) * -log s(2); other: q = s(0) = 1/2, term 1/2 * log 2
        s2 = 1 / (1 + math.exp(-2))
        expected = 3 * ((1 - s2) * -math.log(s2) + 0.5 * math.log(2))
        loss = SigmoidFocalLoss(torch.tensor([3.0, 1.0]), gamma=1.0).double()(
            torch.tensor([[2.0, 0.0]], dtype=torch.float64), torch.tensor([0]))
        self.assertAlmostEqual(loss.item(), expected, places=12)

    def test_extreme_scores_stay_finite(self):
        x = torch.tensor([[1e4, -1e4, 0.0], [-1e4, 1e4, 50.0]], requires_grad=True)
        y = torch.tensor([0, 0])
        loss = SigmoidFocalLoss(torch.ones(3), gamma=2.0)(x, y)
        loss.backward()
        self.assertTrue(torch.isfinite(loss))
        self.assertTrue(torch.isfinite(x.grad).all())
        # sample 1 is wrong by 2e4 on two classes: its loss is about 1e4 + 1e4 + 50
        self.assertAlmostEqual(loss.item(), (2e4 + 50) / 2, delta=1.0)

    def test_bf16_scores_give_a_float32_loss(self):
        loss_fn = SigmoidFocalLoss(self.w.float(), gamma=1.0)
        low = loss_fn(self.x.to(torch.bfloat16), self.y)
        self.assertEqual(low.dtype, torch.float32)
        exact = reference(self.x.to(torch.bfloat16).double(), self.y, self.w, 1.0)
        self.assertAlmostEqual(low.item(), exact.item(), places=4)

    def test_bad_gamma(self):
        with self.assertRaisesRegex(ValueError, "gamma must be >= 0"):
            SigmoidFocalLoss(torch.ones(10), gamma=-1)


class TestTheSolverBuildsIt(unittest.TestCase):
    def test_committed_config_differs_from_the_softmax_run_only_in_the_loss(self):
        configs = os.path.join(PART2, "experiments", "configs")
        sigmoid = load_config(os.path.join(configs, "config_resnet32_lt_sweep_sigmoid_b0.9999.yaml"))
        softmax = load_config(os.path.join(configs, "config_resnet32_lt_sweep_b0.9999.yaml"))
        self.assertEqual(sigmoid.pop("loss_type"), "SigmoidFocal")
        self.assertEqual(sigmoid.pop("loss_module"), "experiments.sigmoid_focal")
        self.assertEqual(softmax.pop("loss_type"), "Focal")
        self.assertEqual(sigmoid, softmax)

    def test_solver_trains_resnet32_with_the_sigmoid_loss(self):
        # 100 synthetic images per class at most; factor 100 -> counts 100, 59, ..., 1
        prefix = temp_prefix(self, n_train_per_class=100)
        with contextlib.redirect_stdout(io.StringIO()):
            s = Solver(**solver_kwargs(prefix), **SIGMOID, model="ResNet-32", imbalance="imbalance",
                       beta=0.999, gamma=1.0, batch_size=32, learning_rate=0.05, epochs=1, run_name="sigmoid")
        self.assertIsInstance(s.criterion, SigmoidFocalLoss)
        counts = [100, 59, 35, 21, 12, 7, 4, 2, 1, 1]
        torch.testing.assert_close(s.criterion.weight, reweight(counts, beta=0.999))
        torch.testing.assert_close(s.model.linear.bias, torch.full((10,), -math.log(9.0)))
        with contextlib.redirect_stdout(io.StringIO()):
            s.train()
        self.assertEqual(len(s.records.history), 1)
        self.assertTrue(math.isfinite(s.records.history[0]["train_loss"]))
        self.assertTrue(os.path.isfile(os.path.join(prefix, "runs", "sigmoid", "metrics.csv")))
        # resumed (nothing left to train), the trained bias is kept, not reset to the prior
        trained = s.model.linear.bias.detach().clone()
        with contextlib.redirect_stdout(io.StringIO()):
            again = Solver(**solver_kwargs(prefix), **SIGMOID, model="ResNet-32", imbalance="imbalance",
                           beta=0.999, gamma=1.0, batch_size=32, learning_rate=0.05, epochs=1,
                           run_name="sigmoid", resume=True)
        torch.testing.assert_close(again.model.linear.bias, trained)

    def test_the_command_line_trains_and_resumes_it(self):
        prefix = temp_prefix(self, n_train_per_class=100)
        path = os.path.join(prefix, "config_sigmoid.yaml")
        with open(path, "w") as f:
            f.write("Train:\n  batch_size: 32\n  learning_rate: 0.05\n  epochs: 2\n  gamma: 1.0\n"
                    "network:\n  model: ResNet-32\n  save_best: False\ndata:\n  imbalance: imbalance\n"
                    "  beta: 0.999\nloss:\n  loss_type: SigmoidFocal\n  loss_module: experiments.sigmoid_focal\n")
        sets = ["%s=%s" % kv for kv in solver_kwargs(prefix).items()]
        with contextlib.redirect_stdout(io.StringIO()):
            self.assertEqual(train_utils.main(Solver, ["--config", path, "--set", "epochs=1"] + sets), 0)
            self.assertEqual(train_utils.main(Solver, ["--config", path, "--resume", "--set"] + sets), 0)
        with open(os.path.join(prefix, "runs", "config_sigmoid", "metrics.csv")) as f:
            self.assertEqual([line.split(",")[0] for line in f.read().split()], ["epoch", "1", "2"])

    def refused(self, message, **kwargs):
        data = AssertionError("data loaded")
        with mock.patch.object(solver_module, "CIFAR10", side_effect=data), \
                mock.patch.object(solver_module, "Imbalanced_CIFAR10", side_effect=data), \
                self.assertRaisesRegex(SolverError, message):
            Solver(**kwargs)

    def test_a_loss_type_nobody_registers_is_refused_before_the_data(self):
        self.refused("loss_module experiments.sigmoid_focal registers no 'Sigmoid'",
                     **dict(SIGMOID, loss_type="Sigmoid"))
        self.refused("loss_module experiments.nothing_here cannot be imported",
                     **dict(SIGMOID, loss_module="experiments.nothing_here"))
        # registered in this process, but a config names it with its loss_module (a fresh process needs it)
        self.refused("loss_type must be one of 'CE', 'Focal', got 'SigmoidFocal'", loss_type="SigmoidFocal")


if __name__ == "__main__":
    unittest.main()
