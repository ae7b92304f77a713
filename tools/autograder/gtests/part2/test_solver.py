"""Solver._compute_loss_update_params: one SGD step in training mode, no update in eval mode."""
import copy
import os

import torch
import torch.nn.functional as F

from grader.framework import GradedCase, HIDDEN, graded, student
from gtests.checks import assert_close

FILES = ["solver.py", "models/twolayer.py", "losses/focal_loss.py"]
LR, REG = 0.05, 5e-4


def make_solver():
    """A Solver for TwoLayerNet with plain cross-entropy, reading the grader's CIFAR-10."""
    link = os.path.join("data", "cifar-10-batches-py")  # in the submission's working copy
    if not os.path.lexists(link):
        os.makedirs("data", exist_ok=True)
        os.symlink(os.environ["CS7643_GRADER_DATA"], link)
    Solver = student("solver", "Solver")
    return Solver(path_prefix=".", model="TwoLayerNet", loss_type="CE", learning_rate=LR,
                  momentum=0.9, reg=REG, batch_size=16, epochs=1, warmup=0, device="cpu",
                  save_best=False)


def batch(seed=0):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(16, 3, 32, 32, generator=g), torch.randint(10, (16,), generator=g)


class TestSolver(GradedCase):
    @graded(3, timeout=300, requires=FILES)
    def test_training_step(self):
        """Solver._compute_loss_update_params: one SGD step in training mode"""
        solver = make_solver()
        model = solver.model
        model.train()
        x, y = batch()
        # The same step written out: the first SGD step with momentum and weight decay
        # moves every parameter by -lr * (grad + reg * p) (the velocity starts at zero).
        ref_model = copy.deepcopy(model)
        ref_out = ref_model(x)
        ref_loss = F.cross_entropy(ref_out, y)
        ref_loss.backward()
        expected = {n: (p - LR * (p.grad + REG * p)).detach() for n, p in ref_model.named_parameters()}
        out, loss = solver._compute_loss_update_params(x, y)
        assert_close(out, ref_out, "the output returned in training mode", rtol=1e-4, atol=1e-6)
        assert_close(loss, ref_loss, "the loss returned in training mode", rtol=1e-4, atol=1e-6)
        for name, p in model.named_parameters():
            assert_close(p, expected[name], "parameter %s after one training step (was the "
                         "optimizer stepped once, after zeroing the gradients?)" % name,
                         rtol=1e-4, atol=1e-6)

    @graded(2, visibility=HIDDEN, timeout=300, requires=FILES)
    def test_eval_step(self):
        """Solver._compute_loss_update_params: no update and no gradient in eval mode"""
        solver = make_solver()
        model = solver.model
        model.eval()
        x, y = batch(1)
        before = {n: p.detach().clone() for n, p in model.named_parameters()}
        with torch.no_grad():
            ref_out = model(x)
        out, loss = solver._compute_loss_update_params(x, y)
        assert_close(out, ref_out, "the output returned in eval mode", rtol=1e-4, atol=1e-6)
        assert_close(loss, F.cross_entropy(ref_out, y), "the loss returned in eval mode",
                     rtol=1e-4, atol=1e-6)
        self.assertFalse(out.requires_grad, "in eval mode the forward pass must run under "
                         "torch.no_grad() (the output requires grad)")
        for name, p in model.named_parameters():
            assert_close(p, before[name], "parameter %s after a step in eval mode (it must not "
                         "change)" % name)
