"""experiments/sigmoid_focal.py: the CB sigmoid focal loss against torchvision's focal loss
(float64), its behaviour at extreme scores and under bf16, and the Solver it builds."""
import contextlib
import io
import math
import os
import unittest

import torch
from torchvision.ops import sigmoid_focal_loss

from staff_tests.synthetic import PART2, solver_kwargs, temp_prefix
from experiments.sigmoid_focal import SigmoidFocalLoss, build_solver
from losses import reweight
from train_utils import load_config


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


class TestBuildSolver(unittest.TestCase):
    def test_committed_config_differs_from_the_softmax_run_only_in_the_loss(self):
        configs = os.path.join(PART2, "experiments", "configs")
        sigmoid = load_config(os.path.join(configs, "config_resnet32_lt_sweep_sigmoid_b0.9999.yaml"))
        softmax = load_config(os.path.join(configs, "config_resnet32_lt_sweep_b0.9999.yaml"))
        self.assertEqual(sigmoid.pop("loss_type"), "SigmoidFocal")
        self.assertEqual(softmax.pop("loss_type"), "Focal")
        self.assertEqual(sigmoid, softmax)

    def test_solver_trains_resnet32_with_the_sigmoid_loss(self):
        # 100 synthetic images per class at most; factor 100 -> counts 100, 59, ..., 1
        prefix = temp_prefix(self, n_train_per_class=100)
        with contextlib.redirect_stdout(io.StringIO()):
            s = build_solver(dict(solver_kwargs(prefix), model="ResNet-32", loss_type="SigmoidFocal",
                                  imbalance="imbalance", beta=0.999, gamma=1.0, batch_size=32,
                                  learning_rate=0.05, epochs=1, run_name="sigmoid"))
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
            again = build_solver(dict(solver_kwargs(prefix), model="ResNet-32", loss_type="SigmoidFocal",
                                      imbalance="imbalance", beta=0.999, gamma=1.0, batch_size=32,
                                      learning_rate=0.05, epochs=1, run_name="sigmoid", resume=True))
        torch.testing.assert_close(again.model.linear.bias, trained)

    def test_other_loss_types_are_refused(self):
        with self.assertRaisesRegex(ValueError, "python -m solver"):
            build_solver(dict(loss_type="Focal"))


if __name__ == "__main__":
    unittest.main()
